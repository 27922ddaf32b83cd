import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

/// Port of upstream balanced_allocation_test.go `TestNodeResourcesBalancedAllocation`
/// (kube-scheduler noderesources). Nodes are upstream `makeNode(name, milliCPU, memory)`.
@Suite struct KubernetesBalancedAllocationTests {
    static let gpu = "nvidia.com/gpu"
    static let cpuOnly = [kreq("1000m", "0"), kreq("2000m", "0")]
    static let cpuAndMemory = [kreq("1000m", "2000"), kreq("2000m", "3000")]
    static let cpuAndMemoryAndGPU = [kreq("1000m", "2000"), kreq("2000m", "3000", [gpu: "3"])]
    static let withGPU = ResourceSpec.defaults + [ResourceSpec(name: gpu)]
    static func node(_ milliCPU: String, _ memory: String, _ extra: [String: String] = [:]) -> [String: String] {
        ["cpu": milliCPU, "memory": memory].merging(extra) { $1 }
    }

    static let rows: [ResourceScoreRow] = [
        // Both: cpu 0/4000, memory 0/10000 → std 0 → 100
        ResourceScoreRow(name: "nothing scheduled, nothing requested",
                 nodes: [node("4000m", "10000"), node("4000m", "10000")], pod: [], expected: [100, 100]),
        // Node1: cpu 3000/4000 = .75, memory 5000/10000 = .5 → std .125 → 87
        // Node2: cpu 3000/6000 = .5, memory .5 → std 0 → 100
        ResourceScoreRow(name: "nothing scheduled, resources requested, differently sized nodes",
                 nodes: [node("4000m", "10000"), node("6000m", "10000")], pod: cpuAndMemory, expected: [87, 100]),
        // Pods without containers request nothing → 100, 100
        ResourceScoreRow(name: "no resources requested, pods without container scheduled",
                 nodes: [node("4000m", "10000"), node("4000m", "10000")],
                 existing: [ResourceBoundPod([], on: 0), ResourceBoundPod([], on: 0), ResourceBoundPod([], on: 1), ResourceBoundPod([], on: 1)],
                 pod: [], expected: [100, 100]),
        // Plain requests (no non-zero defaults): cpu 0/250, memory 0/1000Mi → 100, 100
        ResourceScoreRow(name: "no resources requested, pods with container scheduled",
                 nodes: [node("250m", "1000Mi"), node("250m", "1000Mi")],
                 existing: [ResourceBoundPod([], on: 0), ResourceBoundPod([], on: 0)], pod: [], expected: [100, 100]),
        // Node1: cpu 6000/10000 = .6, memory 0/20000 → std .3 → 70
        // Node2: cpu .6, memory 5000/20000 = .25 → std .175 → 82
        ResourceScoreRow(name: "no resources requested, pods scheduled with resources",
                 nodes: [node("10000m", "20000"), node("10000m", "20000")],
                 existing: [ResourceBoundPod(cpuOnly, on: 0), ResourceBoundPod(cpuOnly, on: 0), ResourceBoundPod(cpuOnly, on: 1),
                            ResourceBoundPod(cpuAndMemory, on: 1)],
                 pod: [], expected: [70, 82]),
        // Node1: cpu .6, memory .25 → std .175 → 82. Node2: cpu .6, memory 10000/20000 = .5 → std .05 → 95
        ResourceScoreRow(name: "resources requested, pods scheduled with resources",
                 nodes: [node("10000m", "20000"), node("10000m", "20000")],
                 existing: [ResourceBoundPod(cpuOnly, on: 0), ResourceBoundPod(cpuAndMemory, on: 1)],
                 pod: cpuAndMemory, expected: [82, 95]),
        // Node2: memory 10000/50000 = .2 → std .2 → 80
        ResourceScoreRow(name: "resources requested, pods scheduled with resources, differently sized nodes",
                 nodes: [node("10000m", "20000"), node("10000m", "50000")],
                 existing: [ResourceBoundPod(cpuOnly, on: 0), ResourceBoundPod(cpuAndMemory, on: 1)],
                 pod: cpuAndMemory, expected: [82, 80]),
        // Node1: cpu 6000/6000 = 1, memory 0 → std .5 → 50. Node2: cpu 1, memory 5000/10000 = .5 → std .25 → 75
        ResourceScoreRow(name: "requested resources at node capacity",
                 nodes: [node("6000m", "10000"), node("6000m", "10000")],
                 existing: [ResourceBoundPod(cpuOnly, on: 0), ResourceBoundPod(cpuAndMemory, on: 1)],
                 pod: cpuOnly, expected: [50, 75]),
        // Zero allocatable: no fraction counts → std 0 → 100. Berth cannot bind upstream's
        // existing pods to a node without capacity; they cannot change the score.
        ResourceScoreRow(name: "zero node resources, pods scheduled with resources (no existing pods: Berth cannot overcommit)",
                 nodes: [node("0", "0"), node("0", "0")], pod: [], expected: [100, 100]),
        // Node1: cpu 3000/3500 = .8571, memory 5000/40000 = .125, gpu (3+1)/8 = .5 → std .3002 → 70
        // Node2: cpu .8571, memory .125, gpu 1/8 = .125 → std .345 → 65
        ResourceScoreRow(name: "include scalar resource on a node for balanced resource allocation", extended: [gpu],
                 nodes: [node("3500m", "40000", [gpu: "8"]), node("3500m", "40000", [gpu: "8"])],
                 existing: [ResourceBoundPod(cpuAndMemory, on: 1), ResourceBoundPod(cpuAndMemoryAndGPU, on: 0)],
                 pod: [["memory": "0", gpu: "1"]], resources: withGPU, expected: [70, 65]),
        // The pod does not request the gpu: it is bypassed, only cpu counts → std 0 → 100, 100
        ResourceScoreRow(name: "node without the scalar resource results to a higher score", extended: [gpu],
                 nodes: [node("3500m", "40000", [gpu: "8"]), node("3500m", "40000")],
                 existing: [ResourceBoundPod(cpuOnly, on: 0), ResourceBoundPod(cpuOnly, on: 1)],
                 pod: [], resources: [ResourceSpec(name: "cpu"), ResourceSpec(name: gpu)], expected: [100, 100]),
        // As "resources requested, pods scheduled with resources", requests computed in Score → 82, 95
        ResourceScoreRow(name: "resources requested, pods scheduled with resources if PreScore not called",
                 nodes: [node("10000m", "20000"), node("10000m", "20000")],
                 existing: [ResourceBoundPod(cpuOnly, on: 0), ResourceBoundPod(cpuAndMemory, on: 1)],
                 pod: cpuAndMemory, runPreScore: false, expected: [82, 95]),
    ]

    @Test(arguments: rows)
    func nodeResourcesBalancedAllocation(_ row: ResourceScoreRow) {
        let cluster = row.cluster()
        let plugin = BalancedAllocation(resources: row.resources)
        let results = scoreEveryNode(plugin, row.podInfo(cluster), cluster, runPreScore: row.runPreScore)
        #expect(results.map(\.score) == row.expected)
        #expect(results.allSatisfy { $0.status.isSuccess })
    }

    /// v1.28 PreScore never skips, even for a pod that requests nothing.
    @Test func preScoreDoesNotSkipBestEffortPods() {
        let cluster = makeKubeCluster(nodes: [Self.node("4000m", "10000")])
        let view = ClusterView(cluster)
        let pod = PodInfo(spec: TaskBuilder.pod("p", containers: [[:]]).spec)
        #expect(BalancedAllocation().preScore(CycleState(), pod: pod, nodes: [NodeInfo(index: 0, view: view)]).isSuccess)
    }

    /// Balanced uses plain requests, not the non-zero defaults: a container without
    /// requests adds nothing (100m / 200Mi would make 100m/250m vs 200Mi/1000Mi).
    @Test func plainRequestsNotNonZero() {
        let cluster = makeKubeCluster(nodes: [Self.node("250m", "1000Mi")], existing: [([[:]], 0)])
        let pod = PodInfo(spec: TaskBuilder.pod("p", catalog: cluster.catalog, containers: [[:]]).spec)
        #expect(scoreEveryNode(BalancedAllocation(), pod, cluster).map(\.score) == [100])
        // NodeResourcesFit's LeastAllocated does use them: cpu (250-200)/250 = 20, memory (1000-400)/1000 = 60 → 40.
        #expect(scoreEveryNode(NodeResourcesFit(), pod, cluster).map(\.score) == [40])
    }
}
