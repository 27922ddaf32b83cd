import BerthCluster
@testable import BerthPlacement
import BerthTestSupport
import Testing

/// swarmkit `manager/scheduler/nodeset_test.go`.
@Suite struct DecisionTreeTests {
    /// TestTreeTaskCountConsistency: every branch counts the service's tasks of
    /// all nodes below it (parent = sum of children); nodes without the labels
    /// form the "" branches.
    @Test func treeTaskCountConsistency() {
        let labels: [[String: String]] = [["datacenter": "dc1", "rack": "r1"], ["datacenter": "dc1", "rack": "r2"],
                                          ["datacenter": "dc2", "rack": "r2"], [:], [:]]
        let tasks = [3, 2, 4, 2, 1]
        var existing: [(TaskBuilder, Int)] = []
        for (node, n) in tasks.enumerated() {
            for _ in 0..<n { var t = TaskBuilder("s1"); t.spec.workload = 1; existing.append((t, node)) }
        }
        let cluster = makeCluster(labels.indices.map { NodeBuilder("node\($0 + 1)").capacity(cpu: "64", memory: "64Gi").labels(labels[$0]) },
                                  existing: existing)
        let view = ClusterView(cluster)
        var spec = TaskBuilder("t").spec
        spec.workload = 1
        var pipeline = SwarmPipeline(task: spec)
        let tree = DecisionTree.build(preferences: ["node.labels.datacenter", "node.labels.rack"], maxAssignments: 10,
                                      state: SwarmNodeState(service: 1, in: view), pipeline: &pipeline, view: view)
        func check(_ t: DecisionTree) -> Int {
            if t.isLeaf { return t.tasks }
            let sum = t.branches.map { check($0.tree) }.reduce(0, +)
            #expect(t.tasks == sum, "parent = sum of children")
            return t.tasks
        }
        _ = check(tree)
        func branch(_ t: DecisionTree, _ value: String) -> DecisionTree? { t.branches.first { $0.value == value }?.tree }
        #expect(tree.tasks == 12)
        #expect(branch(tree, "dc1")?.tasks == 5)
        #expect(branch(tree, "dc1").flatMap { branch($0, "r1") }?.tasks == 3)
        #expect(branch(tree, "dc1").flatMap { branch($0, "r2") }?.tasks == 2)
        #expect(branch(tree, "dc2")?.tasks == 4)
        #expect(branch(tree, "dc2").flatMap { branch($0, "r2") }?.tasks == 4)
        #expect(branch(tree, "")?.tasks == 3)
        #expect(branch(tree, "").flatMap { branch($0, "") }?.tasks == 3)
        #expect(tree.branches.map(\.value) == ["", "dc1", "dc2"], "Berth visits branches in value order")
        #expect(branch(tree, "").flatMap { branch($0, "") }?.nodes == [4, 3], "leaf nodes best first: node5 (1 task) before node4 (2)")
    }

    /// A leaf keeps at most as many feasible nodes as there are tasks (upstream's bounded heap).
    @Test func leafKeepsTheBestMaxAssignmentsNodes() {
        var existing: [(TaskBuilder, Int)] = []
        for (node, n) in [2, 0, 1, 0].enumerated() {
            for _ in 0..<n { var t = TaskBuilder("s"); t.spec.workload = 1; existing.append((t, node)) }
        }
        let cluster = makeCluster((0..<4).map { NodeBuilder("n\($0)").capacity(cpu: "8", memory: "8Gi") }, existing: existing)
        let view = ClusterView(cluster)
        var spec = TaskBuilder("t").spec
        spec.workload = 1
        var pipeline = SwarmPipeline(task: spec)
        let tree = DecisionTree.build(preferences: [], maxAssignments: 3, state: SwarmNodeState(service: 1, in: view),
                                      pipeline: &pipeline, view: view)
        #expect(tree.isLeaf && tree.nodes == [1, 3, 2])
    }
}
