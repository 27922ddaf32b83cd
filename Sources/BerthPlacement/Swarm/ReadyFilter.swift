import BerthCluster

/// Only nodes that are ready and active take new tasks. Berth has no node
/// status, so a node is "ready and active" unless it is cordoned
/// (`unschedulable: true`, swarm availability `drain`/`pause`).
/// Upstream: swarmkit `manager/scheduler/filter.go` `ReadyFilter`.
public struct ReadyFilter: SwarmFilter {
    public init() {}
    public var name: String { "ReadyFilter" }
    public func isEnabled(for task: TaskSpec) -> Bool { true }
    public func check(_ task: TaskSpec, node: Int, state: SwarmNodeState, in view: ClusterView) -> Bool {
        !view.isUnschedulable(node)
    }
    public func explain(nodes: Int) -> String { "\(swarmNodes(nodes)) not available for new tasks" }
}
