import BerthCluster

/// Incrementally maintained matching-pod counts for PodTopologySpread's
/// PreScore and Score (a Berth speed-up with identical results).
///
/// Upstream PreScore walks every node of the cluster for every pod, counting
/// the pods that match each soft constraint's selector on the nodes that pass
/// the pod's node-inclusion policies. For pods of one shape and one label set
/// (every replica of a workload) the constraints, the selectors and the node
/// inclusion are the same, and only the nodes that changed since the last
/// cycle (``ClusterView/nodesChanged(since:)``) can change a count. So a
/// counter keeps, per constraint, the matching pods on every node and their
/// sum per topology domain over the included nodes, and catches up on the
/// changed nodes only. Tests compare whole runs with and without it.
final class SpreadCounters {
    struct Key: Hashable {
        var shape: Int32
        var labelSet: Int32
        var requireAllTopologies: Bool
    }

    final class Counter {
        let constraints: [PodTopologySpread.Constraint]
        let domains: [TopologyDomains]
        /// Per node: counted by the constraints (has every key when required, and
        /// passes each constraint's inclusion policies) — `included[i][node]`.
        let included: [[Bool]]
        /// Per constraint, per node: pods on the node matching the selector.
        var perNode: [[Int32]]
        /// Per constraint: Σ perNode over the included nodes, per domain; and for
        /// nodes without the key (domain "").
        var sums: [[Int64]]
        var missing: [Int64]
        /// Per constraint, per interned label set: 1 matches, 0 does not, -1 unknown.
        var setMatches: [[Int8]]
        var version: UInt64
        var lastUse: UInt64 = 0

        init(_ constraints: [PodTopologySpread.Constraint], pod: PodInfo, view: ClusterView, requireAllTopologies: Bool) {
            self.constraints = constraints
            let domains = constraints.map { view.topologyDomains($0.topologyKey) }
            self.domains = domains
            let n = view.nodeCount
            included = constraints.map { c in
                (0..<n).map { node in
                    if requireAllTopologies && domains.contains(where: { $0.domain[node] < 0 }) { return false }
                    return c.includes(NodeInfo(index: node, view: view), for: pod)
                }
            }
            perNode = Array(repeating: Array(repeating: 0, count: n), count: constraints.count)
            sums = domains.map { Array(repeating: 0, count: $0.names.count) }
            missing = Array(repeating: 0, count: constraints.count)
            setMatches = Array(repeating: [], count: constraints.count)
            version = view.version
            for node in 0..<n { recount(node, view: view) }
        }

        func matching(_ i: Int, on node: Int, view: ClusterView) -> Int32 {
            let selector = constraints[i].selector
            if selector.isEmpty { return 0 }
            var count: Int32 = 0
            for entry in view.labelSetCounts(on: node) {
                let set = Int(entry.set)
                if set >= setMatches[i].count {
                    setMatches[i].append(contentsOf: repeatElement(-1, count: set + 1 - setMatches[i].count))
                }
                if setMatches[i][set] < 0 { setMatches[i][set] = selector.matches(view.labelSet(entry.set)) ? 1 : 0 }
                if setMatches[i][set] == 1 { count += entry.count }
            }
            return count
        }

        func recount(_ node: Int, view: ClusterView) {
            for i in constraints.indices {
                let new = matching(i, on: node, view: view)
                let delta = Int64(new - perNode[i][node])
                guard delta != 0 else { continue }
                perNode[i][node] = new
                guard included[i][node] else { continue }
                let d = domains[i].domain[node]
                if d >= 0 { sums[i][Int(d)] += delta } else { missing[i] += delta }
            }
        }

        /// Brings the counts up to the view's version. Returns false when the
        /// change journal no longer reaches back (the caller rebuilds).
        func catchUp(_ view: ClusterView) -> Bool {
            guard view.version != version else { return true }
            guard let changed = view.nodesChanged(since: version) else { return false }
            for node in changed { recount(Int(node), view: view) }
            version = view.version
            return true
        }
    }

    private var clusterSerial: UInt64 = .max
    private var counters: [Key: Counter] = [:]
    private var seen: Set<Key> = []
    private var clock: UInt64 = 0
    static let capacity = 64

    /// The up-to-date counter for `pod`, or nil when the pod has no stable
    /// identity (no shape or no interned labels) or its key is seen for the
    /// first time (one-off pods never pay for a counter).
    func counter(for pod: PodInfo, constraints: [PodTopologySpread.Constraint], view: ClusterView,
                 requireAllTopologies: Bool) -> Counter? {
        let labelSet = view.labelSetOfTask(pod.id)
        guard pod.spec.shape >= 0, labelSet >= 0 else { return nil }
        if view.clusterSerial != clusterSerial {
            clusterSerial = view.clusterSerial
            counters.removeAll()
            seen.removeAll()
        }
        clock &+= 1
        let key = Key(shape: pod.spec.shape, labelSet: labelSet, requireAllTopologies: requireAllTopologies)
        if let c = counters[key], c.constraints == constraints {
            if c.catchUp(view) {
                c.lastUse = clock
                return c
            }
            counters[key] = nil
        } else if !seen.contains(key) {
            seen.insert(key)
            return nil
        }
        if counters.count >= Self.capacity, let oldest = counters.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            counters[oldest] = nil
        }
        let c = Counter(constraints, pod: pod, view: view, requireAllTopologies: requireAllTopologies)
        c.lastUse = clock
        counters[key] = c
        return c
    }
}
