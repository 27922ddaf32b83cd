import BerthCluster

/// Filter: a cordoned node (`spec.unschedulable`) rejects the pod unless the
/// pod tolerates the `node.kubernetes.io/unschedulable:NoSchedule` taint, in
/// which case it also tolerates the cordon (as DaemonSet pods do).
///
/// The verdict is `UnschedulableAndUnresolvable`: preemption cannot uncordon a node.
///
/// A node that is **down** (issue #6 failures) rejects every pod here. Upstream
/// the node lifecycle controller taints a node whose kubelet stopped reporting
/// `node.kubernetes.io/unreachable:NoSchedule` and `TaintToleration` rejects it;
/// Berth rejects it in this first filter, with upstream's taint message, even
/// for a pod that tolerates the taint (upstream would bind such a pod to the
/// dead node, where it could not start until the node returned).
///
/// Upstream: pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go (v1.28).
/// Berth simplifies: a node always exists, so the "unknown conditions" branch for a
/// missing node object cannot occur; no queueing hints.
public struct NodeUnschedulable: FilterPlugin {
    public var isNodeLocal: Bool { true }
    public static let name = "NodeUnschedulable"
    /// Upstream `ErrReasonUnschedulable`.
    public static let reasonUnschedulable = "node(s) were unschedulable"
    /// Upstream `ErrReasonUnknownCondition` (kept for completeness; unreachable in Berth).
    public static let reasonUnknownCondition = "node(s) had unknown conditions"
    /// Upstream `v1.TaintNodeUnschedulable`.
    public static let unschedulableTaintKey = "node.kubernetes.io/unschedulable"
    /// Upstream `v1.TaintNodeUnreachable`, as TaintToleration reports it.
    public static let reasonDown = "node(s) had untolerated taint {node.kubernetes.io/unreachable: }"

    public var name: String { Self.name }

    public init() {}

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        if node.isDown { return Status(.unschedulableAndUnresolvable, [Self.reasonDown]) }
        guard node.unschedulable else { return .success }
        let cordon = Taint(key: Self.unschedulableTaintKey, effect: .noSchedule)
        if pod.spec.tolerations.contains(where: { $0.tolerates(cordon) }) { return .success }
        return Status(.unschedulableAndUnresolvable, [Self.reasonUnschedulable])
    }
}
