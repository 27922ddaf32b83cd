import BerthCluster

/// Test builders for pods with topology spread constraints (the upstream
/// `st.MakePod().Label(…).SpreadConstraint(…)` helpers).
extension TaskBuilder {
    /// Adds one pod label (upstream `.Label(key, value)`).
    public func withLabel(_ key: String, _ value: String = "") -> TaskBuilder {
        var copy = self
        copy.spec.labels[key] = value
        return copy
    }

    /// Appends a topology spread constraint (upstream `.SpreadConstraint(maxSkew,
    /// key, action, selector, minDomains, nodeAffinityPolicy, nodeTaintsPolicy, matchLabelKeys)`).
    public func spreadConstraint(_ maxSkew: Int32, _ topologyKey: String, _ action: UnsatisfiableConstraintAction,
                                 _ selector: LabelSelector?, minDomains: Int32? = nil,
                                 nodeAffinityPolicy: NodeInclusionPolicy? = nil, nodeTaintsPolicy: NodeInclusionPolicy? = nil,
                                 matchLabelKeys: [String] = []) -> TaskBuilder {
        let c = TopologySpreadConstraint(maxSkew: maxSkew, topologyKey: topologyKey, whenUnsatisfiable: action,
                                         labelSelector: selector, minDomains: minDomains,
                                         nodeAffinityPolicy: nodeAffinityPolicy, nodeTaintsPolicy: nodeTaintsPolicy,
                                         matchLabelKeys: matchLabelKeys)
        return rebuildingPod(spread: (spec.pod?.topologySpreadConstraints ?? []) + [c])
    }

    /// A required node-affinity term `key In values` (upstream `.NodeAffinityIn`).
    public func spreadNodeAffinityIn(_ key: String, _ values: [String]) -> TaskBuilder {
        rebuildingPod(affinity: NodeAffinitySpec(required: [NodeSelectorTerm(matchExpressions: [
            NodeSelectorRequirement(key: key, op: .in, values: values)])]))
    }

    /// A required node-affinity term `key NotIn values` (upstream `.NodeAffinityNotIn`).
    public func spreadNodeAffinityNotIn(_ key: String, _ values: [String]) -> TaskBuilder {
        rebuildingPod(affinity: NodeAffinitySpec(required: [NodeSelectorTerm(matchExpressions: [
            NodeSelectorRequirement(key: key, op: .notIn, values: values)])]))
    }

    /// PodDetails is immutable: copy every field, replacing the given ones.
    /// (Creates pod details with no containers when the task has none.)
    private func rebuildingPod(spread: [TopologySpreadConstraint]? = nil, affinity: NodeAffinitySpec? = nil) -> TaskBuilder {
        var copy = self
        let old = spec.pod
        copy.spec.pod = PodDetails(containers: old?.containers ?? [], initContainers: old?.initContainers ?? [],
                                   nodeName: old?.nodeName, nodeAffinity: affinity ?? old?.nodeAffinity,
                                   priorityClassName: old?.priorityClassName, hostPorts: old?.hostPorts ?? [],
                                   podAffinity: old?.podAffinity, topologySpreadConstraints: spread ?? old?.topologySpreadConstraints ?? [])
        return copy
    }
}

extension LabelSelector {
    /// `st.MakeLabelSelector().Exists(key)`.
    public static func exists(_ key: String) -> LabelSelector {
        LabelSelector(matchExpressions: [LabelSelectorRequirement(key: key, op: .exists)])
    }
}

/// An existing pod for spread tests: its labels and the name of its node.
public struct SpreadPod: Sendable {
    public var node: String
    public var labels: [String: String]
    public init(_ node: String, _ labels: [String: String]) {
        self.node = node
        self.labels = labels
    }
}

/// A cluster of `nodes` with `pods` bound to the nodes they name (in order).
public func makeSpreadCluster(_ nodes: [NodeBuilder], _ pods: [SpreadPod]) -> Cluster {
    let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.spec.name, $0) })
    let existing: [(TaskBuilder, Int)] = pods.enumerated().map { i, p in
        guard let n = index[p.node] else { preconditionFailure("spread test pod on unknown node \(p.node)") } // trap-ok: test fixture typo
        var b = TaskBuilder("existing-\(i)")
        for (k, v) in p.labels { b = b.withLabel(k, v) }
        return (b, n)
    }
    return makeCluster(nodes, existing: existing)
}
