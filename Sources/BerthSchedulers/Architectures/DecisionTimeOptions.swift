/// The two workload classes of the Omega paper's Google-like mix: batch jobs
/// (tasks with a duration) and service jobs (tasks that run until the end).
public enum WorkloadClass: String, Sendable, CaseIterable, Equatable {
    case batch, service
}

/// A scheduler's decision time for a job: `t_job + t_task × tasks`, where
/// tasks are the job's tasks still unscheduled when the decision starts
/// (the Omega simulator's `getThinkTime`: constant + per-task think time).
public struct DecisionTime: Sendable, Equatable {
    public var tJobMicros: Int64
    public var tTaskMicros: Int64
    public init(tJobMicros: Int64, tTaskMicros: Int64) {
        self.tJobMicros = tJobMicros
        self.tTaskMicros = tTaskMicros
    }
    public func micros(tasks: Int) -> Int64 { tJobMicros &+ tTaskMicros &* Int64(tasks) }
    /// The Omega paper's batch baseline: t_job = 100 ms, t_task = 5 ms.
    public static let paperBatch = DecisionTime(tJobMicros: 100_000, tTaskMicros: 5_000)
}

/// When a shared-state commit conflicts (the Omega simulator's `conflictMode`).
public enum ConflictMode: String, Sendable, CaseIterable, Equatable {
    /// Coarse-grained: a claim conflicts if its node changed at all since the snapshot.
    case sequenceNumbers = "sequence-numbers"
    /// Fine-grained: a claim conflicts only if the task no longer fits its node.
    case resourceFit = "resource-fit"
}

/// What a conflict does to the rest of a transaction (`transactionMode`).
public enum TransactionMode: String, Sendable, CaseIterable, Equatable {
    /// Gang: one conflict rejects the whole transaction.
    case allOrNothing = "all-or-nothing"
    /// The claims that do not conflict are committed.
    case incremental
}

/// The decision-time architectures (docs/architectures.md).
public enum DecisionArchitecture: String, Sendable, CaseIterable, Equatable {
    /// One scheduler, one queue, one decision time for every job.
    case singlePath = "single-path"
    /// One scheduler, one queue, a decision time per workload class.
    case multiPath = "multi-path"
    /// Omega: one scheduler per workload class on shared state, optimistic commits.
    case sharedState = "shared-state"
}

/// Options of the `monolithic`, `monolithic-multipath` and `omega` presets
/// (`scheduler.architecture` in a scenario).
public struct DecisionTimeOptions: Sendable, Equatable {
    public var kind: DecisionArchitecture
    /// Single-path: the decision time of every job.
    public var single = DecisionTime.paperBatch
    /// Multi-path and shared state: the decision time of batch jobs.
    public var batch = DecisionTime.paperBatch
    /// Multi-path and shared state: the decision time of service jobs.
    public var service = DecisionTime(tJobMicros: 1_000_000, tTaskMicros: 5_000)
    /// Omega only: conflict detection and transaction semantics.
    public var conflictMode = ConflictMode.resourceFit
    public var transactionMode = TransactionMode.incremental
    /// A job still not fully scheduled after more than `maxAttempts` decisions is
    /// abandoned, and so is one with no task placed after more than
    /// `maxAttemptsWithoutProgress` (the Omega simulator: `> 1000`, `> 100`).
    public var maxAttempts = 1000
    public var maxAttemptsWithoutProgress = 100
    /// A job not fully scheduled goes back to the end of its scheduler's queue
    /// after this long (the simulator's `afterDelay(1)`: 1 s).
    public var retryDelayMicros: Int64 = 1_000_000

    public init(kind: DecisionArchitecture) { self.kind = kind }

    /// The decision time of a job of `cls`.
    public func decisionTime(_ cls: WorkloadClass) -> DecisionTime {
        kind == .singlePath ? single : cls == .batch ? batch : service
    }
}
