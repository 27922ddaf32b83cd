import BerthCluster

/// PreFilter + Filter: the host ports the pod's containers bind must not
/// conflict with host ports already bound on the node.
///
/// Two ports conflict when protocol and port are equal and either host IP is
/// the wildcard `0.0.0.0` or both IPs are equal (``HostPort/conflicts(with:)``).
/// PreFilter collects the pod's host ports (ports ≤ 0 bind nothing) and returns
/// `Skip` when there are none; Filter answers `Unschedulable` on a conflict
/// (preemption can free a port).
///
/// Upstream: pkg/scheduler/framework/plugins/nodeports/node_ports.go (v1.28).
/// Berth simplifies: the pod's host ports are one flat list (``PodDetails/hostPorts``)
/// rather than per container; no queueing hints.
public struct NodePorts: PreFilterPlugin, FilterPlugin {
    public var isNodeLocal: Bool { true }
    public static let name = "NodePorts"
    /// Upstream `ErrReason`.
    public static let reason = "node(s) didn't have free ports for the requested pod ports"
    /// Upstream `preFilterStateKey`.
    public static let preFilterStateKey = "PreFilter" + name
    /// The Filter's error when PreFilter did not run (upstream: the CycleState read error).
    public static let reasonNoPreFilterState = "reading \"\(preFilterStateKey)\" from cycleState: not found"

    public var name: String { Self.name }

    public init() {}

    /// The host ports the pod binds (upstream `getContainerPorts`, keeping only
    /// ports that bind a host port).
    public static func wantedPorts(_ pod: PodInfo) -> [HostPort] {
        (pod.pod?.hostPorts ?? []).filter { $0.port > 0 }
    }

    /// Upstream `Fits`: no wanted port conflicts with a port in use on the node.
    public static func fits(_ wanted: [HostPort], _ node: NodeInfo) -> Bool {
        if wanted.isEmpty { return true }
        let used = node.usedPorts
        return !wanted.contains { want in used.contains { $0.conflicts(with: want) } }
    }

    public func preFilter(_ state: CycleState, pod: PodInfo, nodes: NodeList) -> Status {
        let wanted = Self.wantedPorts(pod)
        if wanted.isEmpty { return Status(.skip) }
        state.write(Self.preFilterStateKey, wanted)
        return .success
    }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        guard let wanted = state.read(Self.preFilterStateKey, as: [HostPort].self) else {
            return Status(.error, [Self.reasonNoPreFilterState])
        }
        return Self.fits(wanted, node) ? .success : Status(.unschedulable, [Self.reason])
    }
}
