import BerthCluster

/// Filter: a cordoned node (`spec.unschedulable`) rejects the pod unless the
/// pod tolerates the `node.kubernetes.io/unschedulable:NoSchedule` taint, in
/// which case it also tolerates the cordon (as DaemonSet pods do).
///
/// The verdict is `UnschedulableAndUnresolvable`: preemption cannot uncordon a node.
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

    public var name: String { Self.name }

    public init() {}

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        guard node.unschedulable else { return .success }
        let cordon = Taint(key: Self.unschedulableTaintKey, effect: .noSchedule)
        if pod.spec.tolerations.contains(where: { $0.tolerates(cordon) }) { return .success }
        return Status(.unschedulableAndUnresolvable, [Self.reasonUnschedulable])
    }
}
