/// Nomad's scheduler configuration as far as placement reads it
/// (upstream `structs.SchedulerConfiguration`, `nomad operator scheduler set-config`).
import BerthCluster

public struct NomadConfig: Sendable, Equatable {
    /// `scheduler_algorithm`: which fit function the BinPackIterator uses.
    public enum Algorithm: String, Sendable, CaseIterable {
        /// `ScoreFitBinPack` (the default).
        case binpack
        /// `ScoreFitSpread`.
        case spread
    }

    public var algorithm: Algorithm
    /// `memory_oversubscription_enabled`: tasks may give `memory_max`. Placement
    /// is unchanged — upstream fits and scores on `memory` only (see docs/nomad.md).
    public var memoryOversubscription: Bool
    /// `node_limit_for_feasibility_checks` (default 100): the limit iterator's
    /// limit when a task group has affinities or spreads and `count` is smaller.
    public var nodeLimitForFeasibilityChecks: Int

    /// `num_schedulers`: the evaluation/plan architecture with that many scheduler
    /// workers (``NomadScheduler`` in BerthSchedulers; the presets use 1); nil (scenario
    /// `num_schedulers: 0`) runs the stack on the monolithic queue instead, one
    /// placement committed at a time, without preemption.
    public var numSchedulers: Int?

    /// `preemption_config`: which schedulers may preempt lower-priority allocations
    /// (Nomad's defaults: system only). Preemption needs the evaluation/plan
    /// architecture (`num_schedulers`), whose plan applier evicts the victims.
    public var preemption = Preemption()

    public struct Preemption: Sendable, Equatable {
        public var systemSchedulerEnabled = true
        public var sysbatchSchedulerEnabled = false
        public var batchSchedulerEnabled = false
        public var serviceSchedulerEnabled = false
        public init() {}

        public func enabled(for type: NomadDetails.JobType) -> Bool {
            switch type {
            case .system: systemSchedulerEnabled
            case .sysbatch: sysbatchSchedulerEnabled
            case .batch: batchSchedulerEnabled
            case .service: serviceSchedulerEnabled
            }
        }
    }

    public static let defaultNodeLimitForFeasibilityChecks = 100

    public init(algorithm: Algorithm = .binpack, memoryOversubscription: Bool = false,
                nodeLimitForFeasibilityChecks: Int = NomadConfig.defaultNodeLimitForFeasibilityChecks, numSchedulers: Int? = nil) {
        self.numSchedulers = numSchedulers
        self.algorithm = algorithm
        self.memoryOversubscription = memoryOversubscription
        self.nodeLimitForFeasibilityChecks = nodeLimitForFeasibilityChecks
    }
}
