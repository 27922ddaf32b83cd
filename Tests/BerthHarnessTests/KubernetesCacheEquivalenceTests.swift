import BerthCluster
import BerthHarness
import BerthPlacement
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthSimulation
import BerthTestSupport
import Foundation
import Testing

/// Berth's cross-cycle caches (node-local plugin results per shape, the
/// PodTopologySpread counters) must not change a single decision: whole runs
/// with and without them give byte-identical reports.
@Suite struct KubernetesCacheEquivalenceTests {
    static func reports(_ scenario: Scenario, _ spec: SchedulerSpec) throws -> [String: String] {
        // Invariants of these runs are checked by KubernetesScenarioTests; plain runs keep this quick.
        let result = try Simulator(scenario: scenario, options: RunOptions(scheduler: spec)).run()
        var files: [String: String] = [:]
        for (name, table) in RunArtifacts.tables(result) where RunArtifacts.deterministicFiles.contains(name) {
            files[name] = table.rendered()
        }
        return files
    }

    /// Every Kubernetes scenario with its own scheduler, and the general
    /// scenarios under a LeastAllocated and a MostAllocated preset (the scale
    /// scenario is measured in Benchmarks/, too large here).
    static let cases: [(path: String, preset: String?)] = {
        let kube = ["topology-spread", "pod-anti-affinity", "node-affinity-taints", "preemption", "kube-config", "multi-profile"]
            .map { (Repository.path("scenarios/kubernetes/\($0).yaml"), String?.none) }
        let general = ["quickstart", "gpu-pool-taints"].flatMap { name in
            ["kubernetes", "openshift-high-node-utilization"].map { (Repository.path("scenarios/\(name).yaml"), String?.some($0)) }
        }
        return kube + general
    }()

    @Test(arguments: cases.indices) func runsMatchWithoutCaches(_ i: Int) throws {
        let (path, preset) = Self.cases[i]
        let scenario = try ScenarioLoader.load(path: path)
        var spec = try #require(preset.map { SchedulerRegistry.preset(named: $0)?.spec } ?? scenario.scheduler)
        #expect(spec.architecture == .kubernetes)
        func setCaches(_ capacity: Int) {
            spec.kube.cacheCapacity = capacity
            for p in spec.kubeScheduler.moreProfiles.indices { spec.kubeScheduler.moreProfiles[p].cacheCapacity = capacity }
        }
        setCaches(32)
        let cached = try Self.reports(scenario, spec)
        setCaches(0)
        let uncached = try Self.reports(scenario, spec)
        #expect(!cached.isEmpty)
        for (name, text) in uncached { #expect(cached[name] == text, "\(path) [\(preset ?? "own")]: \(name) differs with caches") }
    }

    /// Cached raw scores of normalising plugins (TaintToleration reversed,
    /// NodeAffinity) are normalised as upstream: the same choices *and* the same
    /// winning totals as uncached cycles, pod after pod.
    @Test func normalisedCachedScoresGiveTheSameTotals() throws {
        var nodes: [NodeBuilder] = []
        for i in 0..<60 {
            var b = NodeBuilder("n\(i)").capacity(cpu: "16", memory: "64Gi").labels(["zone": i % 3 == 0 ? "a" : "b", "disk": i % 4 == 0 ? "ssd" : "hdd"])
            if i % 5 == 0 { b = b.taint("noisy", "", .preferNoSchedule) }
            if i % 7 == 0 { b = b.taint("slow", "", .preferNoSchedule) }
            nodes.append(b)
        }
        let preferred = NodeAffinitySpec(preferred: [
            PreferredSchedulingTerm(weight: 30, preference: NodeSelectorTerm(matchExpressions: [NodeSelectorRequirement(key: "zone", op: .in, values: ["a"])])),
            PreferredSchedulingTerm(weight: 7, preference: NodeSelectorTerm(matchExpressions: [NodeSelectorRequirement(key: "disk", op: .in, values: ["ssd"])])),
        ])
        func run(capacity: Int) throws -> [(Int, Int64?)] {
            let framework = KubernetesFramework(profile: KubernetesProfiles.build(KubeProfileSpec()), cacheCapacity: capacity)
            let cluster = makeCluster(nodes)
            let random = RandomStreams(seed: 3).stream(named: "tie-breaks")
            var out: [(Int, Int64?)] = []
            for k in 0..<120 {
                var spec = TaskBuilder("p\(k)").requests(cpu: "500m", memory: "1Gi").spec
                spec.shape = 0
                spec.pod = PodDetails(containers: [ContainerSpec(name: "c", image: "app:1", requests: ["cpu": 500, "memory": 1 << 30])],
                                      nodeAffinity: preferred)
                let id = cluster.submit(spec, at: 0)
                let result = framework.schedule(PodInfo(id: id, spec: spec), in: ClusterView(cluster), random: random)
                let node = try #require(result.selected)
                try cluster.bind(id, to: Int32(node), at: 0)
                out.append((node, result.selectedScore))
            }
            return out
        }
        let cached = try run(capacity: 32)
        let uncached = try run(capacity: 0)
        #expect(cached.map(\.0) == uncached.map(\.0))
        #expect(cached.map(\.1) == uncached.map(\.1))
        #expect(Set(cached.compactMap(\.1)).count > 1, "the scores vary, so the comparison can tell a difference")
    }

    /// A node-local score plugin that counts its calls.
    final class Calls: @unchecked Sendable { var count = 0 }
    struct CountingScore: ScorePlugin {
        let calls: Calls
        var name: String { "CountingScore" }
        var isNodeLocal: Bool { true }
        func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> (Int64, Status) {
            calls.count += 1
            // Fewer running pods score higher: a real dependence on node state.
            return (max(0, 100 - Int64(node.podCount) * 10), .success)
        }
    }

    /// The cache is really used (otherwise the equivalence above proves nothing):
    /// pods of one shape re-score only the node that changed, and choose as an
    /// uncached framework does.
    @Test func samShapePodsRescoreOnlyChangedNodes() throws {
        let nodes = (0..<50).map { NodeBuilder("n\($0)").capacity(cpu: "8", memory: "32Gi") }
        func run(capacity: Int) throws -> (choices: [Int], calls: Int) {
            let calls = Calls()
            let profile = KubernetesProfile(name: "counting", preFilters: [NodeResourcesFit()], filters: [NodeResourcesFit()],
                                            scores: [(plugin: CountingScore(calls: calls), weight: 1)],
                                            percentageOfNodesToScore: 100)
            let framework = KubernetesFramework(profile: profile, cacheCapacity: capacity)
            let cluster = makeCluster(nodes)
            let random = RandomStreams(seed: 7).stream(named: "tie-breaks")
            var choices: [Int] = []
            for k in 0..<20 {
                var spec = TaskBuilder("p\(k)").requests(cpu: "1", memory: "1Gi").spec
                spec.shape = 0
                let id = cluster.submit(spec, at: 0)
                let result = framework.schedule(PodInfo(id: id, spec: spec), in: ClusterView(cluster), random: random)
                let node = try #require(result.selected)
                try cluster.bind(id, to: Int32(node), at: 0)
                choices.append(node)
            }
            return (choices, calls.count)
        }
        let cached = try run(capacity: 32)
        let uncached = try run(capacity: 0)
        #expect(cached.choices == uncached.choices)
        #expect(uncached.calls == 20 * 50)
        // First cycle: no entry yet (50 calls); second fills it (50); then one changed node per cycle.
        #expect(cached.calls == 50 + 50 + 18)
    }
}
