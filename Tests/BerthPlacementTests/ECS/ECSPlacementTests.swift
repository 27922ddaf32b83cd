import BerthCluster
import BerthPlacement
import BerthSimulation
import BerthTestSupport
import Testing

/// Amazon ECS task placement (ECS Developer Guide, "Task placement
/// strategies", "Task placement constraints"). No public source exists: each
/// row states the documented rule it checks.
@Suite struct ECSPlacementTests {
    /// One node per entry: (zone, free memory in GiB after the existing tasks, group tasks on it).
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var nodes: [(zone: String, memoryGi: Int, groupTasks: Int)]
        var chain: [ECSPlacementStrategy]
        var constraints: [ECSPlacementConstraint] = []
        var requestGi = 1
        var expected: Int?
        var testDescription: String { name }
    }

    static let az = ECSPlacementStrategy.spread(field: "attribute:ecs.availability-zone")
    static let mem = ECSPlacementStrategy.binpack(resource: "memory")

    static let cases: [Case] = [
        Case(name: "binpack memory: least remaining memory that still fits",
             nodes: [("a", 8, 0), ("a", 4, 0), ("a", 6, 0)], chain: [mem], expected: 1),
        Case(name: "binpack memory: an instance without room is not a candidate",
             nodes: [("a", 8, 0), ("a", 1, 0), ("a", 6, 0)], chain: [mem], requestGi: 2, expected: 2),
        Case(name: "binpack cpu ranks by cpu, not memory (each node has 8 - group tasks cpus free)",
             nodes: [("a", 2, 1), ("a", 8, 3), ("a", 6, 0)], chain: [.binpack(resource: "cpu")], expected: 1),
        Case(name: "spread instanceId: the instance with the fewest tasks of the group",
             nodes: [("a", 16, 2), ("a", 16, 0), ("a", 16, 1)], chain: [.spread(field: "instanceId")], expected: 1),
        Case(name: "spread host is instanceId",
             nodes: [("a", 16, 1), ("a", 16, 1), ("a", 16, 0)], chain: [.spread(field: "host")], expected: 2),
        Case(name: "spread AZ: the zone with the fewest tasks of the group",
             nodes: [("a", 16, 1), ("a", 16, 0), ("b", 16, 1), ("c", 16, 0)], chain: [az], expected: 3),
        Case(name: "spread AZ counts tasks on instances that are not candidates",
             nodes: [("a", 0, 2), ("a", 16, 0), ("b", 16, 1), ("c", 1, 3)], chain: [az], requestGi: 2, expected: 2),
        Case(name: "chain: AZ spread first, binpack breaks the tie inside the zone",
             nodes: [("a", 10, 1), ("b", 12, 0), ("b", 6, 0)], chain: [az, mem], expected: 2),
        Case(name: "chain in the other order: binpack first decides",
             nodes: [("a", 4, 1), ("b", 12, 0), ("b", 6, 0)], chain: [mem, az], expected: 0),
        Case(name: "ties left after the chain go to the lowest node",
             nodes: [("a", 8, 0), ("b", 8, 0), ("c", 8, 0)], chain: [mem], expected: 0),
        Case(name: "distinctInstance skips instances running a task of the group",
             nodes: [("a", 4, 1), ("a", 8, 0), ("a", 6, 1)], chain: [mem], constraints: [.distinctInstance], expected: 1),
        Case(name: "distinctInstance with every instance taken: nowhere",
             nodes: [("a", 4, 1), ("a", 8, 1)], chain: [mem], constraints: [.distinctInstance], expected: nil),
        Case(name: "memberOf narrows the candidates before the strategies",
             nodes: [("a", 4, 0), ("b", 8, 0), ("b", 6, 0)], chain: [mem],
             constraints: [.memberOf(.compare(subject: "attribute:ecs.availability-zone", op: .equal, arguments: ["b"]), source: "")],
             expected: 2),
    ]

    /// Builds the nodes with `groupTasks` tasks of workload 0 (1 cpu each, no memory) and a
    /// filler task of another workload that leaves `memoryGi` free of 16 GiB.
    static func cluster(_ c: Case) -> Cluster {
        var existing: [(TaskBuilder, Int)] = []
        let nodes = c.nodes.enumerated().map { i, n in
            NodeBuilder("i-\(i)").capacity(cpu: "8", memory: "16Gi").labels([NodeLabel.zone: n.zone])
        }.map { b -> NodeBuilder in var b = b; b.spec.zone = b.spec.labels[NodeLabel.zone] ?? ""; return b }
        for (i, n) in c.nodes.enumerated() {
            for _ in 0..<n.groupTasks { var t = TaskBuilder("g").requests(["cpu": "1"]); t.spec.workload = 0; existing.append((t, i)) }
            if n.memoryGi < 16 { var t = TaskBuilder("fill").requests(["memory": "\(16 - n.memoryGi)Gi"]); t.spec.workload = 9; existing.append((t, i)) }
        }
        return makeCluster(nodes, existing: existing)
    }

    static func task(_ c: Case) -> TaskSpec {
        var t = TaskBuilder("t").requests(["memory": "\(c.requestGi)Gi"]).spec
        t.workload = 0
        t.placement = PlacementDetails(ecs: ECSPlacementSpec(strategy: c.chain, constraints: c.constraints))
        return t
    }

    @Test(arguments: cases) func placement(_ c: Case) {
        let cluster = Self.cluster(c)
        let d = ECSPlacement(strategy: []).place(0, Self.task(c), in: ClusterView(cluster), random: RandomStreams(seed: 1).stream(named: "t"))
        #expect(d.node.map(Int.init) == c.expected)
    }

    /// random: only candidates, each of them sometimes, and the same draws for the same seed.
    @Test func randomIsUniformOverCandidatesAndSeeded() {
        let c = Case(name: "", nodes: [("a", 16, 0), ("a", 0, 0), ("b", 16, 0), ("c", 16, 0)], chain: [.random], expected: nil)
        let cluster = Self.cluster(c)
        let engine = ECSPlacement(strategy: [])
        func draws(seed: UInt64) -> [Int] {
            let random = RandomStreams(seed: seed).stream(named: "t")
            return (0..<300).compactMap { _ in engine.place(0, Self.task(c), in: ClusterView(cluster), random: random).node.map(Int.init) }
        }
        let a = draws(seed: 7)
        #expect(a == draws(seed: 7))
        #expect(a != draws(seed: 8))
        let counts = Dictionary(grouping: a, by: { $0 }).mapValues(\.count)
        #expect(counts[1] == nil, "node 1 has no memory left")
        #expect([0, 2, 3].allSatisfy { (counts[$0] ?? 0) > 70 }, "\(counts)")
    }

    /// random after spread draws only among the spread winners.
    @Test func randomBreaksTiesOfTheEarlierStrategy() {
        let c = Case(name: "", nodes: [("a", 16, 1), ("b", 16, 0), ("b", 16, 0), ("c", 16, 2)], chain: [Self.az, .random], expected: nil)
        let cluster = Self.cluster(c)
        let random = RandomStreams(seed: 3).stream(named: "t")
        let picks = Set((0..<50).compactMap { _ in ECSPlacement(strategy: []).place(0, Self.task(c), in: ClusterView(cluster), random: random).node })
        #expect(picks == [1, 2])
    }

    /// The preset's chain applies when the task gives none; at most 5 strategies are used.
    @Test func defaultChainAndLimit() {
        let c = Case(name: "", nodes: [("a", 4, 1), ("b", 12, 0), ("b", 6, 0)], chain: [], expected: nil)
        var t = Self.task(c)
        t.placement = nil
        let view = ClusterView(Self.cluster(c))
        let random = RandomStreams(seed: 1).stream(named: "t")
        #expect(ECSPlacement(strategy: [Self.az, Self.mem]).place(0, t, in: view, random: random).node == 2)
        #expect(ECSPlacement(strategy: [Self.mem]).place(0, t, in: view, random: random).node == 0)
        let six = Array(repeating: Self.mem, count: 5) + [.random]
        #expect(ECSPlacement(strategy: six).strategy(for: t).count == 5)
    }

    /// explain: one column per strategy; raw = free memory / group tasks in the zone; normalized = kept.
    @Test func explainShowsEachStrategy() {
        let c = Case(name: "", nodes: [("a", 10, 1), ("b", 12, 0), ("b", 6, 0), ("c", 0, 0)], chain: [Self.az, Self.mem], expected: nil)
        let cycle = ECSPlacement(strategy: []).explain(0, Self.task(c), in: ClusterView(Self.cluster(c)), random: RandomStreams(seed: 1).stream(named: "t"))
        #expect(cycle.scorePluginNames == ["spread(attribute:ecs.availability-zone)", "binpack(memory)"])
        #expect(cycle.selected == 2)
        #expect(cycle.evaluations[3].rejectedBy == "Resources" && cycle.evaluations[3].reason == "RESOURCE:MEMORY")
        #expect(cycle.evaluations[0].raw == [1, 0] && cycle.evaluations[0].normalized == [0, 0])
        let gi: Int64 = 1 << 30
        #expect(cycle.evaluations[1].raw == [0, 12 * gi] && cycle.evaluations[1].normalized == [1, 0])
        #expect(cycle.evaluations[2].raw == [0, 6 * gi] && cycle.evaluations[2].normalized == [1, 1] && cycle.evaluations[2].selected)
    }
}
