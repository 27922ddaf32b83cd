import BerthCluster

/// Filter: every `NoSchedule` and `NoExecute` taint of the node must be
/// tolerated by one of the pod's tolerations; the first untolerated one (node
/// order) is named in the reason and the verdict is `UnschedulableAndUnresolvable`.
///
/// Score: the number of the node's `PreferNoSchedule` taints that the pod's
/// `PreferNoSchedule`-or-any-effect tolerations do not tolerate,
/// $s_n = |\{t \in \mathrm{taints}(n) : t.\mathrm{effect} = \mathrm{PreferNoSchedule} \wedge \neg\exists\tau.\ \tau \text{ tolerates } t\}|$,
/// normalised in reverse, $100 - \lfloor 100\, s_n / \max_m s_m \rfloor$ (all 100
/// when no node has such a taint), so fewer intolerable taints score higher.
///
/// Upstream: pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go (v1.28).
/// Berth simplifies: no queueing hints; the later `Gt`/`Lt` toleration operators
/// (after v1.28) are not modelled.
public struct TaintToleration: FilterPlugin, PreScorePlugin, ScoreNormalizing {
    public var isNodeLocal: Bool { true }
    public static let name = "TaintToleration"
    /// Upstream `preScoreStateKey`.
    public static let preScoreStateKey = "PreScore" + name
    /// The Score's error when PreScore did not run (upstream: the CycleState read error).
    public static let reasonNoPreScoreState = "reading \"\(preScoreStateKey)\" from cycleState: not found"

    /// Upstream's reason text, `node(s) had untolerated taint {key: value}`.
    public static func reasonUntolerated(_ taint: Taint) -> String {
        "node(s) had untolerated taint {\(taint.key): \(taint.value)}"
    }

    public var name: String { Self.name }

    public init() {}

    /// Upstream `v1helper.FindMatchingUntoleratedTaint` with the
    /// `DoNotScheduleTaintsFilterFunc` predicate (NoSchedule, NoExecute).
    public static func firstUntoleratedTaint(_ taints: [Taint], _ tolerations: [Toleration]) -> Taint? {
        taints.first { taint in
            (taint.effect == .noSchedule || taint.effect == .noExecute)
                && !tolerations.contains { $0.tolerates(taint) }
        }
    }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        guard let taint = Self.firstUntoleratedTaint(node.taints, pod.spec.tolerations) else { return .success }
        return Status(.unschedulableAndUnresolvable, [Self.reasonUntolerated(taint)])
    }

    /// Upstream `getAllTolerationPreferNoSchedule`: tolerations with no effect
    /// (every effect) or `PreferNoSchedule`.
    public static func preferNoScheduleTolerations(_ tolerations: [Toleration]) -> [Toleration] {
        tolerations.filter { $0.effect == nil || $0.effect == .preferNoSchedule }
    }

    /// Upstream `countIntolerableTaintsPreferNoSchedule`.
    public static func countIntolerablePreferNoSchedule(_ taints: [Taint], _ tolerations: [Toleration]) -> Int64 {
        var count: Int64 = 0
        for taint in taints where taint.effect == .preferNoSchedule {
            if !tolerations.contains(where: { $0.tolerates(taint) }) { count += 1 }
        }
        return count
    }

    public func preScore(_ state: CycleState, pod: PodInfo, nodes: NodeSet) -> Status {
        if nodes.isEmpty { return .success }
        state.write(Self.preScoreStateKey, Self.preferNoScheduleTolerations(pod.spec.tolerations))
        return .success
    }

    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> (Int64, Status) {
        guard let tolerations = state.read(Self.preScoreStateKey, as: [Toleration].self) else {
            return (0, Status(.error, [Self.reasonNoPreScoreState]))
        }
        return (Self.countIntolerablePreferNoSchedule(node.taints, tolerations), .success)
    }

    public var defaultNormalizationReverse: Bool? { true }

    public func normalizeScore(_ state: CycleState, pod: PodInfo, scores: inout [NodeScore]) -> Status {
        defaultNormalizeScore(maxPriority: maxNodeScore, reverse: true, scores: &scores)
        return .success
    }
}
