import BerthCluster
import BerthPlacement
import BerthSchedulers
import BerthSimulation
import BerthTestSupport
import Testing

/// kube-scheduler's queue: backoff, parking and moving on cluster events.
@Suite struct KubernetesSchedulerTests {
    /// A stand-in for NodeResourcesFit (same name, so the queue applies its event interests).
    struct Fit: FilterPlugin {
        var name: String { "NodeResourcesFit" }
        func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
            node.view.fits(pod.requests, on: node.index) ? .success : Status(.unschedulable, ["Insufficient cpu"])
        }
    }

    /// A stand-in for NodeAffinity: rejects every node, registers for node events only.
    struct NeverMatches: FilterPlugin {
        var name: String { "NodeAffinity" }
        func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
            Status(.unschedulableAndUnresolvable, ["node(s) didn't match Pod's node affinity/selector"])
        }
    }

    static func scheduler(_ filters: [any FilterPlugin]) -> KubernetesScheduler {
        KubernetesScheduler(framework: KubernetesFramework(profile: KubernetesProfile(name: "t", filters: filters)))
    }

    // Upstream TestBackoffPodDuration-style facts: 1 s, doubling, capped at 10 s.
    @Test(arguments: [(1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (6, 10), (30, 10)])
    func backoffDoublesToTenSeconds(attempts: Int, seconds: Int64) {
        #expect(KubernetesScheduler.backoffMicros(attempts: attempts) == seconds * 1_000_000)
    }

    /// `podInitialBackoffSeconds` 2, `podMaxBackoffSeconds` 5 (upstream `calculateBackoffDuration`).
    @Test(arguments: [(1, 2), (2, 4), (3, 5), (4, 5)] as [(Int, Int64)])
    func backoffWithConfiguredBounds(attempts: Int, seconds: Int64) {
        #expect(KubernetesScheduler.backoffMicros(attempts: attempts, initial: 2_000_000, max: 5_000_000) == seconds * 1_000_000)
    }

    /// Upstream keeps `nextStartNodeIndex` on the Scheduler, so every profile
    /// continues where the previous cycle (of any profile) stopped.
    @Test func profilesShareTheStartIndex() throws {
        let cluster = makeCluster((0..<200).map { NodeBuilder("n\($0)").capacity(cpu: "4", memory: "8Gi") })
        let a = KubernetesFramework(profile: KubernetesProfile(name: "a", filters: [Fit()], percentageOfNodesToScore: 50))
        let b = KubernetesFramework(profile: KubernetesProfile(name: "b", filters: [Fit()], percentageOfNodesToScore: 50))
        let s = KubernetesScheduler(profiles: [(a, nil), (b, nil)])
        let rng = RandomStreams(seed: 1).stream(.tieBreaks)
        let plain = cluster.submit(TaskBuilder("plain").requests(cpu: "1", memory: "1Gi").spec, at: 0)
        var named = TaskBuilder("named").requests(cpu: "1", memory: "1Gi").spec
        named.pod = PodDetails(containers: [], schedulerName: "b")
        let second = cluster.submit(named, at: 0)
        s.enqueue(plain, in: cluster)
        s.enqueue(second, in: cluster)
        #expect(s.schedule(in: cluster, at: 0, random: rng) == [plain, second])
        #expect(a.nextStartNodeIndex == 100, "the plain task went to the first profile and filtered 100 nodes")
        #expect(b.nextStartNodeIndex == 0, "profile b started at the shared index 100, not at its own 0")
        #expect(cluster.tasks[Int(second)].node >= 100)
    }

    /// DefaultPreemption nominates the node it made room on; the preemptor
    /// tries it first and binds there, and the nomination ends with the bind.
    /// A pod whose preemption finds nothing keeps no nomination.
    @Test func preemptorIsNominatedAndBindsThere() throws {
        func task(_ name: String, cpu: String, priority: Int32) -> TaskBuilder {
            var t = TaskBuilder(name).requests(cpu: cpu, memory: "1Gi")
            t.spec.priority = priority
            return t
        }
        // n0: a low-priority 2-cpu pod; n1: a low and a high-priority 1-cpu pod.
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "2", memory: "8Gi"), NodeBuilder("n1").capacity(cpu: "2", memory: "8Gi")],
                                  existing: [(task("low0", cpu: "2", priority: 0), 0), (task("low1", cpu: "1", priority: 0), 1),
                                             (task("high1", cpu: "1", priority: 100), 1)])
        let framework = KubernetesFramework(profile: KubernetesProfile(name: "t", filters: [Fit()]))
        let s = KubernetesScheduler(framework: framework)
        let rng = RandomStreams(seed: 1).stream(.tieBreaks)
        let p = cluster.submit(task("p", cpu: "2", priority: 10).spec, at: 1_000_000)
        s.enqueue(p, in: cluster)
        #expect(s.schedule(in: cluster, at: 1_000_000, random: rng) == [p])
        #expect(cluster.tasks[Int(p)].node == 0, "only n0 can be freed (high1 outranks p on n1)")
        #expect(cluster.tasks[0].state == .killed && s.drainEvictions() == [0])
        #expect(s.nominatedNode(of: p) == nil, "the nomination ends with the bind")
        #expect(cluster.tasks[Int(p)].attempts == 2, "one failed cycle, one on the nominated node")

        // Nothing left to preempt for another priority-10 pod: parked, not nominated.
        let q = cluster.submit(task("q", cpu: "2", priority: 10).spec, at: 2_000_000)
        s.enqueue(q, in: cluster)
        #expect(s.schedule(in: cluster, at: 2_000_000, random: rng).isEmpty)
        #expect(s.nominatedNode(of: q) == nil)
    }

    /// Upstream PodEligibleToPreemptOthers: `preemptionPolicy: Never` keeps a
    /// pod from preempting (it is parked, not nominated, nothing is evicted),
    /// while its priority still orders the queue and it can still be a victim.
    @Test func preemptionPolicyNeverDoesNotPreemptButIsPreemptible() throws {
        func task(_ name: String, cpu: String, priority: Int32, never: Bool = false) -> TaskBuilder {
            var t = TaskBuilder(name).requests(cpu: cpu, memory: "1Gi")
            t.spec.priority = priority
            if never { t.spec.preemptionPolicy = .never }
            return t
        }
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "2", memory: "8Gi")],
                                  existing: [(task("low", cpu: "2", priority: 0), 0)])
        let s = KubernetesScheduler(framework: KubernetesFramework(profile: KubernetesProfile(name: "t", filters: [Fit()])))
        let rng = RandomStreams(seed: 1).stream(.tieBreaks)
        let p = cluster.submit(task("p", cpu: "2", priority: 10, never: true).spec, at: 1_000_000)
        s.enqueue(p, in: cluster)
        #expect(s.schedule(in: cluster, at: 1_000_000, random: rng).isEmpty)
        #expect(cluster.tasks[0].state == .running, "a Never pod evicts nothing")
        #expect(s.drainEvictions().isEmpty && s.preemptionCount == 0)
        #expect(s.nominatedNode(of: p) == nil && cluster.tasks[Int(p)].state == .pending)

        // The same pod with the default policy preempts `low`.
        let cluster1 = makeCluster([NodeBuilder("n0").capacity(cpu: "2", memory: "8Gi")],
                                   existing: [(task("low", cpu: "2", priority: 0), 0)])
        let s1 = KubernetesScheduler(framework: KubernetesFramework(profile: KubernetesProfile(name: "t", filters: [Fit()])))
        let q = cluster1.submit(task("q", cpu: "2", priority: 10).spec, at: 1_000_000)
        s1.enqueue(q, in: cluster1)
        _ = s1.schedule(in: cluster1, at: 1_000_000, random: rng)
        #expect(cluster1.tasks[0].state == .killed && cluster1.tasks[Int(q)].node == 0 && s1.preemptionCount == 1)

        // A Never pod that is running can itself be preempted by a higher-priority pod.
        let cluster2 = makeCluster([NodeBuilder("n0").capacity(cpu: "2", memory: "8Gi")],
                                   existing: [(task("never", cpu: "2", priority: 5, never: true), 0)])
        let s2 = KubernetesScheduler(framework: KubernetesFramework(profile: KubernetesProfile(name: "t", filters: [Fit()])))
        let r = cluster2.submit(task("r", cpu: "2", priority: 10).spec, at: 0)
        s2.enqueue(r, in: cluster2)
        _ = s2.schedule(in: cluster2, at: 0, random: rng)
        #expect(cluster2.tasks[0].state == .killed && cluster2.tasks[Int(r)].node == 0)
    }

    /// Upstream PodEligibleToPreemptOthers: a preemptor waits for its
    /// victims on the nominated node to terminate — unless that node now
    /// rejects it as UnschedulableAndUnresolvable (here: cordoned), when it
    /// preempts elsewhere at once.
    @Test func nominatedNodeTurnedUnresolvableLetsThePodPreemptAgain() throws {
        func task(_ name: String, priority: Int32) -> TaskSpec {
            var t = TaskBuilder(name).requests(cpu: "2", memory: "1Gi").spec
            t.priority = priority
            return t
        }
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "2", memory: "8Gi"), NodeBuilder("n1").capacity(cpu: "2", memory: "8Gi")],
                                  existing: [(TaskBuilder("low0").requests(cpu: "2", memory: "1Gi"), 0),
                                             (TaskBuilder("low1").requests(cpu: "2", memory: "1Gi"), 1)])
        let framework = KubernetesFramework(profile: KubernetesProfile(name: "t", filters: [NodeUnschedulable(), Fit()]))
        let s = KubernetesScheduler(framework: framework)
        s.gracefulEvictions = true
        let rng = RandomStreams(seed: 1).stream(.tieBreaks)
        let p = cluster.submit(task("p", priority: 10), at: 0)
        s.enqueue(p, in: cluster)
        #expect(s.schedule(in: cluster, at: 0, random: rng).isEmpty)
        let first = try #require(s.nominatedNode(of: p))
        #expect(s.preemptionCount == 1 && s.drainEvictions() == [Int32(first)], "low<first> is Terminating")

        // Still terminating, nothing changed: p waits (no second preemption).
        s.nodeChanged(in: cluster)
        #expect(s.schedule(in: cluster, at: 20_000_000, random: rng).isEmpty)
        #expect(s.preemptionCount == 1 && s.nominatedNode(of: p) == first)

        // The nominated node is cordoned: p preempts on the other node.
        try cluster.setNode(Int32(first), cordoned: true)
        s.nodeChanged(in: cluster)
        #expect(s.schedule(in: cluster, at: 40_000_000, random: rng).isEmpty)
        #expect(s.preemptionCount == 2 && s.nominatedNode(of: p) == 1 - first)
        #expect(s.drainEvictions() == [Int32(1 - first)])
    }

    @Test func activeQueueOrdersByPriorityThenArrival() throws {
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "1", memory: "8Gi")])
        let s = Self.scheduler([Fit()])
        let rng = RandomStreams(seed: 1).stream(.tieBreaks)
        var low = TaskBuilder("low").requests(cpu: "1", memory: "1Gi").spec
        low.priority = 1
        var high = TaskBuilder("high").requests(cpu: "1", memory: "1Gi").spec
        high.priority = 5
        let a = cluster.submit(low, at: 0), b = cluster.submit(high, at: 0)
        s.enqueue(a, in: cluster)
        s.enqueue(b, in: cluster)
        #expect(s.schedule(in: cluster, at: 0, random: rng) == [b])
        #expect(cluster.tasks[Int(a)].state == .pending)
    }

    /// A pod rejected for resources is parked; a pod deletion moves it to the
    /// backoff queue, which releases it at the first whole second ≥ its expiry.
    @Test func deletionMovesResourcePodThroughBackoff() throws {
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "1", memory: "8Gi")],
                                  existing: [(TaskBuilder("hog").requests(cpu: "1", memory: "1Gi"), 0)])
        let s = Self.scheduler([Fit()])
        let rng = RandomStreams(seed: 1).stream(.tieBreaks)
        let p = cluster.submit(TaskBuilder("p").requests(cpu: "1", memory: "1Gi").spec, at: 100_000)
        s.enqueue(p, in: cluster)
        #expect(s.schedule(in: cluster, at: 100_000, random: rng).isEmpty)
        // Parked: the next wakeup is only the 5-minute flush (not live): 100 ms + 300 s → next 30 s tick = 330 s.
        let parked = try #require(s.nextWakeup(after: 100_000))
        #expect(parked.micros == 330_000_000 && !parked.live)
        try cluster.end(0, as: .finished, at: 400_000)
        s.resourcesFreed(in: cluster)
        #expect(s.schedule(in: cluster, at: 400_000, random: rng).isEmpty, "still backing off (expiry 1.1 s)")
        let wake = try #require(s.nextWakeup(after: 400_000))
        #expect(wake.micros == 2_000_000 && wake.live, "1 s backoff from 0.1 s = 1.1 s → flushed at the 2 s tick")
        #expect(s.schedule(in: cluster, at: 2_000_000, random: rng) == [p])
        #expect(cluster.tasks[Int(p)].attempts == 2)
    }

    /// A pod rejected only by NodeAffinity ignores pod deletions; the 5-minute flush retries it.
    @Test func affinityPodWaitsForFlush() throws {
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "4", memory: "8Gi")],
                                  existing: [(TaskBuilder("other").requests(cpu: "1", memory: "1Gi"), 0)])
        let s = Self.scheduler([NeverMatches()])
        let rng = RandomStreams(seed: 1).stream(.tieBreaks)
        let p = cluster.submit(TaskBuilder("p").requests(cpu: "1", memory: "1Gi").spec, at: 0)
        s.enqueue(p, in: cluster)
        _ = s.schedule(in: cluster, at: 0, random: rng)
        try cluster.end(0, as: .finished, at: 1_000_000)
        s.resourcesFreed(in: cluster)
        _ = s.schedule(in: cluster, at: 1_000_000, random: rng)
        #expect(cluster.tasks[Int(p)].attempts == 1, "a pod deletion does not interest NodeAffinity")
        _ = s.schedule(in: cluster, at: 300_000_000, random: rng)
        #expect(cluster.tasks[Int(p)].attempts == 2, "flushed after 5 minutes")
        #expect(s.queuedCount == 1)
    }
}
