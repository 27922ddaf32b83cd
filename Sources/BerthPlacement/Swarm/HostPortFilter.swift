import BerthCluster

/// Host-mode published ports are exclusive per node: the node must not have
/// one of the task's (protocol, published port) pairs in use. Enabled when the
/// task publishes a host port. Berth takes the ports from the pod syntax
/// (`pod.containers[].host_ports`); host IPs are ignored, as in swarmkit.
/// Upstream: swarmkit `manager/scheduler/filter.go` `HostPortFilter`.
public struct HostPortFilter: SwarmFilter {
    public init() {}
    public var name: String { "HostPortFilter" }
    public func isEnabled(for task: TaskSpec) -> Bool { !(task.pod?.hostPorts.isEmpty ?? true) }
    public func check(_ task: TaskSpec, node: Int, state: SwarmNodeState, in view: ClusterView) -> Bool {
        let used = view.usedPorts(node)
        for p in task.pod?.hostPorts ?? [] where p.port != 0 {
            if used.contains(where: { $0.port == p.port && $0.proto.lowercased() == p.proto.lowercased() }) { return false }
        }
        return true
    }
    public func explain(nodes: Int) -> String { "host-mode port already in use on \(swarmNodes(nodes))" }
}

/// A node may hold fewer than `max_replicas_per_node` tasks of the service:
/// `ActiveTasksCountByService[service] < MaxReplicas`. Enabled when > 0.
/// Upstream: swarmkit `manager/scheduler/filter.go` `MaxReplicasFilter`.
public struct MaxReplicasFilter: SwarmFilter {
    public init() {}
    public var name: String { "MaxReplicasFilter" }
    public func isEnabled(for task: TaskSpec) -> Bool { (task.placement?.swarm?.maxReplicas ?? 0) > 0 }
    public func check(_ task: TaskSpec, node: Int, state: SwarmNodeState, in view: ClusterView) -> Bool {
        UInt64(state.serviceTasks[node]) < (task.placement?.swarm?.maxReplicas ?? 0)
    }
    public func explain(nodes: Int) -> String { "max replicas per node limit exceed" }
}
