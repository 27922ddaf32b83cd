import BerthCluster
import BerthFailures
import BerthMetrics
import BerthSimulation

/// Per-task state of container runs for workloads that crash (docs/failures.md).
struct ContainerRuns {
    struct Run {
        var startMicros: Int64
        /// When this run crashes (nil: it does not).
        var crashMicros: Int64?
        /// When this run completes (nil: a service, or a crashed run).
        var endMicros: Int64?
        /// When the container restarts (set while backing off).
        var restartMicros: Int64?
        /// Restarts since the back-off was last reset, and in total.
        var restartsSinceReset = 0
        var restarts = 0
        /// Whether the exit at `crashMicros` is the OOM killer's (memory usage over the limit).
        var oom = false
        /// Work checkpointed before this run (µs of the task's duration; 0 without checkpoints).
        var progressMicros: Int64 = 0
    }
    var runs: [Int32: Run] = [:]
    /// One stream per workload: `failures/crash/<workload>`.
    var streams: [Int32: RandomStream] = [:]
    /// One stream per workload with a memory usage distribution: `failures/memory/<workload>`.
    var memoryStreams: [Int32: RandomStream] = [:]
}

extension Simulator {
    /// A task just started (first bind or restart): draws whether and when this run crashes.
    func startRun(_ task: Int32, at now: Int64) {
        let spec = cluster.tasks[Int(task)].spec
        let crash = crashSpec(for: spec, task: task)
        let memory = scenario.memory[spec.workload]
        guard crash != nil || memory != nil else { return }
        var run = containerRuns.runs[task] ?? ContainerRuns.Run(startMicros: now)
        run.startMicros = now
        run.restartMicros = nil
        // With checkpoints a restarted run only redoes the work since the last one.
        let remaining = spec.durationMicros.map { $0 - run.progressMicros }
        run.endMicros = remaining.map { now &+ $0 }
        let crashAt = crash.flatMap { crashTime(spec, $0, remaining: remaining, at: now) }
        let oomAt = memory.flatMap { oomTime(spec, $0, remaining: remaining, at: now) }
        run.oom = oomAt.map { o in crashAt.map { o <= $0 } ?? true } ?? false
        run.crashMicros = run.oom ? oomAt : crashAt
        containerRuns.runs[task] = run
        if let at = run.crashMicros { schedule(.crash(task), at: at) }
    }

    private func crashTime(_ spec: TaskSpec, _ crash: CrashSpec, remaining: Int64?, at now: Int64) -> Int64? {
        guard let hazard = crash.hazard else { return nil }
        let stream = containerRuns.streams[spec.workload] ?? {
            let s = RandomStreams(seed: seed).stream(.failures, "crash/\(scenario.workloads[Int(spec.workload)].name)")
            containerRuns.streams[spec.workload] = s
            return s
        }()
        let offset: Int64
        switch hazard {
        case .probability(let p):
            guard stream.uniform() < p, let d = remaining else { return nil }
            offset = Int64((stream.uniformPositive() * Double(d)).rounded(.down))
        case .ratePerHour(let rate):
            offset = Sampler(.exponential(mean: 3600 / rate)).sampleMicros(stream)
        }
        if let d = remaining, offset >= d { return nil }
        return now &+ offset
    }

    /// When this run's memory usage first exceeds its limit (MemorySpec.oomOffset), if it does before the run ends.
    private func oomTime(_ spec: TaskSpec, _ memory: MemorySpec, remaining: Int64?, at now: Int64) -> Int64? {
        let offset = memory.oomOffset(runMicros: remaining) {
            guard case .distribution(let d) = memory.usage else { return 0 }
            let stream = containerRuns.memoryStreams[spec.workload] ?? {
                let s = RandomStreams(seed: seed).stream(.failures, "memory/\(scenario.workloads[Int(spec.workload)].name)")
                containerRuns.memoryStreams[spec.workload] = s
                return s
            }()
            return Sampler(d).sample(stream)
        }
        return offset.map { now &+ $0 }
    }

    /// The pod's restart policy: its crash settings', else the Kubernetes default (Always for services, Never for Jobs).
    func restartPolicy(for spec: TaskSpec, task: Int32) -> RestartPolicy {
        if let policy = crashSpec(for: spec, task: task)?.restartPolicy { return policy }
        return spec.workload >= 0 && scenario.workloads[Int(spec.workload)].kind == .service ? .always : .never
    }

    /// Whether the completion queued for `task` at `now` is its current run's (a
    /// crash or restart makes the earlier one stale).
    func runCompletes(_ task: Int32, at now: Int64) -> Bool {
        guard let run = containerRuns.runs[task] else { return true }
        guard run.endMicros == now, run.restartMicros == nil else { return false }
        containerRuns.runs[task] = nil
        return true
    }

    /// `task`'s container crashed: under `Never` the pod fails and its Job
    /// decides; otherwise the kubelet restarts it in place after CrashLoopBackOff.
    func handleCrash(_ task: Int32, at now: Int64) throws(RunError) {
        guard cluster.tasks[Int(task)].state == .running, var run = containerRuns.runs[task], run.crashMicros == now else { return }
        let policy = restartPolicy(for: cluster.tasks[Int(task)].spec, task: task)
        let cause: KillCause = run.oom ? .oom : .crash
        let saved = checkpointedMicros(task, at: now)
        let lost = checkpointLoss(task, at: now)
        // Other systems than Kubernetes: Nomad restarts in place within its
        // restart policy; otherwise the task fails and is replaced (Simulator+Recovery.swift).
        let kubelet = crashesRestartInKubelet(task)
        let systemDelay: Int64? = kubelet ? nil : systemCrashDecision(task, at: now)
        if kubelet ? policy == .never : systemDelay == nil {
            failureLog.crashed(task, runStartMicros: run.startMicros, podFailed: true, in: cluster, at: now, cause: cause, lostMicros: lost)
            do { try cluster.end(task, as: .failed, at: now) } catch { throw .internalInconsistency("\(error)") }
            scheduler.resourcesFreed(in: cluster)
            // The run is forgotten after the replacement is made, so that it resumes from
            // this run's checkpoint (earlier in-place runs' progress included).
            if kubelet { try replaceLost([task], at: now) } else { try replaceFailed(task, at: now) }
            containerRuns.runs[task] = nil
            requestPass(at: now)
            return
        }
        failureLog.crashed(task, runStartMicros: run.startMicros, podFailed: false, in: cluster, at: now, cause: cause, lostMicros: lost)
        if scenario.checkpoints[cluster.tasks[Int(task)].spec.workload] != nil { run.progressMicros = saved }
        availability.containerStopped(task, in: cluster, at: now)
        if now - run.startMicros >= CrashLoopBackOff.resetAfterMicros { run.restartsSinceReset = 0 }
        run.restartsSinceReset += 1
        run.crashMicros = nil
        run.endMicros = nil
        let restart = now &+ (systemDelay ?? CrashLoopBackOff.delayMicros(restart: run.restartsSinceReset))
        run.restartMicros = restart
        containerRuns.runs[task] = run
        schedule(.restart(task), at: restart)
    }

    /// Upstream `pastBackoffLimitOnFailure`: the Job fails when its active pods'
    /// container restarts (`restartCount`, which grows when the kubelet restarts
    /// the container) reach `backoffLimit` (any restart when the limit is 0).
    /// Returns whether the Job failed.
    private func restartLimitReached(by task: Int32, at now: Int64) throws(RunError) -> Bool {
        let spec = cluster.tasks[Int(task)].spec
        let key = Self.jobKey(spec)
        let restarts = (jobTasks[key] ?? []).reduce(0) { sum, id in
            cluster.tasks[Int(id)].state == .running ? sum + (containerRuns.runs[id]?.restarts ?? 0) : sum
        }
        let limit = generators[Int(spec.workload)].spec.backoffLimit
        guard limit == 0 ? restarts > 0 : restarts >= limit else { return false }
        guard jobs.failByRestarts(key) else { return false }
        try failJob(key, at: now)
        requestPass(at: now)
        return true
    }

    /// The back-off is over: the container starts again from zero, on the same
    /// node — unless this restart takes its Job to `backoffLimit`.
    func handleRestart(_ task: Int32, at now: Int64) throws(RunError) {
        guard cluster.tasks[Int(task)].state == .running, containerRuns.runs[task]?.restartMicros == now else { return }
        containerRuns.runs[task]?.restarts += 1
        let kubelet = crashesRestartInKubelet(task)
        failureLog.restarted(task, in: cluster, at: now, cause: kubelet ? "CrashLoopBackOff" : "restart_policy")
        availability.containerRestarted(task, in: cluster, at: now)
        if kubelet, isJob(cluster.tasks[Int(task)].spec), try restartLimitReached(by: task, at: now) { return }
        startRun(task, at: now)
        if let end = containerRuns.runs[task]?.endMicros { schedule(.taskEnd(task), at: end) }
    }
}
