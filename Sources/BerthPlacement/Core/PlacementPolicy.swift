import BerthCluster
import BerthSimulation

/// The answer of a placement policy for one task.
public struct PlacementDecision: Equatable, Sendable {
    /// The chosen node, or nil when no node is feasible now.
    public var node: Int32?
    /// How many nodes the policy examined (a measure of search cost).
    public var nodesExamined: Int

    public init(node: Int32?, nodesExamined: Int) {
        self.node = node
        self.nodesExamined = nodesExamined
    }
}

/// *Where* does this task go? A pure function of (task, read-only cluster view,
/// random stream): it never touches the clock and never mutates the cluster.
/// Architectures (``BerthSchedulers``) decide *when* and commit the answer.
public protocol PlacementPolicy: Sendable {
    /// The name used in scenarios and reports, e.g. `best-fit`.
    var name: String { get }
    func place(_ task: TaskSpec, in view: ClusterView, random: RandomStream) -> PlacementDecision
}
