import BerthCluster
@testable import BerthPlacement
import BerthTestSupport
import Testing

/// PodDisruptionBudgets in DefaultPreemption: upstream
/// `filterPodsWithPDBViolation`, the violating-first reprieve of
/// `SelectVictimsOnNode`, `dryRunPreemption`'s early stop, and
/// `pickOneNodeForPreemption`'s first criterion. Cases named after upstream
/// tests (pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go,
/// TestDryRunPreemption / TestPostFilter), with upstream's resource sizes:
/// small 100m, medium 200m, large 300m, very large 500m (CPU; memory is not the constraint).
@Suite struct DefaultPreemptionPDBTests {
    /// A pod of `workload` (-1: covered by no budget); upstream's `Label("app", "foo")` is workload 0 here.
    static func pod(_ name: String, cpu: String, priority: Int32, workload: Int32 = -1) -> TaskBuilder {
        var b = TaskBuilder(name).requests(cpu: cpu, memory: "1Mi")
        b.spec.priority = priority
        b.spec.workload = workload
        return b
    }

    static let profile = DefaultPreemptionTests.profile
    static let mid: Int32 = 100, high: Int32 = 1000, low: Int32 = 0, veryHigh: Int32 = 10000

    static func nodes(_ count: Int, cpu: String = "500m") -> [NodeBuilder] {
        (1...count).map { NodeBuilder("node\($0)").capacity(cpu: cpu, memory: "8Gi") }
    }

    static func candidates(_ preemptor: TaskBuilder, _ cluster: Cluster, allowed: [Int32: Int], offset: Int = 0,
                           args: DefaultPreemption = DefaultPreemption()) -> [DefaultPreemption.Candidate] {
        args.dryRunCandidates(for: PodInfo(spec: preemptor.spec), in: ClusterView(cluster), profile: profile,
                              random: BerthSimulationShim.stream(), budgets: FixedDisruptionBudgets(allowed), offset: offset)
    }

    /// Upstream "preemption with violation of same pdb": p1.1 and p1.2 (mid,
    /// medium, app=foo) on node1 (500m), a PDB with DisruptionsAllowed 1, a
    /// high-priority very-large preemptor. Both must go; p1.1 (first in
    /// importance order) takes the one allowed disruption, p1.2 violates:
    /// victims {p1.1, p1.2}, NumPDBViolations 1.
    @Test func preemptionWithViolationOfSamePDB() {
        let cluster = makeCluster(Self.nodes(1), existing: [(Self.pod("p1.1", cpu: "200m", priority: Self.mid, workload: 0), 0),
                                                             (Self.pod("p1.2", cpu: "200m", priority: Self.mid, workload: 0), 0)])
        let c = Self.candidates(Self.pod("p", cpu: "500m", priority: Self.high), cluster, allowed: [0: 1])
        #expect(c.count == 1)
        #expect(c.first.map { Set($0.victims) } == [0, 1] && c.first?.pdbViolations == 1 && c.first?.node == 0)
    }

    /// Upstream "preemption looks past numCandidates until a non-PDB violating
    /// node is found": five 500m nodes, one large mid pod each; p1, p2, p5 are
    /// app=foo under a PDB with DisruptionsAllowed 0; args 40% / 2 → 2
    /// candidates wanted. From offset 4: node5 (violating), node1 (violating),
    /// node2 (violating, dropped: the violating list holds 2), node3 (clean) →
    /// stop. Candidates: node3 first (no violations), then node5 and node1.
    @Test func preemptionLooksPastNumCandidatesUntilANonPDBViolatingNodeIsFound() {
        let existing = (1...5).map { i in
            (Self.pod("p\(i)", cpu: "300m", priority: Self.mid, workload: [1, 2, 5].contains(i) ? 0 : -1), i - 1)
        }
        let cluster = makeCluster(Self.nodes(5), existing: existing)
        let c = Self.candidates(Self.pod("p", cpu: "300m", priority: Self.high), cluster, allowed: [0: 0], offset: 4,
                                args: DefaultPreemption(minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 2))
        #expect(c == [.init(node: 2, victims: [2], pdbViolations: 0),
                      .init(node: 4, victims: [4], pdbViolations: 1),
                      .init(node: 0, victims: [0], pdbViolations: 1)])
        // pickOneNodeForPreemption: the fewest violations wins, here node3.
        #expect(DefaultPreemption.pick(c, in: ClusterView(cluster))?.node == 2)
    }

    /// Upstream TestPostFilter "pod can be made schedulable on minHighestPriority
    /// node": node1 holds p1 (high, covered by a budget allowing MaxInt32) and p2
    /// (low, budget minAvailable "100%" → 0 allowed), node2 holds p3 (mid, the
    /// same exhausted budget). Upstream packs two pods onto a one-pod node;
    /// Berth's fixtures cannot over-allocate, so CPU plays that part here: 500m
    /// nodes, p1 200m + p2 300m, p3 500m, a 500m preemptor. node1 must lose both
    /// (p2 violates), node2 loses p3 (violates): one violation each, so the
    /// lower highest-victim priority decides — node2, as upstream.
    @Test func podCanBeMadeSchedulableOnMinHighestPriorityNode() {
        let cluster = makeCluster(Self.nodes(2), existing: [(Self.pod("p1", cpu: "200m", priority: Self.high, workload: 1), 0),
                                                             (Self.pod("p2", cpu: "300m", priority: Self.low, workload: 0), 0),
                                                             (Self.pod("p3", cpu: "500m", priority: Self.mid, workload: 0), 1)])
        let budgets: [Int32: Int] = [0: 0, 1: Int(Int32.max)]
        let preemptor = Self.pod("p", cpu: "500m", priority: Self.veryHigh)
        let all = Self.candidates(preemptor, cluster, allowed: budgets)
        #expect(Set(all.map(\.node)) == [0, 1] && all.allSatisfy { $0.pdbViolations == 1 })
        let c = DefaultPreemption().findCandidate(for: PodInfo(spec: preemptor.spec), in: ClusterView(cluster), profile: Self.profile,
                                                  random: BerthSimulationShim.stream(), budgets: FixedDisruptionBudgets(budgets))
        #expect(c == .init(node: 1, victims: [2], pdbViolations: 1))
    }

    /// The first criterion beats all others: node A's only victim is low
    /// priority but violates its budget; node B's victim has a higher
    /// priority and no budget. Without budgets A would win (lower highest
    /// victim priority); with them B does.
    @Test func fewestViolationsComesBeforeLowestPriority() {
        let cluster = makeCluster(Self.nodes(2), existing: [(Self.pod("guarded", cpu: "500m", priority: Self.low, workload: 0), 0),
                                                             (Self.pod("free", cpu: "500m", priority: Self.mid), 1)])
        let preemptor = Self.pod("p", cpu: "500m", priority: Self.high)
        let view = ClusterView(cluster)
        let without = DefaultPreemption().findCandidate(for: PodInfo(spec: preemptor.spec), in: view, profile: Self.profile,
                                                        random: BerthSimulationShim.stream())
        #expect(without?.node == 0)
        let with = DefaultPreemption().findCandidate(for: PodInfo(spec: preemptor.spec), in: view, profile: Self.profile,
                                                     random: BerthSimulationShim.stream(), budgets: FixedDisruptionBudgets([0: 0]))
        #expect(with == .init(node: 1, victims: [1], pdbViolations: 0))
    }

    /// Violating pods are reprieved first: one 1-CPU node holds a (prio 2, no
    /// budget) and b (prio 1), 500m each; a 500m preemptor needs one gone.
    /// Without budgets the more important a is reprieved first and b is the
    /// victim. With b's budget exhausted, b violates and is reprieved before
    /// a, so a is the victim and no budget is violated. With one disruption
    /// left, b spends it, violates nothing, and the usual order holds.
    @Test func violatingPodsAreReprievedFirst() {
        let cluster = makeCluster(Self.nodes(1, cpu: "1"), existing: [(Self.pod("a", cpu: "500m", priority: 2), 0),
                                                                        (Self.pod("b", cpu: "500m", priority: 1, workload: 0), 0)])
        let preemptor = Self.pod("p", cpu: "500m", priority: Self.high)
        #expect(Self.candidates(preemptor, cluster, allowed: [:]) == [.init(node: 0, victims: [1], pdbViolations: 0)])
        #expect(Self.candidates(preemptor, cluster, allowed: [0: 0]) == [.init(node: 0, victims: [0], pdbViolations: 0)])
        #expect(Self.candidates(preemptor, cluster, allowed: [0: 1]) == [.init(node: 0, victims: [1], pdbViolations: 0)])
    }

    /// `filterPodsWithPDBViolation` spends a budget in importance order and keeps the input order.
    @Test func splitSpendsTheBudgetInOrder() {
        let cluster = makeCluster(Self.nodes(1, cpu: "4"), existing: (0..<4).map { (Self.pod("x\($0)", cpu: "100m", priority: 1, workload: $0 == 3 ? -1 : 0), 0) })
        let split = DefaultPreemption.splitByBudgetViolation([0, 1, 2, 3], in: ClusterView(cluster), budgets: FixedDisruptionBudgets([0: 2]))
        #expect(split.violating == [2] && split.nonViolating == [0, 1, 3])
    }
}
