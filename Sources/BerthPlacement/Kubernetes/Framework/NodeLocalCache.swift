import BerthCluster

/// Reuses node-local plugin results across scheduling cycles (a Berth
/// speed-up; kube-scheduler recomputes them every cycle).
///
/// For plugins with ``KubePlugin/isNodeLocal`` the Filter verdict and the raw
/// Score on a node depend only on the pod's shape and that node's state, so
/// while the node is unchanged (``ClusterView/nodeStamp(_:)``) a later pod of
/// the same ``TaskSpec/shape`` gets the same answers. The framework asks the
/// cache first and calls the plugins only for nodes that changed since, so a
/// cycle costs O(nodes visited) array reads instead of O(nodes × plugins)
/// plugin calls. Results are identical to calling the plugins: the tests run
/// every Kubernetes scenario with and without the cache and compare the
/// reports byte for byte.
///
/// Entries are per shape. A shape gets an entry on its second cycle (a shape
/// seen once, as most trace shapes are, never pays for one), and at most
/// `capacity` shapes are kept, least recently used first out.
public final class NodeLocalCache {
    /// Per shape: for each node, the stamp (node stamp + 1; 0 = empty) at which
    /// its filter verdict / raw scores were stored.
    final class Entry {
        var filterStamp: [UInt64]
        /// Profile index of the first node-local filter that rejected the node, or -1.
        var firstReject: [Int16]
        var rejection: [Status?]
        var scoreStamp: [UInt64]
        /// Raw node-local scores, slot-major (`raw[slot * nodes + node]`: the
        /// per-plugin loops walk a window of neighbouring nodes).
        var raw: [Int64]
        /// Per node: Σ raw × weight over the node-local score plugins without
        /// NormalizeScore that were scoring when the node was scored (valid
        /// with `scoreStamp`; the score mask is the same for every pod of a shape).
        var directSum: [Int64]
        let scoreSlots: Int
        var lastUse: UInt64 = 0
        /// The filters/score plugins active when the results were stored; the
        /// same for every pod of a shape, checked anyway.
        var filterMask: [Bool] = []
        var scoreMask: [Bool] = []

        func reset(ifFilterMaskIsNot mask: [Bool]) {
            guard mask != filterMask else { return }
            filterMask = mask
            for i in filterStamp.indices { filterStamp[i] = 0 }
        }

        func reset(ifScoreMaskIsNot mask: [Bool]) {
            guard mask != scoreMask else { return }
            scoreMask = mask
            for i in scoreStamp.indices { scoreStamp[i] = 0 }
        }

        init(nodes: Int, scoreSlots: Int) {
            filterStamp = Array(repeating: 0, count: nodes)
            firstReject = Array(repeating: -1, count: nodes)
            rejection = Array(repeating: nil, count: nodes)
            scoreStamp = Array(repeating: 0, count: nodes)
            raw = Array(repeating: 0, count: nodes * scoreSlots)
            directSum = Array(repeating: 0, count: nodes)
            self.scoreSlots = scoreSlots
        }
    }

    public let capacity: Int
    private var clusterSerial: UInt64 = .max
    private var nodeCount = 0
    private var entries: [Int32: Entry] = [:]
    private var seen: Set<Int32> = []
    private var clock: UInt64 = 0

    public init(capacity: Int = 32) { self.capacity = capacity }

    /// The entry for `shape` on this view's cluster, or nil when the shape is
    /// unknown (-1) or seen for the first time.
    func entry(shape: Int32, view: ClusterView, scoreSlots: Int) -> Entry? {
        guard shape >= 0, capacity > 0 else { return nil }
        if view.clusterSerial != clusterSerial || view.nodeCount != nodeCount {
            clusterSerial = view.clusterSerial
            nodeCount = view.nodeCount
            entries.removeAll()
            seen.removeAll()
        }
        clock &+= 1
        if let e = entries[shape] {
            e.lastUse = clock
            return e
        }
        guard seen.contains(shape) else {
            seen.insert(shape)
            return nil
        }
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            entries[oldest] = nil
        }
        let e = Entry(nodes: nodeCount, scoreSlots: scoreSlots)
        e.lastUse = clock
        entries[shape] = e
        return e
    }
}
