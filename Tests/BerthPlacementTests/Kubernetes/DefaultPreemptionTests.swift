import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

/// DefaultPreemption's victim selection and node choice on hand-built clusters.
@Suite struct DefaultPreemptionTests {
    static func task(_ name: String, cpu: String, priority: Int32) -> TaskBuilder {
        var b = TaskBuilder(name).requests(cpu: cpu, memory: "1Gi")
        b.spec.priority = priority
        return b
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
        let pod = PodInfo(spec: Self.task("hi", cpu: "2", priority: 10).spec)
        let profile = KubernetesProfile(name: "t")
        let c = DefaultPreemption().findCandidate(for: pod, in: ClusterView(cluster), profile: profile,
                                                  random: BerthSimulationShim.stream())
        #expect(c?.node == 0)
        #expect(c.map { Set($0.victims) } == [0, 1], "p1 and p2 are victims; p3 is reprieved")
    }

    /// Pods of equal or higher priority are never victims; a node where only they block is no candidate.
    @Test func neverEvictsEqualOrHigherPriority() {
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "2", memory: "8Gi")],
                                  existing: [(Self.task("peer", cpu: "2", priority: 10), 0)])
        let pod = PodInfo(spec: Self.task("hi", cpu: "2", priority: 10).spec)
        #expect(DefaultPreemption().findCandidate(for: pod, in: ClusterView(cluster), profile: KubernetesProfile(name: "t"),
                                                  random: BerthSimulationShim.stream()) == nil)
    }

    /// Node choice: the node whose highest-priority victim is lowest wins, even with more victims.
    @Test func lowestHighestVictimPriorityWins() {
        let cluster = makeCluster([NodeBuilder("n0").capacity(cpu: "2", memory: "8Gi"), NodeBuilder("n1").capacity(cpu: "2", memory: "8Gi")],
                                  existing: [(Self.task("mid", cpu: "2", priority: 5), 0),
                                             (Self.task("low-a", cpu: "1", priority: 1), 1), (Self.task("low-b", cpu: "1", priority: 1), 1)])
        let pod = PodInfo(spec: Self.task("hi", cpu: "2", priority: 10).spec)
        let c = DefaultPreemption().findCandidate(for: pod, in: ClusterView(cluster), profile: KubernetesProfile(name: "t"),
                                                  random: BerthSimulationShim.stream())
        #expect(c?.node == 1 && c?.victims.count == 2)
    }
}
