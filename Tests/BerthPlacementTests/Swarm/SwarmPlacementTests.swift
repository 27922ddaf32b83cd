import BerthCluster
import BerthPlacement
import BerthSimulation
import BerthTestSupport
import Testing

/// Cases ported from swarmkit `manager/scheduler/scheduler_test.go`. Upstream
/// asserts layouts up to Go map order ("one of id2/id3 gets two"); Berth's
/// order is fixed (task id, label value, node index), so each row names the
/// one layout Berth produces, which is always one of the layouts upstream allows.
@Suite struct SwarmPlacementTests {
    static func service(_ name: String, _ id: Int32, requests: [String: String] = [:], placement: SwarmPlacementSpec? = nil,
                        ports: [Int32] = []) -> TaskBuilder {
        var b = TaskBuilder(name).requests(requests)
        b.spec.workload = id
        b.spec.shape = id
        if let placement { b.spec.placement = PlacementDetails(swarm: placement) }
        if !ports.isEmpty { b.spec.pod = PodDetails(containers: [], hostPorts: ports.map { HostPort(port: $0) }) }
        return b
    }

    /// Submits `count` tasks of `task` and schedules them as one group; returns tasks per node.
    @discardableResult
    static func scheduleGroup(_ cluster: Cluster, _ task: TaskBuilder, count: Int, engine: SwarmPlacement = SwarmPlacement()) -> [Int] {
        let ids = (0..<count).map { _ in cluster.submit(task.spec, at: 0) }
        engine.scheduleGroup(ids, spec: task.spec, in: ClusterView(cluster)) { id, node in
            (try? cluster.bind(id, to: Int32(node), at: 0)) != nil
        }
        var perNode = [Int](repeating: 0, count: cluster.nodes.count)
        for id in ids where cluster.tasks[Int(id)].node >= 0 { perNode[Int(cluster.tasks[Int(id)].node)] += 1 }
        return perNode
    }

    static func nodes(_ n: Int, labels: (Int) -> [String: String] = { _ in [:] }) -> [NodeBuilder] {
        (0..<n).map { NodeBuilder("id\($0 + 1)").capacity(cpu: "64", memory: "256Gi").labels(labels($0)) }
    }

    /// TestHA: 18 tasks on 5 empty nodes go 4,4,4,3,3; a second service's two
    /// tasks go to the two nodes with 3; scaling the first by 3 puts one on each
    /// of those and one on another node; a third task of service 2 avoids both
    /// its own nodes and the node with 5 tasks of service 1.
    @Test func ha() {
        let cluster = makeCluster(Self.nodes(5))
        let t1 = Self.scheduleGroup(cluster, Self.service("t1", 0), count: 18)
        #expect(t1 == [4, 4, 4, 3, 3])
        let t2 = Self.scheduleGroup(cluster, Self.service("t2", 1), count: 2)
        #expect(t2 == [0, 0, 0, 1, 1], "the nodes with only three tasks")
        let more = Self.scheduleGroup(cluster, Self.service("t1", 0), count: 3)
        #expect(more.filter { $0 > 1 }.isEmpty, "no node gets two of the new tasks")
        #expect(more[3] == 1 && more[4] == 1, "both nodes with service2 tasks are covered")
        let t1Total = zip(t1, more).map(+)
        #expect(t1Total.sorted() == [4, 4, 4, 4, 5])
        let last = Self.scheduleGroup(cluster, Self.service("t2", 1), count: 1)
        let node = last.firstIndex(of: 1) ?? -1
        #expect(node >= 0 && t2[node] == 0 && t1Total[node] != 5)
    }

    /// testPreferences: spread over node.labels.az with one node in az1 and
    /// four in az2 puts half of 8 tasks on the lone az1 node.
    @Test func preferences() {
        let cluster = makeCluster(Self.nodes(5) { ["az": $0 == 0 ? "az1" : "az2"] })
        let spread = SwarmPlacementSpec(preferences: ["node.labels.az"])
        #expect(Self.scheduleGroup(cluster, Self.service("t1", 0, placement: spread), count: 8) == [4, 1, 1, 1, 1])
    }

    /// testMultiplePreferences: az then rack; id0 cannot fit a 200 MB task,
    /// id1 fits five, so az1 takes 5 of its 6 and az2 the other 7, split 4/3
    /// over rack1 (id2–id4) and rack2 (id5, id6).
    @Test func multiplePreferences() {
        let labels: [[String: String]] = [["az": "az1", "rack": "rack1"], ["az": "az1", "rack": "rack1"], ["az": "az2", "rack": "rack1"],
                                          ["az": "az2", "rack": "rack1"], ["az": "az2", "rack": "rack1"], ["az": "az2", "rack": "rack2"],
                                          ["az": "az2", "rack": "rack2"]]
        let nodes = labels.indices.map { i in
            NodeBuilder("id\(i)").capacity(cpu: "1", memory: i == 0 ? "100M" : "1G").labels(labels[i])
        }
        let cluster = makeCluster(nodes)
        let task = Self.service("t1", 0, requests: ["memory": "200M"], placement: SwarmPlacementSpec(preferences: ["node.labels.az", "node.labels.rack"]))
        let perNode = Self.scheduleGroup(cluster, task, count: 12)
        #expect(perNode[0] == 0, "id0 lacks the memory")
        #expect(perNode[1] == 5, "az1 wants 6 but id1 holds only 5")
        #expect(perNode[2] + perNode[3] + perNode[4] == 4 && perNode[5] + perNode[6] == 3)
        #expect(perNode == [0, 5, 2, 1, 1, 2, 1])
    }

    /// TestSchedulerResourceConstraintHA: node 1 (1 GB, one task) and node 2
    /// (100 GB, three tasks); two 500 MB tasks: node 1 first (fewer tasks), then
    /// node 1 is full and node 2 takes the second.
    @Test func resourceConstraintHA() {
        let task = Self.service("t", 0, requests: ["memory": "500M"])
        let cluster = makeCluster([NodeBuilder("id1").capacity(cpu: "1", memory: "1G"), NodeBuilder("id2").capacity(cpu: "1", memory: "100G")],
                                  existing: [(task, 0), (task, 1), (task, 1), (task, 1)])
        #expect(Self.scheduleGroup(cluster, task, count: 2) == [1, 1])
    }

    /// TestSchedulerResourceConstraint: the explanation when no node fits.
    @Test func noSuitableNodeExplanation() {
        let cluster = makeCluster([NodeBuilder("underprovisioned").capacity(cpu: "1", memory: "1G"),
                                   NodeBuilder("nonready1").capacity(cpu: "2", memory: "2G").unschedulable(),
                                   NodeBuilder("nonready2").capacity(cpu: "2", memory: "2G").unschedulable()])
        let engine = SwarmPlacement()
        #expect(Self.scheduleGroup(cluster, Self.service("t", 0, requests: ["memory": "2G"]), count: 1, engine: engine) == [0, 0, 0])
        #expect(engine.lastExplanation == "2 nodes not available for new tasks; insufficient resources on 1 node")
    }

    /// TestSchedulerCompatiblePlatform: task2 (linux/intel) fits no node.
    @Test func compatiblePlatform() {
        let cluster = makeCluster([NodeBuilder("node1").capacity(cpu: "4", memory: "4Gi"),
                                   NodeBuilder("node2").capacity(cpu: "4", memory: "4Gi").labels(["node.platform.os": "windows"])])
        let engine = SwarmPlacement()
        let intel = SwarmPlacementSpec(platforms: [SwarmPlatform(os: "linux", architecture: "intel")])
        #expect(Self.scheduleGroup(cluster, Self.service("t2", 1, placement: intel), count: 1, engine: engine) == [0, 0])
        #expect(engine.lastExplanation == "unsupported platform on 2 nodes")
        let linux = SwarmPlacementSpec(platforms: [SwarmPlatform(os: "linux")])
        #expect(Self.scheduleGroup(cluster, Self.service("t4", 3, placement: linux), count: 1) == [1, 0])
    }

    /// TestSchedulerHostPort: a published host port allows one task per node.
    @Test func hostPort() {
        let cluster = makeCluster(Self.nodes(2))
        let engine = SwarmPlacement()
        #expect(Self.scheduleGroup(cluster, Self.service("t", 0, ports: [58008]), count: 3, engine: engine) == [1, 1])
        #expect(engine.lastExplanation == "host-mode port already in use on 2 nodes")
    }

    /// TestSchedulerMaxReplicas: max_replicas_per_node 1 on 2 nodes leaves the third task unplaced.
    @Test func maxReplicas() {
        let cluster = makeCluster(Self.nodes(2))
        let engine = SwarmPlacement()
        #expect(Self.scheduleGroup(cluster, Self.service("t", 0, placement: SwarmPlacementSpec(maxReplicas: 1)), count: 3, engine: engine) == [1, 1])
        #expect(engine.lastExplanation == "max replicas per node limit exceed")
    }

    /// Constraints narrow the nodes (TestSchedulerConstraint shape): node.labels and node.role.
    @Test func constraints() throws {
        let cluster = makeCluster(Self.nodes(4) { $0 == 0 ? ["node.role": "manager"] : ["disk": $0 == 3 ? "hdd" : "ssd"] })
        let c = [try SwarmConstraintParser.parse("node.role!=manager").get(), try SwarmConstraintParser.parse("node.labels.disk==SSD").get()]
        #expect(Self.scheduleGroup(cluster, Self.service("t", 0, placement: SwarmPlacementSpec(constraints: c)), count: 4) == [0, 2, 2, 0])
    }

    /// scheduleNTasksOnNodes only compares the current node with the *next* one
    /// in the first pass, so it is not a full rebalance: nodes sorted id2 (0),
    /// id3 (0), id1 (2 tasks of the service). id2 takes one, then id3 is better
    /// and takes tasks until id1 (2) is strictly better than it (at 3), so five
    /// tasks end 1 / 1 / 3 (id1 / id2 / id3), not 1 / 2 / 2. Hand-traced from upstream.
    @Test func firstPassComparesOnlyTheNextNode() {
        let task = Self.service("t", 0)
        let cluster = makeCluster(Self.nodes(3), existing: [(task, 0), (task, 0)])
        #expect(Self.scheduleGroup(cluster, task, count: 5) == [1, 1, 3])
    }

    @Test func explainDescribesEveryNode() {
        let cluster = makeCluster([NodeBuilder("a").capacity(cpu: "1", memory: "1Gi"), NodeBuilder("b").capacity(cpu: "1", memory: "1Gi").unschedulable(),
                                   NodeBuilder("c").capacity(cpu: "1", memory: "1Gi")],
                                  existing: [(Self.service("other", 5), 0)])
        let task = Self.service("t", 0)
        let id = cluster.submit(task.spec, at: 0)
        let cycle = SwarmPlacement().explain(id, task.spec, in: ClusterView(cluster), random: RandomStreams(seed: 1).stream(named: "x"))
        #expect(cycle.selected == 2, "c: no task at all beats a (one task of another service)")
        #expect(cycle.evaluations[1].rejectedBy == "ReadyFilter")
        #expect(cycle.evaluations[0].raw == [0, 1] && cycle.evaluations[2].raw == [0, 0])
        #expect(cycle.evaluations[2].total == 1 && cycle.evaluations[0].total == 0, "c beats a")
    }
}
