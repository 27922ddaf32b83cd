/// What one scheduler of a decision-time architecture (timed monolithic,
/// Omega shared state) did for one workload class over a run (schedulers.csv,
/// docs/reports.md). Here, below both the architectures that count it
/// (BerthSchedulers) and the reports that print it (BerthReports).
public struct SchedulerCounters: Sendable, Equatable {
    /// The scheduler (`monolithic`; `batch` / `service` under Omega).
    public var scheduler: String
    /// `batch` (tasks with a duration) or `service` (tasks that run to the end).
    public var workloadClass: String
    /// Jobs (one workload submission's tasks) handed to this scheduler.
    public var jobsSubmitted = 0
    /// Jobs whose every task was bound.
    public var jobsFullyScheduled = 0
    /// Jobs given up after too many attempts, and their tasks left unbound (ended as failed).
    public var jobsAbandoned = 0
    public var tasksAbandoned = 0
    /// Decisions completed (one per scheduling attempt of a job).
    public var decisions = 0
    /// Simulated µs spent deciding (the in-progress decision counted up to the end of the run).
    public var busyMicros: Int64 = 0
    /// Transactions with no conflict (≥ 1 task committed), with ≥ 1 conflict,
    /// and decisions that found room for no task (no transaction submitted).
    public var transactionsCommitted = 0
    public var transactionsConflicted = 0
    public var noFitDecisions = 0
    /// Task claims committed and claims that conflicted.
    public var tasksCommitted = 0
    public var tasksConflicted = 0
    /// Per job, µs from submission to the start of its first decision (the
    /// Omega simulator's `timeInQueueTillFirstScheduled`).
    public var queueWaitFirstAttemptMicros: [Int64] = []
    /// Per job, µs from submission to its first task's bind, and (fully
    /// scheduled jobs) to its last task's bind.
    public var waitFirstTaskMicros: [Int64] = []
    public var waitAllTasksMicros: [Int64] = []

    public init(scheduler: String, workloadClass: String) {
        self.scheduler = scheduler
        self.workloadClass = workloadClass
    }
}
