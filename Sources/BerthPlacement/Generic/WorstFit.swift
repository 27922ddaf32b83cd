import BerthCluster
import BerthSimulation

/// Worst-fit on a key resource: among feasible nodes, the one with the *most*
/// free amount of the key resource (default `cpu`); ties go to the
/// lowest-numbered node. Spreads load; the mirror of ``BestFit``.
///
/// Walks the ordered index downward and stops at the first feasible node, or as
/// soon as the key resource's free amount drops below the request.
public struct WorstFit: PlacementPolicy {
    public let keyResource: Int
    public let filters: ConstraintFilters
    public init(keyResource: Int = ResourceCatalog.cpu, filters: ConstraintFilters = ConstraintFilters()) {
        self.keyResource = keyResource
        self.filters = filters
    }
    public var name: String { "worst-fit" }

    public func place(_ task: TaskSpec, in view: ClusterView, random: RandomStream) -> PlacementDecision {
        var examined = 0
        var chosen: Int32?
        let need = task.requests[keyResource]
        view.orderedIndex(on: keyResource).forEachDescendingKeyAscendingNode { key, node in
            if key < need { return false }
            examined += 1
            if view.fits(task.requests, on: Int(node)) && filters.allows(task, on: Int(node), in: view) {
                chosen = node
                return false
            }
            return true
        }
        return PlacementDecision(node: chosen, nodesExamined: examined)
    }
}
