import BerthCluster
import BerthPlacement
import BerthSimulation
import BerthTestSupport
import Testing

/// The scheduling-cycle mechanics of `KubernetesFramework`, with tiny fake plugins.
@Suite struct FrameworkTests {
    /// Rejects nodes whose index is in `rejected`.
    struct RejectSome: FilterPlugin {
        let rejected: Set<Int>
        var name: String { "RejectSome" }
        func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
            rejected.contains(node.index) ? Status(.unschedulable, ["nope"]) : .success
        }
    }

    /// Scores a fixed table by node index.
    struct Table: ScorePlugin {
        let scores: [Int64]
        let pluginName: String
        var name: String { pluginName }
        func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> (Int64, Status) { (scores[node.index], .success) }
    }

    /// Raw scores are doubled by normalisation and capped at 100.
    struct Doubling: ScoreNormalizing {
        var name: String { "Doubling" }
        func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> (Int64, Status) { (Int64(node.index) * 10, .success) }
        func normalizeScore(_ state: CycleState, pod: PodInfo, scores: inout [NodeScore]) -> Status {
            for i in scores.indices { scores[i].score = min(100, scores[i].score * 2) }
            return .success
        }
    }

    struct Veto: PreFilterPlugin {
        var name: String { "Veto" }
        func preFilter(_ state: CycleState, pod: PodInfo, nodes: NodeList) -> Status {
            Status(.unschedulableAndUnresolvable, ["vetoed"])
        }
    }

    static func cluster(_ n: Int) -> Cluster { makeCluster((0..<n).map { NodeBuilder("n\($0)").capacity(cpu: "4", memory: "8Gi") }) }
    static let pod = PodInfo(spec: TaskBuilder("p").requests(cpu: "1", memory: "1Gi").spec)

    // Upstream TestNumFeasibleNodesToFind (schedule_one_test.go) rows, v1.28 semantics.
    @Test(arguments: [
        (Int32?.none, Int32(10), Int32(10)),      // "not set percentageOfNodesToScore and nodes number not more than 50"
        (Int32?.some(40), 10, 10),                // "set percentageOfNodesToScore and nodes number not more than 50"
        (nil, 1000, 420),                         // 50 - 1000/125 = 42%
        (Int32?.some(40), 1000, 400),
        (nil, 6000, 300),                         // 50 - 48 = 2% → floored to 5%
        (Int32?.some(40), 6000, 2400),
        (nil, 200, 100),                          // 50 - 1 = 49% of 200 = 98 → at least 100
        (Int32?.some(100), 5000, 5000),
        (Int32?.some(1), 5000, 100),              // 50 → at least 100
    ])
    func numFeasibleNodesToFind(percentage: Int32?, nodes: Int32, expected: Int32) {
        #expect(KubernetesFramework.numFeasibleNodesToFind(percentage: percentage, allNodes: nodes) == expected)
    }

    @Test func weightsNormalisationAndTotals() {
        let profile = KubernetesProfile(name: "t", filters: [RejectSome(rejected: [1])],
                                        scores: [(Table(scores: [10, 90, 50, 30], pluginName: "A"), 2), (Doubling(), 1)])
        let fw = KubernetesFramework(profile: profile)
        let r = fw.schedule(Self.pod, in: ClusterView(Self.cluster(4)), random: RandomStreams(seed: 1).stream(.tieBreaks), explain: true)
        // node0: 10*2 + 0 = 20; node2: 50*2 + 40 = 140; node3: 30*2 + 60 = 120; node1 rejected.
        #expect(r.selected == 2)
        #expect(r.evaluations.map(\.total) == [20, 0, 140, 120])
        #expect(r.evaluations[3].raw == [30, 30] && r.evaluations[3].normalized == [30, 60] && r.evaluations[3].weighted == [60, 60])
        #expect(r.evaluations[1].rejectedBy == "RejectSome" && r.evaluations[1].reason == "nope" && !r.evaluations[1].feasible)
        #expect(r.evaluations.filter(\.selected).map(\.node) == [2])
        #expect(r.rejectingPlugins == ["RejectSome"])
    }

    @Test func preFilterRejectionRejectsEveryNode() {
        let fw = KubernetesFramework(profile: KubernetesProfile(name: "t", preFilters: [Veto()]))
        let r = fw.schedule(Self.pod, in: ClusterView(Self.cluster(3)), random: RandomStreams(seed: 1).stream(.tieBreaks))
        #expect(r.selected == nil)
        #expect(r.diagnosis == ["vetoed": 3])
        #expect(!r.preemptionMightHelp)
    }

    /// With 500 nodes the adaptive window is 46% = 230 nodes: consecutive cycles
    /// start where the previous one stopped.
    @Test func startIndexRotates() {
        let fw = KubernetesFramework(profile: KubernetesProfile(name: "t", filters: [RejectSome(rejected: [])]))
        let view = ClusterView(Self.cluster(500))
        let rng = RandomStreams(seed: 1).stream(.tieBreaks)
        let first = fw.schedule(Self.pod, in: view, random: rng)
        #expect(first.evaluatedNodes == 230 && first.feasibleNodes == 230)
        #expect(fw.nextStartNodeIndex == 230)
        _ = fw.schedule(Self.pod, in: view, random: rng)
        _ = fw.schedule(Self.pod, in: view, random: rng)
        #expect(fw.nextStartNodeIndex == 690 % 500)
    }

    /// Rejected nodes count as processed: the window extends until enough feasible nodes are found.
    @Test func rejectedNodesExtendTheSearch() {
        let fw = KubernetesFramework(profile: KubernetesProfile(name: "t", filters: [RejectSome(rejected: Set(0..<50))]))
        let r = fw.schedule(Self.pod, in: ClusterView(Self.cluster(500)), random: RandomStreams(seed: 1).stream(.tieBreaks))
        #expect(r.evaluatedNodes == 280 && r.feasibleNodes == 230)
    }

    /// Equal top scores: each tied node is chosen with equal probability.
    @Test func tiesAreBrokenUniformly() {
        let fw = KubernetesFramework(profile: KubernetesProfile(name: "t", scores: [(Table(scores: [7, 9, 9, 9, 3], pluginName: "A"), 1)]))
        let view = ClusterView(Self.cluster(5))
        let rng = RandomStreams(seed: 11).stream(.tieBreaks)
        var counts = [Int: Int]()
        for _ in 0..<30_000 { counts[fw.schedule(Self.pod, in: view, random: rng).selected ?? -1, default: 0] += 1 }
        #expect(Set(counts.keys) == [1, 2, 3])
        #expect(counts.values.allSatisfy { abs($0 - 10_000) < 450 }, "\(counts)")
    }

    @Test func oneFeasibleNodeSkipsScoring() {
        let fw = KubernetesFramework(profile: KubernetesProfile(name: "t", filters: [RejectSome(rejected: [0, 2])],
                                                                  scores: [(Table(scores: [0, 0, 0], pluginName: "A"), 1)]))
        let r = fw.schedule(Self.pod, in: ClusterView(Self.cluster(3)), random: RandomStreams(seed: 1).stream(.tieBreaks))
        #expect(r.selected == 1 && r.feasibleNodes == 1)
    }

    @Test func defaultNormalizeScoreMatchesUpstreamHelper() {
        // Upstream helper/normalize_score_test.go: scores [10, 20, 30, 40, 50] → [20, 40, 60, 80, 100];
        // reversed → [80, 60, 40, 20, 0]; all zero reversed → all 100.
        var s = [10, 20, 30, 40, 50].enumerated().map { NodeScore(node: $0.offset, score: $0.element) }
        defaultNormalizeScore(maxPriority: 100, reverse: false, scores: &s)
        #expect(s.map(\.score) == [20, 40, 60, 80, 100])
        var r = [10, 20, 30, 40, 50].enumerated().map { NodeScore(node: $0.offset, score: $0.element) }
        defaultNormalizeScore(maxPriority: 100, reverse: true, scores: &r)
        #expect(r.map(\.score) == [80, 60, 40, 20, 0])
        var z = [0, 0].enumerated().map { NodeScore(node: $0.offset, score: $0.element) }
        defaultNormalizeScore(maxPriority: 100, reverse: true, scores: &z)
        #expect(z.map(\.score) == [100, 100])
    }
}
