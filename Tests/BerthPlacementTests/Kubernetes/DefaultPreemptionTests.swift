import BerthCluster
@testable import BerthPlacement
import BerthTestSupport
import Testing

/// DefaultPreemption's victim selection and node choice on hand-built clusters.
@Suite struct DefaultPreemptionTests {
    static func task(_ name: String, cpu: String, priority: Int32) -> TaskBuilder {
        var b = TaskBuilder(name).requests(cpu: cpu, memory: "1Gi")
        b.spec.priority = priority
        return b
    }

    /// The filters that matter here (the default profile's, in upstream order).
    static let profile = KubernetesProfile(
        name: "t", preFilters: [NodeResourcesFit(), NodePorts(), PodTopologySpread(), InterPodAffinity()],
        filters: [NodeUnschedulable(), TaintToleration(), NodePorts(), NodeResourcesFit(), PodTopologySpread(), InterPodAffinity()])

    static func find(_ pod: TaskBuilder, _ cluster: Cluster) -> DefaultPreemption.Candidate? {
        DefaultPreemption().findCandidate(for: PodInfo(spec: pod.spec), in: ClusterView(cluster), profile: profile,
                                          random: BerthSimulationShim.stream())
    }

    // Upstream calculateNumCandidates: 10% of nodes, at least 100, at most all.
    @Test(arguments: [(10, 10), (100, 100), (500, 100), (2000, 200), (5000, 500)])
    func numCandidates(nodes: Int, expected: Int) {
        #expect(DefaultPreemption.numCandidates(nodes: nodes) == expected)
    }

    // `DefaultPreemptionArgs`: (nodes, minCandidateNodesPercentage, minCandidateNodesAbsolute) → candidates.
    @Test(arguments: [(1000, 5, 10, 50), (1000, 1, 100, 100), (50, 0, 20, 20), (10, 50, 100, 10), (0, 10, 100, 0)])
    func numCandidatesWithArgs(nodes: Int, percentage: Int, absolute: Int, expected: Int) {
        #expect(DefaultPreemption.numCandidates(nodes: nodes, percentage: percentage, absolute: absolute) == expected)
    }

    /// Reprieve keeps the more important pods: on a 4-core node holding p1 (prio 1, 1 core),
    /// p2 (prio 2, 1 core), p3 (prio 3, 2 cores), a 2-core prio-10 pod needs 2 cores freed.
    /// All removed (4 free); reprieve p3 (2 free, fits) → kept; p2 (1 free) → victim; p1 → victim.
    @Test func reprieveHighestPriorityFirst() {
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "4", memory: "8Gi")],
                                  existing: [(Self.task("p1", cpu: "1", priority: 1), 0), (Self.task("p2", cpu: "1", priority: 2), 0),
                                             (Self.task("p3", cpu: "2", priority: 3), 0)])
        let c = Self.find(Self.task("hi", cpu: "2", priority: 10), cluster)
        #expect(c?.node == 0)
        #expect(c.map { Set($0.victims) } == [0, 1], "p1 and p2 are victims; p3 is reprieved")
    }

    /// Pods of equal or higher priority are never victims; a node where only they block is no candidate.
    @Test func neverEvictsEqualOrHigherPriority() {
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "2", memory: "8Gi")],
                                  existing: [(Self.task("peer", cpu: "2", priority: 10), 0)])
        #expect(Self.find(Self.task("hi", cpu: "2", priority: 10), cluster) == nil)
    }

    /// Node choice: the node whose highest-priority victim is lowest wins, even with more victims.
    @Test func lowestHighestVictimPriorityWins() {
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "2", memory: "8Gi"), NodeBuilder("n1").capacity(cpu: "2", memory: "8Gi")],
                                  existing: [(Self.task("mid", cpu: "2", priority: 5), 0),
                                             (Self.task("low-a", cpu: "1", priority: 1), 1), (Self.task("low-b", cpu: "1", priority: 1), 1)])
        let c = Self.find(Self.task("hi", cpu: "2", priority: 10), cluster)
        #expect(c?.node == 1 && c?.victims.count == 2)
    }

    /// A node rejected as unresolvable (an untolerated taint) is no candidate,
    /// however many low-priority pods it holds.
    @Test func unresolvableNodesAreNotCandidates() {
        let cluster = makeCluster([NodeBuilder("tainted").capacity(cpu: "2", memory: "8Gi").taint("gpu"),
                                   NodeBuilder("plain").capacity(cpu: "2", memory: "8Gi")],
                                  existing: [(Self.task("low-t", cpu: "2", priority: 1), 0), (Self.task("mid", cpu: "2", priority: 5), 1)])
        let c = Self.find(Self.task("hi", cpu: "2", priority: 10), cluster)
        #expect(c == DefaultPreemption.Candidate(node: 1, victims: [1]))
    }

    /// Host ports: the pod fits on resources but a lower-priority pod holds its
    /// port; evicting that pod (and only it) is the cure.
    @Test func evictsTheHolderOfAConflictingHostPort() {
        let port = HostPort(port: 8080)
        func withPort(_ b: TaskBuilder) -> TaskBuilder {
            var copy = b
            copy.spec.pod = PodDetails(containers: [], hostPorts: [port])
            return copy
        }
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "8", memory: "32Gi")],
                                  existing: [(withPort(Self.task("web-old", cpu: "1", priority: 1)), 0),
                                             (Self.task("other", cpu: "1", priority: 1), 0)])
        let c = Self.find(withPort(Self.task("web-new", cpu: "1", priority: 10)), cluster)
        #expect(c == DefaultPreemption.Candidate(node: 0, victims: [0]), "only the port holder is evicted")
    }

    /// Required anti-affinity of the incoming pod: a lower-priority pod it must
    /// not share a zone with is evicted (upstream's InterPodAffinity RemovePod).
    @Test func evictsForTheIncomingPodsAntiAffinity() {
        let nodes: [(name: String, labels: [String: String])] = [("a", ["zone": "z1"]), ("b", ["zone": "z1"])]
        let cluster = makeAffinityCluster(nodes: nodes, pods: [(AffinityPodBuilder("db-low").label("app", "db"), 0)])
        var pod = AffinityPodBuilder("db-hi").label("app", "db").podAntiAffinityIn("app", "zone", ["db"]).task()
        pod.spec.priority = 10
        let c = Self.find(pod, cluster)
        // Both nodes are in z1; either works with the one victim; the first candidate in rotation order wins the ties.
        #expect(c?.victims == [0])
    }

    /// Hard topology spread (maxSkew 1 over zones): zone z1 holds two matching
    /// low-priority pods, z2 one matching high-priority pod and no room. The pod
    /// cannot go to z2 (full) and z1 is too skewed (2 + 1 − 1 = 2); with both
    /// low pods gone the skew is 1; reprieving the first keeps it at 1
    /// (1 + 1 − 1), the second would make it 2 — exactly one victim, through
    /// PodTopologySpread's RemovePod/AddPod and upstream's critical paths.
    @Test func evictsToSatisfyHardSpreading() {
        let nodes = [NodeBuilder("a").capacity(cpu: "8", memory: "32Gi").labels(["zone": "z1"]),
                     NodeBuilder("b").capacity(cpu: "1", memory: "32Gi").labels(["zone": "z2"])]
        var low1 = Self.task("low-1", cpu: "1", priority: 1)
        low1.spec.labels = ["app": "web"]
        var low2 = Self.task("low-2", cpu: "1", priority: 1)
        low2.spec.labels = ["app": "web"]
        var blocker = Self.task("blocker", cpu: "1", priority: 100)
        blocker.spec.labels = ["app": "web"]
        let cluster = makeCluster(nodes, existing: [(low1, 0), (low2, 0), (blocker, 1)])
        var pod = Self.task("web-hi", cpu: "1", priority: 10)
            .spreadConstraint(1, "zone", .doNotSchedule, LabelSelector(matchLabels: ["app": "web"]))
        pod.spec.labels = ["app": "web"]
        let c = Self.find(pod, cluster)
        #expect(c?.node == 0 && c?.victims == [1], "low-2 leaves z1; low-1 (more important: earlier) is reprieved")
        // The dry runs leave the cluster exactly as it was.
        #expect(cluster.invariantViolations().isEmpty)
        #expect(cluster.tasksOnNode[0] == [0, 1] && cluster.free(0, 0) == 6000)
    }

    /// Upstream criticalPaths.update, including its known approximation: after
    /// incremental updates a third domain can hold the true minimum unnoticed.
    @Test func criticalPathsFollowUpstream() {
        var p = CriticalPaths()
        for (v, n) in [("A", 1), ("B", 2), ("C", 2)] { p.update(v, n) }
        #expect(p.paths[0] == ("A", 1) && p.paths[1] == ("B", 2))
        p.update("A", 2)
        #expect(p.paths[0] == ("A", 2) && p.paths[1] == ("B", 2))
        p.update("A", 3)  // swaps: B becomes the critical path
        #expect(p.paths[0] == ("B", 2) && p.paths[1] == ("A", 3))
        p.update("B", 3)  // upstream now says 3 although C still has 2
        #expect(p.paths[0].num == 3)
        p.update("C", 1)  // a lower count from outside the two paths takes the lead
        #expect(p.paths[0] == ("C", 1) && p.paths[1].num == 3)
    }
}
