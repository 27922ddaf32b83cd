import BerthCluster

/// swarmkit's per-node bookkeeping the filters and the node ordering read
/// (`NodeInfo.ActiveTasksCountByService[service]` and `ActiveTasksCount`), for
/// the service of the task group being scheduled. Resources and host ports are
/// read live from the ``ClusterView``.
public struct SwarmNodeState: Sendable {
    public var serviceTasks: [Int32]
    public var totalTasks: [Int32]

    public init(service: Int32, in view: ClusterView) {
        serviceTasks = ServiceTaskCounts.perNode(workload: service, in: view)
        totalTasks = (0..<view.nodeCount).map { view.runningCount($0) }
    }

    /// upstream `nodeInfo.addTask`: one more active task of the service on `node`.
    mutating func add(on node: Int) {
        serviceTasks[node] += 1
        totalTasks[node] += 1
    }

    /// upstream `nodeLess` in `scheduleTaskGroup`: fewer tasks of this service
    /// first, then fewer tasks in total. (The recent-failures rule is not
    /// modelled: Berth has no task failures yet.) Berth breaks remaining ties
    /// by node index; upstream leaves them to Go map and heap order.
    func less(_ a: Int, _ b: Int) -> Bool {
        if serviceTasks[a] != serviceTasks[b] { return serviceTasks[a] < serviceTasks[b] }
        if totalTasks[a] != totalTasks[b] { return totalTasks[a] < totalTasks[b] }
        return a < b
    }

    /// upstream `nodeLess` without the index tie-break (used where upstream compares two nodes).
    func strictlyLess(_ a: Int, _ b: Int) -> Bool {
        if serviceTasks[a] != serviceTasks[b] { return serviceTasks[a] < serviceTasks[b] }
        return totalTasks[a] < totalTasks[b]
    }
}

/// One swarmkit scheduler filter (`manager/scheduler/filter.go` `Filter`):
/// `isEnabled` is upstream `SetTask`, `check` is `Check`, `explain` is `Explain`.
public protocol SwarmFilter: Sendable {
    var name: String { get }
    func isEnabled(for task: TaskSpec) -> Bool
    func check(_ task: TaskSpec, node: Int, state: SwarmNodeState, in view: ClusterView) -> Bool
    func explain(nodes: Int) -> String
}

/// upstream `Pipeline` (`pipeline.go`): the enabled filters in order, stopping
/// at the first failure and counting failures per filter; a node that passes
/// resets every count (as upstream), so `explain` describes the failures since
/// the last feasible node.
public struct SwarmPipeline: Sendable {
    /// upstream `defaultFilters`, in order. VolumesFilter (CSI cluster
    /// volumes) is not modelled.
    public static let defaultFilters: [any SwarmFilter] = [
        ReadyFilter(),        // always first: drained/paused nodes take nothing
        ResourceFilter(),     // reservations must fit what is left
        PluginFilter(),       // identity: Berth models no volume/network/log plugins
        ConstraintFilter(),   // node.* / engine.labels.* constraints
        PlatformFilter(),     // os/architecture of the image
        HostPortFilter(),     // host-mode published ports are exclusive
        MaxReplicasFilter(),  // max_replicas_per_node
    ]

    public let task: TaskSpec
    public let filters: [any SwarmFilter]
    private var failures: [Int]

    public init(task: TaskSpec, filters: [any SwarmFilter] = SwarmPipeline.defaultFilters) {
        self.task = task
        self.filters = filters.filter { $0.isEnabled(for: task) }
        self.failures = Array(repeating: 0, count: self.filters.count)
    }

    /// upstream `Process`.
    public mutating func process(_ node: Int, state: SwarmNodeState, in view: ClusterView) -> Bool {
        for i in filters.indices where !filters[i].check(task, node: node, state: state, in: view) {
            failures[i] += 1
            return false
        }
        for i in failures.indices { failures[i] = 0 }
        return true
    }

    /// The first enabled filter that rejects `node`, without counting.
    public func rejection(_ node: Int, state: SwarmNodeState, in view: ClusterView) -> (any SwarmFilter)? {
        filters.first { !$0.check(task, node: node, state: state, in: view) }
    }

    /// upstream `Explain`: failing filters from most to fewest failures, joined by "; ".
    public func explain() -> String {
        let order = failures.indices.filter { failures[$0] > 0 }
            .sorted { failures[$0] != failures[$1] ? failures[$0] > failures[$1] : $0 < $1 }
        return order.map { filters[$0].explain(nodes: failures[$0]) }.joined(separator: "; ")
    }
}

/// "1 node" / "N nodes", as upstream's `Explain` methods phrase counts.
func swarmNodes(_ n: Int) -> String { n == 1 ? "1 node" : "\(n) nodes" }
