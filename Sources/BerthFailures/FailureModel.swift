import BerthSimulation

/// When a failure source fails: a random renewal process or scripted instants.
public enum FailureTiming: Sendable, Equatable {
    /// Time to the next failure, in seconds, drawn afresh after each repair
    /// (the first one counted from time 0).
    case random(DistributionSpec)
    /// Failures at these instants (µs, ascending). An instant that falls while
    /// the source is still down from the previous failure is skipped.
    case scripted([Int64])
}

/// What a failure does to a node.
public enum FailureEffect: String, Sendable, CaseIterable {
    /// The node dies: its tasks are killed at once.
    case crash
    /// A network partition: the node is NotReady (no new tasks) but its tasks
    /// keep running; they are evicted after their toleration of
    /// `node.kubernetes.io/unreachable` (300 s by default) unless it returns first.
    case partition
}

/// Independent node failures: every node the entry selects fails on its own,
/// drawing from its own random stream (`failures/<pool>/<node>` for a pool,
/// `failures/node/<node>` for one node).
public struct NodeFailureSpec: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        case pool(String)
        case node(String)
    }
    public var target: Target
    public var timing: FailureTiming
    /// Time to repair, in seconds.
    public var timeToRepair: DistributionSpec
    public var effect: FailureEffect
    /// Per node name, a factor its random time to failure is divided by
    /// (accelerated failure time: 2 fails twice as often; for an exponential
    /// this is exactly the hazard times 2).
    public var hazardMultipliers: [String: Double]

    public init(target: Target, timing: FailureTiming, timeToRepair: DistributionSpec, effect: FailureEffect = .crash,
                hazardMultipliers: [String: Double] = [:]) {
        self.target = target
        self.timing = timing
        self.timeToRepair = timeToRepair
        self.effect = effect
        self.hazardMultipliers = hazardMultipliers
    }
}

/// A correlated failure: every node whose label `label` equals `value` (a zone,
/// a rack, any topology domain) goes down together and comes back together.
/// Random outages draw from the stream `failures/outage/<label>=<value>`.
public struct OutageSpec: Sendable, Equatable {
    public var label: String
    public var value: String
    /// For `.random`, the time from the end of one outage (or from 0) to the next.
    public var timing: FailureTiming
    /// Outage length, in seconds.
    public var timeToRepair: DistributionSpec
    public var effect: FailureEffect
    /// When set (0 < x ≤ 1), each outage takes down only this fraction of the
    /// domain's nodes (rounded, at least one), drawn uniformly at random.
    public var intensity: Double?

    public init(label: String, value: String, timing: FailureTiming, timeToRepair: DistributionSpec, effect: FailureEffect = .crash,
                intensity: Double? = nil) {
        self.label = label
        self.value = value
        self.timing = timing
        self.timeToRepair = timeToRepair
        self.effect = effect
        self.intensity = intensity
    }
}

/// The scenario's `failures:` section: faults as data (conventions §11).
public struct FailureModel: Sendable, Equatable {
    public var nodeFailures: [NodeFailureSpec]
    public var outages: [OutageSpec]
    public var maintenance: [MaintenanceSpec] = []
    /// Disruption budgets by workload index (services only).
    public var budgets: [Int32: DisruptionBudget] = [:]
    /// `termination_grace_period_s` by workload index, where the scenario sets
    /// it (others take ``defaultTerminationGracePeriodMicros``).
    public var gracePeriods: [Int32: Int64] = [:]

    /// The grace period of `workload`'s pods (bare pods, workload -1, take the default).
    public func gracePeriodMicros(of workload: Int32) -> Int64 {
        gracePeriods[workload] ?? defaultTerminationGracePeriodMicros
    }
    /// `recovery:` (nil: Kubernetes controllers with instant detection, Berth's behaviour before recovery presets).
    public var recovery: RecoverySpec? = nil

    public init(nodeFailures: [NodeFailureSpec] = [], outages: [OutageSpec] = []) {
        self.nodeFailures = nodeFailures
        self.outages = outages
    }

    public var isEmpty: Bool { nodeFailures.isEmpty && outages.isEmpty && maintenance.isEmpty }

    /// Whether some source fails at random forever (a run then needs a horizon).
    public var hasRandomProcess: Bool {
        nodeFailures.contains { if case .random = $0.timing { true } else { false } }
            || outages.contains { if case .random = $0.timing { true } else { false } }
    }
}
