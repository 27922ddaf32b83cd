import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

/// A pod bound to a node in a ported upstream table row (node index 0-based).
struct ResourceBoundPod: Sendable {
    let containers: [[String: String]]
    let node: Int
    init(_ containers: [[String: String]], on node: Int) {
        self.containers = containers
        self.node = node
    }
}

/// The upstream score tables' common row: nodes (capacities), pods already
/// bound, the incoming pod's containers, and the expected raw score per node.
struct ResourceScoreRow: Sendable, CustomTestStringConvertible {
    let name: String
    var extended: [String] = []
    let nodes: [[String: String]]
    var existing: [ResourceBoundPod] = []
    let pod: [[String: String]]
    var resources: [ResourceSpec] = ResourceSpec.defaults
    var runPreScore = true
    let expected: [Int64]
    var expectedCode: StatusCode = .success
    var testDescription: String { name }

    func cluster() -> Cluster {
        makeKubeCluster(extended: extended, nodes: nodes, existing: existing.map { ($0.containers, $0.node) })
    }

    func podInfo(_ cluster: Cluster) -> PodInfo {
        PodInfo(spec: TaskBuilder.pod("incoming", catalog: cluster.catalog, containers: pod).spec)
    }
}

/// Runs PreScore (optionally) and Score of one plugin over every node, as the
/// upstream tests do, returning each node's raw score and status.
func scoreEveryNode<P: PreScorePlugin & ScorePlugin>(_ plugin: P, _ pod: PodInfo, _ cluster: Cluster,
                                                     runPreScore: Bool = true) -> [(score: Int64, status: Status)] {
    let view = ClusterView(cluster)
    let infos = (0..<view.nodeCount).map { NodeInfo(index: $0, view: view) }
    let state = CycleState()
    if runPreScore { _ = plugin.preScore(state, pod: pod, nodes: NodeSet(infos)) }
    return infos.map { plugin.score(state, pod: pod, node: $0) }
}

/// Shorthand for a container's requests.
func kreq(_ cpu: String, _ memory: String, _ more: [String: String] = [:]) -> [String: String] {
    ["cpu": cpu, "memory": memory].merging(more) { $1 }
}
