import BerthCluster
import BerthSimulation

/// Docker Swarm's scheduler (swarmkit `manager/scheduler`): tasks of one
/// service with the same spec are placed together as a *task group*.
///
/// 1. Filter every node through the pipeline (``SwarmPipeline``).
/// 2. Build the decision tree of the placement preferences (``DecisionTree``).
/// 3. Split the group's tasks over the branches so that branches even out
///    (`scheduleNTasksOnSubtree`), then within a leaf fill the nodes in
///    `nodeLess` order — fewest tasks of this service, then fewest tasks in
///    total — one task at a time, moving on when the next node is strictly
///    better, and round-robin once every node has had one (`scheduleNTasksOnNodes`).
///
/// Decisions inside a group depend on each other, so the architecture
/// (`SwarmScheduler`) hands whole groups to ``scheduleGroup(_:spec:in:assign:)``;
/// ``place(_:_:in:random:)`` schedules a group of one (what `berth explain` describes).
/// Draws no random numbers: where upstream's order is that of Go maps
/// (tasks in a group, branches, equal nodes), Berth uses task id, label value and node index.
/// Upstream: swarmkit `manager/scheduler/scheduler.go` (`scheduleTaskGroup`,
/// `scheduleNTasksOnSubtree`, `scheduleNTasksOnNodes`), `nodeset.go`, `decision_tree.go`.
public final class SwarmPlacement: PlacementEngine, ExplainablePlacement {
    public let filters: [any SwarmFilter]
    public var name: String { "swarm" }
    /// The pipeline's explanation after the last group that left tasks unplaced
    /// (upstream's "no suitable node (…)" message), or "" when all were placed.
    public private(set) var lastExplanation = ""

    public init(filters: [any SwarmFilter] = SwarmPipeline.defaultFilters) { self.filters = filters }

    /// upstream `scheduleTaskGroup`: places as many of `tasks` (same service and
    /// spec) as fit; `assign` commits one task to one node and returns whether it
    /// did. Returns the tasks placed, in placement order.
    @discardableResult
    public func scheduleGroup(_ tasks: [Int32], spec: TaskSpec, in view: ClusterView,
                              assign: (Int32, Int) -> Bool) -> [Int32] {
        withoutActuallyEscaping(assign) { assign in
            var run = GroupRun(tasks: tasks, state: SwarmNodeState(service: spec.workload, in: view),
                               pipeline: SwarmPipeline(task: spec, filters: filters), view: view, assign: assign)
            let tree = DecisionTree.build(preferences: spec.placement?.swarm?.preferences ?? [], maxAssignments: tasks.count,
                                          state: run.state, pipeline: &run.pipeline, view: view)
            _ = run.scheduleOnSubtree(tasks.count, tree)
            lastExplanation = run.allPlaced ? "" : run.pipeline.explain()
            return run.placed
        }
    }

    public func place(_ task: Int32, _ spec: TaskSpec, in view: ClusterView, random: RandomStream) -> PlacementDecision {
        var chosen: Int?
        scheduleGroup([task], spec: spec, in: view) { _, node in chosen = node; return true }
        return PlacementDecision(node: chosen.map(Int32.init), nodesExamined: view.nodeCount)
    }

    /// Score components of `berth explain`: the two keys of swarmkit's node ordering.
    public static let scoreNames = ["ServiceTasks", "TotalTasks"]

    /// Per node: the first filter that rejects it, and the two ordering keys
    /// (raw = normalized = weighted); `total` is how many feasible nodes come
    /// after it in `nodeLess` order (higher is better: the first choice without
    /// preferences has feasible − 1).
    public func explain(_ task: Int32, _ spec: TaskSpec, in view: ClusterView, random: RandomStream) -> CycleResult {
        let state = SwarmNodeState(service: spec.workload, in: view)
        let pipeline = SwarmPipeline(task: spec, filters: filters)
        let selected = place(task, spec, in: view, random: random).node.map(Int.init)
        var feasible: [Int] = []
        var evaluations: [NodeEvaluation] = []
        var diagnosis: [String: Int] = [:]
        for node in 0..<view.nodeCount {
            if let f = pipeline.rejection(node, state: state, in: view) {
                let reason = f.explain(nodes: 1)
                diagnosis[reason, default: 0] += 1
                evaluations.append(NodeEvaluation(node: node, evaluated: true, feasible: false, rejectedBy: f.name, reason: reason))
            } else {
                feasible.append(node)
                let keys = [Int64(state.serviceTasks[node]), Int64(state.totalTasks[node])]
                evaluations.append(NodeEvaluation(node: node, evaluated: true, feasible: true, raw: keys, normalized: keys,
                                                  weighted: keys, selected: node == selected))
            }
        }
        for (rank, node) in feasible.sorted(by: { state.less($0, $1) }).enumerated() {
            evaluations[node].total = Int64(feasible.count - 1 - rank)
        }
        return CycleResult(selected: selected, feasibleNodes: feasible.count, evaluatedNodes: view.nodeCount,
                           diagnosis: selected == nil ? diagnosis : [:], evaluations: evaluations, scorePluginNames: Self.scoreNames)
    }
}

/// The mutable state of one `scheduleTaskGroup` call.
private struct GroupRun {
    /// The group's tasks in task-id order (upstream: a Go map); those from `next` on are not placed yet.
    let tasks: [Int32]
    var next = 0
    var placed: [Int32] = []
    var allPlaced: Bool { next >= tasks.count }
    var state: SwarmNodeState
    var pipeline: SwarmPipeline
    let view: ClusterView
    let assign: (Int32, Int) -> Bool

    init(tasks: [Int32], state: SwarmNodeState, pipeline: SwarmPipeline, view: ClusterView, assign: @escaping (Int32, Int) -> Bool) {
        self.tasks = tasks.sorted()
        self.state = state
        self.pipeline = pipeline
        self.view = view
        self.assign = assign
    }

    /// upstream `scheduleNTasksOnSubtree`: even out the branches, giving the
    /// remainder one extra task each, until every task is placed or every branch is full.
    mutating func scheduleOnSubtree(_ n: Int, _ tree: DecisionTree) -> Int {
        if tree.isLeaf {
            let nodes = tree.orderedNodes(state: state, pipeline: &pipeline, view: view)
            return nodes.isEmpty ? 0 : scheduleOnNodes(n, nodes)
        }
        var scheduled = 0
        var inUsableBranches = tree.tasks
        var noRoom = Set<ObjectIdentifier>()
        while scheduled != n && noRoom.count != tree.branches.count {
            let usable = tree.branches.count - noRoom.count
            let desired = (inUsableBranches + n - scheduled) / usable
            var remainder = (inUsableBranches + n - scheduled) % usable
            for (_, subtree) in tree.branches where !noRoom.contains(ObjectIdentifier(subtree)) {
                let subtreeTasks = subtree.tasks
                guard subtreeTasks < desired || (subtreeTasks == desired && remainder > 0) else { continue }
                var toAssign = desired - subtreeTasks
                if remainder > 0 { toAssign += 1 }
                let result = scheduleOnSubtree(toAssign, subtree)
                if result < toAssign {
                    noRoom.insert(ObjectIdentifier(subtree))
                    inUsableBranches -= subtreeTasks
                } else if remainder > 0 {
                    remainder -= 1
                }
                scheduled += result
            }
        }
        return scheduled
    }

    /// upstream `scheduleNTasksOnNodes`: the first pass fills nodes until the
    /// next one is strictly better (`nodeLess`), later passes go round-robin;
    /// nodes that stop passing the filters are skipped for the rest of the call.
    mutating func scheduleOnNodes(_ n: Int, _ nodes: [Int]) -> Int {
        var scheduled = 0
        var failed = Set<Int>()
        var iter = 0
        let count = nodes.count
        while !allPlaced {
            let node = nodes[iter % count]
            let task = tasks[next]
            guard assign(task, node) else { return scheduled }
            next += 1
            placed.append(task)
            state.add(on: node)
            scheduled += 1
            if scheduled == n { return scheduled }
            if iter + 1 < count {
                if state.strictlyLess(nodes[(iter + 1) % count], node) { iter += 1 }
            } else {
                iter += 1
            }
            let start = iter
            while failed.contains(iter % count) || !pipeline.process(nodes[iter % count], state: state, in: view) {
                failed.insert(iter % count)
                iter += 1
                if iter - start == count { return scheduled }
            }
        }
        return scheduled
    }
}
