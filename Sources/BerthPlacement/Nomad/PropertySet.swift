import BerthCluster

/// How often each value of one node attribute is used by the job's running
/// allocations (upstream `propertySet`, scheduler/feasible/propertyset.go).
/// Values outside a spread's explicit targets are counted together under `*`
/// (`targetedPropertyValue`). Berth commits each placement before the next
/// one is chosen, so upstream's existing + proposed − cleared counts are simply
/// the job's running tasks; the set is updated as the evaluation places.
public struct PropertySet: Sendable {
    public static let implicitTarget = "*"

    public let attribute: String
    /// Spread targets; empty for distinct_property and target-less spreads.
    public let targetValues: Set<String>
    /// distinct_property: how many allocations may share a value (default 1).
    public let allowedCount: UInt64
    /// Set when the constraint's value is not a whole number (upstream `errorBuilding`).
    public let errorBuilding: String?
    public private(set) var counts: [String: UInt64] = [:]

    public init(attribute: String, targetValues: Set<String> = [], allowedCount: UInt64 = 0, errorBuilding: String? = nil) {
        self.attribute = attribute
        self.targetValues = targetValues
        self.allowedCount = allowedCount
        self.errorBuilding = errorBuilding
    }

    /// distinct_property's property set: `value` is the allowed count (empty: 1).
    public init(distinctProperty c: NomadConstraint) {
        if c.rTarget.isEmpty {
            self.init(attribute: c.lTarget, allowedCount: 1)
        } else if let n = UInt64(c.rTarget) {
            self.init(attribute: c.lTarget, allowedCount: n)
        } else {
            self.init(attribute: c.lTarget, errorBuilding: "failed to convert RTarget \"\(c.rTarget)\" to uint64")
        }
    }

    public func targeted(_ value: String) -> String {
        targetValues.isEmpty || targetValues.contains(value) ? value : Self.implicitTarget
    }

    /// The node's (raw) value of the attribute, if the node has it (upstream `getProperty`).
    public func value(of node: NodeSpec) -> String? {
        if attribute.isEmpty { return nil }
        let (v, ok) = NomadTarget.resolve(attribute, node)
        return ok ? v : nil
    }

    /// Counts `n` more allocations on `node`.
    public mutating func add(_ node: NodeSpec, _ n: UInt64 = 1) {
        guard let v = value(of: node) else { return }
        counts[targeted(v), default: 0] += n
    }

    /// Upstream `UsedCount`: the node's targeted value, an error message, and how
    /// many allocations use that value.
    public func usedCount(_ node: NodeSpec) -> (value: String, error: String?, count: UInt64) {
        if let errorBuilding { return ("", errorBuilding, 0) }
        guard let v = value(of: node) else { return ("", "missing property \"\(attribute)\"", 0) }
        let t = targeted(v)
        return (t, nil, counts[t] ?? 0)
    }

    /// Upstream `SatisfiesDistinctProperties`: nil, or why the node is filtered.
    public func distinctRejection(_ node: NodeSpec) -> String? {
        let (value, error, used) = usedCount(node)
        if let error { return error }
        if used < allowedCount { return nil }
        return "distinct_property: \(attribute)=\(value) used by \(used) allocs"
    }
}
