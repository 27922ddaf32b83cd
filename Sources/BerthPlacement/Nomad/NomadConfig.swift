/// Nomad's scheduler configuration as far as placement reads it
/// (upstream `structs.SchedulerConfiguration`, `nomad operator scheduler set-config`).
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

    /// `num_schedulers`: with a value, the evaluation/plan architecture with that
    /// many scheduler workers (``NomadScheduler`` in BerthSchedulers); nil runs the
    /// stack on the monolithic queue, one placement committed at a time.
    public var numSchedulers: Int?

    public static let defaultNodeLimitForFeasibilityChecks = 100

    public init(algorithm: Algorithm = .binpack, memoryOversubscription: Bool = false,
                nodeLimitForFeasibilityChecks: Int = NomadConfig.defaultNodeLimitForFeasibilityChecks) {
        self.algorithm = algorithm
        self.memoryOversubscription = memoryOversubscription
        self.nodeLimitForFeasibilityChecks = nodeLimitForFeasibilityChecks
    }
}
