import BerthCluster
import BerthFailures
import BerthMetrics
import BerthSchedulers

/// Graceful termination of evicted pods (docs/failures.md, "Graceful
/// termination"): an eviction sets the pod's deletion timestamp; the kubelet
/// sends SIGTERM and kills the containers when `terminationGracePeriodSeconds`
/// run out, unless they exit first. Meanwhile the pod is *Terminating*:
///
/// - it stays `running` in the cluster's task states and keeps its node's
///   resources (kube-scheduler's NodeInfo counts terminating pods), so its
///   replacement cannot use them;
/// - it is not a healthy replica: the disruption controller skips pods with a
///   deletion timestamp (`countHealthyPods`), and services.csv counts it as
///   missing (its endpoints are removed);
/// - its ReplicaSet (or Job) replaces it at once: the ReplicaSet does not count
///   terminating pods toward its replicas (`FilterActivePods`), and a Job with
///   the default `podReplacementPolicy: TerminatingOrFailed` does not wait;
/// - it ends `killed` (cause `eviction`) at eviction + grace, or `finished`
///   if its run completes first; a crash in the meantime is not restarted.
extension Simulator {
    /// Evicts `tasks` (each with its grace period in µs): at once when 0, else
    /// the pod turns Terminating until `now + grace`. Their controllers replace
    /// them all now, in one sync (pods of one Job share one back-off).
    /// - Parameter cause: `.eviction` (drains) or `.preemption` (DefaultPreemption's victims).
    /// - Parameter replace: false when the controller deletes them on purpose (a scale-down): no replacements.
    func evictGracefully(_ tasks: [(task: Int32, grace: Int64)], cause: KillCause = .eviction, replace: Bool = true,
                         at now: Int64) throws(RunError) {
        guard !tasks.isEmpty else { return }
        var freed = false
        for (task, grace) in tasks {
            if grace > 0 {
                let record = cluster.tasks[Int(task)]
                failureLog.note("task_terminating", task: task, taskName: record.spec.name,
                                node: record.node >= 0 ? cluster.nodes[Int(record.node)].name : "",
                                cause: cause.rawValue, at: now)
                availability.podTerminating(task, in: cluster, at: now)
                terminatingCause[task] = cause
            } else {
                try killEvicted(task, cause: cause, at: now)
                freed = true
            }
        }
        if freed { scheduler.resourcesFreed(in: cluster) }
        evictingNow = Set(tasks.filter { $0.grace > 0 }.map(\.task))
        defer { evictingNow = [] }
        if replace { try replaceLost(tasks.map(\.task), at: now) }  // before they are marked: replaceLost skips terminating pods
        for (task, grace) in tasks where grace > 0 {
            terminating[task] = now &+ grace
            schedule(.terminated(task), at: now &+ grace)
        }
    }

    /// The grace period of `task` is over: its containers are killed.
    func handleTerminated(_ task: Int32, at now: Int64) throws(RunError) {
        guard terminating[task] == now else { return }
        terminating[task] = nil
        let cause = terminatingCause.removeValue(forKey: task) ?? .eviction
        let record = cluster.tasks[Int(task)]
        if record.state == .running {
            try killEvicted(task, cause: cause, at: now)
            scheduler.resourcesFreed(in: cluster)
            requestPass(at: now)
        }
        if record.node >= 0 { try drainsMayFinish(on: record.node, at: now) }
    }

    /// Kills an evicted pod; a preempted one counts in the preemption totals.
    func killEvicted(_ task: Int32, cause: KillCause, at now: Int64) throws(RunError) {
        if cause == .preemption {
            countPreempted(task, at: now)
            do { try cluster.end(task, as: .killed, at: now) } catch { throw .internalInconsistency("\(error)") }
        } else {
            try kill(task, cause: cause, at: now)
        }
    }

    /// A pod left `node`: the drains waiting on it go on if it was the last.
    func drainsMayFinish(on node: Int32, at now: Int64) throws(RunError) {
        for drain in (activeDrains[node] ?? []).sorted() { try finishDrainIfEmpty(drain, at: now) }
    }

    /// A Terminating pod's run completed within its grace period: it ends
    /// `finished` and frees its resources. Its controller replaced it at the
    /// eviction and counted it then (a Job counted it failed), so nothing else follows.
    func terminatingPodFinished(_ task: Int32, at now: Int64) throws(RunError) {
        terminating[task] = nil
        terminatingCause[task] = nil
        do { try cluster.end(task, as: .finished, at: now) } catch { throw .internalInconsistency("\(error)") }
        scheduler.resourcesFreed(in: cluster)
        requestPass(at: now)
        let node = cluster.tasks[Int(task)].node
        if node >= 0 { try drainsMayFinish(on: node, at: now) }
    }
}
