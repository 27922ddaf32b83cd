import BerthCluster
import BerthSimulation

/// What an architecture calls for *where*: a pure ``PlacementPolicy`` wrapped
/// by ``StatelessPlacement``, or a policy with per-scheduler memory such as
/// kube-scheduler's rotating start index (``KubernetesFramework``). It still
/// never touches the clock and never mutates the cluster.
public protocol PlacementEngine: AnyObject {
    var name: String { get }
    func place(_ task: Int32, _ spec: TaskSpec, in view: ClusterView, random: RandomStream) -> PlacementDecision
}

/// Adapts a stateless policy.
public final class StatelessPlacement: PlacementEngine {
    public let policy: any PlacementPolicy
    public init(_ policy: any PlacementPolicy) { self.policy = policy }
    public var name: String { policy.name }
    public func place(_ task: Int32, _ spec: TaskSpec, in view: ClusterView, random: RandomStream) -> PlacementDecision {
        policy.place(spec, in: view, random: random)
    }
}
