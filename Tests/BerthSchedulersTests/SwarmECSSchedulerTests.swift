import BerthCluster
import BerthPlacement
import BerthSchedulers
import BerthSimulation
import BerthTestSupport
import Testing

/// swarmkit's tick (task groups, retry after frees) and the Swarm / ECS presets.
@Suite struct SwarmECSSchedulerTests {
    static func task(_ name: String, service: Int32, cpu: String = "1") -> TaskSpec {
        var t = TaskBuilder(name).requests(cpu: cpu, memory: "1Gi").spec
        t.workload = service
        t.shape = service
        return t
    }

    /// A group's tasks are spread against each other in one tick: 6 tasks of one
    /// service on 3 empty nodes go 2/2/2, whatever order they arrived in.
    @Test func tickSchedulesAGroupTogether() {
        let cluster = makeCluster((0..<3).map { NodeBuilder("n\($0)").capacity(cpu: "8", memory: "16Gi") })
        let s = SwarmScheduler()
        for i in 0..<6 { s.enqueue(cluster.submit(Self.task("web-\(i)", service: 0), at: 0), in: cluster) }
        #expect(s.queuedCount == 6)
        let bound = s.schedule(in: cluster, at: 0, random: RandomStreams(seed: 1).stream(.tieBreaks))
        #expect(bound.count == 6 && s.queuedCount == 0)
        #expect(cluster.runningCount == [2, 2, 2])
    }

    /// scheduler_test.go TestScheduler (the parts Berth models): tasks without a
    /// spec version are one-off groups of the empty service; with a task on id1,
    /// two new tasks go to id2 and id3; once id1's task is gone, the next goes to id1.
    @Test func upstreamTestScheduler() throws {
        let cluster = makeCluster((1...3).map { NodeBuilder("id\($0)").capacity(cpu: "8", memory: "16Gi") })
        var oneOff = TaskBuilder("t", catalog: cluster.catalog).requests(cpu: "1", memory: "1Gi").spec
        oneOff.shape = -1
        let first = cluster.submit(oneOff, at: 0)
        try cluster.bind(first, to: 0, at: 0)
        let s = SwarmScheduler()
        let rng = RandomStreams(seed: 1).stream(.tieBreaks)
        let two = (0..<2).map { _ in cluster.submit(oneOff, at: 0) }
        for t in two { s.enqueue(t, in: cluster) }
        #expect(s.schedule(in: cluster, at: 0, random: rng) == two)
        #expect(Set(two.map { cluster.tasks[Int($0)].node }) == [1, 2], "must assign to id2 or id3 since id1 already has a task")
        try cluster.end(first, as: .finished, at: 1)
        s.resourcesFreed(in: cluster)
        let next = cluster.submit(oneOff, at: 1)
        s.enqueue(next, in: cluster)
        #expect(s.schedule(in: cluster, at: 1, random: rng) == [next])
        #expect(cluster.tasks[Int(next)].node == 0)
    }

    /// TestSchedulerResourceConstraintDeadTask: unplaced tasks stay queued and
    /// blocked until resources are freed (the task holding them ends), then fit.
    @Test func unplacedTasksWaitForFreedResources() throws {
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "2", memory: "16Gi")])
        let s = SwarmScheduler()
        let rng = RandomStreams(seed: 1).stream(.tieBreaks)
        let ids = (0..<3).map { cluster.submit(Self.task("w-\($0)", service: 0), at: 0) }
        for id in ids { s.enqueue(id, in: cluster) }
        #expect(s.schedule(in: cluster, at: 0, random: rng) == [ids[0], ids[1]])
        #expect(s.schedule(in: cluster, at: 1, random: rng).isEmpty && s.queuedCount == 1)
        #expect(s.placement.lastExplanation == "insufficient resources on 1 node")
        try cluster.end(ids[0], as: .finished, at: 2)
        s.resourcesFreed(in: cluster)
        #expect(s.schedule(in: cluster, at: 2, random: rng) == [ids[2]])
        #expect(s.queuedCount == 0)
    }

    /// Two services in one tick: each group is placed as a whole, oldest group first,
    /// and the second sees the first's tasks in its total-task tie-break.
    @Test func groupsInOrderOfTheirOldestTask() {
        let cluster = makeCluster((0..<2).map { NodeBuilder("n\($0)").capacity(cpu: "8", memory: "16Gi") })
        let s = SwarmScheduler()
        let a = cluster.submit(Self.task("a", service: 1), at: 0)
        let b = (0..<2).map { cluster.submit(Self.task("b-\($0)", service: 0), at: 0) }
        s.enqueue(b[0], in: cluster)
        s.enqueue(a, in: cluster)
        s.enqueue(b[1], in: cluster)
        let bound = s.schedule(in: cluster, at: 0, random: RandomStreams(seed: 1).stream(.tieBreaks))
        #expect(bound.first == a, "service 1's group holds the oldest task")
        #expect(cluster.tasks[Int(a)].node == 0)
        #expect(Set(b.map { cluster.tasks[Int($0)].node }) == [0, 1])
    }

    @Test(arguments: ["swarm", "ecs-binpack", "ecs-spread", "ecs-random"])
    func presetsBuildAndExplain(_ name: String) throws {
        let preset = try #require(SchedulerRegistry.preset(named: name))
        let catalog = ResourceCatalog(extended: [])
        let scheduler = try SchedulerRegistry.make(preset.spec, catalog: catalog)
        #expect(scheduler.name == (name == "swarm" ? "swarm" : "monolithic/ecs"))
        #expect(SchedulerRegistry.explainer(preset.spec, catalog: catalog) != nil)
    }

    @Test func ecsPresetChains() throws {
        let chain = { (n: String) in try #require(SchedulerRegistry.preset(named: n)).spec.ecs.strategy }
        #expect(try chain("ecs-binpack") == [.binpack(resource: "memory")])
        #expect(try chain("ecs-spread") == [.spread(field: "attribute:ecs.availability-zone"), .binpack(resource: "memory")])
        #expect(try chain("ecs-random") == [.random])
    }
}
