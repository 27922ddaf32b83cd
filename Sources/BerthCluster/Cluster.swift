import Synchronization

/// Notified of every change to who runs where. Metrics are observers; nothing
/// in the cluster calls into metrics directly.
public protocol ClusterObserver: AnyObject {
    func taskSubmitted(_ task: Int32, in cluster: Cluster, at micros: Int64)
    func taskBound(_ task: Int32, to node: Int32, in cluster: Cluster, at micros: Int64)
    /// Called *before* the task's resources are released, so `cluster` still shows them allocated.
    func taskEnding(_ task: Int32, as state: TaskState, in cluster: Cluster, at micros: Int64)
}

/// A mutation that would break an invariant. Returned, never trapped on.
public enum ClusterError: Error, Equatable, CustomStringConvertible {
    case unknownNode(Int32)
    case unknownTask(Int32)
    case wrongState(task: Int32, expected: TaskState, actual: TaskState)
    case doesNotFit(task: Int32, node: Int32, resource: String, requested: Int64, free: Int64)

    public var description: String {
        switch self {
        case .unknownNode(let n): "no node #\(n)"
        case .unknownTask(let t): "no task #\(t)"
        case .wrongState(let t, let e, let a): "task #\(t) is \(a), expected \(e)"
        case .doesNotFit(let t, let n, let r, let req, let free):
            "task #\(t) does not fit node #\(n): \(r) requested \(req), free \(free)"
        }
    }
}

/// The single source of truth for nodes, tasks and who runs where.
///
/// Every mutation goes through `submit`, `bind` and `end` (in
/// `Cluster+Mutations.swift`), which keep the free-resource vectors, the
/// placement indexes and the per-state counters right, and notify observers.
/// Policies read it through ``ClusterView``.
public final class Cluster {
    public let catalog: ResourceCatalog
    public let nodes: [NodeSpec]
    public internal(set) var tasks: [TaskRecord] = []
    /// Free (allocatable − allocated) per node, row-major: `free[node * R + r]`.
    public internal(set) var free: [Int64]
    /// Tasks running on each node.
    public internal(set) var runningCount: [Int32]
    /// Σ non-zero-defaulted CPU and memory of the tasks running on each node,
    /// `[node * 2]` = cpu millis, `[node * 2 + 1]` = memory bytes (upstream `NodeInfo.NonZeroRequested`).
    public internal(set) var nonZeroRequested: [Int64]
    /// Ids of the tasks running on each node (for affinity, spreading and preemption).
    public internal(set) var tasksOnNode: [[Int32]]
    /// Distinct task label sets, interned: `labelSets[i]`; `labelSetOfTask[task]` is the task's.
    public internal(set) var labelSets: [[String: String]] = []
    var labelSetIndex: [[String: String]: Int32] = [:]
    public internal(set) var labelSetOfTask: [Int32] = []
    /// Per node, how many running tasks carry each label set (`(set, count)`, count > 0):
    /// lets selector counting visit label sets instead of pods.
    public internal(set) var labelSetCounts: [[(set: Int32, count: Int32)]]
    /// Running tasks that carry pod (anti-)affinity terms (lets InterPodAffinity skip its scan when zero).
    public internal(set) var runningWithPodAffinity = 0
    /// Incremented by every bind and end: equal versions mean an identical cluster.
    public internal(set) var version: UInt64 = 0
    /// Per node, the `version` at its last change (0: never changed). A cache
    /// entry derived from a node's state is valid while this is unchanged.
    public internal(set) var nodeStamp: [UInt64]
    /// The node changed by each recent mutation: `changeJournal[v % capacity]`
    /// is the node of the mutation that made `version` equal to `v`. Lets a
    /// cache catch up on what changed since it last looked in O(changes);
    /// one that fell more than `changeJournalCapacity` versions behind rebuilds.
    var changeJournal: [Int32]
    public static let changeJournalCapacity = 1 << 16
    /// Distinguishes clusters for caches that outlive one (never reused in a process).
    public let serial: UInt64 = Cluster.nextSerial()
    /// Host ports bound on each node (upstream `NodeInfo.UsedPorts`).
    public internal(set) var usedPorts: [[HostPort]]
    /// Per node, whether it is down (failed): see ``setNode(_:down:)``.
    public internal(set) var nodeDown: [Bool]
    /// Per node, whether it was cordoned during the run (maintenance); `NodeSpec.unschedulable` is the static cordon.
    public internal(set) var nodeCordoned: [Bool]
    /// Per node, whether it is unreachable (network partition): NotReady, its tasks still running.
    public internal(set) var nodeUnreachable: [Bool]
    /// How many nodes are down.
    public internal(set) var downNodeCount = 0
    /// Number of tasks in each ``TaskState`` (indexed by raw value).
    public internal(set) var stateCounts: [Int] = Array(repeating: 0, count: TaskState.allCases.count)
    /// Sum of allocated resources over all nodes, per resource.
    public internal(set) var totalAllocated: [Int64]
    /// Sum of allocatable over all nodes, per resource.
    public let totalAllocatable: [Int64]
    /// Allocatable per node, row-major like `free` (so hot paths never copy a NodeSpec).
    public let allocatableFlat: [Int64]
    /// Index for first-fit: per-dimension maxima of free resources.
    public internal(set) var fitTree: FitTree
    /// Ordered indexes keyed by one resource's free amount, built on first request.
    /// `orderedIndexes[i]` orders nodes by free amount of resource `indexedResources[i]`.
    /// Parallel arrays rather than a dictionary so that updates mutate in place.
    var orderedIndexes: [OrderedNodeIndex] = []
    var indexedResources: [Int] = []
    var observers: [any ClusterObserver] = []
    var topologyDomainCache: [String: TopologyDomains] = [:]
    var imageNodeCountCache: [String: Int]?

    public var resourceCount: Int { catalog.count }

    public init(catalog: ResourceCatalog, nodes: [NodeSpec]) {
        self.catalog = catalog
        self.nodes = nodes
        let r = catalog.count
        var free = [Int64]()
        free.reserveCapacity(nodes.count * r)
        var total = catalog.zeros()
        for node in nodes {
            for i in 0..<r {
                let value = i < node.allocatable.count ? node.allocatable[i] : 0
                free.append(value)
                total[i] += value
            }
        }
        self.free = free
        self.allocatableFlat = free
        self.totalAllocatable = total
        self.totalAllocated = catalog.zeros()
        self.runningCount = Array(repeating: 0, count: nodes.count)
        self.nonZeroRequested = Array(repeating: 0, count: nodes.count * 2)
        self.tasksOnNode = Array(repeating: [], count: nodes.count)
        self.usedPorts = Array(repeating: [], count: nodes.count)
        self.nodeDown = Array(repeating: false, count: nodes.count)
        self.nodeCordoned = Array(repeating: false, count: nodes.count)
        self.nodeUnreachable = Array(repeating: false, count: nodes.count)
        self.labelSetCounts = Array(repeating: [], count: nodes.count)
        self.nodeStamp = Array(repeating: 0, count: nodes.count)
        self.changeJournal = Array(repeating: -1, count: Cluster.changeJournalCapacity)
        self.fitTree = FitTree(nodeCount: nodes.count, dimensions: r, free: free)
    }

    private static let serials = Atomic<UInt64>(0)
    static func nextSerial() -> UInt64 { serials.add(1, ordering: .relaxed).newValue }

    /// Records that `node` changed: bumps `version`, stamps the node, journals it.
    @inline(__always) func noteChange(_ node: Int) {
        version &+= 1
        nodeStamp[node] = version
        changeJournal[Int(version % UInt64(Cluster.changeJournalCapacity))] = Int32(node)
    }

    /// The nodes changed by the mutations after version `since` up to now, or
    /// nil when the journal no longer reaches back that far (rebuild instead).
    public func nodesChanged(since: UInt64) -> [Int32]? {
        guard since <= version else { return nil }
        let behind = version - since
        if behind > UInt64(Cluster.changeJournalCapacity) { return nil }
        var result: [Int32] = []
        result.reserveCapacity(Int(behind))
        var v = since + 1
        while v <= version {
            result.append(changeJournal[Int(v % UInt64(Cluster.changeJournalCapacity))])
            v += 1
        }
        return result
    }

    public func addObserver(_ observer: any ClusterObserver) { observers.append(observer) }

    public func count(_ state: TaskState) -> Int { stateCounts[Int(state.rawValue)] }

    /// Free amount of resource `r` on `node`.
    @inline(__always) public func free(_ node: Int, _ r: Int) -> Int64 { free[node * catalog.count + r] }

    /// Allocated amount of resource `r` on `node`.
    @inline(__always) public func allocated(_ node: Int, _ r: Int) -> Int64 {
        let i = node * catalog.count + r
        return allocatableFlat[i] - free[i]
    }

    /// Whether `requests` fits in `node`'s free resources in every dimension.
    @inline(__always) public func fits(_ requests: [Int64], on node: Int) -> Bool {
        let r = requests.count
        let base = node * r
        return free.withUnsafeBufferPointer { f in
            requests.withUnsafeBufferPointer { q in
                for i in 0..<r where q[i] > f[base + i] { return false }
                return true
            }
        }
    }

    /// Index of the node named `name` (linear; for setup, not the hot path).
    public func nodeIndex(named name: String) -> Int? { nodes.firstIndex { $0.name == name } }
}
