@testable import BerthPlacement
import BerthCluster
import Testing

/// Ports of nomad `scheduler/feasible/spread_test.go`. The job's existing and
/// planned allocations are bound before the evaluation starts (Berth commits
/// every placement, so upstream's state + plan is the cluster).
@Suite struct NomadSpreadTests {
    /// Spread scores per node (nodes without an appended spread score get 0, as FinalScore).
    static func spreadScores(_ nodes: [NodeSpec], allocsOn: [Int32], count: Int, spreads: [NomadSpread],
                             other: [Int32] = []) -> [Double] {
        let details = NomadDetails(type: .service, count: count, spreads: spreads)
        let mine = NomadFixture.task("mine", cpu: 0, memoryMB: 0, workload: 0, nomad: details)
        let foreign = NomadFixture.task("other", cpu: 0, memoryMB: 0, workload: 1)
        let existing = other.map { (foreign, $0) } + allocsOn.map { (mine, $0) }
        let (cluster, task) = NomadFixture.cluster(nodes, existing: existing, pending: mine)
        let view = ClusterView(cluster)
        let ev = NomadEvaluation(task: task, spec: mine, view: view, config: NomadConfig(), random: nil)
        return nodes.indices.map { i in
            let s = SpreadIterator().score(Int32(i), ev, view, mine)
            return s.appended ? s.value : 0
        }
    }

    static func dcs(_ names: [String], meta: [[String: String]]? = nil) -> [NodeSpec] {
        names.enumerated().map { i, dc in NomadFixture.node("n\(i)", datacenter: dc, labels: meta?[i] ?? [:]) }
    }

    static let dc1Target = [NomadSpread(attribute: "${node.datacenter}", weight: 100, targets: [.init("dc1", percent: 80)])]

    /// `TestSpreadIterator_SingleAttribute`, first half: dc1 = (8 − 3)/8, dc2 (implicit `*`, 2) = (2 − 1)/2.
    @Test func singleAttribute() {
        let got = Self.spreadScores(Self.dcs(["dc1", "dc2", "dc1", "dc1"]), allocsOn: [0, 2], count: 10, spreads: Self.dc1Target)
        #expect(got == [0.625, 0.5, 0.625, 0.625])
    }

    /// `TestSpreadIterator_SingleAttribute`, second half: dc1 reaches its 8 → 0 (not appended); another job's alloc ignored.
    @Test func singleAttributeDesiredReached() {
        let got = Self.spreadScores(Self.dcs(["dc1", "dc2", "dc1", "dc1"]), allocsOn: [0, 2, 0, 0, 3, 3, 3], count: 10,
                                    spreads: Self.dc1Target, other: [0])
        #expect(got == [0, 0.5, 0, 0])
    }

    /// `TestSpreadIterator_MultipleAttributes`: dc 60/40 (weight 100) and rack 40/60 (weight 50).
    @Test func multipleAttributes() {
        let racks = ["r1", "r1", "r2", "r2"].map { ["rack": $0] }
        let spreads = [NomadSpread(attribute: "${node.datacenter}", weight: 100, targets: [.init("dc1", percent: 60), .init("dc2", percent: 40)]),
                       NomadSpread(attribute: "${meta.rack}", weight: 50, targets: [.init("r1", percent: 40), .init("r2", percent: 60)])]
        let got = Self.spreadScores(Self.dcs(["dc1", "dc2", "dc1", "dc1"], meta: racks), allocsOn: [0, 2], count: 10, spreads: spreads)
        #expect(got.map { ($0 * 1000).rounded() / 1000 } == [0.5, 0.667, 0.556, 0.556])
    }

    static let evenDCs = ["dc1", "dc2", "dc1", "dc2", "dc1", "dc2", "dc2", "dc1", "dc1", "dc1"]
    static let even = [NomadSpread(attribute: "${node.datacenter}", weight: 100)]

    /// `TestSpreadIterator_EvenSpread`, each step of the upstream test.
    @Test func evenSpread() {
        let nodes = Self.dcs(Self.evenDCs)
        let score = { (allocs: [Int32], dc: String, ns: [NodeSpec]) -> Double in
            let s = Self.spreadScores(ns, allocsOn: allocs, count: 10, spreads: Self.even)
            return s[ns.firstIndex { $0.zone == dc } ?? 0]
        }
        // nothing placed: 0 everywhere
        #expect(score([], "dc1", nodes) == 0 && score([], "dc2", nodes) == 0)
        // two in dc1: dc1 −1, dc2 +1
        #expect(score([0, 2], "dc1", nodes) == -1 && score([0, 2], "dc2", nodes) == 1)
        // dc1 2, dc2 3: dc1 0.5, dc2 −0.5
        #expect(score([0, 2, 1, 1, 3], "dc1", nodes) == 0.5 && score([0, 2, 1, 1, 3], "dc2", nodes) == -0.5)
        // a dc3 node, dc1 3, dc2 3: dc1 −1, dc2 −1, dc3 +1
        let withDC3 = nodes + [NomadFixture.node("n10", datacenter: "dc3")]
        let allocs: [Int32] = [0, 2, 1, 1, 3, 4]
        #expect(score(allocs, "dc1", withDC3) == -1 && score(allocs, "dc2", withDC3) == -1 && score(allocs, "dc3", withDC3) == 1)
    }

    /// `TestSpreadIterator_MaxPenalty`: no node in a targeted value, or no node with the attribute → −1.
    @Test func maxPenalty() {
        let nodes = Self.dcs(Array(repeating: "dc3", count: 5))
        let targeted = [NomadSpread(attribute: "${node.datacenter}", weight: 100, targets: [.init("dc1", percent: 80), .init("dc2", percent: 20)])]
        #expect(Self.spreadScores(nodes, allocsOn: [], count: 5, spreads: targeted) == Array(repeating: -1, count: 5))
        let missing = [NomadSpread(attribute: "${meta.foo}", weight: 100, targets: [.init("bar", percent: 80), .init("baz", percent: 20)])]
        #expect(Self.spreadScores(nodes, allocsOn: [], count: 5, spreads: missing) == Array(repeating: -1, count: 5))
    }

    /// `TestSpreadIterator_NoInfinity`: an explicit `*` target of 0% adds the lowest boost (−1), not −Inf.
    @Test func noInfinity() {
        let spreads = [NomadSpread(attribute: "${node.datacenter}", weight: 100,
                                   targets: [.init("dc1", percent: 50), .init("dc2", percent: 50), .init("*", percent: 0)])]
        #expect(Self.spreadScores(Self.dcs(["dc1", "dc2", "dc3"]), allocsOn: [], count: 8, spreads: spreads) == [0.75, 0.75, -1])
    }
}

/// Ports of nomad `scheduler/feasible/select_test.go`.
@Suite struct NomadSelectTests {
    /// Upstream `StaticRankIterator`: wraps around from its offset until it has returned every node once since Reset.
    final class StaticRank {
        let options: [RankedOption]
        var offset = 0, seen = 0
        init(_ scores: [Double]) { options = scores.enumerated().map { RankedOption(node: Int32($0.offset), finalScore: $0.element) } }
        func next() -> RankedOption? {
            let n = options.count
            if offset == n || seen == n {
                if seen != n { offset = 0 } else { return nil }
            }
            offset += 1
            seen += 1
            return options[offset - 1]
        }
        func reset() { seen = 0 }
    }

    /// `TestLimitIterator`: limit 2 over three nodes, then the next two after Reset.
    @Test func limitIterator() {
        let source = StaticRank([1, 2, 3])
        var limit = LimitIterator(limit: 1, scoreThreshold: 0, maxSkip: 2)
        limit.limit = 2
        var out: [Int32] = []
        while let o = limit.next(source.next) { out.append(o.node) }
        #expect(out == [0, 1])
        #expect(limit.next(source.next) == nil)
        limit.reset()
        source.reset()
        out = []
        while let o = limit.next(source.next) { out.append(o.node) }
        #expect(out == [2, 0])
    }

    struct ThresholdCase: Sendable, CustomTestStringConvertible {
        var desc: String
        var scores: [Double]
        var expected: [Int32]
        var testDescription: String { desc }
    }

    /// `TestLimitIterator_ScoreThreshold` (upstream builds every case with threshold 0, maxSkip 2, limit 2).
    static let thresholdCases = [
        ThresholdCase(desc: "Skips one low scoring node", scores: [-1, 2, 3], expected: [1, 2]),
        ThresholdCase(desc: "Skips maxSkip scoring nodes", scores: [-1, -2, 3, 4], expected: [2, 3]),
        ThresholdCase(desc: "maxSkip limit reached", scores: [-1, -6, -3, -4], expected: [2, 3]),
        ThresholdCase(desc: "draw both from skipped nodes", scores: [-1, -6], expected: [0, 1]),
        ThresholdCase(desc: "one node above threshold, one skipped node", scores: [-1, 5], expected: [1, 0]),
        ThresholdCase(desc: "low scoring nodes interspersed", scores: [-1, 5, -2, 2], expected: [1, 3]),
        ThresholdCase(desc: "only one node, score below threshold", scores: [-1], expected: [0]),
        ThresholdCase(desc: "maxSkip is more than available nodes", scores: [-2, 1], expected: [1, 0]),
    ]

    @Test(arguments: thresholdCases)
    func limitIteratorScoreThreshold(_ c: ThresholdCase) {
        let source = StaticRank(c.scores)
        var limit = LimitIterator(limit: 2, scoreThreshold: 0, maxSkip: 2)
        var out: [Int32] = []
        while let o = limit.next(source.next) { out.append(o.node) }
        #expect(out == c.expected)
    }

    /// `TestMaxScoreIterator`: the highest final score; ties keep the first.
    @Test func maxScoreIterator() {
        let source = StaticRank([1, 2, 3])
        #expect(MaxScoreIterator.select(source.next)?.node == 2)
        let ties = StaticRank([1, 3, 3])
        #expect(MaxScoreIterator.select(ties.next)?.node == 1)
    }
}
