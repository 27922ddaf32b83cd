import BerthCluster

/// Checkpointed batch work (`checkpoint_interval_s`, docs/failures.md#checkpoints):
/// a task saves its progress every `interval` of work done, so a killed or
/// crashed task loses only the work since its last checkpoint, and its next
/// run — an in-place restart or a replacement pod — does only what is left.
/// Without the key, lost work restarts from zero.
extension Simulator {
    /// Work of `task` done by `now` (µs of its duration), counting earlier runs' checkpointed progress.
    private func workDone(_ task: Int32, at now: Int64) -> Int64? {
        let record = cluster.tasks[Int(task)]
        guard let d = record.spec.durationMicros else { return nil }
        let ranNow: Int64
        if let run = containerRuns.runs[task] {
            ranNow = run.restartMicros == nil ? now - run.startMicros : 0  // backing off: not running
            return min(d, run.progressMicros + max(0, ranNow))
        }
        ranNow = record.startMicros >= 0 ? now - record.startMicros : 0
        return min(d, max(0, ranNow))
    }

    /// The work of `task` saved by its last checkpoint at `now` (0 without checkpoints).
    func checkpointedMicros(_ task: Int32, at now: Int64) -> Int64 {
        guard let interval = scenario.checkpoints[cluster.tasks[Int(task)].spec.workload],
              let done = workDone(task, at: now) else { return 0 }
        return done / interval * interval
    }

    /// Run time whose work a kill of `task` at `now` loses: the work since the
    /// last checkpoint. nil without checkpoints (the log then counts the whole run).
    func checkpointLoss(_ task: Int32, at now: Int64) -> Int64? {
        guard scenario.checkpoints[cluster.tasks[Int(task)].spec.workload] != nil, let done = workDone(task, at: now) else { return nil }
        let before = containerRuns.runs[task]?.progressMicros ?? 0
        // Work of earlier runs up to `before` was counted when they ended.
        return done - max(before, checkpointedMicros(task, at: now))
    }

    /// The replacement of `task`, lost at `now`: with checkpoints it resumes from
    /// the last one (a shorter duration), else it is the same spec (from zero).
    func resumedSpec(_ task: Int32, at now: Int64) -> TaskSpec {
        var spec = cluster.tasks[Int(task)].spec
        let saved = checkpointedMicros(task, at: now)
        if saved > 0, let d = spec.durationMicros { spec.durationMicros = d - saved }
        return spec
    }
}
