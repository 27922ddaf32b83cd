import BerthCluster
import BerthSchedulers
import BerthSimulation
import BerthTestSupport
import Testing

/// The allocator's behaviours, after apache/mesos
/// `src/tests/hierarchical_allocator_tests.cpp` (each test names the upstream
/// test it follows). Berth has no `addSlave` after start, so agents exist
/// from the first pass; a framework registers with its first task.
@Suite struct MesosAllocatorTests {
    static let second: Int64 = 1_000_000

    final class Harness {
        let cluster: Cluster
        let scheduler: MesosScheduler
        let rng = RandomStreams(seed: 7).stream(.tieBreaks)
        init(_ nodes: [NodeBuilder], options: MesosOptions = MesosOptions()) {
            cluster = makeCluster(nodes)
            scheduler = MesosScheduler(options: options)
        }
        @discardableResult
        func submit(_ framework: String, role: String = "*", cpu: String = "1", memory: String = "1Gi",
                    seconds: Int64? = nil, at micros: Int64 = 0) -> Int32 {
            var b = TaskBuilder("\(framework)-task", catalog: cluster.catalog).requests(cpu: cpu, memory: memory)
            if let seconds { b = b.duration(seconds: seconds) }
            var spec = b.spec
            spec.mesos = MesosTaskDetails(framework: framework, role: role)
            let id = cluster.submit(spec, at: micros)
            scheduler.enqueue(id, in: cluster)
            return id
        }
        @discardableResult
        func pass(at micros: Int64) -> [Int32] { scheduler.schedule(in: cluster, at: micros, random: rng) }
        /// Offers outstanding, as (framework, node name).
        var offers: [(String, String)] { scheduler.outstandingOffers.map { ($0.framework, cluster.nodes[Int($0.node)].name) } }
    }

    /// A framework that holds its offers (decision time 1 h) to inspect them.
    static func holding(_ role: String? = nil) -> MesosFrameworkOptions {
        var o = MesosFrameworkOptions(kind: .batch)
        o.tJobMicros = 3600 * second
        o.role = role
        return o
    }

    /// A framework whose tasks never fit and that declines without a filter.
    static func declining() -> MesosFrameworkOptions {
        var o = MesosFrameworkOptions(kind: .batch)
        o.declineRefuseMicros = 0
        return o
    }

    /// TEST_F(HierarchicalAllocatorTest, CoarseGrained): an agent goes whole to
    /// one framework; with two frameworks and two agents each gets one agent.
    @Test func upstreamCoarseGrained() {
        var options = MesosOptions()
        options.frameworks = ["f1": Self.holding("role1"), "f2": Self.holding("role2")]
        options.offerTimeoutMicros = Self.second  // stands in for upstream's recoverResources
        let h = Harness([NodeBuilder("s1").capacity(cpu: "2", memory: "1Gi"), NodeBuilder("s2").capacity(cpu: "2", memory: "1Gi")],
                        options: options)
        h.submit("f1", role: "role1", cpu: "4")  // never fits: offers stay outstanding
        h.pass(at: 0)
        #expect(h.offers.map(\.0) == ["f1", "f1"], "the only framework is offered both agents")
        h.submit("f2", role: "role2", cpu: "4", at: Self.second / 2)
        h.pass(at: Self.second / 2)
        #expect(h.offers.count == 2, "everything is offered already")
        h.pass(at: Self.second)  // f1's offers are rescinded, then the periodic cycle
        #expect(Set(h.offers.map(\.0)) == ["f1", "f2"], "each framework is offered one agent")
        #expect(Set(h.offers.map(\.1)) == ["s1", "s2"])
        #expect(h.scheduler.offersRescinded == 2)
    }

    /// TEST_F(HierarchicalAllocatorTest, SameShareFairness): two frameworks of
    /// equal (zero) share alternate on one agent, by allocation count.
    @Test func upstreamSameShareFairness() {
        var options = MesosOptions()
        options.frameworks = ["f1": Self.declining(), "f2": Self.declining()]
        let h = Harness([NodeBuilder("s").capacity(cpu: "2", memory: "1Gi")], options: options)
        h.submit("f1", cpu: "4")
        h.submit("f2", cpu: "4")
        for t in 0..<10 { h.pass(at: Int64(t) * Self.second) }
        let fws = h.scheduler.frameworks
        #expect(fws.map(\.offersReceived) == [5, 5])
        #expect(fws.map(\.offersDeclined) == [5, 5])
    }

    /// TEST_F(HierarchicalAllocatorTest, Reservations): an agent reserved for a
    /// role is offered only to frameworks of that role; one reserved for a role
    /// without frameworks is never offered.
    @Test func upstreamReservations() {
        var options = MesosOptions()
        options.frameworks = ["f1": Self.holding("role1"), "f2": Self.holding("role2")]
        options.reservations = ["role1": ["s1"], "role3": ["s3"]]
        let h = Harness(["s1", "s2", "s3"].map { NodeBuilder($0).capacity(cpu: "2", memory: "1Gi") }, options: options)
        h.submit("f1", role: "role1", cpu: "4")
        h.pass(at: 0)
        #expect(Set(h.offers.map(\.1)) == ["s1", "s2"], "its reservation and the unreserved agent, never s3")
        h.submit("f2", role: "role2", cpu: "4")
        h.pass(at: 1)
        #expect(h.offers.filter { $0.0 == "f2" }.isEmpty, "nothing left that role2 may have")
    }

    /// TEST_F(HierarchicalAllocatorTest, Allocatable): an agent is offered only
    /// if it holds one of the `min_allocatable_resources` sets (cpus:0.01|mem:32).
    @Test func upstreamAllocatable() {
        var options = MesosOptions()
        options.frameworks = ["f": Self.holding()]
        let h = Harness([NodeBuilder("small").capacity(cpu: "5m", memory: "16Mi"),
                         NodeBuilder("cpu").capacity(cpu: "10m", memory: "16Mi"),
                         NodeBuilder("mem").capacity(cpu: "5m", memory: "32Mi")], options: options)
        h.submit("f", cpu: "4")
        h.pass(at: 0)
        #expect(Set(h.offers.map(\.1)) == ["cpu", "mem"])
    }

    /// TEST_F(HierarchicalAllocatorTest, UnreservedDRF), the last step: the
    /// agent goes to the role with the lower share even though another role's
    /// framework has nothing; within a role, to its lower-share framework.
    @Test func upstreamUnreservedDRFRoleOrder() {
        var options = MesosOptions()
        options.frameworks = ["f1": Self.holding("role1"), "f2": Self.holding("role2")]
        options.offerTimeoutMicros = 10 * Self.second
        let big = NodeBuilder("big").capacity(cpu: "6", memory: "6Gi")
        let h = Harness([big, NodeBuilder("s5").capacity(cpu: "1", memory: "512Mi")], options: options)
        // f1 holds `big` (role1 share 1 of cpu 6/7); f2 (role2, share 0) registers next.
        h.submit("f1", role: "role1", cpu: "64")
        h.pass(at: 0)
        #expect(h.offers.count == 2 && Set(h.offers.map(\.0)) == ["f1"])
        let f2 = h.submit("f2", role: "role2", cpu: "64", at: 1)
        h.pass(at: 1)
        #expect(h.offers.count == 2, "nothing free")
        _ = f2
        // At the timeout both come back; the cycle goes agent by agent in DRF order:
        // role2 (share 0) first; after taking one agent role1 has 0, so both roles get one.
        h.pass(at: 10 * Self.second)
        #expect(Set(h.offers.map(\.0)) == ["f1", "f2"])
    }

    /// TEST_F(HierarchicalAllocatorTest, OfferFilter): a decline with
    /// refuse_seconds keeps the agent from the framework until the filter
    /// expires, unless the agent has more to offer than was refused.
    @Test func upstreamOfferFilter() throws {
        var options = MesosOptions()
        var f = MesosFrameworkOptions(kind: .batch)
        f.declineRefuseMicros = 5 * Self.second
        options.frameworks = ["f": f, "g": Self.holding()]
        let h = Harness([NodeBuilder("s").capacity(cpu: "4", memory: "4Gi")], options: options)
        h.submit("f", cpu: "8")  // never fits: every offer is declined
        h.pass(at: 0)
        #expect(h.scheduler.frameworks[0].offersReceived == 1)
        for t in 1...4 { h.pass(at: Int64(t) * Self.second) }
        #expect(h.scheduler.frameworks[0].offersReceived == 1, "filtered for 5 s")
        h.pass(at: 5 * Self.second)
        #expect(h.scheduler.frameworks[0].offersReceived == 2, "the filter expired")
    }

    /// A filter blocks only offers no larger than what was refused: after an
    /// accept, the unused remainder is filtered (5 s), but the agent is offered
    /// again as soon as a task ends and frees more.
    @Test func filterBlocksOnlySmallerOffers() throws {
        var options = MesosOptions()
        var b = MesosFrameworkOptions(kind: .batch)
        b.maxTasksPerOffer = 1
        options.frameworks = ["b": b]
        let h = Harness([NodeBuilder("s").capacity(cpu: "4", memory: "4Gi")], options: options)
        let first = h.submit("b", cpu: "1", memory: "1Gi", seconds: 2)
        h.submit("b", cpu: "1", memory: "1Gi", seconds: 100)
        #expect(h.pass(at: 0) == [first], "one task per offer; the remainder is declined with the 5 s accept filter")
        #expect(h.pass(at: Self.second).isEmpty, "3 cpus left ⊆ 3 refused: filtered")
        try h.cluster.end(first, as: .finished, at: 2 * Self.second)
        h.scheduler.resourcesFreed(in: h.cluster)
        #expect(h.pass(at: 2 * Self.second + 1).isEmpty, "freed resources wait for the next cycle")
        #expect(h.pass(at: 3 * Self.second).count == 1, "4 cpus free > 3 refused: offered again before the filter expires")
    }

    /// TEST_F(HierarchicalAllocatorTest, SmallOfferFilterTimeout): a filter
    /// shorter than the allocation interval lasts one interval (MESOS-4302).
    @Test func upstreamSmallOfferFilterTimeout() {
        var options = MesosOptions()
        options.allocationIntervalMicros = 2 * Self.second
        var f = Self.declining()
        f.declineRefuseMicros = Self.second / 10
        options.frameworks = ["f": f]
        let h = Harness([NodeBuilder("s").capacity(cpu: "4", memory: "4Gi")], options: options)
        h.submit("f", cpu: "8")
        h.pass(at: 0)
        #expect(h.scheduler.nextWakeup(after: 0)?.micros == 2 * Self.second, "the next cycle after max(0.1 s, 2 s)")
        h.pass(at: Self.second)  // not a cycle
        h.pass(at: 2 * Self.second)
        #expect(h.scheduler.frameworks[0].offersReceived == 2)
    }

    /// SuppressOffers / ReviveOffers: an idle framework is not offered anything;
    /// a new task revives it and triggers a cycle at once.
    @Test func upstreamSuppressAndRevive() {
        var options = MesosOptions()
        options.frameworks = ["a": MesosFrameworkOptions(kind: .batch), "b": Self.holding()]
        let h = Harness([NodeBuilder("s1").capacity(cpu: "4", memory: "4Gi"), NodeBuilder("s2").capacity(cpu: "4", memory: "4Gi")],
                        options: options)
        let t = h.submit("a", cpu: "1")
        #expect(h.pass(at: 0) == [t])
        #expect(h.scheduler.nextWakeup(after: 0) == nil, "a suppressed itself; nothing left to do")
        for s in 1...3 { h.pass(at: Int64(s) * Self.second) }
        #expect(h.scheduler.frameworks[0].offersReceived == 2, "no offers while suppressed (one per agent at t=0)")
        let u = h.submit("a", cpu: "1", at: 3 * Self.second + 5)
        #expect(h.pass(at: 3 * Self.second + 5) == [u], "revive: a cycle at once, between periodic cycles")
    }

    /// `--offer_timeout` (MasterTest.OfferTimeout): an offer held longer is
    /// rescinded and its resources offered again.
    @Test func offerTimeoutRescinds() {
        var options = MesosOptions()
        options.offerTimeoutMicros = 3 * Self.second
        options.frameworks = ["slow": Self.holding()]
        let h = Harness([NodeBuilder("s").capacity(cpu: "4", memory: "4Gi")], options: options)
        h.submit("slow", cpu: "1")
        #expect(h.pass(at: 0).isEmpty)
        #expect(h.scheduler.nextWakeup(after: 0)?.micros == 3 * Self.second)
        h.pass(at: 3 * Self.second)
        #expect(h.scheduler.offersRescinded == 1)
        #expect(h.offers.count == 1, "offered again in the same cycle")
        #expect(h.scheduler.queuedCount == 1, "the planned task went back to the queue")
    }

    /// Decision time t_job + t_task × tasks: the launch happens when the answer comes.
    @Test func decisionTimeDelaysLaunch() {
        var options = MesosOptions()
        var b = MesosFrameworkOptions(kind: .batch)
        b.tJobMicros = Self.second
        b.tTaskMicros = Self.second / 2
        options.frameworks = ["b": b]
        let h = Harness([NodeBuilder("s").capacity(cpu: "4", memory: "4Gi")], options: options)
        let tasks = (0..<2).map { _ in h.submit("b", cpu: "1") }
        #expect(h.pass(at: 0).isEmpty)
        #expect(h.scheduler.nextWakeup(after: 0)?.micros == 2 * Self.second, "1 s + 2 × 0.5 s")
        #expect(h.pass(at: 2 * Self.second) == tasks)
        #expect(tasks.allSatisfy { h.cluster.tasks[Int($0)].startMicros == 2 * Self.second })
    }
}
