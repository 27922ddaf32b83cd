import BerthCluster
import BerthMetrics
import BerthSimulation
import BerthWorkloads

/// The controllers' side of lost pods: ReplicaSets replace them at once,
/// Jobs after their pod-failure back-off or not at all (``JobController``,
/// `podFailurePolicy` in Simulator+PodFailurePolicy.swift).
extension Simulator {
    /// Controllers re-create lost pods (preempted, or killed by a node failure):
    /// a service's ReplicaSet (and a trace workload's controller) at once; a
    /// batch Job after its pod-failure back-off, or not at all once the failures
    /// exceed `backoff_limit` (``JobController``). A re-created task starts from
    /// zero. Tasks of the initial snapshot are bare pods and are not re-created.
    func replaceLost(_ lost: [Int32], at now: Int64) throws(RunError) {
        var failedPerJob: [(key: Int64, specs: [TaskSpec], ignored: Int, failJob: Bool)] = []
        // A terminating pod's controller replaced it when it was evicted.
        for task in lost where terminating[task] == nil {
            let spec = resumedSpec(task, at: now)  // from its last checkpoint, if the workload takes them
            guard spec.workload >= 0 else { continue }
            if isWorkflowTask(task) {  // Airflow retries the task instance with a new pod, or fails it
                workflowTaskFailed(task, at: now)
                continue
            }
            if isJob(spec) {
                let key = Self.jobKey(spec)
                let action = podFailureAction(task)
                let i = failedPerJob.firstIndex(where: { $0.key == key }) ?? {
                    failedPerJob.append((key, [], 0, false))
                    return failedPerJob.count - 1
                }()
                failedPerJob[i].specs.append(spec)
                if action == .ignore { failedPerJob[i].ignored += 1 }
                if action == .failJob { failedPerJob[i].failJob = true }
            } else {
                failureLog.recreated(submit(spec, at: now), in: cluster, at: now)
            }
        }
        for (key, specs, ignored, failByPolicy) in failedPerJob {
            let limit = generators[Int(specs[0].workload)].spec.backoffLimit
            switch jobs.podsFailed(key, count: specs.count, ignored: ignored, backoffLimit: limit, failJob: failByPolicy) {
            case .ignore:
                continue
            case .failJob:
                try failJob(key, cause: failByPolicy ? .podFailurePolicy : .backoffLimitExceeded, at: now)
            case .recreate(let delay):
                if delay == 0 {
                    for spec in specs { failureLog.recreated(submit(spec, at: now), in: cluster, at: now) }
                } else {
                    let due = now &+ delay
                    if jobRetries[due] == nil { schedule(.jobRetry, at: due) }
                    jobRetries[due, default: []].append(contentsOf: specs)
                }
            }
        }
        requestPass(at: now)
    }

    /// BackoffLimitExceeded (or a `FailJob` rule of its `podFailurePolicy`):
    /// the Job's active pods are deleted and none is created again.
    func failJob(_ key: Int64, cause: KillCause = .backoffLimitExceeded, at now: Int64) throws(RunError) {
        heldBack[key] = nil
        var freed = false
        for id in jobTasks[key] ?? [] {
            let state = cluster.tasks[Int(id)].state
            guard state == .pending || state == .running else { continue }
            // Already being deleted (Terminating): it goes on terminating with its grace period.
            guard terminating[id] == nil && !evictingNow.contains(id) else { continue }
            freed = freed || state == .running
            failureLog.killed(id, cause: cause, in: cluster, at: now)
            do { try cluster.end(id, as: .killed, at: now) } catch { throw .internalInconsistency("\(error)") }
        }
        jobTasks[key] = nil
        if freed { scheduler.resourcesFreed(in: cluster) }
    }
}
