import BerthCluster

/// Filter: a pod that names a node (`spec.nodeName`) fits only that node; a pod
/// without a node name fits every node.
///
/// The verdict is `UnschedulableAndUnresolvable`.
///
/// Upstream: pkg/scheduler/framework/plugins/nodename/node_name.go (v1.28: Filter only;
/// the PreFilter that narrows the node list arrived after v1.28). Berth simplifies:
/// no queueing hints.
public struct NodeName: FilterPlugin {
    public var isNodeLocal: Bool { true }
    public static let name = "NodeName"
    /// Upstream `ErrReason`.
    public static let reason = "node(s) didn't match the requested node name"

    public var name: String { Self.name }

    public init() {}

    /// Upstream `Fits`: no node name, or the node's name equals it.
    public static func fits(_ pod: PodInfo, _ node: NodeInfo) -> Bool {
        guard let wanted = pod.pod?.nodeName, !wanted.isEmpty else { return true }
        return wanted == node.name
    }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        Self.fits(pod, node) ? .success : Status(.unschedulableAndUnresolvable, [Self.reason])
    }
}
