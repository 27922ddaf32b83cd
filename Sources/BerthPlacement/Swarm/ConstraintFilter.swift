import BerthCluster

/// Every placement constraint must hold on the node (upstream
/// `constraint.NodeMatches`): `==` / `!=` compare the node's attribute with
/// the value case-insensitively (a missing label is ""); an unknown key never
/// matches. Berth's common `node_selector` entries join as `node.labels.K==V`.
/// `node.ip` is not modelled (Berth nodes have no address): it never matches.
/// Upstream: swarmkit `manager/scheduler/filter.go` `ConstraintFilter`,
/// `manager/constraint/constraint.go`.
public struct ConstraintFilter: SwarmFilter {
    public init() {}
    public var name: String { "ConstraintFilter" }

    public func isEnabled(for task: TaskSpec) -> Bool {
        !(task.placement?.swarm?.constraints.isEmpty ?? true) || !task.nodeSelector.isEmpty
    }

    public func check(_ task: TaskSpec, node: Int, state: SwarmNodeState, in view: ClusterView) -> Bool {
        let spec = view.node(node)
        for c in task.placement?.swarm?.constraints ?? [] where !Self.matches(c, spec) { return false }
        for (key, value) in task.nodeSelector where spec.labels[key] != value { return false }
        return true
    }

    public func explain(nodes: Int) -> String { "scheduling constraints not satisfied on \(swarmNodes(nodes))" }

    /// upstream `NodeMatches` for one constraint.
    public static func matches(_ c: SwarmConstraint, _ node: NodeSpec) -> Bool {
        let key = c.key.lowercased()
        let actual: String
        switch key {
        case "node.id": actual = node.name
        case "node.hostname": actual = SwarmNodeAttributes.hostname(node)
        case "node.role": actual = SwarmNodeAttributes.role(node)
        case "node.platform.os": actual = SwarmNodeAttributes.os(node)
        case "node.platform.arch": actual = SwarmNodeAttributes.architecture(node)
        default:
            guard let label = SwarmNodeAttributes.labelName(c.key) else { return false }
            actual = node.labels[label] ?? ""
        }
        return match(c, actual)
    }

    /// upstream `Constraint.Match`: case-insensitive full-string equality, negated by `!=`.
    public static func match(_ c: SwarmConstraint, _ actual: String) -> Bool {
        let equal = actual.lowercased() == c.value.lowercased()  // upstream strings.EqualFold
        return c.op == .equal ? equal : !equal
    }
}

/// upstream `constraint.Parse`: `key==value` or `key!=value` (operators tried
/// in that order, split at the first occurrence, both sides trimmed); the key
/// must match `^[a-z_][a-z0-9\-_.]+$` and the value
/// `^[a-z0-9:\-_\s.*()?+\[\]\\^$|/]+$`, case-insensitively.
public enum SwarmConstraintParser {
    public static func parse(_ text: String) -> Result<SwarmConstraint, ParseError> {
        for (token, op) in [("==", SwarmConstraint.Operator.equal), ("!=", .notEqual)] {
            guard let range = text.range(of: token) else { continue }
            let key = text[..<range.lowerBound].trimmingWhitespace()
            let value = text[range.upperBound...].trimmingWhitespace()
            guard isValidKey(key) else { return .failure(ParseError(message: "key '\(key)' is invalid")) }
            guard isValidValue(value) else { return .failure(ParseError(message: "value '\(value)' is invalid")) }
            return .success(SwarmConstraint(key: key, op: op, value: value))
        }
        return .failure(ParseError(message: "constraint expected one operator from ==, !="))
    }

    public struct ParseError: Error, Equatable {
        public var message: String
        public init(message: String) { self.message = message }
    }

    static func isValidKey(_ key: String) -> Bool {
        guard key.count >= 2, let first = key.unicodeScalars.first else { return false }
        let letters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_".unicodeScalars)
        let rest = letters.union("0123456789-.".unicodeScalars)
        return letters.contains(first) && key.unicodeScalars.dropFirst().allSatisfy { rest.contains($0) }
    }

    static func isValidValue(_ value: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_ \t\n\r.*()?+[]\\^$|/".unicodeScalars)
        return !value.isEmpty && value.unicodeScalars.allSatisfy { allowed.contains($0) }
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
