/// The Kubernetes Job controller's failure handling (pkg/controller/job,
/// v1.28) for batch workloads, as far as it shapes placement:
///
/// - A pod of a Job that fails counts towards `backoffLimit` (default 6),
///   unless the Job's `podFailurePolicy` says otherwise: its first rule that
///   matches the failed pod (exit codes, or conditions such as the
///   `DisruptionTarget` of a preempted, evicted or node-lost pod) decides —
///   `Ignore` (not counted), `Count`, or `FailJob` (the Job fails at once).
/// - When the failures exceed `backoffLimit` the Job fails
///   (`BackoffLimitExceeded`): its active pods are deleted and no more are created.
/// - Otherwise the replacement pod is created after the pod-failure back-off:
///   10 s × 2^(n − 1), at most 6 minutes, where n counts the failures since the
///   Job's last successful pod (upstream `backoffRecord.failuresAfterLastSuccess`,
///   `getRemainingTime`). Failures handled in one sync (several pods evicted at
///   one instant) share the back-off of the last one, as they do upstream.
struct JobController {
    static let defaultBackoffMicros: Int64 = 10_000_000
    static let maxBackoffMicros: Int64 = 360_000_000

    struct JobState {
        var failed = 0
        var failuresAfterLastSuccess = 0
        var isFailed = false
    }

    private(set) var jobs: [Int64: JobState] = [:]
    /// Jobs that failed with BackoffLimitExceeded.
    private(set) var failedJobs = 0

    /// Upstream back-off for `failures` failures since the last success.
    static func backoffMicros(failuresAfterLastSuccess failures: Int) -> Int64 {
        guard failures > 0 else { return 0 }
        var delay = defaultBackoffMicros
        for _ in 1..<failures {
            delay *= 2
            if delay >= maxBackoffMicros { return maxBackoffMicros }
        }
        return min(delay, maxBackoffMicros)
    }

    func isFailed(_ job: Int64) -> Bool { jobs[job]?.isFailed ?? false }

    /// A pod of `job` succeeded: the back-off count starts again.
    mutating func podSucceeded(_ job: Int64) {
        guard jobs[job] != nil else { return }
        jobs[job]?.failuresAfterLastSuccess = 0
    }

    enum Decision: Equatable {
        /// Create the replacements after this delay.
        case recreate(afterMicros: Int64)
        /// The Job has failed: delete its active pods, create nothing.
        case failJob
        /// The Job had already failed.
        case ignore
    }

    /// `job` fails because its pods' container restarts reached `backoffLimit`
    /// (restart policy OnFailure; upstream `pastBackoffLimitOnFailure`).
    /// Returns false when it had already failed.
    mutating func failByRestarts(_ job: Int64) -> Bool {
        var state = jobs[job] ?? JobState()
        defer { jobs[job] = state }
        if state.isFailed { return false }
        state.isFailed = true
        failedJobs += 1
        return true
    }

    /// `count` pods of `job` failed at one instant, `ignored` of them matching
    /// an `Ignore` rule of its `podFailurePolicy` (not counted toward
    /// `backoffLimit`, but still toward the back-off delay: upstream
    /// `newBackoffRecord` counts every new failed pod). `failJob`: one matched
    /// a `FailJob` rule, and the Job fails whatever its counts.
    mutating func podsFailed(_ job: Int64, count: Int, ignored: Int = 0, backoffLimit: Int, failJob: Bool = false) -> Decision {
        var state = jobs[job] ?? JobState()
        defer { jobs[job] = state }
        if state.isFailed { return .ignore }
        state.failed += count - ignored
        state.failuresAfterLastSuccess += count
        if failJob || state.failed > backoffLimit {
            state.isFailed = true
            failedJobs += 1
            return .failJob
        }
        return .recreate(afterMicros: Self.backoffMicros(failuresAfterLastSuccess: state.failuresAfterLastSuccess))
    }
}
