import BerthCluster

/// What PreFilter computed for Filter (upstream `preFilterState`): per
/// constraint, the matching-pod count of every eligible domain and the two
/// domains with the fewest matching pods (upstream `criticalPaths`), which
/// preemption's AddPod/RemovePod keep up to date incrementally.
struct SpreadPreFilterState {
    var constraints: [PodTopologySpread.Constraint]
    /// Per constraint: topology value → matching pods in that domain.
    var matchNum: [[String: Int]]
    /// Per constraint: upstream's two critical paths.
    var criticalPaths: [CriticalPaths]

    /// Per constraint: the smallest count (`Int32.max` when there is no domain).
    var minMatch: [Int] { criticalPaths.map { $0.paths[0].num } }

    /// Upstream `minMatchNum`: the smallest count, or 0 while there are fewer
    /// eligible domains than `minDomains`.
    func minMatchNum(_ i: Int, minDomains: Int32) -> Int {
        matchNum[i].count < Int(minDomains) ? 0 : criticalPaths[i].paths[0].num
    }
}

/// Upstream `criticalPaths`: the two (topology value, match count) pairs with
/// the smallest counts, maintained by `update` exactly as upstream does — an
/// approximation after incremental updates (a third domain can become the
/// true minimum unnoticed), reproduced deliberately.
struct CriticalPaths: Equatable {
    var paths: [(value: String, num: Int)] = [("", Int(Int32.max)), ("", Int(Int32.max))]

    static func == (a: CriticalPaths, b: CriticalPaths) -> Bool {
        a.paths[0] == b.paths[0] && a.paths[1] == b.paths[1]
    }

    /// Upstream `criticalPaths.update`.
    mutating func update(_ value: String, _ num: Int) {
        var i = -1
        if value == paths[0].value { i = 0 } else if value == paths[1].value { i = 1 }
        if i >= 0 {
            paths[i].num = num
            if paths[0].num > paths[1].num { paths.swapAt(0, 1) }
        } else if num < paths[0].num {
            paths[1] = paths[0]
            paths[0] = (value, num)
        } else if num < paths[1].num {
            paths[1] = (value, num)
        }
    }
}

extension PodTopologySpread: PreFilterExtensions {
    /// Upstream `AddPod`.
    public func addPod(_ state: CycleState, pod: PodInfo, adding existing: Int32, node: NodeInfo) -> Status {
        updateState(state, pod, existing, node, by: 1)
    }

    /// Upstream `RemovePod`.
    public func removePod(_ state: CycleState, pod: PodInfo, removing existing: Int32, node: NodeInfo) -> Status {
        updateState(state, pod, existing, node, by: -1)
    }

    private func updateState(_ state: CycleState, _ pod: PodInfo, _ existing: Int32, _ node: NodeInfo, by delta: Int) -> Status {
        guard var s = state.read(Self.preFilterStateKey, as: SpreadPreFilterState.self) else {
            return Status(.error, ["reading \(Self.preFilterStateKey) from cycleState: not found"])
        }
        Self.update(&s, existing: existing, node: node, for: pod, by: delta)
        state.write(Self.preFilterStateKey, s)
        return .success
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
        // Upstream feeds the pairs in Go map order (random); Berth sorts them so
        // that ties between domains resolve the same way in every run.
        let paths = matchNum.map { counts in
            var p = CriticalPaths()
            for (value, num) in counts.sorted(by: { $0.key < $1.key }) { p.update(value, num) }
            return p
        }
        return SpreadPreFilterState(constraints: constraints, matchNum: matchNum, criticalPaths: paths)
    }

    /// Upstream `preFilterState.updateWithPod`: an existing pod added to or
    /// removed from `node` changes the count of the node's domain for each
    /// constraint whose selector matches it, if the node counts for the pod.
    static func update(_ s: inout SpreadPreFilterState, existing: Int32, node: NodeInfo, for pod: PodInfo, by delta: Int) {
        let labels = node.labels
        if !nodeHasAllKeys(labels, s.constraints) { return }
        let existingLabels = node.view.task(existing).spec.labels
        for (i, c) in s.constraints.enumerated() {
            guard c.selector.matches(existingLabels), c.includes(node, for: pod) else { continue }
            let value = labels[c.topologyKey] ?? ""
            let num = (s.matchNum[i][value] ?? 0) + delta
            s.matchNum[i][value] = num
            s.criticalPaths[i].update(value, num)
        }
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
