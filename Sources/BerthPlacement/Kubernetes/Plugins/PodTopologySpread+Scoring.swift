import BerthCluster
import Foundation

/// What PreScore computed for Score/NormalizeScore (upstream `preScoreState`).
struct SpreadPreScoreState {
    var constraints: [PodTopologySpread.Constraint]
    /// Feasible nodes missing a topology key (only when all keys are required): scored 0.
    var ignoredNodes: Set<Int>
    /// Per constraint: topology value of a feasible node → matching pods in that
    /// domain over all nodes. Empty for hostname constraints (counted in Score).
    var podCounts: [[String: Int64]]
    /// Per constraint: `log(number of domains among the feasible nodes + 2)`.
    var normalizingWeights: [Double]
}

extension PodTopologySpread {
    /// Upstream `topologyNormalizingWeight`.
    static func topologyNormalizingWeight(_ size: Int) -> Double { log(Double(size + 2)) }

    /// Upstream `scoreForCount`: `maxSkew − 1` is added so that small
    /// differences between domains weigh less as maxSkew grows.
    static func scoreForCount(_ count: Int64, maxSkew: Int32, weight: Double) -> Double {
        Double(count) * weight + Double(maxSkew - 1)
    }

    /// Upstream `PreScore`: `.skip` when the pod has no `ScheduleAnyway`
    /// constraint (own or default).
    public func preScore(_ state: CycleState, pod: PodInfo, nodes: [NodeInfo]) -> Status {
        guard let view = nodes.first?.view else { return Status(.skip) }
        let all = NodeList(view: view)
        // Only non-system-default rules require every topology key, so that
        // nodes without a zone label still get hostname spreading.
        let requireAllTopologies = !(pod.pod?.topologySpreadConstraints ?? []).isEmpty || !systemDefaulted
        let s: SpreadPreScoreState
        do {
            guard let built = try initPreScoreState(pod, nodes, requireAllTopologies: requireAllTopologies) else {
                return Status(.skip)
            }
            s = built
        } catch {
            return Status(.error, ["obtaining pod's soft topology spread constraints: \(error.message)"])
        }
        var counted = s
        // Same walk as upstream over every node, with each topology value interned
        // as an integer domain (node labels are static), so the loop does no string hashing.
        let domains = s.constraints.map { view.topologyDomains($0.topologyKey) }
        // Only domains of feasible nodes are counted (hostname counts happen in Score).
        var sums: [[Int64]] = []
        var tracked: [[Bool]] = []
        for (i, d) in domains.enumerated() {
            tracked.append(d.names.map { counted.podCounts[i][$0] != nil })
            sums.append(Array(repeating: 0, count: d.names.count))
        }
        let anyTracked = tracked.map { $0.contains(true) }
        // A node without a constraint's label has value "" upstream; track that domain too.
        let trackedMissing = s.constraints.indices.map { counted.podCounts[$0][""] != nil }
        var missingSums = Array(repeating: Int64(0), count: s.constraints.count)
        for n in 0..<all.count {
            if requireAllTopologies && domains.contains(where: { $0.domain[n] < 0 }) { continue }
            let node = all[n]
            for (i, c) in s.constraints.enumerated() {
                let d = domains[i].domain[n]
                let isTracked = d >= 0 ? (anyTracked[i] && tracked[i][Int(d)]) : trackedMissing[i]
                guard isTracked, c.includes(node, for: pod) else { continue }
                let matching = Int64(Self.countMatching(node, c.selector))
                if d >= 0 { sums[i][Int(d)] += matching } else { missingSums[i] += matching }
            }
        }
        for i in s.constraints.indices {
            for (d, name) in domains[i].names.enumerated() where tracked[i][d] { counted.podCounts[i][name, default: 0] += sums[i][d] }
            if trackedMissing[i] { counted.podCounts[i]["", default: 0] += missingSums[i] }
        }
        state.write(Self.preScoreStateKey, counted)
        return .success
    }

    /// Upstream `initPreScoreState`: the soft constraints, the ignored nodes,
    /// the domains of the feasible nodes and the normalising weights. nil when
    /// there is no soft constraint.
    func initPreScoreState(_ pod: PodInfo, _ filtered: [NodeInfo], requireAllTopologies: Bool) throws(SelectorError) -> SpreadPreScoreState? {
        let own = pod.pod?.topologySpreadConstraints ?? []
        let constraints = own.isEmpty
            ? try buildDefaultConstraints(pod, action: .scheduleAnyway)
            : try Self.filterConstraints(own, podLabels: pod.labels, action: .scheduleAnyway)
        if constraints.isEmpty { return nil }
        var s = SpreadPreScoreState(constraints: constraints, ignoredNodes: [],
                                    podCounts: Array(repeating: [:], count: constraints.count), normalizingWeights: [])
        var topoSize = Array(repeating: 0, count: constraints.count)
        for node in filtered {
            let labels = node.labels
            if requireAllTopologies && !Self.nodeHasAllKeys(labels, constraints) {
                s.ignoredNodes.insert(node.index)
                continue
            }
            for (i, c) in constraints.enumerated() where c.topologyKey != NodeLabel.hostname {
                let value = labels[c.topologyKey] ?? ""
                if s.podCounts[i][value] == nil {
                    s.podCounts[i][value] = 0
                    topoSize[i] += 1
                }
            }
        }
        s.normalizingWeights = constraints.enumerated().map { i, c in
            let size = c.topologyKey == NodeLabel.hostname ? filtered.count - s.ignoredNodes.count : topoSize[i]
            return Self.topologyNormalizingWeight(size)
        }
        return s
    }

    /// Upstream `Score`: Σ over the constraints whose key the node has of
    /// `matching pods in its domain × weight + maxSkew − 1`, rounded.
    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> (Int64, Status) {
        guard let s = state.read(Self.preScoreStateKey, as: SpreadPreScoreState.self) else {
            return (0, Status(.error, ["reading \(Self.preScoreStateKey) from cycleState: not found"]))
        }
        if s.ignoredNodes.contains(node.index) { return (0, .success) }
        let labels = node.labels
        var score = 0.0
        for (i, c) in s.constraints.enumerated() {
            guard let value = labels[c.topologyKey] else { continue }
            let count = c.topologyKey == NodeLabel.hostname
                ? Int64(Self.countMatching(node, c.selector))
                : s.podCounts[i][value] ?? 0
            score += Self.scoreForCount(count, maxSkew: c.maxSkew, weight: s.normalizingWeights[i])
        }
        return (Int64(score.rounded(.toNearestOrAwayFromZero)), .success)
    }

    /// Upstream `NormalizeScore`: ignored nodes get 0; otherwise
    /// `MaxNodeScore × (max + min − score) / max` over the non-ignored nodes
    /// (every node gets MaxNodeScore when max is 0).
    public func normalizeScore(_ state: CycleState, pod: PodInfo, scores: inout [NodeScore]) -> Status {
        guard let s = state.read(Self.preScoreStateKey, as: SpreadPreScoreState.self) else { return .success }
        var minScore = Int64.max
        var maxScore: Int64 = 0
        for entry in scores where !s.ignoredNodes.contains(entry.node) {
            minScore = min(minScore, entry.score)
            maxScore = max(maxScore, entry.score)
        }
        for i in scores.indices {
            if s.ignoredNodes.contains(scores[i].node) {
                scores[i].score = 0
            } else if maxScore == 0 {
                scores[i].score = maxNodeScore
            } else {
                scores[i].score = maxNodeScore * (maxScore + minScore - scores[i].score) / maxScore
            }
        }
        return .success
    }
}
