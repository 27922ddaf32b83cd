import BerthCluster
import BerthSimulation

/// Best-fit on a key resource: among feasible nodes, the one with the *least*
/// free amount of the key resource (default `cpu`) that still holds the task;
/// ties go to the lowest-numbered node.
///
/// Walks the cluster's ``OrderedNodeIndex`` on the key resource upward from the
/// task's request, checking the other resources and the filters as it goes, so
/// it stops at the first feasible node: O(log n + k) for k skipped nodes.
/// Multi-resource tasks are fitted on every resource but *ranked* on the key
/// resource only (documented in docs/schedulers.md).
public struct BestFit: PlacementPolicy {
    public let keyResource: Int
    public let filters: ConstraintFilters
    public init(keyResource: Int = ResourceCatalog.cpu, filters: ConstraintFilters = ConstraintFilters()) {
        self.keyResource = keyResource
        self.filters = filters
    }
    public var name: String { "best-fit" }

    public func place(_ task: TaskSpec, in view: ClusterView, random: RandomStream) -> PlacementDecision {
        var examined = 0
        var chosen: Int32?
        view.orderedIndex(on: keyResource).forEachAscending(from: task.requests[keyResource]) { _, node in
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
