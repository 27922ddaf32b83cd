import BerthCluster

/// Running tasks of one workload (a Swarm service, an ECS service or task
/// group) per node, counted from the cluster's per-node task lists.
/// - Complexity: O(running tasks).
public enum ServiceTaskCounts {
    public static func perNode(workload: Int32, in view: ClusterView) -> [Int32] {
        var counts = [Int32](repeating: 0, count: view.nodeCount)
        for node in 0..<view.nodeCount {
            for id in view.tasks(on: node) where view.workload(of: id) == workload { counts[node] += 1 }
        }
        return counts
    }
}
