import BerthCluster

/// kube-scheduler's PodTopologySpread plugin (v1.28,
/// pkg/scheduler/framework/plugins/podtopologyspread), re-implemented:
///
/// - PreFilter/Filter enforce the pod's `DoNotSchedule` constraints: placing
///   the pod on a node must keep `matching pods in the node's domain + (1 if
///   the pod matches its own selector) − global minimum ≤ maxSkew`, where the
///   global minimum is taken over the eligible domains (0 when there are fewer
///   than `minDomains` of them). Nodes without the topology key are rejected
///   as unresolvable.
/// - PreScore/Score/NormalizeScore prefer nodes whose domains hold fewer
///   matching pods for the `ScheduleAnyway` constraints (see
///   `PodTopologySpread+Scoring.swift`).
/// - With no constraints on the pod, the cluster-level default constraints
///   apply (`System`: hostname maxSkew 3 and zone maxSkew 5, both
///   ScheduleAnyway — so they only affect scoring).
///
/// Node inclusion (`nodeAffinityPolicy`, `nodeTaintsPolicy`), `minDomains` and
/// `matchLabelKeys` behave as with their v1.28 feature gates on (the default).
///
/// Berth simplifications (see docs/kubernetes.md):
/// - One namespace: every pod counts, upstream counts only the pod's namespace.
/// - No terminating pods: a task on a node is running.
/// - Default constraints: upstream builds their selector from the Services,
///   ReplicaSets, ReplicationControllers and StatefulSets that select the pod;
///   Berth has no such objects and uses the pod's own labels (every task of a
///   workload carries the workload's labels) — a pod without labels gets no
///   default spreading, as an upstream pod that no Service/controller selects.
/// - Counts are kept per constraint. v1.28 keyed them by (topologyKey, value),
///   which differs only for two constraints of one pod sharing both
///   topologyKey and whenUnsatisfiable — a pod the API server rejects
///   (see ``TopologySpreadConstraint/validate(_:)``).
public struct PodTopologySpread: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScoreNormalizing, BatchScoring {
    public static let pluginName = "PodTopologySpread"
    public var name: String { Self.pluginName }

    /// Upstream `ErrReasonConstraintsNotMatch`.
    public static let errReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints"
    /// Upstream `ErrReasonNodeLabelNotMatch`.
    public static let errReasonNodeLabelNotMatch = errReasonConstraintsNotMatch + " (missing required label)"

    /// `PodTopologySpreadArgs.defaultingType`.
    public enum DefaultingType: String, Sendable, CaseIterable {
        case system = "System", list = "List"
    }

    /// Upstream `systemDefaultConstraints`.
    public static let systemDefaultConstraints: [TopologySpreadConstraint] = [
        TopologySpreadConstraint(maxSkew: 3, topologyKey: NodeLabel.hostname, whenUnsatisfiable: .scheduleAnyway),
        TopologySpreadConstraint(maxSkew: 5, topologyKey: NodeLabel.zone, whenUnsatisfiable: .scheduleAnyway),
    ]

    public let defaultingType: DefaultingType
    /// The constraints applied to pods without their own (for `System`, the system defaults).
    public let defaultConstraints: [TopologySpreadConstraint]
    /// Upstream `systemDefaulted`: scoring then tolerates nodes missing a topology key.
    public var systemDefaulted: Bool { defaultingType == .system }

    /// `defaultConstraints` is used only with `.list` (upstream rejects a
    /// non-empty list with `System`; Berth ignores it).
    public init(defaultingType: DefaultingType = .system, defaultConstraints: [TopologySpreadConstraint] = []) {
        self.defaultingType = defaultingType
        self.defaultConstraints = defaultingType == .system ? Self.systemDefaultConstraints : defaultConstraints
    }

    static let preFilterStateKey = "PreFilter" + pluginName
    static let preScoreStateKey = "PreScore" + pluginName
    static let countersKey = "Counters" + pluginName

    /// Upstream internal `topologySpreadConstraint`: the API constraint with
    /// its selector compiled (matchLabelKeys merged in) and defaults applied.
    struct Constraint: Equatable {
        var maxSkew: Int32
        var topologyKey: String
        var selector: CompiledLabelSelector
        var minDomains: Int32
        var nodeAffinityPolicy: NodeInclusionPolicy
        var nodeTaintsPolicy: NodeInclusionPolicy

        /// Upstream `matchNodeInclusionPolicies`: whether `node` counts towards
        /// this constraint's domains for `pod`.
        func includes(_ node: NodeInfo, for pod: PodInfo) -> Bool {
            if nodeAffinityPolicy == .honor && !PodTopologySpread.requiredNodeAffinityMatches(pod, node) { return false }
            if nodeTaintsPolicy == .honor && PodTopologySpread.hasUntoleratedTaint(pod, node) { return false }
            return true
        }
    }

    struct SelectorError: Error { var message: String }

    /// Upstream `filterTopologySpreadConstraints`: the constraints with the
    /// given action, compiled.
    static func filterConstraints(_ constraints: [TopologySpreadConstraint], podLabels: [String: String],
                                  action: UnsatisfiableConstraintAction) throws(SelectorError) -> [Constraint] {
        var result: [Constraint] = []
        for c in constraints where c.whenUnsatisfiable == action {
            if let e = c.labelSelector?.validationError { throw SelectorError(message: e) }
            var selector = LabelSelector.compile(c.labelSelector)
            if !c.matchLabelKeys.isEmpty {
                var set: [String: String] = [:]
                for key in c.matchLabelKeys { if let v = podLabels[key] { set[key] = v } }
                if !set.isEmpty { selector = merge(set, into: selector) }
            }
            result.append(Constraint(maxSkew: c.maxSkew, topologyKey: c.topologyKey, selector: selector,
                                     minDomains: c.effectiveMinDomains, nodeAffinityPolicy: c.effectiveNodeAffinityPolicy,
                                     nodeTaintsPolicy: c.effectiveNodeTaintsPolicy))
        }
        return result
    }

    /// Upstream `mergeLabelSetWithSelector`: `Nothing` stays `Nothing`.
    static func merge(_ set: [String: String], into selector: CompiledLabelSelector) -> CompiledLabelSelector {
        guard let existing = selector.requirementList else { return selector }
        guard case .requirements(let fromSet) = CompiledLabelSelector.fromSet(set) else { return selector }
        return .requirements(fromSet + existing)
    }

    /// Upstream `buildDefaultConstraints` with Berth's default selector (the pod's labels).
    func buildDefaultConstraints(_ pod: PodInfo, action: UnsatisfiableConstraintAction) throws(SelectorError) -> [Constraint] {
        var constraints = try Self.filterConstraints(defaultConstraints, podLabels: pod.labels, action: action)
        if constraints.isEmpty { return [] }
        let selector = Self.defaultSelector(pod)
        if selector.isEmpty { return [] }
        for i in constraints.indices { constraints[i].selector = selector }
        return constraints
    }

    /// Berth's stand-in for upstream `helper.DefaultSelector`: the pod's own labels.
    static func defaultSelector(_ pod: PodInfo) -> CompiledLabelSelector { .fromSet(pod.labels) }

    /// The pod's own constraints with `action`, or the defaults when it has none.
    func constraints(for pod: PodInfo, action: UnsatisfiableConstraintAction) throws(SelectorError) -> [Constraint] {
        let own = pod.pod?.topologySpreadConstraints ?? []
        if !own.isEmpty { return try Self.filterConstraints(own, podLabels: pod.labels, action: action) }
        return try buildDefaultConstraints(pod, action: action)
    }

    /// Upstream `nodeLabelsMatchSpreadConstraints`: the node has every topology key.
    static func nodeHasAllKeys(_ labels: [String: String], _ constraints: [Constraint]) -> Bool {
        constraints.allSatisfy { labels[$0.topologyKey] != nil }
    }

    /// Upstream `countPodsMatchSelector` (one namespace, no terminating pods):
    /// an empty selector counts nothing.
    /// Pods on `node` whose labels the selector matches. Visits the node's
    /// distinct label sets (pods of one workload share one), not its pods.
    static func countMatching(_ node: NodeInfo, _ selector: CompiledLabelSelector) -> Int {
        if selector.isEmpty { return 0 }
        var count = 0
        for entry in node.view.labelSetCounts(on: node.index) where selector.matches(node.view.labelSet(entry.set)) {
            count += Int(entry.count)
        }
        return count
    }

    /// component-helpers `GetRequiredNodeAffinity(pod).Match(node)`: the node
    /// selector and (when set) one of the required node-affinity terms.
    static func requiredNodeAffinityMatches(_ pod: PodInfo, _ node: NodeInfo) -> Bool {
        let labels = node.labels
        for (key, value) in pod.spec.nodeSelector where labels[key] != value { return false }
        if let terms = pod.pod?.nodeAffinity?.required {
            let name = node.name
            return terms.contains { $0.matches(labels: labels, nodeName: name) }
        }
        return true
    }

    /// `FindMatchingUntoleratedTaint` with `DoNotScheduleTaintsFilterFunc`:
    /// a NoSchedule/NoExecute taint the pod does not tolerate.
    static func hasUntoleratedTaint(_ pod: PodInfo, _ node: NodeInfo) -> Bool {
        node.taints.contains { taint in
            taint.effect != .preferNoSchedule && !pod.spec.tolerations.contains { $0.tolerates(taint) }
        }
    }
}
