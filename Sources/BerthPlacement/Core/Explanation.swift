import BerthCluster
import BerthSimulation

// The explain sink shared by every policy family: a decision for one task,
// described node by node. `berth explain` turns it into explain.csv
// (docs/reports.md). Kubernetes fills it from its framework cycle; other
// families (Nomad, Swarm, ECS, ...) map their own pipeline stages onto it:
// `rejectedBy` is the filter/constraint/checker that rejected a node and
// `scorePluginNames` are the score components in pipeline order.

/// How one node fared in one placement decision (the rows of `explain.csv`).
public struct NodeEvaluation: Sendable, Equatable {
    public var node: Int
    /// Not evaluated: outside the `percentageOfNodesToScore` window.
    public var evaluated: Bool
    public var feasible: Bool
    /// The first filter (pre-filter, constraint, checker) that rejected the node, and why.
    public var rejectedBy: String?
    public var reason: String?
    /// Per score component (pipeline order): raw, normalised, weighted.
    public var raw: [Int64]
    public var normalized: [Int64]
    public var weighted: [Int64]
    public var total: Int64
    public var selected: Bool

    public init(node: Int, evaluated: Bool, feasible: Bool, rejectedBy: String? = nil, reason: String? = nil,
                raw: [Int64] = [], normalized: [Int64] = [], weighted: [Int64] = [], total: Int64 = 0, selected: Bool = false) {
        self.node = node
        self.evaluated = evaluated
        self.feasible = feasible
        self.rejectedBy = rejectedBy
        self.reason = reason
        self.raw = raw
        self.normalized = normalized
        self.weighted = weighted
        self.total = total
        self.selected = selected
    }
}

/// The result of one scheduling cycle for one pod.
public struct CycleResult: Sendable {
    public var selected: Int?
    /// The selected node's total score (nil when nothing was selected or when
    /// the selection needed no scoring, e.g. a single feasible node).
    public var selectedScore: Int64?
    public var feasibleNodes: Int
    /// Nodes filtered (feasible or not) before the search stopped.
    public var evaluatedNodes: Int
    /// Why the pod is unschedulable: reason → number of nodes (empty when placed).
    public var diagnosis: [String: Int]
    /// True when a rejecting status was `unschedulable` on some node (preemption may help).
    public var preemptionMightHelp: Bool
    /// The plugins that rejected nodes (the queue moves the pod back on events they register for).
    public var rejectingPlugins: Set<String> = []
    /// True when the pod's nominated node rejected it as `UnschedulableAndUnresolvable`
    /// (upstream `PodEligibleToPreemptOthers` then lets it preempt again).
    public var nominatedNodeUnresolvable = false
    /// Per node, when the cycle ran with `explain: true`.
    public var evaluations: [NodeEvaluation]
    public var scorePluginNames: [String]

    public init(selected: Int?, feasibleNodes: Int, evaluatedNodes: Int, diagnosis: [String: Int] = [:],
                preemptionMightHelp: Bool = false, rejectingPlugins: Set<String> = [], evaluations: [NodeEvaluation] = [],
                scorePluginNames: [String] = []) {
        self.selected = selected
        self.feasibleNodes = feasibleNodes
        self.evaluatedNodes = evaluatedNodes
        self.diagnosis = diagnosis
        self.preemptionMightHelp = preemptionMightHelp
        self.rejectingPlugins = rejectingPlugins
        self.evaluations = evaluations
        self.scorePluginNames = scorePluginNames
    }
}


/// A placement engine that can describe one decision node by node, for
/// `berth explain`. `explain` must choose what `place` would choose on the
/// same view and random stream, but it describes every node (it may lift
/// search limits such as kube-scheduler's `percentageOfNodesToScore`; say so).
public protocol ExplainablePlacement: AnyObject {
    func explain(_ task: Int32, _ spec: TaskSpec, in view: ClusterView, random: RandomStream) -> CycleResult
}
