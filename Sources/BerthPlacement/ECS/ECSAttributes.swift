import BerthCluster

/// How a Berth node answers Amazon ECS container-instance attributes and
/// fields. A node label of the same name always wins, so any attribute
/// (built-in or custom) can be set per pool with `labels`.
///
/// | ECS | Berth |
/// |---|---|
/// | `ec2InstanceId`, `instanceId`, `host` | the node name |
/// | `attribute:ecs.availability-zone` | the node's zone (label `topology.kubernetes.io/zone`, set from the pool's `zones`) |
/// | `attribute:ecs.instance-type` | label `node.kubernetes.io/instance-type`, else the pool name |
/// | `attribute:ecs.os-type` | `linux` |
/// | `attribute:ecs.cpu-architecture` | `x86_64` |
/// | `attribute:NAME` (custom) | label `NAME`; absent when the node has no such label |
/// | `runningTasksCount` | tasks running on the node |
public enum ECSAttributes {
    public static let attributePrefix = "attribute:"

    /// The value of `subject` on `node`, or nil when the node has no such attribute.
    public static func value(_ subject: String, node: Int, in view: ClusterView) -> String? {
        ECSAttribute(subject).value(node: node, in: view)
    }
}

/// A subject or spread field resolved once (so per-node lookups do no string slicing).
public enum ECSAttribute: Sendable, Hashable {
    case instanceId
    case runningTasksCount
    /// `attribute:NAME`: the label NAME, else the built-in value.
    case attribute(String)
    case unknown

    public init(_ subject: String) {
        switch subject {
        case "ec2InstanceId", "instanceId", "host": self = .instanceId
        case "runningTasksCount": self = .runningTasksCount
        default:
            if subject.hasPrefix(ECSAttributes.attributePrefix) {
                self = .attribute(String(subject.dropFirst(ECSAttributes.attributePrefix.count)))
            } else {
                self = .unknown
            }
        }
    }

    /// Per node, an id for the attribute's value (equal ids ⇔ equal values; -1:
    /// absent), built from the cluster's cached label domains: O(nodes) integer
    /// work and O(distinct values) hashing, for spreading without string keys.
    public func valueIDs(in view: ClusterView) -> (ids: [Int32], count: Int) {
        switch self {
        case .instanceId: return (Array(0..<Int32(view.nodeCount)), view.nodeCount)
        case .unknown: return (Array(repeating: -1, count: view.nodeCount), 0)
        case .runningTasksCount, .attribute:
            var names: [String: Int32] = [:]
            func id(_ name: String) -> Int32 {
                if let i = names[name] { return i }
                let i = Int32(names.count)
                names[name] = i
                return i
            }
            guard case .attribute(let name) = self else {
                return ((0..<view.nodeCount).map { id(String(view.runningCount($0))) }, names.count)
            }
            let own = view.topologyDomains(name)
            let ownIDs = own.names.map(id)
            let fallback: (domains: TopologyDomains, ids: [Int32])? = switch name {
            case "ecs.availability-zone": (view.topologyDomains(NodeLabel.zone), view.topologyDomains(NodeLabel.zone).names.map(id))
            case "ecs.instance-type":
                (view.topologyDomains("node.kubernetes.io/instance-type"), view.topologyDomains("node.kubernetes.io/instance-type").names.map(id))
            default: nil
            }
            let ids = (0..<view.nodeCount).map { node -> Int32 in
                if own.domain[node] >= 0 { return ownIDs[Int(own.domain[node])] }
                if let fallback, fallback.domains.domain[node] >= 0 { return fallback.ids[Int(fallback.domains.domain[node])] }
                return value(node: node, in: view).map(id) ?? -1
            }
            return (ids, names.count)
        }
    }

    public func value(node: Int, in view: ClusterView) -> String? {
        switch self {
        case .instanceId: return view.nodeName(node)
        case .runningTasksCount: return String(view.runningCount(node))
        case .unknown: return nil
        case .attribute(let name):
            if let label = view.labels(node)[name] { return label }
            switch name {
            case "ecs.availability-zone": return view.labels(node)[NodeLabel.zone]
            case "ecs.instance-type": return view.labels(node)["node.kubernetes.io/instance-type"] ?? view.node(node).pool
            case "ecs.os-type": return "linux"
            case "ecs.cpu-architecture": return "x86_64"
            default: return nil
            }
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
    private var attributes: [String: ECSAttribute] = [:]

    public init() {}

    public mutating func matches(_ q: ECSQuery, node: Int, in view: ClusterView) -> Bool {
        switch q {
        case .and(let a, let b): return matches(a, node: node, in: view) && matches(b, node: node, in: view)
        case .or(let a, let b): return matches(a, node: node, in: view) || matches(b, node: node, in: view)
        case .not(let a): return !matches(a, node: node, in: view)
        case .compare(let subject, let op, let args):
            let attribute = attributes[subject] ?? ECSAttribute(subject)
            attributes[subject] = attribute
            let value = attribute.value(node: node, in: view)
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
