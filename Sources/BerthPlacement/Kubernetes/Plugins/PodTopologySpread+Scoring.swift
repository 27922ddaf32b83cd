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
    /// Berth: per constraint, the interned domains of its key and `podCounts`
    /// by domain index (so Score does no string hashing), and the incremental
    /// counter whose per-node counts Score uses for hostname constraints.
    var domains: [TopologyDomains] = []
    var domainCounts: [[Int64]] = []
    var counter: SpreadCounters.Counter?
    /// Per constraint: whether its key is the hostname (counted per node in Score).
    var isHostname: [Bool] = []
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
    public func preScore(_ state: CycleState, pod: PodInfo, nodes: NodeSet) -> Status {
        guard let view = nodes.first?.view else { return Status(.skip) }
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
        // Each topology value is interned as an integer domain (node labels are
        // static), so the counting does no string hashing.
        let domains = s.constraints.map { view.topologyDomains($0.topologyKey) }
        counted.domains = domains
        let counter = state.persistent.flatMap { store in
            store.object(Self.countersKey) { SpreadCounters() }
                .counter(for: pod, constraints: s.constraints, view: view, requireAllTopologies: requireAllTopologies)
        }
        counted.counter = counter
        if let counter {
            // The same sums as the walk below, kept up to date incrementally.
            // Hostname constraints are counted per node in Score (their podCounts stay empty).
            for i in s.constraints.indices where s.constraints[i].topologyKey != NodeLabel.hostname {
                for (d, name) in domains[i].names.enumerated() where counted.podCounts[i][name] != nil {
                    counted.podCounts[i][name, default: 0] += counter.sums[i][d]
                }
                if counted.podCounts[i][""] != nil { counted.podCounts[i]["", default: 0] += counter.missing[i] }
            }
        } else {
            Self.countOverAllNodes(pod, view: view, domains: domains, requireAllTopologies: requireAllTopologies, into: &counted)
        }
        counted.isHostname = s.constraints.map { $0.topologyKey == NodeLabel.hostname }
        counted.domainCounts = domains.enumerated().map { i, d in
            counted.isHostname[i] ? [] : d.names.map { counted.podCounts[i][$0] ?? 0 }
        }
        state.write(Self.preScoreStateKey, counted)
        return .success
    }

    /// Upstream's walk over every node: matching pods per tracked domain (only
    /// domains of feasible nodes are counted; hostname counts happen in Score).
    static func countOverAllNodes(_ pod: PodInfo, view: ClusterView, domains: [TopologyDomains], requireAllTopologies: Bool,
                                  into counted: inout SpreadPreScoreState) {
        let all = NodeList(view: view)
        var sums: [[Int64]] = []
        var tracked: [[Bool]] = []
        for (i, d) in domains.enumerated() {
            // Nothing tracked (hostname constraints): no per-domain arrays at all.
            let none = counted.podCounts[i].isEmpty
            tracked.append(none ? [] : d.names.map { counted.podCounts[i][$0] != nil })
            sums.append(none ? [] : Array(repeating: 0, count: d.names.count))
        }
        let anyTracked = tracked.map { $0.contains(true) }
        // A node without a constraint's label has value "" upstream; track that domain too.
        let trackedMissing = counted.constraints.indices.map { counted.podCounts[$0][""] != nil }
        var missingSums = Array(repeating: Int64(0), count: counted.constraints.count)
        for n in 0..<all.count {
            if requireAllTopologies && domains.contains(where: { $0.domain[n] < 0 }) { continue }
            let node = all[n]
            for (i, c) in counted.constraints.enumerated() {
                let d = domains[i].domain[n]
                let isTracked = d >= 0 ? (anyTracked[i] && tracked[i][Int(d)]) : trackedMissing[i]
                guard isTracked, c.includes(node, for: pod) else { continue }
                let matching = Int64(Self.countMatching(node, c.selector))
                if d >= 0 { sums[i][Int(d)] += matching } else { missingSums[i] += matching }
            }
        }
        for i in counted.constraints.indices {
            if anyTracked[i] {
                for (d, name) in domains[i].names.enumerated() where tracked[i][d] { counted.podCounts[i][name, default: 0] += sums[i][d] }
            }
            if trackedMissing[i] { counted.podCounts[i]["", default: 0] += missingSums[i] }
        }
    }

    /// Upstream `initPreScoreState`: the soft constraints, the ignored nodes,
    /// the domains of the feasible nodes and the normalising weights. nil when
    /// there is no soft constraint.
    func initPreScoreState(_ pod: PodInfo, _ filtered: NodeSet, requireAllTopologies: Bool) throws(SelectorError) -> SpreadPreScoreState? {
        let own = pod.pod?.topologySpreadConstraints ?? []
        let constraints = own.isEmpty
            ? try buildDefaultConstraints(pod, action: .scheduleAnyway)
            : try Self.filterConstraints(own, podLabels: pod.labels, action: .scheduleAnyway)
        if constraints.isEmpty { return nil }
        var s = SpreadPreScoreState(constraints: constraints, ignoredNodes: [],
                                    podCounts: Array(repeating: [:], count: constraints.count), normalizingWeights: [])
        var topoSize = Array(repeating: 0, count: constraints.count)
        if let view = filtered.first?.view {
            // Interned domains instead of label lookups; a node without the key
            // has value "" as upstream (which may also be a real label value,
            // hence the dictionary check on first sight of each domain).
            let domains = constraints.map { view.topologyDomains($0.topologyKey) }
            let counted = constraints.map { $0.topologyKey != NodeLabel.hostname }
            var seen = domains.indices.map { counted[$0] ? Array(repeating: false, count: domains[$0].names.count) : [] }
            var seenMissing = Array(repeating: false, count: constraints.count)
            let domainOf = domains.map(\.domain)
            for node in filtered.nodeIndices {
                if requireAllTopologies && domainOf.contains(where: { $0[node] < 0 }) {
                    s.ignoredNodes.insert(node)
                    continue
                }
                for i in constraints.indices where counted[i] {
                    let d = Int(domainOf[i][node])
                    if d >= 0 {
                        if seen[i][d] { continue }
                        seen[i][d] = true
                    } else {
                        if seenMissing[i] { continue }
                        seenMissing[i] = true
                    }
                    let value = d >= 0 ? domains[i].names[d] : ""
                    if s.podCounts[i][value] == nil {
                        s.podCounts[i][value] = 0
                        topoSize[i] += 1
                    }
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
        return (Self.score(s, node), .success)
    }

    /// ``score(_:pod:node:)`` for every node, reading the PreScore state once.
    public func scoreAll(_ state: CycleState, pod: PodInfo, nodes: NodeSet, into scores: inout [NodeScore]) -> Status {
        guard let s = state.read(Self.preScoreStateKey, as: SpreadPreScoreState.self) else {
            return Status(.error, ["reading \(Self.preScoreStateKey) from cycleState: not found"])
        }
        if s.ignoredNodes.isEmpty, let counter = s.counter {
            Self.scoreCounted(s, counter: counter, nodes: nodes, into: &scores)
        } else if s.ignoredNodes.isEmpty {
            for node in nodes { scores.append(NodeScore(node: node.index, score: Self.unignoredScore(s, node))) }
        } else {
            for node in nodes { scores.append(NodeScore(node: node.index, score: Self.score(s, node))) }
        }
        return .success
    }

    /// ``unignoredScore(_:_:)`` for every node when the counts come from the
    /// incremental counter: each constraint's term `count × weight + maxSkew − 1`
    /// is computed once per domain (per node for hostname constraints) and the
    /// terms are added in constraint order — the same floating-point operations
    /// in the same order, so the same rounded scores.
    static func scoreCounted(_ s: SpreadPreScoreState, counter: SpreadCounters.Counter, nodes: NodeSet,
                             into scores: inout [NodeScore]) {
        let k = s.constraints.count
        var domainOf: [[Int32]] = []
        var domainTerm: [[Double]] = []  // per constraint, per domain (empty for hostname)
        var perNode: [[Int32]] = []      // per constraint (empty unless hostname)
        var weights: [Double] = []
        var offsets: [Double] = []
        for i in 0..<k {
            let c = s.constraints[i]
            let weight = s.normalizingWeights[i]
            domainOf.append(s.domains[i].domain)
            weights.append(weight)
            offsets.append(Double(c.maxSkew - 1))
            if s.isHostname[i] {
                domainTerm.append([])
                perNode.append(counter.perNode[i])
            } else {
                domainTerm.append(s.domainCounts[i].map { Self.scoreForCount($0, maxSkew: c.maxSkew, weight: weight) })
                perNode.append([])
            }
        }
        let isHostname = s.isHostname
        for index in nodes.nodeIndices {
            var score = 0.0
            for i in 0..<k {
                let d = domainOf[i][index]
                guard d >= 0 else { continue }  // the node lacks the key
                if !isHostname[i] {
                    score += domainTerm[i][Int(d)]
                } else {
                    score += Double(Int64(perNode[i][index])) * weights[i] + offsets[i]
                }
            }
            scores.append(NodeScore(node: index, score: Int64(score.rounded(.toNearestOrAwayFromZero))))
        }
    }

    static func score(_ s: SpreadPreScoreState, _ node: NodeInfo) -> Int64 {
        if s.ignoredNodes.contains(node.index) { return 0 }
        return unignoredScore(s, node)
    }

    static func unignoredScore(_ s: SpreadPreScoreState, _ node: NodeInfo) -> Int64 {
        var score = 0.0
        for (i, c) in s.constraints.enumerated() {
            let d = s.domains[i].domain[node.index]
            guard d >= 0 else { continue }  // the node lacks the key
            let count: Int64
            if s.isHostname[i] {
                count = s.counter.map { Int64($0.perNode[i][node.index]) } ?? Int64(Self.countMatching(node, c.selector))
            } else {
                count = s.domainCounts[i][Int(d)]
            }
            score += Self.scoreForCount(count, maxSkew: c.maxSkew, weight: s.normalizingWeights[i])
        }
        return Int64(score.rounded(.toNearestOrAwayFromZero))
    }

    /// Upstream `NormalizeScore`: ignored nodes get 0; otherwise
    /// `MaxNodeScore × (max + min − score) / max` over the non-ignored nodes
    /// (every node gets MaxNodeScore when max is 0).
    public func normalizeScore(_ state: CycleState, pod: PodInfo, scores: inout [NodeScore]) -> Status {
        guard let s = state.read(Self.preScoreStateKey, as: SpreadPreScoreState.self) else { return .success }
        var minScore = Int64.max
        var maxScore: Int64 = 0
        let noneIgnored = s.ignoredNodes.isEmpty
        for entry in scores where noneIgnored || !s.ignoredNodes.contains(entry.node) {
            minScore = min(minScore, entry.score)
            maxScore = max(maxScore, entry.score)
        }
        for i in scores.indices {
            if !noneIgnored && s.ignoredNodes.contains(scores[i].node) {
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
