import BerthCluster
import BerthFailures
import BerthMetrics
import BerthSchedulers

/// Network partitions (docs/failures.md): a node becomes NotReady, its pods are
/// evicted after their toleration of `node.kubernetes.io/unreachable:NoExecute`
/// unless it returns first.
extension Simulator {
    /// Upstream `DefaultTolerationSeconds` admission plugin: 300 s.
    static let defaultUnreachableTolerationMicros: Int64 = 300_000_000
    static let unreachableTaint = Taint(key: "node.kubernetes.io/unreachable", effect: .noExecute)

    /// How long `spec` stays bound to an unreachable node: its own toleration of
    /// the unreachable NoExecute taint (nil seconds: forever), else 300 s.
    /// DaemonSet pods tolerate it forever (the DaemonSet controller adds the toleration).
    func unreachableToleration(_ spec: TaskSpec) -> Int64? {
        if spec.workload >= 0 && scenario.workloads[Int(spec.workload)].kind == .daemonset { return nil }
        if let t = spec.tolerations.first(where: { $0.tolerates(Self.unreachableTaint) }) {
            return t.tolerationSeconds.map { max(0, $0) * 1_000_000 }
        }
        return Self.defaultUnreachableTolerationMicros
    }

    /// Nodes became unreachable (`down`) or reachable again.
    func partition(_ changed: [(node: Int32, down: Bool)], at now: Int64) throws(RunError) {
        for (node, unreachable) in changed {
            do { try cluster.setNode(node, unreachable: unreachable) } catch { throw .internalInconsistency("\(error)") }
            failureLog.reachability(node, unreachable, in: cluster, at: now)
            for task in cluster.tasksOnNode[Int(node)] {
                if unreachable, let wait = unreachableToleration(cluster.tasks[Int(task)].spec) {
                    partitionEvictions[task] = now &+ wait
                    schedule(.partitionEviction(task), at: now &+ wait)
                } else {
                    partitionEvictions[task] = nil
                }
            }
        }
        scheduler.resourcesFreed(in: cluster)
        (scheduler as? any NodeEventAware)?.nodeChanged(in: cluster)
        requestPass(at: now)
    }

    /// The taint manager evicts `task` if its node is still unreachable.
    func handlePartitionEviction(_ task: Int32, at now: Int64) throws(RunError) {
        guard partitionEvictions[task] == now, cluster.tasks[Int(task)].state == .running else { return }
        partitionEvictions[task] = nil
        guard terminating[task] == nil else { return }  // already evicted by a drain: it ends with its grace period
        try kill(task, cause: .nodeUnreachable, at: now)
        scheduler.resourcesFreed(in: cluster)
        try replaceLost([task], at: now)
        requestPass(at: now)
    }
}
