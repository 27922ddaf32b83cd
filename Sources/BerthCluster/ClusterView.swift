/// A read-only window on the cluster for placement policies: they may look,
/// never change. (Architectures commit through ``Cluster`` itself.)
public struct ClusterView {
    @usableFromInline let cluster: Cluster

    public init(_ cluster: Cluster) { self.cluster = cluster }

    public var catalog: ResourceCatalog { cluster.catalog }
    public var nodeCount: Int { cluster.nodes.count }
    public var nodes: [NodeSpec] { cluster.nodes }
    @inlinable public func node(_ i: Int) -> NodeSpec { cluster.nodes[i] }
    @inlinable public func free(_ node: Int, _ r: Int) -> Int64 { cluster.free(node, r) }
    @inlinable public func allocatable(_ node: Int, _ r: Int) -> Int64 { cluster.allocatableFlat[node * cluster.catalog.count + r] }
    @inlinable public func labels(_ node: Int) -> [String: String] { cluster.nodes[node].labels }
    @inlinable public func taints(_ node: Int) -> [Taint] { cluster.nodes[node].taints }
    /// Whether `node` takes no new tasks: cordoned (`unschedulable`) or down.
    @inlinable public func isUnschedulable(_ node: Int) -> Bool {
        cluster.nodes[node].unschedulable || cluster.nodeCordoned[node] || cluster.nodeDown[node] || cluster.nodeUnreachable[node]
    }
    /// Whether `node` is cordoned (`spec.unschedulable`, or during maintenance), ignoring whether it is down.
    @inlinable public func isCordoned(_ node: Int) -> Bool { cluster.nodes[node].unschedulable || cluster.nodeCordoned[node] }
    /// Whether `node` is down (failed): no task may be placed there, whatever it tolerates.
    @inlinable public func isDown(_ node: Int) -> Bool { cluster.nodeDown[node] }
    /// Whether `node` is NotReady: down, or unreachable behind a network partition.
    @inlinable public func isNotReady(_ node: Int) -> Bool { cluster.nodeDown[node] || cluster.nodeUnreachable[node] }
    @inlinable public func allocated(_ node: Int, _ r: Int) -> Int64 { cluster.allocated(node, r) }
    @inlinable public func fits(_ requests: [Int64], on node: Int) -> Bool { cluster.fits(requests, on: node) }
    public func task(_ id: Int32) -> TaskRecord { cluster.tasks[Int(id)] }
    /// The workload of a task, without copying its record.
    @inlinable public func workload(of id: Int32) -> Int32 { cluster.tasks[Int(id)].spec.workload }
    public var fitTree: FitTree { cluster.fitTree }
    public func orderedIndex(on r: Int) -> OrderedNodeIndex { cluster.orderedIndex(on: r) }
    public func runningCount(_ node: Int) -> Int32 { cluster.runningCount[node] }
    public func nodeName(_ node: Int) -> String { cluster.nodes[node].name }
    public func images(_ node: Int) -> [NodeImage] { cluster.nodes[node].images }
    /// Σ non-zero-defaulted (cpu millis, memory bytes) of the tasks on `node`.
    public func nonZeroRequested(_ node: Int) -> (cpu: Int64, memory: Int64) {
        (cluster.nonZeroRequested[node * 2], cluster.nonZeroRequested[node * 2 + 1])
    }
    public func usedPorts(_ node: Int) -> [HostPort] { cluster.usedPorts[node] }
    public func tasks(on node: Int) -> [Int32] { cluster.tasksOnNode[node] }
    /// The distinct label sets of the tasks running on `node`, with how many carry each.
    public func labelSetCounts(on node: Int) -> [(set: Int32, count: Int32)] { cluster.labelSetCounts[node] }
    public func labelSet(_ id: Int32) -> [String: String] { cluster.labelSets[Int(id)] }
    /// Nodes grouped by the value of label `key` (cached per run).
    public func topologyDomains(_ key: String) -> TopologyDomains { cluster.topologyDomains(key) }
    /// Running tasks with pod (anti-)affinity terms, cluster-wide.
    public var runningWithPodAffinity: Int { cluster.runningWithPodAffinity }
    /// How many nodes list image `name` (computed once per run).
    public func imageNodeCount(_ name: String) -> Int { cluster.imageNodeCount(name) }
    /// The interned label set of task `id` (see ``labelSet(_:)``), or -1 for an unknown id.
    public func labelSetOfTask(_ id: Int32) -> Int32 {
        id >= 0 && Int(id) < cluster.labelSetOfTask.count ? cluster.labelSetOfTask[Int(id)] : -1
    }
    /// Changes with every bind and end.
    public var version: UInt64 { cluster.version }
    /// Tasks submitted so far (task ids are `0..<taskCount`).
    public var taskCount: Int { cluster.tasks.count }
    /// The `version` at `node`'s last change (see ``Cluster/nodeStamp``).
    @inlinable public func nodeStamp(_ node: Int) -> UInt64 { cluster.nodeStamp[node] }
    /// Every node's stamp (one array read per cycle instead of one access per node).
    public var nodeStamps: [UInt64] { cluster.nodeStamp }
    /// Identifies the cluster behind this view (for caches kept across cycles).
    public var clusterSerial: UInt64 { cluster.serial }
    /// Nodes changed after version `since` (see ``Cluster/nodesChanged(since:)``).
    public func nodesChanged(since: UInt64) -> [Int32]? { cluster.nodesChanged(since: since) }
}
