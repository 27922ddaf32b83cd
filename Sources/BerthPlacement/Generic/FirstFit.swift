import BerthCluster
import BerthSimulation

/// First-fit: the lowest-numbered node (scenario order) that passes the
/// filters and has room in every resource.
///
/// Searches the cluster's ``FitTree`` (per-dimension maxima of free resources
/// over node ranges), so subtrees that cannot hold the request are skipped:
/// close to O(log n) when the cluster is not fragmented, O(n) at worst.
/// Classic bin-packing heuristic (Johnson, 1973); no upstream orchestrator.
public struct FirstFit: PlacementPolicy {
    public let filters: ConstraintFilters
    public init(filters: ConstraintFilters = ConstraintFilters()) { self.filters = filters }
    public var name: String { "first-fit" }

    public func place(_ task: TaskSpec, in view: ClusterView, random: RandomStream) -> PlacementDecision {
        var examined = 0
        let node = view.fitTree.firstFit(request: task.requests) { candidate in
            examined += 1
            return filters.allows(task, on: candidate, in: view)
        }
        return PlacementDecision(node: node.map(Int32.init), nodesExamined: examined)
    }
}
