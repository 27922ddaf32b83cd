import BerthCluster

/// An independent shadow ledger: rebuilds allocation per node and tasks per
/// state from the cluster's notifications alone, so a test can compare it with
/// the cluster's own bookkeeping after every event in O(nodes × resources).
public final class InvariantObserver: ClusterObserver {
    private var allocated: [Int64] = []
    private var counts = Array(repeating: 0, count: TaskState.allCases.count)
    private var submitted = 0
    private var resources = 0

    public init() {}

    public func taskSubmitted(_ task: Int32, in cluster: Cluster, at micros: Int64) {
        prepare(cluster)
        submitted += 1
        counts[Int(TaskState.pending.rawValue)] += 1
    }

    public func taskBound(_ task: Int32, to node: Int32, in cluster: Cluster, at micros: Int64) {
        prepare(cluster)
        let requests = cluster.tasks[Int(task)].spec.requests
        for r in 0..<resources { allocated[Int(node) * resources + r] += requests[r] }
        counts[Int(TaskState.pending.rawValue)] -= 1
        counts[Int(TaskState.running.rawValue)] += 1
    }

    public func taskEnding(_ task: Int32, as state: TaskState, in cluster: Cluster, at micros: Int64) {
        prepare(cluster)
        let record = cluster.tasks[Int(task)]
        if record.state == .running {
            for r in 0..<resources { allocated[Int(record.node) * resources + r] -= record.spec.requests[r] }
        }
        counts[Int(record.state.rawValue)] -= 1
        counts[Int(state.rawValue)] += 1
    }

    private func prepare(_ cluster: Cluster) {
        guard allocated.isEmpty else { return }
        resources = cluster.catalog.count
        allocated = Array(repeating: 0, count: cluster.nodes.count * resources)
    }

    /// Every disagreement between the shadow ledger and the cluster, plus the
    /// cluster's own cheap invariants (no over-allocation, indexes in sync).
    public func violations(in cluster: Cluster) -> [String] {
        var problems = cluster.invariantViolations(recomputeLedger: false)
        if submitted != cluster.tasks.count { problems.append("shadow saw \(submitted) submissions, ledger has \(cluster.tasks.count)") }
        if counts != cluster.stateCounts { problems.append("shadow state counts \(counts) ≠ cluster \(cluster.stateCounts)") }
        if counts.reduce(0, +) != submitted { problems.append("tasks lost: states sum to \(counts.reduce(0, +)) of \(submitted)") }
        guard !allocated.isEmpty else { return problems }
        for node in 0..<cluster.nodes.count {
            for r in 0..<resources where cluster.allocated(node, r) != allocated[node * resources + r] {
                problems.append("node \(cluster.nodes[node].name): \(cluster.catalog.names[r]) allocated \(cluster.allocated(node, r)), shadow \(allocated[node * resources + r])")
            }
        }
        return problems
    }
}
