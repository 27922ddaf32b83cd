import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

/// Port of upstream least_allocated_test.go `TestLeastAllocatedScoringStrategy`
/// (kube-scheduler noderesources). Quantities as upstream: "4000" cpu is 4000
/// cores, memory in bytes.
@Suite struct KubernetesLeastAllocatedTests {
    static let extendedRes = "abc.com/xyz"
    static let extendedResourceSet = ResourceSpec.defaults + [ResourceSpec(name: extendedRes, weight: 1)]
    static let small = ["cpu": "4000", "memory": "10000"]

    static let rows: [ResourceScoreRow] = [
        // Node1: cpu ((4000-0)*100)/4000 = 100, memory ((10000-0)*100)/10000 = 100 → 100; node2 the same.
        ResourceScoreRow(name: "nothing scheduled, nothing requested",
                 nodes: [small, small], pod: [], expected: [100, 100]),
        // Node1: cpu ((4000-3000)*100)/4000 = 25, memory ((10000-5000)*100)/10000 = 50 → (25+50)/2 = 37
        // Node2: cpu ((6000-3000)*100)/6000 = 50, memory 50 → 50
        ResourceScoreRow(name: "nothing scheduled, resources requested, differently sized nodes",
                 nodes: [small, ["cpu": "6000", "memory": "10000"]],
                 pod: [kreq("1000", "2000"), kreq("2000", "3000")], expected: [37, 50]),
        // No resources configured: Score returns an Error status and 0.
        ResourceScoreRow(name: "Resources not set, pods scheduled with error",
                 nodes: [small, ["cpu": "6000", "memory": "10000"]],
                 pod: [kreq("1000", "2000"), kreq("2000", "3000")], resources: [], expected: [0, 0], expectedCode: .error),
        // Pods without containers have no non-zero defaults: everything free → 100, 100.
        ResourceScoreRow(name: "no resources requested, pods scheduled",
                 nodes: [small, small],
                 existing: [ResourceBoundPod([], on: 0), ResourceBoundPod([], on: 0), ResourceBoundPod([], on: 1), ResourceBoundPod([], on: 1)],
                 pod: [], expected: [100, 100]),
        // Node1: cpu ((10000-6000)*100)/10000 = 40, memory ((20000-0)*100)/20000 = 100 → 70
        // Node2: cpu 40, memory ((20000-5000)*100)/20000 = 75 → (40+75)/2 = 57
        ResourceScoreRow(name: "no resources requested, pods scheduled with resources",
                 nodes: [["cpu": "10000", "memory": "20000"], ["cpu": "10000", "memory": "20000"]],
                 existing: [ResourceBoundPod([kreq("3000", "0")], on: 0), ResourceBoundPod([kreq("3000", "0")], on: 0),
                            ResourceBoundPod([kreq("3000", "0")], on: 1), ResourceBoundPod([kreq("3000", "5000")], on: 1)],
                 pod: [], expected: [70, 57]),
        // Node1: cpu ((10000-6000)*100)/10000 = 40, memory ((20000-5000)*100)/20000 = 75 → 57
        // Node2: cpu 40, memory ((20000-10000)*100)/20000 = 50 → 45
        ResourceScoreRow(name: "resources requested, pods scheduled with resources",
                 nodes: [["cpu": "10000", "memory": "20000"], ["cpu": "10000", "memory": "20000"]],
                 existing: [ResourceBoundPod([kreq("3000", "0")], on: 0), ResourceBoundPod([kreq("3000", "5000")], on: 1)],
                 pod: [kreq("1000", "2000"), kreq("2000", "3000")], expected: [57, 45]),
        // Node1: 40, 75 → 57. Node2: cpu 40, memory ((50000-10000)*100)/50000 = 80 → 60
        ResourceScoreRow(name: "resources requested, pods scheduled with resources, differently sized nodes",
                 nodes: [["cpu": "10000", "memory": "20000"], ["cpu": "10000", "memory": "50000"]],
                 existing: [ResourceBoundPod([kreq("3000", "0")], on: 0), ResourceBoundPod([kreq("3000", "5000")], on: 1)],
                 pod: [kreq("1000", "2000"), kreq("2000", "3000")], expected: [57, 60]),
        // Node1: cpu (4000-6000) < 0 → 0, memory 100 → 50. Node2: cpu 0, memory ((10000-5000)*100)/10000 = 50 → 25
        ResourceScoreRow(name: "requested resources exceed node capacity",
                 nodes: [small, small],
                 existing: [ResourceBoundPod([kreq("3000", "0")], on: 0), ResourceBoundPod([kreq("3000", "5000")], on: 1)],
                 pod: [kreq("3000", "0")], expected: [50, 25]),
        // Zero allocatable: every resource is skipped → 0. Berth cannot bind upstream's
        // existing pods (3000 cpu) to a node with no capacity, so the row has none;
        // with allocatable 0 they cannot change the score.
        ResourceScoreRow(name: "zero node resources, pods scheduled with resources (no existing pods: Berth cannot overcommit)",
                 nodes: [[:], [:]], pod: [], expected: [0, 0]),
        // Node1: cpu 25, memory 50 → (25*1 + 50*2)/(1+2) = 41. Node2: 50, 50 → 50
        ResourceScoreRow(name: "nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes",
                 nodes: [small, ["cpu": "6000", "memory": "10000"]],
                 pod: [kreq("1000", "2000"), kreq("2000", "3000")],
                 resources: [ResourceSpec(name: "memory", weight: 2), ResourceSpec(name: "cpu", weight: 1)], expected: [41, 50]),
        // The pod does not request the extended resource: it is bypassed. Both nodes: (50+50)/2 = 50.
        ResourceScoreRow(name: "bypass extended resource if the pod does not request", extended: [extendedRes],
                 nodes: [["cpu": "6000", "memory": "10000"], ["cpu": "6000", "memory": "10000", extendedRes: "4"]],
                 pod: [kreq("1000", "2000"), kreq("2000", "3000")], resources: extendedResourceSet, expected: [50, 50]),
        // cpu and memory 50 on both; extended: node1 (4-2)/4 = 50, node2 (10-2)/10 = 80
        // Node1: (50+50+50)/3 = 50, node2: (50+50+80)/3 = 60
        ResourceScoreRow(name: "honor extended resource if the pod requests", extended: [extendedRes],
                 nodes: [["cpu": "6000", "memory": "10000", extendedRes: "4"], ["cpu": "6000", "memory": "10000", extendedRes: "10"]],
                 pod: [kreq("3000", "5000", [extendedRes: "2"])], resources: extendedResourceSet, expected: [50, 60]),
        // cpu ((6000-3000)*100)/6000 = 50, memory ((10000-4000)*100)/10000 = 60 → (50+60)/2 = 55 on both
        ResourceScoreRow(name: "if the node doesn't have a resource", extended: [extendedRes],
                 nodes: [["cpu": "6000", "memory": "10000"], ["cpu": "6000", "memory": "10000", extendedRes: "4"]],
                 pod: [kreq("3000", "4000")],
                 resources: [ResourceSpec(name: extendedRes, weight: 2), ResourceSpec(name: "cpu", weight: 1),
                             ResourceSpec(name: "memory", weight: 1)], expected: [55, 55]),
    ]

    @Test(arguments: rows)
    func leastAllocatedScoringStrategy(_ row: ResourceScoreRow) {
        let cluster = row.cluster()
        let plugin = NodeResourcesFit(strategy: .leastAllocated(resources: row.resources))
        let results = scoreEveryNode(plugin, row.podInfo(cluster), cluster)
        #expect(results.map(\.score) == row.expected)
        #expect(results.map(\.status.code) == Array(repeating: row.expectedCode, count: row.expected.count))
    }

    /// Upstream rows "resource with negative weight", "resource with zero weight",
    /// "resource weight larger than MaxNodeScore": the arguments are rejected.
    @Test(arguments: [
        ([ResourceSpec(name: "memory", weight: -1), ResourceSpec(name: "cpu", weight: 1)], "scoringStrategy.resources[0].weight"),
        ([ResourceSpec(name: "memory", weight: 1), ResourceSpec(name: "cpu", weight: 0)], "scoringStrategy.resources[1].weight"),
        ([ResourceSpec(name: "memory", weight: 1), ResourceSpec(name: "cpu", weight: 101)], "scoringStrategy.resources[1].weight"),
    ])
    func invalidWeights(_ resources: [ResourceSpec], _ field: String) {
        let errors = ScoringStrategy.leastAllocated(resources: resources).validate()
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix(field + ":") == true)
    }

    @Test func defaultResourcesAreValid() {
        #expect(ScoringStrategy.default.validate().isEmpty)
        #expect(ScoringStrategy.default == .leastAllocated(resources: [ResourceSpec(name: "cpu"), ResourceSpec(name: "memory")]))
    }
}
