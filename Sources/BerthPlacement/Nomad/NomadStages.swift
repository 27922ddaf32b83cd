import BerthCluster

/// A Nomad feasibility iterator or checker: nil when the node passes, else
/// the reason upstream records with `ctx.Metrics().FilterNode`.
public protocol NomadFeasibilityStage: Sendable {
    var name: String { get }
    func rejection(_ node: Int32, _ ev: NomadEvaluation, _ view: ClusterView, _ spec: TaskSpec) -> String?
}

/// What a rank iterator contributes for one node: the value it reports with
/// `ctx.Metrics().ScoreNode`, and whether it appended it to `RankedNode.Scores`
/// (only appended scores count in the normalised average).
public struct NomadScore: Sendable, Equatable {
    public var value: Double
    public var appended: Bool
    public static let none = NomadScore(value: 0, appended: false)
    public init(value: Double, appended: Bool) {
        self.value = value
        self.appended = appended
    }
}

/// A Nomad rank iterator (BinPack, JobAntiAffinity, …) scoring one node.
public protocol NomadRankStage: Sendable {
    var name: String { get }
    func score(_ node: Int32, _ ev: NomadEvaluation, _ view: ClusterView, _ spec: TaskSpec) -> NomadScore
}

/// The job's and task group's constraints (Berth's `node_selector` entries
/// become `${attr.key} = value` constraints first). A node fails on the first
/// unmet constraint, reported as upstream `Constraint.String()`.
/// `distinct_hosts`/`distinct_property` pass here (their own iterators follow).
///
/// Upstream: `ConstraintChecker` in nomad `scheduler/feasible/feasible.go`.
public struct ConstraintChecker: NomadFeasibilityStage {
    public init() {}
    public var name: String { "constraint" }
    public func rejection(_ node: Int32, _ ev: NomadEvaluation, _ view: ClusterView, _ spec: TaskSpec) -> String? {
        if ev.constraints.isEmpty { return nil }
        let n = view.node(Int(node))
        for c in ev.constraints where !c.op.isDistinct && !c.isSatisfied(by: n, regexes: ev.regexes) {
            return c.description
        }
        return nil
    }
}

/// `distinct_hosts`: no two allocations of the job on one node.
///
/// Upstream: `DistinctHostsIterator` in nomad `scheduler/feasible/feasible.go`
/// (Berth has one task group per job, so job- and group-level are the same).
public struct DistinctHostsIterator: NomadFeasibilityStage {
    public static let reason = "distinct_hosts"
    public init() {}
    public var name: String { "distinct_hosts" }
    public func rejection(_ node: Int32, _ ev: NomadEvaluation, _ view: ClusterView, _ spec: TaskSpec) -> String? {
        guard ev.distinctHosts else { return nil }
        return (ev.jobCounts[node] ?? 0) > 0 ? Self.reason : nil
    }
}

/// `distinct_property`: at most `value` (default 1) allocations of the job per
/// value of the attribute; a node without the attribute is filtered.
///
/// Upstream: `DistinctPropertyIterator` (feasible.go) over `propertySet` (propertyset.go).
public struct DistinctPropertyIterator: NomadFeasibilityStage {
    public init() {}
    public var name: String { "distinct_property" }
    public func rejection(_ node: Int32, _ ev: NomadEvaluation, _ view: ClusterView, _ spec: TaskSpec) -> String? {
        if ev.distinctProperties.isEmpty { return nil }
        let n = view.node(Int(node))
        for set in ev.distinctProperties {
            if let reason = set.distinctRejection(n) { return reason }
        }
        return nil
    }
}

/// Upstream `JobAntiAffinityIterator`: with `c` allocations of the same job and
/// task group already on the node, appends −(c+1)/count; with none, reports 0
/// and appends nothing.
///
/// Upstream: nomad `scheduler/feasible/rank.go`.
public struct JobAntiAffinityIterator: NomadRankStage {
    public init() {}
    public var name: String { "job-anti-affinity" }
    public func score(_ node: Int32, _ ev: NomadEvaluation, _ view: ClusterView, _ spec: TaskSpec) -> NomadScore {
        let collisions = ev.jobCounts[node] ?? 0
        guard collisions > 0 else { return .none }
        return NomadScore(value: -1 * Double(collisions + 1) / Double(ev.desiredCount), appended: true)
    }
}

/// Upstream `NodeReschedulingPenaltyIterator`: −1 on nodes where an earlier
/// allocation of this job failed. Berth does not reschedule failed
/// allocations yet, so the penalty set is always empty and this reports 0.
///
/// Upstream: nomad `scheduler/feasible/rank.go`.
public struct NodeReschedulingPenaltyIterator: NomadRankStage {
    public init() {}
    public var name: String { "node-reschedule-penalty" }
    public func score(_ node: Int32, _ ev: NomadEvaluation, _ view: ClusterView, _ spec: TaskSpec) -> NomadScore { .none }
}

/// Upstream `NodeAffinityIterator`: Σ weights of matching affinities / Σ |weights|,
/// in −1…1, appended whenever the task group has affinities.
///
/// Upstream: nomad `scheduler/feasible/rank.go` (`matchesAffinity` uses `checkConstraint`).
public struct NodeAffinityIterator: NomadRankStage {
    public init() {}
    public var name: String { "node-affinity" }
    public func score(_ node: Int32, _ ev: NomadEvaluation, _ view: ClusterView, _ spec: TaskSpec) -> NomadScore {
        if ev.affinities.isEmpty { return .none }
        let n = view.node(Int(node))
        var sumWeight = 0.0, total = 0.0
        for a in ev.affinities { sumWeight += abs(Double(a.weight)) }
        for a in ev.affinities where a.constraint.isSatisfied(by: n, regexes: ev.regexes) { total += Double(a.weight) }
        return NomadScore(value: total / sumWeight, appended: true)
    }
}

/// Upstream `PreemptionScoringIterator`: for an option that preempts, appends
/// `preemptionScore(netPriority(victims))` — close to 1 for low-priority
/// victims, 0.5 at a net priority of 2048.
///
/// Upstream: nomad `scheduler/feasible/rank.go`.
public struct PreemptionScoringIterator: NomadRankStage {
    public init() {}
    public var name: String { "preemption" }
    public func score(_ node: Int32, _ ev: NomadEvaluation, _ view: ClusterView, _ spec: TaskSpec) -> NomadScore {
        if ev.optionVictimPriorities.isEmpty { return .none }
        let net = NomadPreemption.netPriority(ev.optionVictimPriorities)
        return NomadScore(value: NomadPreemption.preemptionScore(net), appended: true)
    }
}
