/// Nomad job vocabulary attached to a task (`TaskSpec.nomad`), shared by every
/// task of a workload. Berth runs one task group per job: a workload is a Nomad
/// job (a batch workload's every job is one Nomad job) with a single task group
/// whose allocations are the workload's tasks.
///
/// Upstream: hashicorp/nomad `nomad/structs/structs.go` (`Job`, `TaskGroup`,
/// `Constraint`, `Affinity`, `Spread`, `SpreadTarget`).
public final class NomadDetails: Sendable {
    public enum JobType: String, Sendable, CaseIterable { case service, batch, system, sysbatch }

    public let type: JobType
    /// The task group's `count` when the scenario gives it; nil: the number of tasks of the job.
    public let count: Int?
    /// Glob patterns (`*` only, as upstream `go-glob`) a node's datacenter must match; `["*"]` by default.
    public let datacenters: [String]
    /// The job's `node_pool`; nil or `all` accepts every pool.
    public let nodePool: String?
    public let constraints: [NomadConstraint]
    public let affinities: [NomadAffinity]
    public let spreads: [NomadSpread]
    /// `memory_max` in bytes (memory oversubscription), when given.
    public let memoryMaxBytes: Int64?

    public init(type: JobType, count: Int? = nil, datacenters: [String] = ["*"], nodePool: String? = nil,
                constraints: [NomadConstraint] = [], affinities: [NomadAffinity] = [], spreads: [NomadSpread] = [],
                memoryMaxBytes: Int64? = nil) {
        self.type = type
        self.count = count
        self.datacenters = datacenters
        self.nodePool = nodePool
        self.constraints = constraints
        self.affinities = affinities
        self.spreads = spreads
        self.memoryMaxBytes = memoryMaxBytes
    }

    /// Whether the node passes every plain constraint (not `distinct_*`, which
    /// depend on other allocations), the datacenters and the node pool — what
    /// the system scheduler checks before placing on a node.
    public func acceptsStatically(_ node: NodeSpec) -> Bool {
        guard NomadTarget.datacenterMatches(node, datacenters), NomadTarget.poolMatches(node, nodePool) else { return false }
        let regexes = NomadRegexCache()
        return constraints.allSatisfy { $0.op.isDistinct || $0.isSatisfied(by: node, regexes: regexes) }
    }
}

/// Constraint and affinity operators (upstream `structs.Constraint*` and `checkConstraint`).
public enum NomadOperator: String, Sendable, CaseIterable {
    case equal = "=", doubleEqual = "==", `is` = "is", notEqual = "!=", not = "not"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case regexp, version, semver
    case setContains = "set_contains", setContainsAll = "set_contains_all", setContainsAny = "set_contains_any"
    case isSet = "is_set", isNotSet = "is_not_set"
    case distinctHosts = "distinct_hosts", distinctProperty = "distinct_property"

    public var isDistinct: Bool { self == .distinctHosts || self == .distinctProperty }

    /// Re-implements upstream `checkConstraint` (scheduler/feasible/feasible.go):
    /// a missing target resolves to `("", false)`.
    public func check(_ l: String, _ r: String, lFound: Bool, rFound: Bool, regexes: NomadRegexCache) -> Bool {
        switch self {
        case .distinctHosts, .distinctProperty: return true
        case .equal, .doubleEqual, .is: return lFound && rFound && l == r
        // reflect.DeepEqual on the resolved values: a missing target is "".
        case .notEqual, .not: return l != r
        case .less, .lessEqual, .greater, .greaterEqual: return lFound && rFound && NomadOrder.check(self, l, r)
        case .isSet: return lFound
        case .isNotSet: return !lFound
        case .version, .semver: return lFound && rFound && NomadVersion.matches(l, constraint: r, semver: self == .semver)
        case .regexp: return lFound && rFound && regexes.matches(l, pattern: r)
        case .setContains, .setContainsAll: return lFound && rFound && NomadSet.containsAll(l, r)
        case .setContainsAny: return lFound && rFound && NomadSet.containsAny(l, r)
        }
    }
}

/// `constraint { attribute, operator, value }`.
public struct NomadConstraint: Sendable, Hashable {
    public var lTarget: String
    public var rTarget: String
    public var op: NomadOperator
    public init(_ lTarget: String, _ op: NomadOperator, _ rTarget: String = "") {
        self.lTarget = lTarget
        self.rTarget = rTarget
        self.op = op
    }

    /// Upstream `ConstraintChecker.meetsConstraint`.
    public func isSatisfied(by node: NodeSpec, regexes: NomadRegexCache) -> Bool {
        let (l, lOk) = NomadTarget.resolve(lTarget, node)
        let (r, rOk) = NomadTarget.resolve(rTarget, node)
        return op.check(l, r, lFound: lOk, rFound: rOk, regexes: regexes)
    }

    /// Upstream `Constraint.String()`: the reason a node is filtered.
    public var description: String { "\(lTarget) \(op.rawValue) \(rTarget)" }
}

/// `affinity { attribute, operator, value, weight }` (weight −100…100, not 0).
public struct NomadAffinity: Sendable, Hashable {
    public var constraint: NomadConstraint
    public var weight: Int8
    public init(_ lTarget: String, _ op: NomadOperator, _ rTarget: String, weight: Int8) {
        constraint = NomadConstraint(lTarget, op, rTarget)
        self.weight = weight
    }
}

/// `spread { attribute, weight, target "v" { percent } }`.
public struct NomadSpread: Sendable, Hashable {
    public struct Target: Sendable, Hashable {
        public var value: String
        public var percent: UInt8
        public init(_ value: String, percent: UInt8) {
            self.value = value
            self.percent = percent
        }
    }
    public var attribute: String
    public var weight: Int8
    public var targets: [Target]
    public init(attribute: String, weight: Int8 = 50, targets: [Target] = []) {
        self.attribute = attribute
        self.weight = weight
        self.targets = targets
    }
}

/// Node attribute interpolation (upstream `resolveTarget`), mapped onto Berth's
/// `NodeSpec` (docs/nomad.md, "Node attributes"):
/// `${node.unique.name}`/`${node.unique.id}`/`${attr.unique.hostname}` → name,
/// `${node.datacenter}` → zone (`dc1` when the node has no zone),
/// `${node.pool}` → pool, `${node.class}` → label `node.class` (empty if absent),
/// `${attr.K}` and `${meta.K}` → label `K`.
public enum NomadTarget {
    public static let defaultDatacenter = "dc1"
    public static let classLabel = "node.class"

    public static func datacenter(_ node: NodeSpec) -> String { node.zone.isEmpty ? defaultDatacenter : node.zone }

    public static func resolve(_ target: String, _ node: NodeSpec) -> (String, Bool) {
        guard target.hasPrefix("${") else { return (target, true) }
        switch target {
        case "${node.unique.id}", "${node.unique.name}", "${attr.unique.hostname}": return (node.name, true)
        case "${node.datacenter}": return (datacenter(node), true)
        case "${node.class}": return (node.labels[classLabel] ?? "", true)
        case "${node.pool}": return (node.pool, true)
        default: break
        }
        for prefix in ["${attr.", "${meta."] where target.hasPrefix(prefix) {
            var key = target.dropFirst(prefix.count)
            if key.hasSuffix("}") { key = key.dropLast() }
            if let value = node.labels[String(key)] { return (value, true) }
            return ("", false)
        }
        return ("", false)
    }

    /// `datacenters` glob match (`*` matches any run of characters).
    public static func datacenterMatches(_ node: NodeSpec, _ patterns: [String]) -> Bool {
        let dc = datacenter(node)
        return patterns.contains { glob($0, dc) }
    }

    public static func poolMatches(_ node: NodeSpec, _ pool: String?) -> Bool {
        guard let pool, pool != "all" else { return true }
        return node.pool == pool
    }

    /// ryanuber/go-glob semantics: only `*` is special.
    public static func glob(_ pattern: String, _ subject: String) -> Bool {
        if pattern == "*" { return true }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1 { return pattern == subject }
        guard subject.hasPrefix(parts[0]) else { return false }
        var rest = Substring(subject.dropFirst(parts[0].count))
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(parts[parts.count - 1])
    }
}

/// `set_contains*` (upstream `checkSetContainsAll`/`Any`): comma-separated, trimmed.
enum NomadSet {
    static func items(_ s: String) -> [String] {
        s.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }
    static func containsAll(_ l: String, _ r: String) -> Bool {
        let have = Set(items(l))
        return items(r).allSatisfy(have.contains)
    }
    static func containsAny(_ l: String, _ r: String) -> Bool {
        let have = Set(items(l))
        return items(r).contains(where: have.contains)
    }
}

/// `<`, `<=`, `>`, `>=` (upstream `checkOrder`): as integers if both parse, else
/// as floats, else lexically.
enum NomadOrder {
    static func check(_ op: NomadOperator, _ l: String, _ r: String) -> Bool {
        if let a = Int64(l), let b = Int64(r) { return compare(op, a, b) }
        if let a = Double(l), let b = Double(r) { return compare(op, a, b) }
        return compare(op, l, r)
    }
    static func compare<T: Comparable>(_ op: NomadOperator, _ a: T, _ b: T) -> Bool {
        switch op {
        case .less: a < b
        case .lessEqual: a <= b
        case .greater: a > b
        case .greaterEqual: a >= b
        default: false
        }
    }
}

/// Compiled `regexp` patterns (upstream keeps a per-evaluation `RegexpCache`).
/// A pattern that does not compile never matches, as upstream.
public final class NomadRegexCache {
    private var compiled: [String: Regex<AnyRegexOutput>?] = [:]
    public init() {}
    public func matches(_ value: String, pattern: String) -> Bool {
        let regex: Regex<AnyRegexOutput>?
        if let cached = compiled[pattern] {
            regex = cached
        } else {
            regex = try? Regex(pattern)
            compiled[pattern] = regex
        }
        guard let regex else { return false }
        return (try? regex.firstMatch(in: value)) != nil
    }
}
