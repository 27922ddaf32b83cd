import BerthCluster
import BerthFailures
import BerthSchedulers
import BerthSimulation
import BerthWorkloads

/// A loaded, validated scenario: everything a run needs, as plain values.
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    /// The scenario's own seed (the CLI's `--seed` overrides it).
    public var seed: UInt64
    /// Simulated time at which the run stops; nil runs until nothing is left to happen.
    public var horizonMicros: Int64?
    /// Interval between `timeseries.csv` samples.
    public var sampleIntervalMicros: Int64
    public var scheduler: SchedulerSpec
    public var catalog: ResourceCatalog
    public var nodes: [NodeSpec]
    public var workloads: [WorkloadSpec]
    public var initial: [InitialTaskSpec]
    /// Node failures and outages (`failures:`; empty: nothing fails).
    public var failures: FailureModel = FailureModel()
    /// Container failures and restart policies per workload index (absent: never crashes).
    public var crashes: [Int32: CrashSpec] = [:]
    /// Memory usage models and limits per workload index (absent: never OOM-killed).
    public var memory: [Int32: MemorySpec] = [:]
    /// Checkpoint interval (µs of work) per batch workload index (absent: lost work restarts from zero).
    public var checkpoints: [Int32: Int64] = [:]
    /// The file it came from (for messages).
    public var source: String
    /// `expect:` assertions on the run's results (`berth check`).
    public var expectations: [ScenarioExpectation]

    public init(name: String, description: String = "", seed: UInt64 = 1, horizonMicros: Int64? = nil,
                sampleIntervalMicros: Int64 = 60_000_000, scheduler: SchedulerSpec, catalog: ResourceCatalog,
                nodes: [NodeSpec], workloads: [WorkloadSpec], initial: [InitialTaskSpec] = [], source: String = "",
                expectations: [ScenarioExpectation] = []) {
        self.name = name
        self.description = description
        self.seed = seed
        self.horizonMicros = horizonMicros
        self.sampleIntervalMicros = sampleIntervalMicros
        self.scheduler = scheduler
        self.catalog = catalog
        self.nodes = nodes
        self.workloads = workloads
        self.initial = initial
        self.source = source
        self.expectations = expectations
    }
}
