/// One DAG run of a workflow workload (dag_runs.csv, docs/workflows.md).
public struct DagRunRecord: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Every task succeeded.
        case success
        /// Some task failed after its retries (its downstream tasks are `upstream_failed`).
        case failed
        /// Not over at the end of the run (the horizon).
        case running
        /// Still waiting for a slot under `max_active_runs` at the end of the run.
        case queued
    }
    public var dag: String
    /// 0-based run number within the workflow.
    public var run: Int
    /// When the schedule created the run (µs).
    public var scheduledMicros: Int64
    /// When its first task started running (nil: none did).
    public var startMicros: Int64?
    /// When its last task reached a final state (nil: still running).
    public var endMicros: Int64?
    /// Longest dependency path, summing this run's task durations: the makespan with unlimited resources and no failures.
    public var criticalPathMicros: Int64
    public var tasks: Int
    public var succeeded: Int
    public var failed: Int
    /// Never submitted because an upstream task failed for good.
    public var upstreamFailed: Int
    /// Tries submitted beyond each task's first.
    public var retries: Int
    public var state: State

    public init(dag: String, run: Int, scheduledMicros: Int64, startMicros: Int64?, endMicros: Int64?, criticalPathMicros: Int64,
                tasks: Int, succeeded: Int, failed: Int, upstreamFailed: Int, retries: Int, state: State) {
        self.dag = dag
        self.run = run
        self.scheduledMicros = scheduledMicros
        self.startMicros = startMicros
        self.endMicros = endMicros
        self.criticalPathMicros = criticalPathMicros
        self.tasks = tasks
        self.succeeded = succeeded
        self.failed = failed
        self.upstreamFailed = upstreamFailed
        self.retries = retries
        self.state = state
    }

    /// From the scheduled time to the end (nil while running).
    public var makespanMicros: Int64? { endMicros.map { $0 - scheduledMicros } }
}
