import BerthCluster

/// What PreFilter computes once per pod (upstream `preFilterState`).
struct InterPodAffinityPreFilterState {
    /// Topology pair → number of existing pods' required anti-affinity terms
    /// that match the incoming pod (counted at the existing pod's node).
    var existingAntiAffinityCounts: [TopologyPair: Int64] = [:]
    /// Topology pair → per term, existing pods matching *all* of the incoming
    /// pod's required affinity terms.
    var affinityCounts: [TopologyPair: Int64] = [:]
    /// Topology pair → existing pods matching each of the incoming pod's
    /// required anti-affinity terms.
    var antiAffinityCounts: [TopologyPair: Int64] = [:]
    var requiredAffinity: [PodAffinityTerm] = []
    var requiredAntiAffinity: [PodAffinityTerm] = []
    var labels: [String: String] = [:]
}

extension Dictionary where Key == TopologyPair, Value == Int64 {
    /// Upstream `topologyToMatchedTermCount.update`: counts only when the node
    /// has the topology label.
    mutating func add(_ nodeLabels: [String: String], _ topologyKey: String, _ value: Int64) {
        guard let tv = nodeLabels[topologyKey] else { return }
        let pair = TopologyPair(key: topologyKey, value: tv)
        let n = self[pair, default: 0] + value
        self[pair] = n == 0 ? nil : n
    }
}

extension InterPodAffinityPreFilterState {
    /// Upstream `preFilterState.updateWithPod`: the counts an existing pod on a
    /// node with `nodeLabels` contributes, times `delta` (+1 added, −1 removed).
    mutating func update(with existing: ExistingPod, nodeLabels: [String: String], by delta: Int64) {
        // getExistingAntiAffinityCounts
        if let anti = existing.affinity?.requiredAntiAffinity {
            for term in anti where term.matches(labels) {
                existingAntiAffinityCounts.add(nodeLabels, term.topologyKey, delta)
            }
        }
        // getIncomingAffinityAntiAffinityCounts
        if !requiredAffinity.isEmpty && requiredAffinity.allMatch(existing.labels) {
            for term in requiredAffinity { affinityCounts.add(nodeLabels, term.topologyKey, delta) }
        }
        for term in requiredAntiAffinity where term.matches(existing.labels) {
            antiAffinityCounts.add(nodeLabels, term.topologyKey, delta)
        }
    }
}

extension InterPodAffinity: PreFilterExtensions {
    /// Upstream `AddPod`.
    public func addPod(_ state: CycleState, pod: PodInfo, adding existing: Int32, node: NodeInfo) -> Status {
        updateState(state, existing, node, by: 1)
    }

    /// Upstream `RemovePod`.
    public func removePod(_ state: CycleState, pod: PodInfo, removing existing: Int32, node: NodeInfo) -> Status {
        updateState(state, existing, node, by: -1)
    }

    private func updateState(_ state: CycleState, _ existing: Int32, _ node: NodeInfo, by delta: Int64) -> Status {
        guard var s = state.read(Self.preFilterStateKey, as: InterPodAffinityPreFilterState.self) else {
            return Status(.error, ["error reading \"\(Self.preFilterStateKey)\" from cycleState: not found"])
        }
        s.update(with: ExistingPod(existing, in: node.view), nodeLabels: node.labels, by: delta)
        state.write(Self.preFilterStateKey, s)
        return .success
    }
}

extension InterPodAffinity {
    /// Upstream `PreFilter`: counts, over every pod on every node, the matches
    /// the Filter needs; skips the Filter when the incoming pod has no required
    /// terms and no existing pod's required anti-affinity matches it.
    public func preFilter(_ state: CycleState, pod: PodInfo, nodes: NodeList) -> Status {
        var s = InterPodAffinityPreFilterState()
        s.requiredAffinity = pod.podAffinity?.requiredAffinity ?? []
        s.requiredAntiAffinity = pod.podAffinity?.requiredAntiAffinity ?? []
        s.labels = pod.labels
        let incomingHasTerms = !s.requiredAffinity.isEmpty || !s.requiredAntiAffinity.isEmpty
        let view = nodes.view
        // No pod anywhere has affinity terms: the scan below would count nothing (same result, O(1)).
        if !incomingHasTerms && view.runningWithPodAffinity == 0 { return Status(.skip) }
        for node in 0..<nodes.count {
            let podIDs = view.tasks(on: node)
            if podIDs.isEmpty { continue }
            let nodeLabels = view.labels(node)
            for id in podIDs { s.update(with: ExistingPod(id, in: view), nodeLabels: nodeLabels, by: 1) }
        }
        if s.existingAntiAffinityCounts.isEmpty && !incomingHasTerms { return Status(.skip) }
        state.write(Self.preFilterStateKey, s)
        return .success
    }

    /// Upstream `Filter`: affinity first (unresolvable: no preemption frees a
    /// matching pod into place), then the pod's anti-affinity, then existing
    /// pods' anti-affinity (both unschedulable: evicting pods may help).
    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        guard let s = state.read(Self.preFilterStateKey, as: InterPodAffinityPreFilterState.self) else {
            return Status(.error, ["error reading \"\(Self.preFilterStateKey)\" from cycleState: not found"])
        }
        let labels = node.labels
        if !Self.satisfiesPodAffinity(s, labels) {
            return Status(.unschedulableAndUnresolvable, [Self.errReasonAffinityRulesNotMatch])
        }
        if !Self.satisfiesPodAntiAffinity(s, labels) {
            return Status(.unschedulable, [Self.errReasonAntiAffinityRulesNotMatch])
        }
        if !Self.satisfiesExistingPodsAntiAffinity(s, labels) {
            return Status(.unschedulable, [Self.errReasonExistingAntiAffinityRulesNotMatch])
        }
        return .success
    }

    /// Every required affinity term's topology label must be on the node and
    /// some matching pod must share its value — except for the first pod of a
    /// group whose terms match itself, when no pod matches anywhere.
    static func satisfiesPodAffinity(_ s: InterPodAffinityPreFilterState, _ nodeLabels: [String: String]) -> Bool {
        var podsExist = true
        for term in s.requiredAffinity {
            guard let tv = nodeLabels[term.topologyKey] else { return false }
            if s.affinityCounts[TopologyPair(key: term.topologyKey, value: tv), default: 0] <= 0 { podsExist = false }
        }
        if podsExist { return true }
        return s.affinityCounts.isEmpty && s.requiredAffinity.allMatch(s.labels)
    }

    static func satisfiesPodAntiAffinity(_ s: InterPodAffinityPreFilterState, _ nodeLabels: [String: String]) -> Bool {
        if s.antiAffinityCounts.isEmpty { return true }
        for term in s.requiredAntiAffinity {
            if let tv = nodeLabels[term.topologyKey],
               s.antiAffinityCounts[TopologyPair(key: term.topologyKey, value: tv), default: 0] > 0 {
                return false
            }
        }
        return true
    }

    /// Upstream walks the node's labels; walking the (usually smaller) counts
    /// map and comparing labels is the same test.
    static func satisfiesExistingPodsAntiAffinity(_ s: InterPodAffinityPreFilterState, _ nodeLabels: [String: String]) -> Bool {
        for (pair, count) in s.existingAntiAffinityCounts where count > 0 && nodeLabels[pair.key] == pair.value {
            return false
        }
        return true
    }
}
