import BerthCluster
import BerthSimulation
import Yams

/// A YAML node with its field path: the decoding cursor. Every accessor either
/// returns a value or records a located diagnostic and returns nil, so one
/// pass reports every problem in the file.
struct Field {
    let node: Node
    let path: String
    let bag: DiagnosticBag

    var line: Int { node.mark?.line ?? 1 }
    var column: Int { node.mark?.column ?? 1 }

    func error(_ message: String, hint: String? = nil) {
        bag.add(line: line, column: column, path: path, message, hint: hint)
    }

    func child(_ key: String, _ node: Node) -> Field {
        let isPlain = key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        let segment = isPlain ? key : "[\"\(key)\"]"
        let joined = path.isEmpty ? segment : (isPlain ? "\(path).\(segment)" : path + segment)
        return Field(node: node, path: joined, bag: bag)
    }

    /// The value under `key` if this is a mapping that has it (records nothing):
    /// for pointing a later check at the exact entry it is about.
    func lookup(_ key: String) -> Field? {
        guard case .mapping(let map) = node else { return nil }
        for (k, v) in map { if case .scalar(let s) = k, s.string == key { return child(key, v) } }
        return nil
    }

    /// The key node of `key` in this mapping, with the entry's path: for problems
    /// with the key itself (an unknown name), which the key's position shows best.
    func keyField(_ key: String) -> Field? {
        guard case .mapping(let map) = node else { return nil }
        for (k, v) in map { if case .scalar(let s) = k, s.string == key { return Field(node: k, path: child(key, v).path, bag: bag) } }
        return nil
    }

    /// A hint for a quoted scalar that would have been read without its quotes (`count: "2"`).
    private func quotedHint(_ ok: (String) -> Bool) -> String? {
        guard let s = scalar, s.style != .plain, ok(s.string) else { return nil }
        return "a quoted value is a string: write \(s.string) without quotes"
    }

    func element(_ i: Int, _ node: Node) -> Field { Field(node: node, path: "\(path)[\(i)]", bag: bag) }

    /// A short description of what the node is, for "got …" messages.
    var got: String {
        switch node {
        case .scalar(let s):
            if s.tag.description == Tag.Name.null.rawValue || (s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)) {
                return "nothing (null)"
            }
            return "\"\(s.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    var scalar: Node.Scalar? { if case .scalar(let s) = node { return s } else { return nil } }
    var isNull: Bool { got == "nothing (null)" }

    // MARK: Structures

    /// The mapping's entries by key. Unknown keys are reported with a suggestion.
    func mapping(allowed: [String], what: String = "a mapping") -> [String: Field]? {
        guard case .mapping(let map) = node else {
            error("expected \(what), got \(got)")
            return nil
        }
        var fields: [String: Field] = [:]
        for (keyNode, value) in map {
            guard case .scalar(let k) = keyNode else {
                Field(node: keyNode, path: path, bag: bag).error("expected a plain key, got \(Field(node: keyNode, path: path, bag: bag).got)")
                continue
            }
            let key = k.string
            let field = child(key, value)
            if fields[key] != nil {
                Field(node: keyNode, path: field.path, bag: bag).error("duplicate key \"\(key)\"")
                continue
            }
            if !allowed.contains(key) {
                let hint = suggestion(for: key, among: allowed).map { "did you mean \"\($0)\"?" }
                    ?? "allowed keys: \(allowed.joined(separator: ", "))"
                Field(node: keyNode, path: field.path, bag: bag).error("unknown key \"\(key)\"", hint: hint)
                continue
            }
            fields[key] = field
        }
        return fields
    }

    /// A mapping with free-form string keys (labels, requests).
    func entries() -> [(String, Field)]? {
        guard case .mapping(let map) = node else {
            if isNull { return [] }
            error("expected a mapping, got \(got)")
            return nil
        }
        var seen = Set<String>()
        var result: [(String, Field)] = []
        for (keyNode, value) in map {
            guard case .scalar(let k) = keyNode else {
                Field(node: keyNode, path: path, bag: bag).error("expected a plain key")
                continue
            }
            if !seen.insert(k.string).inserted {
                Field(node: keyNode, path: child(k.string, value).path, bag: bag).error("duplicate key \"\(k.string)\"")
                continue
            }
            result.append((k.string, child(k.string, value)))
        }
        return result
    }

    func sequence() -> [Field]? {
        guard case .sequence(let seq) = node else {
            if isNull { return [] }
            error("expected a list, got \(got)")
            return nil
        }
        return seq.enumerated().map { element($0.offset, $0.element) }
    }

    // MARK: Scalars

    func string() -> String? {
        guard let s = scalar, !isNull else {
            error("expected a string, got \(got)")
            return nil
        }
        return s.string
    }

    func nonEmptyString() -> String? {
        guard let s = string() else { return nil }
        if s.isEmpty { error("must not be empty") ; return nil }
        return s
    }

    func int(min: Int = Int.min, max: Int = Int.max) -> Int? {
        guard let s = scalar, s.style == .plain, let value = Int(s.string.replacingOccurrences(of: "_", with: "")) else {
            error("expected a whole number, got \(got)", hint: quotedHint { Int($0) != nil })
            return nil
        }
        if value < min { error("must be at least \(min), got \(value)"); return nil }
        if value > max { error("must be at most \(max), got \(value)"); return nil }
        return value
    }

    func double() -> Double? {
        guard let s = scalar, s.style == .plain, let value = Double(s.string), value.isFinite else {
            error("expected a number, got \(got)", hint: quotedHint { Double($0) != nil })
            return nil
        }
        return value
    }

    func bool() -> Bool? {
        guard let s = scalar, s.style == .plain else { error("expected true or false, got \(got)"); return nil }
        switch s.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: error("expected true or false, got \(got)"); return nil
        }
    }

    /// A duration such as "90s", "5m" or "1h30m", in microseconds.
    func duration() -> Int64? {
        guard let s = scalar, !isNull else {
            error("expected a duration like \"90s\", \"5m\" or \"1h30m\", got \(got)")
            return nil
        }
        switch DurationParser.parseMicros(s.string) {
        case .success(let micros): return micros
        case .failure(let e): error("expected \(e.expected), got \(got): \(e.detail)"); return nil
        }
    }

    /// A Kubernetes quantity ("500m", "2", "512Mi").
    func quantity(_ unit: QuantityUnit) -> Int64? {
        guard let s = scalar, !isNull else {
            error("expected a Kubernetes quantity like \"500m\", \"2\" or \"512Mi\", got \(got)")
            return nil
        }
        // Upstream a quantity may be negative ("-1" parses), but requests,
        // capacities and allocatables must not be (core/v1 validation).
        let negative = s.string.hasPrefix("-")
        switch Quantity.parse(s.string, unit: unit) {
        case .success(let value) where value < 0:
            error("must not be negative, got \(got)"); return nil
        case .success(let value): return value
        case .failure(let e):
            if negative, case .success = Quantity.parse(String(s.string.dropFirst()), unit: unit) {
                error("must not be negative, got \(got)"); return nil
            }
            error("expected \(e.expected), got \(got): \(e.detail)"); return nil
        }
    }

    /// A number of seconds written as a duration ("10m") or a plain number (seconds).
    func seconds() -> Double? {
        if let s = scalar, s.style == .plain, let value = Double(s.string), value.isFinite { return value }
        return duration().map { Double($0) / 1_000_000 }
    }

    /// One of a closed set of words.
    func oneOf<T>(_ choices: [(String, T)], what: String) -> T? {
        guard let text = string() else { return nil }
        if let match = choices.first(where: { $0.0 == text }) { return match.1 }
        let names = choices.map(\.0)
        let hint = suggestion(for: text, among: names).map { "did you mean \"\($0)\"?" } ?? "one of: \(names.joined(separator: ", "))"
        error("unknown \(what) \"\(text)\"", hint: hint)
        return nil
    }

    /// A mapping of string keys to string values (labels, node selectors).
    func stringMap() -> [String: String]? {
        guard let entries = entries() else { return nil }
        var map: [String: String] = [:]
        var ok = true
        for (key, field) in entries {
            if key.isEmpty { field.error("label keys must not be empty"); ok = false; continue }
            guard let value = field.scalar else {
                field.error("expected a string value, got \(field.got)")
                ok = false
                continue
            }
            map[key] = field.isNull ? "" : value.string
        }
        return ok ? map : nil
    }
}

extension Dictionary where Key == String, Value == Field {
    /// Reports a missing required key at the mapping `owner`.
    func required(_ key: String, in owner: Field, what: String? = nil) -> Field? {
        if let field = self[key] { return field }
        owner.error("missing required key \"\(key)\"" + (what.map { " (\($0))" } ?? ""))
        return nil
    }
}
