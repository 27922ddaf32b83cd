import BerthCluster

/// What PreScore computes once per pod (upstream `preScoreState`): topology
/// key → value → summed weight.
struct InterPodAffinityPreScoreState {
    var topologyScore: [String: [String: Int64]] = [:]

    /// Upstream `scoreMap.processTerm`: adds `weight × multiplier` at the
    /// node's value of the term's topology key when the term matches the pod.
    mutating func process(_ term: PodAffinityTerm, weight: Int32, podLabels: [String: String],
                          nodeLabels: [String: String], multiplier: Int64) {
        guard term.matches(podLabels), let tv = nodeLabels[term.topologyKey] else { return }
        topologyScore[term.topologyKey, default: [:]][tv, default: 0] += Int64(weight) * multiplier
    }

    mutating func process(_ terms: [WeightedPodAffinityTerm], podLabels: [String: String],
                          nodeLabels: [String: String], multiplier: Int64) {
        for t in terms { process(t.term, weight: t.weight, podLabels: podLabels, nodeLabels: nodeLabels, multiplier: multiplier) }
    }
}

extension InterPodAffinity {
    /// Upstream `PreScore`: walks every pod on every node of the cluster (not
    /// only the feasible ones) and sums, per topology pair:
    /// + the incoming pod's preferred affinity weights for matching pods,
    /// − its preferred anti-affinity weights,
    /// + `hardPodAffinityWeight` per existing pod's required affinity term the
    ///   incoming pod matches,
    /// ± existing pods' preferred affinity / anti-affinity weights the
    ///   incoming pod matches.
    /// Skips Score when there are no nodes or nothing was counted.
    public func preScore(_ state: CycleState, pod: PodInfo, nodes: NodeSet) -> Status {
        guard let view = nodes.first?.view else { return Status(.skip) }
        let preferred = pod.podAffinity?.preferredAffinity ?? []
        let preferredAnti = pod.podAffinity?.preferredAntiAffinity ?? []
        let hasConstraints = !preferred.isEmpty || !preferredAnti.isEmpty
        if ignorePreferredTermsOfExistingPods && !hasConstraints { return Status(.skip) }
        // Nothing could be counted without terms on either side (same result as the scan, O(1)).
        if !hasConstraints && view.runningWithPodAffinity == 0 { return Status(.skip) }

        var s = InterPodAffinityPreScoreState()
        let incoming = pod.labels
        for node in 0..<view.nodeCount {
            let podIDs = view.tasks(on: node)
            if podIDs.isEmpty { continue }
            let nodeLabels = view.labels(node)
            // processExistingPod returns at once for a node without labels.
            if nodeLabels.isEmpty { continue }
            for id in podIDs {
                let existing = ExistingPod(id, in: view)
                // Without preferred terms of its own, only pods with affinity matter.
                if !hasConstraints && existing.affinity == nil { continue }
                s.process(preferred, podLabels: existing.labels, nodeLabels: nodeLabels, multiplier: 1)
                s.process(preferredAnti, podLabels: existing.labels, nodeLabels: nodeLabels, multiplier: -1)
                guard let theirs = existing.affinity else { continue }
                if hardPodAffinityWeight > 0 {
                    for term in theirs.requiredAffinity {
                        s.process(term, weight: hardPodAffinityWeight, podLabels: incoming, nodeLabels: nodeLabels, multiplier: 1)
                    }
                }
                s.process(theirs.preferredAffinity, podLabels: incoming, nodeLabels: nodeLabels, multiplier: 1)
                s.process(theirs.preferredAntiAffinity, podLabels: incoming, nodeLabels: nodeLabels, multiplier: -1)
            }
        }
        if s.topologyScore.isEmpty { return Status(.skip) }
        state.write(Self.preScoreStateKey, s)
        return .success
    }

    /// Upstream `Score`: the sum, over topology keys the node has, of the
    /// weight at the node's value (positive for affinity, negative for
    /// anti-affinity); normalised later.
    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> (Int64, Status) {
        guard let s = state.read(Self.preScoreStateKey, as: InterPodAffinityPreScoreState.self) else {
            return (0, Status(.error, ["failed to read \"\(Self.preScoreStateKey)\" from cycleState: not found"]))
        }
        let labels = node.labels
        var score: Int64 = 0
        for (key, values) in s.topologyScore {
            if let v = labels[key] { score += values[v] ?? 0 }
        }
        return (score, .success)
    }

    /// Upstream `NormalizeScore`: min–max scaling to 0…`maxNodeScore`, in
    /// float64 exactly as upstream (`int64(100 * (float64(s-min) / float64(max-min)))`,
    /// truncated), all 0 when every node scored the same.
    public func normalizeScore(_ state: CycleState, pod: PodInfo, scores: inout [NodeScore]) -> Status {
        guard let s = state.read(Self.preScoreStateKey, as: InterPodAffinityPreScoreState.self) else {
            return Status(.error, ["failed to read \"\(Self.preScoreStateKey)\" from cycleState: not found"])
        }
        if s.topologyScore.isEmpty || scores.isEmpty { return .success }
        var minCount = Int64.max
        var maxCount = Int64.min
        for ns in scores {
            if ns.score > maxCount { maxCount = ns.score }
            if ns.score < minCount { minCount = ns.score }
        }
        let diff = maxCount - minCount
        for i in scores.indices {
            var f = 0.0
            if diff > 0 { f = Double(maxNodeScore) * (Double(scores[i].score - minCount) / Double(diff)) }
            scores[i].score = Int64(f)
        }
        return .success
    }
}
