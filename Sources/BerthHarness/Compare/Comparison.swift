import BerthReports
import BerthScenario
import BerthSchedulers
import BerthSimulation

/// A scheduler taking part in a comparison: the name it is reported under and its spec.
public struct NamedScheduler: Sendable, Equatable {
    /// The name `--schedulers` takes for each scenario's own `scheduler:` (with its options).
    public static let scenarioOwn = "scenario"

    public var name: String
    /// nil: each scenario's own scheduler.
    public var spec: SchedulerSpec?
    public init(name: String, spec: SchedulerSpec?) {
        self.name = name
        self.spec = spec
    }
}

/// The run matrix of `berth compare`: every scenario × scheduler × replication,
/// with common random numbers — replication *i* of a scenario runs with the
/// same seed under every scheduler (``replicationSeed(base:replication:)``),
/// so the workloads are identical and differences come from the schedulers.
public struct ComparisonPlan: Sendable {
    public var scenarios: [Scenario]
    public var schedulers: [NamedScheduler]
    public var replications: Int
    /// Index into `schedulers` of the scheduler the others are compared with.
    public var baseline: Int

    public init(scenarios: [Scenario], schedulers: [NamedScheduler], replications: Int, baseline: Int = 0) {
        self.scenarios = scenarios
        self.schedulers = schedulers
        self.replications = replications
        self.baseline = baseline
    }

    /// One run of the matrix.
    public struct Run: Sendable, Equatable {
        public var scenario: Int
        public var scheduler: Int
        public var replication: Int
        public var seed: UInt64
        public init(scenario: Int, scheduler: Int, replication: Int, seed: UInt64) {
            self.scenario = scenario
            self.scheduler = scheduler
            self.replication = replication
            self.seed = seed
        }
    }

    /// The seed of replication `replication` (0-based) of a scenario whose seed
    /// is `base`: `splitmix64(base ⊕ fnv1a64("replication/<i>"))`, the same
    /// derivation as the named random streams (docs/architecture.md), so it is
    /// stable across platforms and Swift versions. It does not depend on the
    /// scheduler: that is what makes the random numbers common.
    public static func replicationSeed(base: UInt64, replication: Int) -> UInt64 {
        RandomStreams.derive(seed: base, name: "replication/\(replication)")
    }

    /// Every run, in report order: scenario, then scheduler, then replication.
    public var runs: [Run] {
        scenarios.indices.flatMap { s in
            schedulers.indices.flatMap { k in
                (0..<replications).map { i in
                    Run(scenario: s, scheduler: k, replication: i,
                        seed: Self.replicationSeed(base: scenarios[s].seed, replication: i))
                }
            }
        }
    }
}

/// What one run of a comparison produced: the summary.csv columns after
/// `scenario,scheduler,seed`, as written there (the metrics).
public struct RunRecord: Sendable, Equatable {
    public var run: ComparisonPlan.Run
    public var metricNames: [String]
    /// The fields exactly as summary.csv writes them ("" = no value).
    public var fields: [String]

    /// What the HTML report draws beyond the metrics (kept by `berth compare` only).
    public var detail: RunDetail?

    public init(run: ComparisonPlan.Run, metricNames: [String], fields: [String], detail: RunDetail? = nil) {
        self.run = run
        self.metricNames = metricNames
        self.fields = fields
        self.detail = detail
    }

    /// The value of `metric`, nil when the run has none (an empty field).
    public func value(_ metric: String) -> Double? {
        guard let i = metricNames.firstIndex(of: metric) else { return nil }
        return Double(fields[i])
    }
}

/// The time series and wait times of one run, for series.csv and wait_cdf.csv.
public struct RunDetail: Sendable, Equatable {
    /// timeseries.csv's `time_s, running, pending, cpu_alloc_frac, memory_alloc_frac`,
    /// as written there (replication 0 only; empty for the others).
    public var series: [[String]]
    /// Every started task's wait, in seconds (submission order).
    public var waits: [Double]
}

public enum Comparison {
    /// The summary.csv columns that are not metrics.
    static let identityColumns = ["scenario", "scheduler", "seed"]

    /// Runs every run of `plan`, at most `jobs` at a time, and returns the
    /// records in `plan.runs` order — whatever `jobs` is, the records (and so
    /// every file written from them) are the same.
    /// - Parameter progress: called on the calling task after each run with (index into `plan.runs`, runs finished so far).
    /// - Parameter details: keep each run's ``RunDetail`` (for series.csv, wait_cdf.csv and the HTML report).
    public static func execute(_ plan: ComparisonPlan, jobs: Int, details: Bool = true,
                               progress: (Int, Int) -> Void = { _, _ in }) async throws(RunError) -> [RunRecord] {
        let runs = plan.runs
        return try await Parallel.map(runs.count, jobs: jobs, { i throws(RunError) in
            let run = runs[i]
            let scenario = plan.scenarios[run.scenario]
            return try record(run, scenario: scenario, spec: plan.schedulers[run.scheduler].spec ?? scenario.scheduler, details: details)
        }, finished: progress)
    }

    /// The timeseries.csv columns series.csv keeps.
    static let seriesColumns = ["time_s", "running", "pending", "cpu_alloc_frac", "memory_alloc_frac"]

    /// Makes one run and keeps its summary row (the metrics) and, with `details`, its ``RunDetail``.
    static func record(_ run: ComparisonPlan.Run, scenario: Scenario, spec: SchedulerSpec,
                       details: Bool = false) throws(RunError) -> RunRecord {
        let result = try Simulator(scenario: scenario, options: RunOptions(seed: run.seed, scheduler: spec)).run()
        let table = RunReports.summary(result.summary)
        let skip = identityColumns.count
        var detail: RunDetail?
        if details {
            var series: [[String]] = []
            if run.replication == 0 {
                let timeseries = RunReports.timeseries(result.timeseries, cluster: result.cluster)
                let columns = seriesColumns.compactMap { timeseries.header.firstIndex(of: $0) }
                if columns.count == seriesColumns.count { series = timeseries.rows.map { row in columns.map { row[$0] } } }
            }
            let waits = result.cluster.tasks.compactMap(\.waitSeconds)
            detail = RunDetail(series: series, waits: waits)
        }
        return RunRecord(run: run, metricNames: Array(table.header.dropFirst(skip)), fields: Array(table.rows[0].dropFirst(skip)),
                         detail: detail)
    }
}
