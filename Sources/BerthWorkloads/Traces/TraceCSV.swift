/// A problem in a trace file: the 1-based line, the column (by name) when one
/// field is at fault, and what was wrong.
public struct TraceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: String?
    public var message: String

    public init(line: Int, column: String? = nil, _ message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line 12, column "cpu_milli": expected a whole number, got "abc"`.
    public var description: String {
        "line \(line)" + (column.map { ", column \"\($0)\"" } ?? "") + ": \(message)"
    }
}

/// One data row of a trace CSV: its fields and the line it came from.
/// Accessors throw ``TraceError`` naming the line and the column.
public struct TraceRow: Sendable {
    public let line: Int
    let fields: [Substring]
    let columns: [String]

    /// The field at `index`, trimmed of spaces (a trailing `\r` is already gone).
    public func text(_ index: Int) -> Substring {
        fields[index].trimmingSpaces()
    }

    func fail(_ index: Int, _ message: String) -> TraceError {
        TraceError(line: line, column: columns[index], message)
    }

    public func isEmpty(_ index: Int) -> Bool { text(index).isEmpty }

    /// A whole number (no sign unless `allowNegative`).
    public func int(_ index: Int, allowNegative: Bool = false) throws(TraceError) -> Int64 {
        let s = text(index)
        if s.isEmpty { throw fail(index, "expected a whole number, got an empty field") }
        guard let value = Int64(s) else { throw fail(index, "expected a whole number, got \"\(s)\"") }
        if value < 0 && !allowNegative { throw fail(index, "must not be negative, got \(value)") }
        return value
    }

    /// A whole number, or nil for an empty field.
    public func optionalInt(_ index: Int, allowNegative: Bool = false) throws(TraceError) -> Int64? {
        isEmpty(index) ? nil : try int(index, allowNegative: allowNegative)
    }

    /// A finite, non-negative decimal number.
    public func double(_ index: Int) throws(TraceError) -> Double {
        let s = text(index)
        if s.isEmpty { throw fail(index, "expected a number, got an empty field") }
        guard let value = Double(s), value.isFinite else { throw fail(index, "expected a number, got \"\(s)\"") }
        if value < 0 { throw fail(index, "must not be negative, got \(s)") }
        return value
    }
}

/// A minimal reader for the plain CSV the Alibaba traces use: comma-separated,
/// no quoting (a quote character is reported, not interpreted), `\n` or `\r\n`
/// line ends, blank lines ignored. Every data row must have exactly as many
/// fields as there are columns.
public enum TraceCSV {
    /// The data rows of `text`. `columns` names the fields (for messages);
    /// `header` says how to treat the first non-blank line:
    /// - `.required`: it must be a header naming exactly `columns`, in order;
    /// - `.optional`: it is a header (and skipped) when its first field is not a number.
    public enum Header: Sendable { case required, optional }

    public static func rows(_ text: String, columns: [String], header: Header) throws(TraceError) -> [TraceRow] {
        var rows: [TraceRow] = []
        var sawFirst = false
        var lineNumber = 0
        // `\r\n` is one Character in Swift, so split on any newline.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            var line = rawLine
            if line.last == "\r" { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " }) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if !sawFirst {
                sawFirst = true
                let first = fields[0].trimmingSpaces()
                let isHeader = header == .required || Int64(first) == nil
                if isHeader {
                    let names = fields.map { String($0.trimmingSpaces()) }
                    if header == .required && names != columns {
                        throw TraceError(line: lineNumber, "expected the header \"\(columns.joined(separator: ","))\", got \"\(line)\"")
                    }
                    if names.count != columns.count {
                        throw TraceError(line: lineNumber, "the header has \(names.count) columns, expected \(columns.count) (\(columns.joined(separator: ",")))")
                    }
                    continue
                }
            }
            if line.contains("\"") {
                throw TraceError(line: lineNumber, "quoted fields are not supported in trace files")
            }
            guard fields.count == columns.count else {
                throw TraceError(line: lineNumber, "expected \(columns.count) fields (\(columns.joined(separator: ","))), got \(fields.count)")
            }
            rows.append(TraceRow(line: lineNumber, fields: fields, columns: columns))
        }
        if !sawFirst { throw TraceError(line: 1, "the file is empty") }
        return rows
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
