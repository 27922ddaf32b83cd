import BerthCluster

/// What PreFilter computed for Filter (upstream `preFilterState`): per
/// constraint, the matching-pod count of every eligible domain and the global
/// minimum. (Upstream also keeps a second-smallest "critical path" for
/// preemption's incremental updates, which Berth does not model.)
struct SpreadPreFilterState {
    var constraints: [PodTopologySpread.Constraint]
    /// Per constraint: topology value → matching pods in that domain.
    var matchNum: [[String: Int]]
    /// Per constraint: the smallest count over its domains (`Int32.max` when there is none).
    var minMatch: [Int]

    /// Upstream `minMatchNum`: the global minimum, or 0 while there are fewer
    /// eligible domains than `minDomains`.
    func minMatchNum(_ i: Int, minDomains: Int32) -> Int {
        matchNum[i].count < Int(minDomains) ? 0 : minMatch[i]
    }
}

extension PodTopologySpread {
    /// Upstream `PreFilter`: `.skip` when the pod has no `DoNotSchedule`
    /// constraint (own or default); `.error` for an invalid label selector.
    public func preFilter(_ state: CycleState, pod: PodInfo, nodes: NodeList) -> Status {
        let constraints: [Constraint]
        do { constraints = try self.constraints(for: pod, action: .doNotSchedule) } catch {
            return Status(.error, ["obtaining pod's hard topology spread constraints: \(error.message)"])
        }
        if constraints.isEmpty { return Status(.skip) }
        state.write(Self.preFilterStateKey, Self.preFilterState(pod, constraints, nodes))
        return .success
    }

    /// Upstream `calPreFilterState`: count matching pods per domain over the
    /// nodes that pass the pod's node affinity (per `nodeAffinityPolicy`),
    /// its taints (per `nodeTaintsPolicy`), and carry every topology key.
    static func preFilterState(_ pod: PodInfo, _ constraints: [Constraint], _ nodes: NodeList) -> SpreadPreFilterState {
        var matchNum = Array(repeating: [String: Int](), count: constraints.count)
        for n in 0..<nodes.count {
            let node = nodes[n]
            let labels = node.labels
            if !nodeHasAllKeys(labels, constraints) { continue }
            for (i, c) in constraints.enumerated() where c.includes(node, for: pod) {
                // nodeHasAllKeys guarantees the key is present.
                let value = labels[c.topologyKey] ?? ""
                matchNum[i][value, default: 0] += countMatching(node, c.selector)
            }
        }
        let minMatch = matchNum.map { $0.values.min() ?? Int(Int32.max) }
        return SpreadPreFilterState(constraints: constraints, matchNum: matchNum, minMatch: minMatch)
    }

    /// Upstream `Filter`.
    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        guard let s = state.read(Self.preFilterStateKey, as: SpreadPreFilterState.self) else {
            return Status(.error, ["reading \(Self.preFilterStateKey) from cycleState: not found"])
        }
        if s.constraints.isEmpty { return .success }
        let labels = node.labels
        let podLabels = pod.labels
        for (i, c) in s.constraints.enumerated() {
            guard let value = labels[c.topologyKey] else {
                return Status(.unschedulableAndUnresolvable, [Self.errReasonNodeLabelNotMatch])
            }
            let minMatch = s.minMatchNum(i, minDomains: c.minDomains)
            let selfMatch = c.selector.matches(podLabels) ? 1 : 0
            let skew = (s.matchNum[i][value] ?? 0) + selfMatch - minMatch
            if skew > Int(c.maxSkew) {
                return Status(.unschedulable, [Self.errReasonConstraintsNotMatch])
            }
        }
        return .success
    }
}
