import BerthCluster
import BerthFailures
import BerthMetrics
import BerthSimulation

/// Per-run state of the recovery presets (docs/failures.md "Recovery in Berth, per system").
struct RecoveryState {
    /// Tasks of a crashed node not yet detected as lost: their node and when
    /// they are (nil: never by timeout — a pod tolerating the unreachable taint forever).
    var awaitingDetection: [Int32: (node: Int32, due: Int64?)] = [:]
    /// Replacements waiting for their delay, by creation time.
    var due: [Int64: [TaskSpec]] = [:]
    /// Nomad: the client restart tracker of each running task.
    var nomadTrackers: [Int32: NomadRestartTracker] = [:]
    /// Nomad: reschedule events of each allocation chain (by task name, a replica's slot).
    var rescheduleEvents: [String: [NomadReschedulePolicy.Event]] = [:]
    /// Marathon: each app's launch delay and when it ends.
    var marathonDelays: [Int32: (delayNanos: Int64, deadline: Int64)] = [:]
    /// Swarm: restart times of each slot.
    var swarmRestarts: [String: [Int64]] = [:]
    /// Nomad restart jitter: one stream per workload, `failures/restart-jitter/<workload>`.
    var jitterStreams: [Int32: RandomStream] = [:]
}

extension Simulator {
    /// The least delay of a replacement for a task that failed the instant it started.
    static let instantFailureFloorMicros: Int64 = 1_000_000

    /// `delay` as it appears in events.csv causes: whole seconds, or exact decimals.
    static func delayText(_ delay: Int64) -> String {
        delay % 1_000_000 == 0 ? String(delay / 1_000_000) : SimTime.decimalSeconds(delay)
    }

    private func isService(_ spec: TaskSpec) -> Bool {
        spec.workload >= 0 && scenario.workloads[Int(spec.workload)].kind == .service
    }

    /// Tasks killed by their node's crash (`(task, node)`): each is replaced
    /// when the control plane notices — at once under `instant`, else after
    /// the system's detection delay (Kubernetes: grace period + the pod's
    /// toleration) or when the node comes back, whichever is first.
    func recoverLost(_ lost: [(task: Int32, node: Int32)], at now: Int64) throws(RunError) {
        if recovery.isLegacy {
            try replaceLost(lost.map(\.task), at: now)
            return
        }
        var immediate: [Int32] = []
        for (task, node) in lost {
            let spec = cluster.tasks[Int(task)].spec
            guard spec.workload >= 0 else { continue }
            let daemon = scenario.workloads[Int(spec.workload)].kind == .daemonset
            let wait: Int64?
            switch recovery.nodeLost {
            case .instant: wait = 0
            case .after(let d):
                if recovery.system == .kubernetes {
                    wait = unreachableToleration(spec).map { d + $0 }
                } else {
                    wait = d
                }
            }
            if daemon || wait == 0 {
                immediate.append(task)
                continue
            }
            let due = wait.map { now &+ $0 }
            recoveryState.awaitingDetection[task] = (node, due)
            if let due { schedule(.lostDetected(task), at: due) }
        }
        try replaceAfterLoss(immediate, at: now)
    }

    /// Nodes came back: tasks lost with them and not yet replaced are replaced now.
    func releaseAwaiting(_ nodes: [Int32], at now: Int64) throws(RunError) {
        guard !recoveryState.awaitingDetection.isEmpty else { return }
        let back = Set(nodes)
        let tasks = recoveryState.awaitingDetection.filter { back.contains($0.value.node) }.keys.sorted()
        for t in tasks { recoveryState.awaitingDetection[t] = nil }
        try replaceAfterLoss(tasks, at: now)
    }

    func handleLostDetected(_ task: Int32, at now: Int64) throws(RunError) {
        guard let entry = recoveryState.awaitingDetection[task], entry.due == now else { return }
        recoveryState.awaitingDetection[task] = nil
        try replaceAfterLoss([task], at: now)
        requestPass(at: now)
    }

    /// The control plane has noticed that these tasks are lost with their node.
    private func replaceAfterLoss(_ tasks: [Int32], at now: Int64) throws(RunError) {
        guard !tasks.isEmpty else { return }
        switch recovery.system {
        case .kubernetes:
            try replaceLost(tasks, at: now)
        case .nomad, .ecs:
            // Nomad: lost allocations are replaced by the next evaluation (no
            // reschedule policy). ECS: the service scheduler keeps desiredCount.
            for task in tasks { try replaceNow(task, at: now) }
        case .marathon:
            for task in tasks {
                let workload = cluster.tasks[Int(task)].spec.workload
                let deadline = recoveryState.marathonDelays[workload]?.deadline ?? now
                try replace(task, after: max(0, deadline - now), cause: "launch_delay", at: now)
            }
        case .swarm:
            for task in tasks { try swarmRestart(task, at: now) }
        }
        requestPass(at: now)
    }

    /// Workflow tasks follow Airflow; everything else is submitted again now.
    private func replaceNow(_ task: Int32, at now: Int64) throws(RunError) {
        try replace(task, after: 0, cause: "", at: now)
    }

    /// Queues the replacement of `task` (from its last checkpoint) after `delay`,
    /// logging `task_rescheduled` when there is a delay.
    private func replace(_ task: Int32, after delay: Int64, cause: String, at now: Int64) throws(RunError) {
        if isWorkflowTask(task) {
            try replaceLost([task], at: now)
            return
        }
        let spec = resumedSpec(task, at: now)
        guard spec.workload >= 0 else { return }
        // A task that failed the instant it started, replaced with no delay,
        // would fail and be replaced forever at one instant: Berth puts its
        // replacement 1 s later (the launch time it does not otherwise model).
        let record = cluster.tasks[Int(task)]
        let delay = delay <= 0 && record.startMicros == now && record.state == .failed ? Self.instantFailureFloorMicros : delay
        if delay <= 0 {
            failureLog.recreated(submit(spec, at: now), in: cluster, at: now)
            return
        }
        failureLog.note("task_rescheduled", task: task, taskName: spec.name, cause: "\(cause)_\(Self.delayText(delay))s", at: now)
        let due = now &+ delay
        if recoveryState.due[due] == nil { schedule(.replacementDue, at: due) }
        recoveryState.due[due, default: []].append(spec)
    }

    func handleReplacementDue(at now: Int64) {
        for spec in recoveryState.due.removeValue(forKey: now) ?? [] {
            failureLog.recreated(submit(spec, at: now), in: cluster, at: now)
        }
        requestPass(at: now)
    }

    /// Swarm's restart supervisor: a new task for the slot after `delay`, unless
    /// `max_attempts` restarts happened within `window`.
    private func swarmRestart(_ task: Int32, at now: Int64) throws(RunError) {
        let slot = cluster.tasks[Int(task)].spec.name
        let past = recoveryState.swarmRestarts[slot] ?? []
        guard recovery.swarm.mayRestart(past: past, at: now) else {
            failureLog.note("task_not_restarted", task: task, taskName: slot, cause: "max_attempts", at: now)
            return
        }
        recoveryState.swarmRestarts[slot, default: []].append(now)
        try replace(task, after: recovery.swarm.delayMicros, cause: "restart_delay", at: now)
    }

    /// Whether `task`'s crashes are handled by the kubelet (the Kubernetes code
    /// path in Simulator+Crashes.swift): under kubernetes, and for workflow tasks
    /// under every system (Airflow retries a failed try as a new pod).
    func crashesRestartInKubelet(_ task: Int32) -> Bool { recovery.system == .kubernetes || isWorkflowTask(task) }

    /// A container crash under Nomad, Marathon, Swarm or ECS. Returns the delay
    /// of an in-place restart (Nomad within its restart policy), or nil when
    /// the task has failed and was handed to its system's replacement.
    func systemCrashDecision(_ task: Int32, at now: Int64) -> Int64? {
        guard recovery.system == .nomad else { return nil }
        let record = cluster.tasks[Int(task)]
        let policy = isService(record.spec) ? recovery.nomadRestartService : recovery.nomadRestartBatch
        var tracker = recoveryState.nomadTrackers[task] ?? NomadRestartTracker(startMicros: record.startMicros)
        let workload = record.spec.workload
        let stream = recoveryState.jitterStreams[workload] ?? {
            let name = workload >= 0 ? scenario.workloads[Int(workload)].name : "initial"
            let s = RandomStreams(seed: seed).stream(.failures, "restart-jitter/\(name)")
            recoveryState.jitterStreams[workload] = s
            return s
        }()
        let decision = tracker.taskFailed(at: now, policy: policy) { d in
            policy.jitterFraction > 0 ? Int64((stream.uniform() * Double(d)).rounded(.down)) : 0
        }
        recoveryState.nomadTrackers[task] = tracker
        switch decision {
        case .restart(let delay): return delay
        case .fail: return nil
        }
    }

    /// `task` failed (its container crashed and is not restarted in place): its
    /// system replaces it — Nomad per its reschedule policy, Swarm per its
    /// restart policy, Marathon after the app's launch back-off, ECS at once.
    func replaceFailed(_ task: Int32, at now: Int64) throws(RunError) {
        recoveryState.nomadTrackers[task] = nil
        let spec = cluster.tasks[Int(task)].spec
        guard spec.workload >= 0 else { return }
        if isWorkflowTask(task) {
            try replaceLost([task], at: now)
            return
        }
        switch recovery.system {
        case .kubernetes:
            try replaceLost([task], at: now)
        case .nomad:
            let policy = isService(spec) ? recovery.nomadRescheduleService : recovery.nomadRescheduleBatch
            let events = recoveryState.rescheduleEvents[spec.name] ?? []
            guard policy.eligible(events: events, failMicros: now) else {
                failureLog.note("task_not_rescheduled", task: task, taskName: spec.name, cause: "reschedule_attempts_exhausted", at: now)
                return
            }
            let delay = policy.nextDelay(events: events, failMicros: now)
            recoveryState.rescheduleEvents[spec.name, default: []].append(.init(rescheduleMicros: now &+ delay, delayMicros: delay))
            try replace(task, after: delay, cause: "reschedule_in", at: now)
        case .marathon:
            let current = recoveryState.marathonDelays[spec.workload]
            // A delay the app has outlived by maxLaunchDelay is forgotten (see docs/failures.md).
            let live = current.flatMap { now - $0.deadline > recovery.marathon.maxLaunchDelayMicros ? nil : $0.delayNanos }
            let nanos = recovery.marathon.nextNanos(after: live)
            let delay = nanos / 1000
            recoveryState.marathonDelays[spec.workload] = (nanos, now &+ delay)
            try replace(task, after: delay, cause: "launch_delay", at: now)
        case .swarm:
            try swarmRestart(task, at: now)
        case .ecs:
            try replace(task, after: recovery.ecsReplacementDelayMicros, cause: "replacement_delay", at: now)
        }
        requestPass(at: now)
    }
}
