import BerthCluster
import BerthSimulation

/// Multi-resource alignment (Tetris): pick the feasible node maximising
///
///     score(n) = Σ_r (request_r / allocatable_{n,r}) · (free_{n,r} / allocatable_{n,r})
///
/// over the resources the task requests (excluding the `pods` count), so a
/// task goes where the free space is shaped like its demand. Ties go to the
/// lowest-numbered node.
///
/// Grandl et al., "Multi-Resource Packing for Cluster Schedulers", SIGCOMM 2014
/// (§3.2 alignment score). Berth simplifies: no fairness knob, no SRTF term.
/// - Complexity: O(nodes × resources) per task — the score depends on the task,
///   so no index helps; documented as the one linear policy.
public struct DotProduct: PlacementPolicy {
    public let filters: ConstraintFilters
    public init(filters: ConstraintFilters = ConstraintFilters()) { self.filters = filters }
    public var name: String { "dot-product" }

    /// The alignment score of `task` on `node` (exposed for tests and explanations).
    public static func score(_ task: TaskSpec, on node: Int, in view: ClusterView) -> Double {
        var score = 0.0
        for r in 0..<task.requests.count where r != ResourceCatalog.pods && task.requests[r] > 0 {
            let capacity = Double(view.allocatable(node, r))
            guard capacity > 0 else { continue }
            score += (Double(task.requests[r]) / capacity) * (Double(view.free(node, r)) / capacity)
        }
        return score
    }

    public func place(_ task: TaskSpec, in view: ClusterView, random: RandomStream) -> PlacementDecision {
        var best: Int32?
        var bestScore = -Double.infinity
        for node in 0..<view.nodeCount where view.fits(task.requests, on: node) {
            guard filters.allows(task, on: node, in: view) else { continue }
            let s = DotProduct.score(task, on: node, in: view)
            if s > bestScore {
                bestScore = s
                best = Int32(node)
            }
        }
        return PlacementDecision(node: best, nodesExamined: view.nodeCount)
    }
}
