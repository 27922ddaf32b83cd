import BerthCluster

/// Parses Amazon ECS cluster query language expressions (the `memberOf`
/// placement constraint), as the "Cluster query language" page of the ECS
/// Developer Guide describes them:
///
///     expression := or
///     or         := and (("||" | "or") and)*
///     and        := unary (("&&" | "and") unary)*
///     unary      := ("!" | "not") unary | "(" expression ")" | subject operator [argument]
///     argument   := literal | "[" literal ("," literal)* "]"
///
/// Operators (symbol or word): `==` equals, `!=` not_equals, `>` greater_than,
/// `>=` greater_than_equal, `<` less_than, `<=` less_than_equal, `exists`,
/// `!exists` not_exists, `in`, `!in` not_in, `=~` matches, `!~` not_matches.
/// Literals may be quoted with `'` or `"`. A `matches` argument is a regular
/// expression read up to the next space. `and` binds tighter than `or`
/// (the guide only says parentheses set precedence: Berth's reading).
/// Subjects: `attribute:NAME`, `ec2InstanceId` (and `instanceId`),
/// `runningTasksCount`; `agentConnected`, `agentVersion`, `registeredAt` and
/// `task:group` are not modelled and rejected with a clear error.
public struct ClusterQueryParser {
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        /// 0-based offset into the expression.
        public var offset: Int
        public var message: String
        public var description: String { "\(message) (at character \(offset + 1))" }
    }

    public static let subjects = ["ec2InstanceId", "instanceId", "runningTasksCount"]
    public static let unmodelledSubjects = ["agentConnected", "agentVersion", "registeredAt", "task:group"]
    static let words: [String: ECSQuery.Op] = [
        "equals": .equal, "not_equals": .notEqual, "greater_than": .greater, "greater_than_equal": .greaterOrEqual,
        "less_than": .less, "less_than_equal": .lessOrEqual, "exists": .exists, "not_exists": .notExists,
        "in": .in, "not_in": .notIn, "matches": .matches, "not_matches": .notMatches,
    ]

    private let chars: [Character]
    private var pos = 0

    public static func parse(_ text: String) -> Result<ECSQuery, ParseError> {
        var p = ClusterQueryParser(chars: Array(text))
        do {
            let q = try p.orExpression()
            p.skipSpace()
            if p.pos < p.chars.count { throw p.fail("unexpected \"\(p.rest)\" after a complete expression") }
            return .success(q)
        } catch let e as ParseError {
            return .failure(e)
        } catch {
            return .failure(ParseError(offset: 0, message: "\(error)"))
        }
    }

    private init(chars: [Character]) { self.chars = chars }

    private var rest: String { String(chars[pos...].prefix(20)) }

    private func fail(_ message: String, at offset: Int? = nil) -> ParseError {
        ParseError(offset: offset ?? min(pos, max(0, chars.count)), message: message)
    }

    private mutating func skipSpace() { while pos < chars.count, chars[pos].isWhitespace { pos += 1 } }

    /// Consumes `symbol`, or the word `word` (case-insensitive, followed by a non-word character).
    private mutating func accept(_ symbol: String, word: String? = nil) -> Bool {
        skipSpace()
        let s = Array(symbol)
        if !s.isEmpty, pos + s.count <= chars.count, Array(chars[pos..<pos + s.count]) == s {
            pos += s.count
            return true
        }
        return word.map { acceptWord($0) } ?? false
    }

    private mutating func acceptWord(_ word: String) -> Bool {
        skipSpace()
        let w = Array(word)
        guard pos + w.count <= chars.count,
              Array(chars[pos..<pos + w.count]).map({ Character($0.lowercased()) }) == w,
              pos + w.count == chars.count || !Self.isWordChar(chars[pos + w.count]) else { return false }
        pos += w.count
        return true
    }

    static func isWordChar(_ c: Character) -> Bool {
        !(c.isWhitespace || "()[],'\"!=<>&|~".contains(c))
    }

    private mutating func orExpression() throws -> ECSQuery {
        var left = try andExpression()
        while accept("||", word: "or") { left = .or(left, try andExpression()) }
        return left
    }

    private mutating func andExpression() throws -> ECSQuery {
        var left = try unary()
        while accept("&&", word: "and") { left = .and(left, try unary()) }
        return left
    }

    private mutating func unary() throws -> ECSQuery {
        skipSpace()
        if pos < chars.count, chars[pos] == "!", pos + 1 >= chars.count || !"=~".contains(chars[pos + 1]) {
            pos += 1
            return .not(try unary())
        }
        if acceptWord("not") { return .not(try unary()) }
        if accept("(") {
            let inner = try orExpression()
            guard accept(")") else { throw fail("expected \")\" to close the parenthesis") }
            return inner
        }
        return try comparison()
    }

    private mutating func comparison() throws -> ECSQuery {
        skipSpace()
        let start = pos
        let subject = word()
        if subject.isEmpty {
            throw fail(pos >= chars.count ? "expected an expression, got the end of the text" : "expected a subject such as attribute:ecs.instance-type, got \"\(rest)\"")
        }
        if Self.unmodelledSubjects.contains(subject) {
            throw fail("subject \"\(subject)\" is not modelled by Berth", at: start)
        }
        guard subject.hasPrefix("attribute:") && subject.count > "attribute:".count || Self.subjects.contains(subject) else {
            throw fail("unknown subject \"\(subject)\": expected attribute:NAME, ec2InstanceId or runningTasksCount", at: start)
        }
        skipSpace()
        let op = try operatorToken()
        switch op {
        case .exists, .notExists:
            return .compare(subject: subject, op: op, arguments: [])
        case .in, .notIn:
            guard accept("[") else { throw fail("\(op.rawValue) expects a list like [a, b]") }
            var items: [String] = []
            repeat {
                let item = try literal(regex: false)
                items.append(item)
            } while accept(",")
            guard accept("]") else { throw fail("expected \",\" or \"]\" in the list") }
            return .compare(subject: subject, op: op, arguments: items)
        case .matches, .notMatches:
            return .compare(subject: subject, op: op, arguments: [try literal(regex: true)])
        default:
            return .compare(subject: subject, op: op, arguments: [try literal(regex: false)])
        }
    }

    private mutating func word() -> String {
        var s = ""
        while pos < chars.count, Self.isWordChar(chars[pos]) {
            s.append(chars[pos])
            pos += 1
        }
        return s
    }

    private mutating func operatorToken() throws -> ECSQuery.Op {
        for (symbol, op) in [("==", ECSQuery.Op.equal), ("!=", .notEqual), (">=", .greaterOrEqual), ("<=", .lessOrEqual),
                             (">", .greater), ("<", .less), ("=~", .matches), ("!~", .notMatches)] where accept(symbol) {
            return op
        }
        let start = pos
        if pos < chars.count, chars[pos] == "!" {
            pos += 1
            let w = word().lowercased()
            if w == "exists" { return .notExists }
            if w == "in" { return .notIn }
            pos = start
        }
        let w = word()
        if let op = Self.words[w.lowercased()] { return op }
        pos = start
        throw fail(w.isEmpty ? "expected an operator (==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~)"
                             : "unknown operator \"\(w)\"", at: start)
    }

    private mutating func literal(regex: Bool) throws -> String {
        skipSpace()
        guard pos < chars.count else { throw fail("expected a value, got the end of the text") }
        if chars[pos] == "'" || chars[pos] == "\"" {
            let quote = chars[pos]
            let start = pos
            pos += 1
            var s = ""
            while pos < chars.count, chars[pos] != quote { s.append(chars[pos]); pos += 1 }
            guard pos < chars.count else { throw fail("unterminated quoted value", at: start) }
            pos += 1
            return s
        }
        if regex {
            // Up to the next space; give back ")" that close an enclosing parenthesis.
            var s = ""
            while pos < chars.count, !chars[pos].isWhitespace { s.append(chars[pos]); pos += 1 }
            while s.hasSuffix(")"), s.filter({ $0 == ")" }).count > s.filter({ $0 == "(" }).count {
                s.removeLast()
                pos -= 1
            }
            if s.isEmpty { throw fail("expected a regular expression") }
            return s
        }
        let w = word()
        if w.isEmpty { throw fail("expected a value, got \"\(rest)\"") }
        return w
    }
}
