import BerthCluster
import BerthMetrics

extension RunReports {
    /// schedulers.csv column order (docs/reports.md); stable, append-only.
    public static let schedulerColumns = [
        "scheduler", "workload_class", "jobs_submitted", "jobs_fully_scheduled", "jobs_abandoned", "tasks_abandoned",
        "decisions", "busy_s", "busyness_frac", "transactions_committed", "transactions_conflicted", "no_fit_decisions",
        "tasks_committed", "tasks_conflicted", "conflict_fraction",
        "queue_wait_first_attempt_s_mean", "wait_first_task_s_mean", "wait_first_task_s_p50", "wait_first_task_s_p95",
        "wait_all_tasks_s_mean", "wait_all_tasks_s_p50", "wait_all_tasks_s_p95",
    ]

    /// schedulers.csv: one row per scheduler and workload class of a
    /// decision-time architecture. `busyness_frac` is busy time over the run
    /// (`endMicros`); `conflict_fraction` is conflicted transactions per
    /// committed (conflict-free) transaction, empty when none committed.
    public static func schedulers(_ rows: [SchedulerCounters], endMicros: Int64) -> CSVTable {
        var table = CSVTable(header: schedulerColumns)
        func seconds(_ v: [Int64]) -> SampleStatistics { SampleStatistics(v.map { Double($0) / 1e6 }) }
        for c in rows {
            let first = seconds(c.waitFirstTaskMicros), all = seconds(c.waitAllTasksMicros)
            table.append([
                c.scheduler, c.workloadClass, String(c.jobsSubmitted), String(c.jobsFullyScheduled), String(c.jobsAbandoned),
                String(c.tasksAbandoned), String(c.decisions), CSVNumber.fixed(Double(c.busyMicros) / 1e6),
                CSVNumber.fixed(endMicros > 0 ? Double(c.busyMicros) / Double(endMicros) : nil),
                String(c.transactionsCommitted), String(c.transactionsConflicted), String(c.noFitDecisions),
                String(c.tasksCommitted), String(c.tasksConflicted),
                CSVNumber.fixed(c.transactionsCommitted > 0 ? Double(c.transactionsConflicted) / Double(c.transactionsCommitted) : nil),
                CSVNumber.fixed(seconds(c.queueWaitFirstAttemptMicros).mean),
                CSVNumber.fixed(first.mean), CSVNumber.fixed(first.p50), CSVNumber.fixed(first.p95),
                CSVNumber.fixed(all.mean), CSVNumber.fixed(all.p50), CSVNumber.fixed(all.p95),
            ])
        }
        return table
    }
}
