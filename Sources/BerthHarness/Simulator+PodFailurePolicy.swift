import BerthFailures
import BerthMetrics
import BerthWorkloads

extension Simulator {
    /// The conditions and exit codes a Job pod that just failed shows its
    /// controller, from why it ended (docs/kubernetes.md, "Controllers"):
    /// every failed pod has PodScheduled (if it was bound) and Initialized
    /// True, Ready and ContainersReady False; a disrupted pod (preempted,
    /// evicted, lost with or cut off from its node) also has DisruptionTarget
    /// True. A crashed container exits with the workload's `crash_exit_code`
    /// (137 for an OOM kill); containers stopped by a graceful deletion
    /// (preemption, drain) exit with 137, since Berth keeps them for the whole
    /// grace period; a pod lost with its node reports no exit code.
    func failedPod(_ task: Int32) -> PodFailurePolicy.FailedPod {
        let record = cluster.tasks[Int(task)]
        let cause = terminatingCause[task] ?? failureLog.lastCause[task]
        var conditions: [(type: String, status: String)] = [
            ("PodScheduled", record.startMicros >= 0 ? "True" : "False"), ("Initialized", "True"),
            ("Ready", "False"), ("ContainersReady", "False"),
        ]
        let containers = record.spec.pod?.containers.map(\.name) ?? [""]
        var exits: [(container: String, code: Int32)] = []
        switch cause {
        case .crash:
            exits = [(containers[0], crashSpec(for: record.spec, task: task)?.exitCode ?? 1)]
        case .oom:
            exits = [(containers[0], CrashSpec.sigkillExitCode)]
        case .preemption, .eviction:
            conditions.append(("DisruptionTarget", "True"))
            exits = containers.map { ($0, CrashSpec.sigkillExitCode) }
        case .nodeFailure, .nodeUnreachable, .maintenance:
            conditions.append(("DisruptionTarget", "True"))
        case .backoffLimitExceeded, .podFailurePolicy, .scaleDown, nil:
            break
        }
        return PodFailurePolicy.FailedPod(exitCodes: exits, conditions: conditions)
    }

    /// The action of the first `podFailurePolicy` rule that matches `task`'s
    /// failure (nil: no policy, or no rule matched — the failure counts).
    func podFailureAction(_ task: Int32) -> PodFailurePolicy.Action? {
        let workload = cluster.tasks[Int(task)].spec.workload
        guard workload >= 0, let policy = scenario.workloads[Int(workload)].podFailurePolicy else { return nil }
        return policy.match(failedPod(task))?.action
    }
}
