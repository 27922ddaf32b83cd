import Foundation

/// An RFC 4180 table: one header row, CRLF line endings, fields quoted when
/// they contain a comma, a double quote, CR or LF (quotes doubled inside).
/// Built in memory and rendered to a string; files are written by the caller.
public struct CSVTable: Sendable, Equatable {
    public let header: [String]
    public private(set) var rows: [[String]] = []

    public init(header: [String]) { self.header = header }

    /// Appends a row; it must have one field per header column.
    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "CSV row has \(row.count) fields, header has \(header.count)") // trap-ok: programmer error in a report writer
        rows.append(row)
    }

    public func rendered() -> String {
        var out = ""
        out.reserveCapacity((rows.count + 1) * header.count * 8)
        Self.appendLine(header, to: &out)
        for row in rows { Self.appendLine(row, to: &out) }
        return out
    }

    static func appendLine(_ fields: [String], to out: inout String) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out += "," }
            out += escape(field)
        }
        out += "\r\n"
    }

    public static func escape(_ field: String) -> String {
        // A byte scan: the four special characters are ASCII, and UTF-8 never reuses
        // ASCII bytes inside a multi-byte sequence.
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Parses RFC 4180 text back into rows (header first). Used by tests and `berth` tools
    /// that read reports; nil on malformed quoting.
    public static func parse(_ text: String) -> [[String]]? {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { inQuotes = false }
                } else { field.append(c) }
            } else if c == "\"" {
                guard field.isEmpty else { return nil }
                inQuotes = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r\n" || c == "\n" || c == "\r" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else { field.append(c) }
        }
        if inQuotes { return nil }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

/// Number formatting shared by all reports: fixed decimals, "." as separator
/// whatever the locale, empty for a missing value.
public enum CSVNumber {
    /// C's `%.Nf` (exact, correctly rounded). The process never calls
    /// `setlocale`, so C's numeric locale is "C" and the separator is "."; C's
    /// formatter is used instead of Foundation's because the latter builds an
    /// ICU number formatter per call (a large share of writing tasks.csv).
    public static func fixed(_ value: Double?, digits: Int = 6) -> String {
        guard let value, value.isFinite else { return "" }
        let precision = Int32(max(0, min(digits, 17)))
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buffer -> String in
            let written = withVaList([precision, value]) { vsnprintf(buffer.baseAddress, 400, "%.*f", $0) }
            guard written > 0 && written < 400, let base = buffer.baseAddress else {
                return String(format: "%.\(digits)f", locale: Locale(identifier: "en_US_POSIX"), value)
            }
            return String(cString: base)
        }
    }
}
