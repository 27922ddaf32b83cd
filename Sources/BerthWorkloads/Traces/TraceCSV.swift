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
    /// The whole file (shared, not copied) and this row's fields in it, trimmed of spaces.
    let bytes: [UInt8]
    let fields: [Range<Int>]
    let columns: [String]

    /// The field at `index`.
    public func text(_ index: Int) -> Substring {
        Substring(String(decoding: bytes[fields[index]], as: UTF8.self))
    }

    func fail(_ index: Int, _ message: String) -> TraceError {
        TraceError(line: line, column: columns[index], message)
    }

    public func isEmpty(_ index: Int) -> Bool { fields[index].isEmpty }

    /// A whole number (no sign unless `allowNegative`).
    public func int(_ index: Int, allowNegative: Bool = false) throws(TraceError) -> Int64 {
        let range = fields[index]
        if range.isEmpty { throw fail(index, "expected a whole number, got an empty field") }
        var i = range.lowerBound
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative || bytes[i] == UInt8(ascii: "+") { i += 1 }
        var value: Int64 = 0
        var ok = i < range.upperBound
        while ok && i < range.upperBound {
            let b = bytes[i]
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { ok = false; break }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b - UInt8(ascii: "0")))
            if o1 || o2 { ok = false; break }
            value = a
            i += 1
        }
        guard ok else { throw fail(index, "expected a whole number, got \"\(text(index))\"") }
        if negative { value = -value }
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
/// line ends, blank lines ignored, spaces around fields ignored. Every data row
/// must have exactly as many fields as there are columns. Works on the UTF-8
/// bytes: the real files have tens of thousands of rows.
public enum TraceCSV {
    /// How to treat the first non-blank line:
    /// - `.required`: it must be a header naming exactly the columns, in order;
    /// - `.optional`: it is a header (and skipped) when its first field is not a number.
    public enum Header: Sendable { case required, optional }

    /// The data rows of `text`; `columns` names the fields (for messages).
    public static func rows(_ text: String, columns: [String], header: Header) throws(TraceError) -> [TraceRow] {
        let bytes = Array(text.utf8)
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), space = UInt8(ascii: " ")
        let cr = UInt8(ascii: "\r"), quote = UInt8(ascii: "\"")
        var rows: [TraceRow] = []
        var sawFirst = false
        var lineNumber = 0
        var lineStart = 0
        while lineStart < bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != newline { lineEnd += 1 }
            let next = lineEnd + 1
            if lineEnd > lineStart && bytes[lineEnd - 1] == cr { lineEnd -= 1 }
            defer { lineStart = next }
            var fields: [Range<Int>] = []
            fields.reserveCapacity(columns.count)
            var fieldStart = lineStart
            var blank = true
            var quoted = false
            for i in lineStart...lineEnd {
                if i < lineEnd {
                    let b = bytes[i]
                    if b != space { blank = false }
                    if b == quote { quoted = true }
                    if b != comma { continue }
                }
                var lo = fieldStart, hi = i
                while lo < hi && bytes[lo] == space { lo += 1 }
                while hi > lo && bytes[hi - 1] == space { hi -= 1 }
                fields.append(lo..<hi)
                fieldStart = i + 1
            }
            if blank { continue }
            let lineText = { String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self) }
            if !sawFirst {
                sawFirst = true
                let first = String(decoding: bytes[fields[0]], as: UTF8.self)
                if header == .required || Int64(first) == nil {
                    let names = fields.map { String(decoding: bytes[$0], as: UTF8.self) }
                    if header == .required && names != columns {
                        throw TraceError(line: lineNumber, "expected the header \"\(columns.joined(separator: ","))\", got \"\(lineText())\"")
                    }
                    if names.count != columns.count {
                        throw TraceError(line: lineNumber, "the header has \(names.count) columns, expected \(columns.count) (\(columns.joined(separator: ",")))")
                    }
                    continue
                }
            }
            if quoted { throw TraceError(line: lineNumber, "quoted fields are not supported in trace files") }
            guard fields.count == columns.count else {
                throw TraceError(line: lineNumber, "expected \(columns.count) fields (\(columns.joined(separator: ","))), got \(fields.count)")
            }
            rows.append(TraceRow(line: lineNumber, bytes: bytes, fields: fields, columns: columns))
        }
        if !sawFirst { throw TraceError(line: 1, "the file is empty") }
        return rows
    }
}
