import BerthCluster

/// How a Berth node answers Amazon ECS container-instance attributes and
/// fields. A node label of the same name always wins, so any attribute
/// (built-in or custom) can be set per pool with `labels`.
///
/// | ECS | Berth |
/// |---|---|
/// | `ec2InstanceId`, `instanceId`, `host` | the node name |
/// | `attribute:ecs.availability-zone` | the node's zone |
/// | `attribute:ecs.instance-type` | label `node.kubernetes.io/instance-type`, else the pool name |
/// | `attribute:ecs.os-type` | `linux` |
/// | `attribute:ecs.cpu-architecture` | `x86_64` |
/// | `attribute:NAME` (custom) | label `NAME`; absent when the node has no such label |
/// | `runningTasksCount` | tasks running on the node |
public enum ECSAttributes {
    public static let attributePrefix = "attribute:"

    /// The value of `subject` on `node`, or nil when the node has no such attribute.
    public static func value(_ subject: String, node: Int, in view: ClusterView) -> String? {
        let spec = view.node(node)
        switch subject {
        case "ec2InstanceId", "instanceId", "host": return spec.name
        case "runningTasksCount": return String(view.runningCount(node))
        default: break
        }
        guard subject.hasPrefix(attributePrefix) else { return nil }
        let name = String(subject.dropFirst(attributePrefix.count))
        if let label = spec.labels[name] { return label }
        switch name {
        case "ecs.availability-zone": return spec.zone.isEmpty ? nil : spec.zone
        case "ecs.instance-type": return spec.labels["node.kubernetes.io/instance-type"] ?? spec.pool
        case "ecs.os-type": return "linux"
        case "ecs.cpu-architecture": return "x86_64"
        default: return nil
        }
    }
}

/// Evaluates a cluster query on one instance. `==`/`!=` compare strings
/// exactly; `>`, `>=`, `<`, `<=` compare numerically when both sides are
/// numbers, else as strings; `=~` must match the whole value (Java
/// `String.matches`). An instance without the attribute satisfies only the
/// negative operators (`!=`, `!exists`, `!in`, `!~`).
public struct ClusterQueryEvaluator {
    private var regexes: [String: Regex<AnyRegexOutput>] = [:]

    public init() {}

    public mutating func matches(_ q: ECSQuery, node: Int, in view: ClusterView) -> Bool {
        switch q {
        case .and(let a, let b): return matches(a, node: node, in: view) && matches(b, node: node, in: view)
        case .or(let a, let b): return matches(a, node: node, in: view) || matches(b, node: node, in: view)
        case .not(let a): return !matches(a, node: node, in: view)
        case .compare(let subject, let op, let args):
            let value = ECSAttributes.value(subject, node: node, in: view)
            switch op {
            case .exists: return value != nil
            case .notExists: return value == nil
            case .notEqual, .notIn, .notMatches:
                guard value != nil else { return true }
                return !compare(value, op == .notEqual ? .equal : op == .notIn ? .in : .matches, args)
            default: return compare(value, op, args)
            }
        }
    }

    private mutating func compare(_ value: String?, _ op: ECSQuery.Op, _ args: [String]) -> Bool {
        guard let value else { return false }
        switch op {
        case .equal: return value == args.first
        case .in: return args.contains(value)
        case .matches:
            guard let pattern = args.first, let regex = regex(pattern) else { return false }
            return (try? regex.wholeMatch(in: value)) != nil
        case .greater, .greaterOrEqual, .less, .lessOrEqual:
            guard let arg = args.first else { return false }
            let order: Int
            if let a = Double(value), let b = Double(arg) { order = a < b ? -1 : a > b ? 1 : 0 } else { order = value < arg ? -1 : value > arg ? 1 : 0 }
            switch op {
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            case .less: return order < 0
            default: return order <= 0
            }
        default: return false
        }
    }

    private mutating func regex(_ pattern: String) -> Regex<AnyRegexOutput>? {
        if let r = regexes[pattern] { return r }
        guard let r = try? Regex(pattern) else { return nil }
        regexes[pattern] = r
        return r
    }

    /// Whether `pattern` compiles (the scenario decoder rejects ones that do not).
    public static func isValidRegex(_ pattern: String) -> Bool { (try? Regex(pattern)) != nil }
}
