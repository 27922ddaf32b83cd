import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

/// Port of upstream most_allocated_test.go `TestMostAllocatedScoringStrategy`
/// (kube-scheduler noderesources). "4000" cpu is 4000 cores, memory in bytes.
@Suite struct KubernetesMostAllocatedTests {
    static let extendedRes = "abc.com/xyz"
    static let extendedResourceSet = ResourceSpec.defaults + [ResourceSpec(name: extendedRes, weight: 1)]
    static let small = ["cpu": "4000", "memory": "10000"]
    static let big = ["cpu": "10000", "memory": "20000"]

    static let rows: [ResourceScoreRow] = [
        // Both nodes: cpu (0*100)/4000 = 0, memory (0*100)/10000 = 0 → 0
        ResourceScoreRow(name: "nothing scheduled, nothing requested", nodes: [small, small], pod: [], expected: [0, 0]),
        // Node1: cpu (3000*100)/4000 = 75, memory (5000*100)/10000 = 50 → (75+50)/2 = 62
        // Node2: cpu (3000*100)/6000 = 50, memory 50 → 50
        ResourceScoreRow(name: "nothing scheduled, resources requested, differently sized nodes",
                 nodes: [small, ["cpu": "6000", "memory": "10000"]],
                 pod: [kreq("1000", "2000"), kreq("2000", "3000")], expected: [62, 50]),
        ResourceScoreRow(name: "Resources not set, pods scheduled with error",
                 nodes: [small, ["cpu": "6000", "memory": "10000"]],
                 pod: [kreq("1000", "2000"), kreq("2000", "3000")], resources: [], expected: [0, 0], expectedCode: .error),
        // Node1: cpu (6000*100)/10000 = 60, memory 0 → 30. Node2: 60, (5000*100)/20000 = 25 → 42
        ResourceScoreRow(name: "no resources requested, pods scheduled with resources",
                 nodes: [big, big],
                 existing: [ResourceBoundPod([kreq("3000", "0")], on: 0), ResourceBoundPod([kreq("3000", "0")], on: 0),
                            ResourceBoundPod([kreq("3000", "0")], on: 1), ResourceBoundPod([kreq("3000", "5000")], on: 1)],
                 pod: [], expected: [30, 42]),
        // Node1: cpu 60, memory (5000*100)/20000 = 25 → 42. Node2: 60, (10000*100)/20000 = 50 → 55
        ResourceScoreRow(name: "resources requested, pods scheduled with resources",
                 nodes: [big, big],
                 existing: [ResourceBoundPod([kreq("3000", "0")], on: 0), ResourceBoundPod([kreq("3000", "5000")], on: 1)],
                 pod: [kreq("1000", "2000"), kreq("2000", "3000")], expected: [42, 55]),
        // Node1: cpu 5000*100/5000 = 100, memory (9000*100)/10000 = 90 → 95
        // Node2: cpu (5000*100)/10000 = 50, memory 9000*100/9000 = 100 → 75
        ResourceScoreRow(name: "resources requested equal node capacity",
                 nodes: [["cpu": "5000", "memory": "10000"], ["cpu": "10000", "memory": "9000"]],
                 pod: [kreq("2000", "4000"), kreq("3000", "5000")], expected: [95, 75]),
        // Node1: cpu 75, memory 50 → (75*1 + 50*2)/3 = 58. Node2: 50, 50 → 50
        ResourceScoreRow(name: "nothing scheduled, resources requested, differently sized nodes (memory weight 2)",
                 nodes: [small, ["cpu": "6000", "memory": "10000"]],
                 pod: [kreq("1000", "2000"), kreq("2000", "3000")],
                 resources: [ResourceSpec(name: "memory", weight: 2), ResourceSpec(name: "cpu", weight: 1)], expected: [58, 50]),
        // Containers without requests count 100m / 200Mi each.
        // Node1: cpu 300/250 → capped 100, memory 600Mi/1000Mi = 60 → 80
        // Node2: cpu 100/250 = 40, memory 200Mi/1000Mi = 20 → 30
        ResourceScoreRow(name: "no resources requested, pods scheduled, nonzero request for resource",
                 nodes: [["cpu": "250m", "memory": "1000Mi"], ["cpu": "250m", "memory": "1000Mi"]],
                 existing: [ResourceBoundPod([[:]], on: 0), ResourceBoundPod([[:]], on: 0)],
                 pod: [[:]], expected: [80, 30]),
        // Extended resource not requested: bypassed. Both: (50+50)/2 = 50
        ResourceScoreRow(name: "bypass extended resource if the pod does not request", extended: [extendedRes],
                 nodes: [["cpu": "6000", "memory": "10000"], ["cpu": "6000", "memory": "10000", extendedRes: "4"]],
                 pod: [kreq("1000", "2000"), kreq("2000", "3000")], resources: extendedResourceSet, expected: [50, 50]),
        // cpu, memory 50 on both; extended node1 2/4 = 50, node2 2/10 = 20 → 50, (50+50+20)/3 = 40
        ResourceScoreRow(name: "honor extended resource if the pod request", extended: [extendedRes],
                 nodes: [["cpu": "6000", "memory": "10000", extendedRes: "4"], ["cpu": "6000", "memory": "10000", extendedRes: "10"]],
                 pod: [kreq("3000", "5000", [extendedRes: "2"])], resources: extendedResourceSet, expected: [50, 40]),
        // cpu (3000*100)/6000 = 50, memory (4000*100)/10000 = 40 → 45 on both
        ResourceScoreRow(name: "if the node doesn't have a resource", extended: [extendedRes],
                 nodes: [["cpu": "6000", "memory": "10000"], ["cpu": "6000", "memory": "10000", extendedRes: "4"]],
                 pod: [kreq("3000", "4000")],
                 resources: [ResourceSpec(name: extendedRes, weight: 2), ResourceSpec(name: "cpu", weight: 1),
                             ResourceSpec(name: "memory", weight: 1)], expected: [45, 45]),
    ]

    @Test(arguments: rows)
    func mostAllocatedScoringStrategy(_ row: ResourceScoreRow) {
        let cluster = row.cluster()
        let plugin = NodeResourcesFit(strategy: .mostAllocated(resources: row.resources))
        let results = scoreEveryNode(plugin, row.podInfo(cluster), cluster)
        #expect(results.map(\.score) == row.expected)
        #expect(results.map(\.status.code) == Array(repeating: row.expectedCode, count: row.expected.count))
    }

    /// Upstream rows "resource with negative weight", "resource with zero weight",
    /// "resource weight larger than MaxNodeScore".
    @Test(arguments: [
        ([ResourceSpec(name: "memory", weight: -1), ResourceSpec(name: "cpu", weight: 1)], "scoringStrategy.resources[0].weight"),
        ([ResourceSpec(name: "memory", weight: 1), ResourceSpec(name: "cpu", weight: 0)], "scoringStrategy.resources[1].weight"),
        ([ResourceSpec(name: "memory", weight: 101)], "scoringStrategy.resources[0].weight"),
    ])
    func invalidWeights(_ resources: [ResourceSpec], _ field: String) {
        let errors = ScoringStrategy.mostAllocated(resources: resources).validate()
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix(field + ":") == true)
    }

    /// Upstream `mostRequestedScore` caps requested at capacity (non-zero defaults can exceed it).
    @Test func requestedAboveCapacityIsCapped() {
        #expect(MostAllocated.score(requested: 300, capacity: 250) == 100)
        #expect(MostAllocated.score(requested: 1, capacity: 0) == 0)
    }
}
