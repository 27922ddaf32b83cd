import BerthCluster

/// The task's reservations must fit the node's available resources:
/// NanoCPUs, MemoryBytes and every generic resource (Berth's extended
/// resources such as `nvidia.com/gpu`), i.e. `request_r ≤ free_r` for all r.
///
/// Upstream enables the filter only when the task reserves something; every
/// Berth task also takes one `pods` slot (a node's `pods` capacity, default
/// 110, which Swarm does not have), so Berth always runs it and checks that
/// slot too — give Swarm pools a large `pods` capacity to lift it.
/// Upstream: swarmkit `manager/scheduler/filter.go` `ResourceFilter`.
public struct ResourceFilter: SwarmFilter {
    public init() {}
    public var name: String { "ResourceFilter" }
    public func isEnabled(for task: TaskSpec) -> Bool { true }
    public func check(_ task: TaskSpec, node: Int, state: SwarmNodeState, in view: ClusterView) -> Bool {
        view.fits(task.requests, on: node)
    }
    public func explain(nodes: Int) -> String { "insufficient resources on \(swarmNodes(nodes))" }
}

/// Volume, network and log-driver plugins must be installed on the node.
/// Berth models no plugins, so this stage is the identity (never enabled).
/// Upstream: swarmkit `manager/scheduler/filter.go` `PluginFilter`.
public struct PluginFilter: SwarmFilter {
    public init() {}
    public var name: String { "PluginFilter" }
    public func isEnabled(for task: TaskSpec) -> Bool { false }
    public func check(_ task: TaskSpec, node: Int, state: SwarmNodeState, in view: ClusterView) -> Bool { true }
    public func explain(nodes: Int) -> String { "missing plugin on \(swarmNodes(nodes))" }
}
