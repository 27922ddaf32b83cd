@testable import BerthPlacement
import BerthCluster
import Testing

/// Ports of nomad `nomad/structs/funcs_test.go` and `scheduler/feasible/rank_test.go`.
@Suite struct NomadScoreTests {
    struct FitCase: Sendable, CustomTestStringConvertible {
        var name: String
        var cpu: Int64
        var memoryMB: Int64
        var binPack: Double
        var spread: Double
        var testDescription: String { name }
    }

    /// funcs_test.go `TestScoreFitBinPack`: node 4096 MHz / 8192 MB with 2048/4096 reserved.
    static let fitCases = [
        // free = 1 − 2048/2048 = 0 → 20 − (1 + 1) = 18; spread 0
        FitCase(name: "almost filled node, but with just enough hole", cpu: 2048, memoryMB: 4096, binPack: 18, spread: 0),
        // free = 1 → 20 − (10 + 10) = 0; spread 18
        FitCase(name: "unutilized node", cpu: 0, memoryMB: 0, binPack: 0, spread: 18),
        // free = 0.5 → 20 − 2·√10 = 13.675; spread 4.325
        FitCase(name: "mid-case scnario", cpu: 1024, memoryMB: 2048, binPack: 13.675, spread: 4.325),
    ]

    @Test(arguments: fitCases)
    func scoreFitBinPack(_ c: FitCase) {
        let freeCpu = ScoreFit.freePercentage(used: c.cpu, available: 4096 - 2048)
        let freeMem = ScoreFit.freePercentage(used: c.memoryMB, available: 8192 - 4096)
        let b = ScoreFit.binPack(freeCpu: freeCpu, freeMemory: freeMem)
        let s = ScoreFit.spread(freeCpu: freeCpu, freeMemory: freeMem)
        #expect(abs(b - c.binPack) < 0.001)
        #expect(abs(s - c.spread) < 0.001)
        #expect(abs(b + s - 18) < 0.001)
    }

    /// rank_test.go `TestBinPackIterator_NoExistingAlloc`: perfect fit → 1.0, overloaded filtered, 50% fit in 0.5…0.6.
    @Test func binPackNoExistingAlloc() {
        let nodes = [NomadFixture.node("perfect", cpu: 2048, memoryMB: 2048, reservedCPU: 1024, reservedMemoryMB: 1024),
                     NomadFixture.node("overloaded", cpu: 1024, memoryMB: 1024, reservedCPU: 512, reservedMemoryMB: 512),
                     NomadFixture.node("half", cpu: 4096, memoryMB: 4096, reservedCPU: 1024, reservedMemoryMB: 1024)]
        let (cluster, task) = NomadFixture.cluster(nodes, pending: NomadFixture.task(cpu: 1024, memoryMB: 1024))
        let scores = NomadFixture.rankAll(NomadPlacement(), cluster, task)
        #expect(scores.keys.sorted() == [0, 2])
        #expect(scores[0] == 1.0)
        #expect((0.5...0.6).contains(scores[2] ?? 0))
    }

    /// rank_test.go `TestBinPackIterator_NoExistingAlloc_MixedReserve`: reserved resources count as a smaller node.
    @Test func binPackMixedReserve() {
        let nodes = [NomadFixture.node("no-reserved", cpu: 1100, memoryMB: 1100),
                     NomadFixture.node("reserved", cpu: 2000, memoryMB: 2000, reservedCPU: 800, reservedMemoryMB: 800),
                     NomadFixture.node("reserved2", cpu: 2000, memoryMB: 2000, reservedCPU: 500, reservedMemoryMB: 500),
                     NomadFixture.node("overloaded", cpu: 900, memoryMB: 900)]
        let (cluster, task) = NomadFixture.cluster(nodes, pending: NomadFixture.task(cpu: 1000, memoryMB: 1000))
        let scores = NomadFixture.rankAll(NomadPlacement(), cluster, task)
        let order = scores.sorted { $0.value > $1.value }.map(\.key)
        #expect(order == [0, 1, 2])
    }

    /// rank_test.go `TestBinPackIterator_ExistingAlloc` (shape): existing allocations count as used.
    @Test func binPackExistingAlloc() {
        let nodes = [NomadFixture.node("a", cpu: 2048, memoryMB: 2048), NomadFixture.node("b", cpu: 2048, memoryMB: 2048)]
        let other = NomadFixture.task("other", cpu: 1024, memoryMB: 1024, workload: 9)
        let (cluster, task) = NomadFixture.cluster(nodes, existing: [(other, 0)], pending: NomadFixture.task(cpu: 1024, memoryMB: 1024))
        let scores = NomadFixture.rankAll(NomadPlacement(), cluster, task)
        #expect(scores[0] == 1.0)  // fills node a exactly: 18/18
        #expect(abs((scores[1] ?? 0) - ScoreFit.binPack(freeCpu: 0.5, freeMemory: 0.5) / 18) < 1e-12)
        let spread = NomadFixture.rankAll(NomadPlacement(config: NomadConfig(algorithm: .spread)), cluster, task)
        #expect(spread[0] == 0.0)
        #expect((spread[1] ?? 0) > 0.2)
    }

    /// rank_test.go `TestJobAntiAffinity_PlannedAlloc`: count 4, two allocations of the job on node 1 → −(2+1)/4.
    @Test func jobAntiAffinityPlannedAlloc() {
        let nodes = [NomadFixture.node("n1", cpu: 100_000, memoryMB: 100_000), NomadFixture.node("n2", cpu: 100_000, memoryMB: 100_000)]
        let details = NomadDetails(type: .service, count: 4)
        let mine = NomadFixture.task("mine", cpu: 0, memoryMB: 0, workload: 0, nomad: details)
        let other = NomadFixture.task("bar", cpu: 0, memoryMB: 0, workload: 1)
        let (cluster, task) = NomadFixture.cluster(nodes, existing: [(other, 1), (mine, 0), (mine, 0)],
                                                   pending: NomadFixture.task(cpu: 0, memoryMB: 0, workload: 0, nomad: details))
        let view = ClusterView(cluster)
        let ev = NomadEvaluation(task: task, spec: cluster.tasks[Int(task)].spec, view: view, config: NomadConfig(), random: nil)
        let stage = JobAntiAffinityIterator()
        #expect(stage.score(0, ev, view, cluster.tasks[Int(task)].spec) == NomadScore(value: -0.75, appended: true))
        #expect(stage.score(1, ev, view, cluster.tasks[Int(task)].spec) == .none)
    }

    /// rank_test.go `TestScoreNormalizationIterator`: the final score is the mean of the appended scores only.
    @Test func scoreNormalizationAveragesAppended() {
        let nodes = [NomadFixture.node("n1", cpu: 4000, memoryMB: 4000), NomadFixture.node("n2", cpu: 4000, memoryMB: 4000)]
        let details = NomadDetails(type: .service, count: 4)
        let mine = NomadFixture.task("mine", cpu: 1000, memoryMB: 1000, nomad: details)
        let (cluster, task) = NomadFixture.cluster(nodes, existing: [(mine, 0), (mine, 0)],
                                                   pending: NomadFixture.task(cpu: 1000, memoryMB: 1000, nomad: details))
        let scores = NomadFixture.rankAll(NomadPlacement(), cluster, task)
        let fit0 = ScoreFit.binPack(freeCpu: 0.25, freeMemory: 0.25) / 18
        let fit1 = ScoreFit.binPack(freeCpu: 0.75, freeMemory: 0.75) / 18
        #expect(abs((scores[0] ?? 0) - (fit0 + -0.75) / 2) < 1e-12)  // binpack and job-anti-affinity
        #expect(abs((scores[1] ?? 0) - fit1) < 1e-12)                // binpack only
    }

    /// rank_test.go `TestNodeAffinityIterator`: Σ matching weights / Σ |weights| (300).
    @Test func nodeAffinityIterator() {
        let affinities = [NomadAffinity("${node.datacenter}", .equal, "dc1", weight: 100),
                          NomadAffinity("${node.datacenter}", .equal, "dc2", weight: -100),
                          NomadAffinity("${attr.kernel.version}", .version, ">4.0", weight: 50),
                          NomadAffinity("${node.class}", .is, "large", weight: 50)]
        let nodes = [NomadFixture.node("n0", labels: ["kernel.version": "4.9"]),
                     NomadFixture.node("n1", datacenter: "dc2"),
                     NomadFixture.node("n2", datacenter: "dc2", labels: [NomadTarget.classLabel: "large"]),
                     NomadFixture.node("n3")]
        let spec = NomadFixture.task(cpu: 0, memoryMB: 0, nomad: NomadDetails(type: .service, affinities: affinities))
        let (cluster, task) = NomadFixture.cluster(nodes, pending: spec)
        let view = ClusterView(cluster)
        let ev = NomadEvaluation(task: task, spec: spec, view: view, config: NomadConfig(), random: nil)
        let got = (0..<4).map { NodeAffinityIterator().score(Int32($0), ev, view, spec).value }
        #expect(got == [0.5, -(1.0 / 3.0), -(1.0 / 6.0), 1.0 / 3.0])
    }
}
