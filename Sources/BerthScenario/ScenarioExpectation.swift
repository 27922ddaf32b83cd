/// One `expect:` entry of a scenario: an assertion on a run's results,
/// `LEFT OP RIGHT`, checked by `berth check` (docs/ci.md).
///
/// Operands: a number (`30`, `0.999`, `-1e-3`); a string (`"us-east-1a"`);
/// a summary metric (`wait_s_p95`, `unscheduled`); a per-workload metric
/// (`wait_s_p95["web"]`); a placement attribute
/// (`placement("db-0").zone`, `.node`, `.pool`, `.rack`). Operators `==`,
/// `!=`, `<`, `<=`, `>`, `>=`; the ordering ones need numbers on both sides,
/// placements compare with `==`/`!=` to placements or strings.
public struct ScenarioExpectation: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "==", notEqual = "!=", lessOrEqual = "<=", greaterOrEqual = ">=", less = "<", greater = ">"

        public func holds(_ a: Double, _ b: Double) -> Bool {
            switch self {
            case .equal: a == b
            case .notEqual: a != b
            case .less: a < b
            case .lessOrEqual: a <= b
            case .greater: a > b
            case .greaterOrEqual: a >= b
            }
        }
    }

    /// A node attribute of a task's placement.
    public enum PlacementAttribute: String, Sendable, CaseIterable {
        case node, zone, pool, rack
    }

    public enum Operand: Sendable, Equatable, CustomStringConvertible {
        case number(Double)
        case string(String)
        /// A summary metric (workload nil) or a per-workload metric.
        case metric(String, workload: String?)
        case placement(task: String, PlacementAttribute)

        var isNumeric: Bool {
            switch self {
            case .number, .metric: true
            case .string, .placement: false
            }
        }

        public var description: String {
            switch self {
            case .number(let v): v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
            case .string(let s): "\"\(s)\""
            case .metric(let m, let w): w.map { "\(m)[\"\($0)\"]" } ?? m
            case .placement(let t, let a): "placement(\"\(t)\").\(a.rawValue)"
            }
        }
    }

    public var left: Operand
    public var op: Operator
    public var right: Operand
    /// The entry as written.
    public var text: String
    /// Where the entry is in the scenario file.
    public var location: SourceLocation
    /// Where each operand starts (for diagnostics about one side).
    public var leftLocation: SourceLocation
    public var rightLocation: SourceLocation

    public var description: String { text }
}

/// Parses the text of one `expect:` entry. Errors carry the 0-based character
/// offset at which the problem is.
enum ExpectationParser {
    struct ParseError: Error {
        var offset: Int
        var message: String
    }

    enum Token: Equatable {
        case identifier(String), number(Double), string(String), symbol(String), end
    }

    struct Lexer {
        let chars: [Character]
        var i = 0
        init(_ text: String) { chars = Array(text) }

        mutating func skipSpace() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }

        /// The next token and its offset.
        mutating func next() throws(ParseError) -> (Token, Int) {
            skipSpace()
            let start = i
            guard i < chars.count else { return (.end, i) }
            let c = chars[i]
            if c.isLetter || c == "_" {
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                return (.identifier(String(chars[start..<i])), start)
            }
            let digitNext = i + 1 < chars.count && chars[i + 1].isNumber
            if c.isNumber || ((c == "-" || c == "+") && i + 1 < chars.count && (chars[i + 1].isNumber || chars[i + 1] == "."))
                || (c == "." && digitNext) {
                i += 1
                while i < chars.count, chars[i].isNumber || chars[i] == "." || chars[i] == "_" || chars[i] == "e" || chars[i] == "E"
                    || ((chars[i] == "-" || chars[i] == "+") && (chars[i - 1] == "e" || chars[i - 1] == "E")) { i += 1 }
                let text = String(chars[start..<i]).replacingOccurrences(of: "_", with: "")
                guard let value = Double(text), value.isFinite else { throw ParseError(offset: start, message: "\"\(text)\" is not a number") }
                return (.number(value), start)
            }
            if c == "\"" || c == "'" {
                i += 1
                var text = ""
                while i < chars.count, chars[i] != c { text.append(chars[i]); i += 1 }
                guard i < chars.count else { throw ParseError(offset: start, message: "unterminated string (missing closing \(c))") }
                i += 1
                return (.string(text), start)
            }
            for symbol in ["==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", "."] where matches(symbol) {
                i += symbol.count
                return (.symbol(symbol), start)
            }
            if c == "=" { throw ParseError(offset: start, message: "\"=\" is not an operator (use \"==\")") }
            throw ParseError(offset: start, message: "unexpected \"\(c)\"")
        }

        func matches(_ symbol: String) -> Bool {
            let s = Array(symbol)
            return i + s.count <= chars.count && Array(chars[i..<(i + s.count)]) == s
        }
    }

    struct Parsed {
        var left: ScenarioExpectation.Operand, op: ScenarioExpectation.Operator, right: ScenarioExpectation.Operand
        var leftOffset: Int, rightOffset: Int
    }

    static func parse(_ text: String) throws(ParseError) -> Parsed {
        var lexer = Lexer(text)
        var lookahead = try lexer.next()
        func advance() throws(ParseError) -> (Token, Int) {
            let current = lookahead
            lookahead = try lexer.next()
            return current
        }
        func expect(_ symbol: String, after what: String) throws(ParseError) {
            let (token, offset) = try advance()
            guard token == .symbol(symbol) else { throw ParseError(offset: offset, message: "expected \"\(symbol)\" after \(what)") }
        }
        func operand() throws(ParseError) -> (ScenarioExpectation.Operand, Int) {
            let (token, offset) = try advance()
            switch token {
            case .number(let v): return (.number(v), offset)
            case .string(let s): return (.string(s), offset)
            case .identifier("placement"):
                try expect("(", after: "placement")
                let (name, nameOffset) = try advance()
                guard case .string(let task) = name else {
                    throw ParseError(offset: nameOffset, message: "expected a task name in quotes, e.g. placement(\"web-0\")")
                }
                try expect(")", after: "the task name")
                try expect(".", after: "placement(\"\(task)\")")
                let (attr, attrOffset) = try advance()
                let names = ScenarioExpectation.PlacementAttribute.allCases.map(\.rawValue)
                guard case .identifier(let a) = attr, let attribute = ScenarioExpectation.PlacementAttribute(rawValue: a) else {
                    throw ParseError(offset: attrOffset, message: "expected a placement attribute: \(names.joined(separator: ", "))")
                }
                return (.placement(task: task, attribute), offset)
            case .identifier(let name):
                guard lookahead.0 == .symbol("[") else { return (.metric(name, workload: nil), offset) }
                _ = try advance()
                let (w, wOffset) = try advance()
                guard case .string(let workload) = w else {
                    throw ParseError(offset: wOffset, message: "expected a workload name in quotes, e.g. \(name)[\"web\"]")
                }
                try expect("]", after: "the workload name")
                return (.metric(name, workload: workload), offset)
            case .end: throw ParseError(offset: offset, message: "expected a metric, number, string or placement(...) here")
            case .symbol(let s): throw ParseError(offset: offset, message: "unexpected \"\(s)\": expected a metric, number, string or placement(...)")
            }
        }
        let (left, leftOffset) = try operand()
        let (opToken, opOffset) = try advance()
        guard case .symbol(let symbol) = opToken, let op = ScenarioExpectation.Operator(rawValue: symbol) else {
            throw ParseError(offset: opOffset, message: "expected a comparison: == != < <= > >=")
        }
        let (right, rightOffset) = try operand()
        let (rest, restOffset) = try advance()
        guard rest == .end else { throw ParseError(offset: restOffset, message: "unexpected text after the comparison") }
        switch (left.isNumeric, right.isNumeric) {
        case (true, true): break
        case (false, false):
            if case .string = left, case .string = right {
                throw ParseError(offset: leftOffset, message: "compares two strings: one side must be a placement(...)")
            }
            guard op == .equal || op == .notEqual else {
                throw ParseError(offset: opOffset, message: "placements and strings compare only with == or !=")
            }
        default:
            throw ParseError(offset: opOffset, message: "compares a number with a placement or string")
        }
        return Parsed(left: left, op: op, right: right, leftOffset: leftOffset, rightOffset: rightOffset)
    }
}
