import BerthCluster

/// An architecture whose schedulers the reports show one row per scheduler and
/// workload class (schedulers.csv, docs/reports.md). The simulator asks once, at the end.
public protocol SchedulerReporting: SchedulerArchitecture {
    /// Counters per scheduler and class, in a fixed order; busy time of a
    /// decision still in progress is counted up to `endMicros`.
    func schedulerCounters(until endMicros: Int64) -> [SchedulerCounters]
}
