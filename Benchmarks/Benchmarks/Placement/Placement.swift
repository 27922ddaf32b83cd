// Generic placement policies on a large, steadily ~80%-full cluster.
//
// Setup (not measured): a heterogeneous cluster of N nodes (five machine shapes)
// is filled with a mix of task shapes until 80% of its CPU is allocated.
// Measured loop, one scaled iteration = one placement:
//   1. while more than 80% of CPU is allocated, end a random running task
//      (`cluster.end(_, as: .finished, at:)`), so the cluster stays in steady state;
//   2. submit a task of a random shape and ask the policy for a node
//      (`policy.place(spec, in: ClusterView(cluster), random:)`);
//   3. bind it there (`cluster.bind`), which updates the free vectors and the
//      policy's index (fit tree / ordered index).
// So "placements/s" includes the bookkeeping of one bind and (on average) one end.
//
// The cluster ledger (`Cluster.tasks`) keeps every task ever submitted; to keep
// memory bounded the cluster is rebuilt (outside the measured region) once it
// has seen `rebuildAfter` tasks.

import Benchmark
import BerthCluster
import BerthPlacement
import BerthSimulation

struct SplitMix64 {
    var state: UInt64
    @inline(__always) mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    @inline(__always) mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

let gi: Int64 = 1 << 30
let catalog = ResourceCatalog(extended: [])

/// Five machine shapes (cpu millicores, memory GiB, relative weight).
let nodeShapes: [(cpu: Int64, memGi: Int64, weight: Int)] = [
    (4_000, 16, 3), (8_000, 32, 4), (16_000, 64, 2), (16_000, 128, 1), (32_000, 128, 1),
]

/// Task shapes: cpu millicores × GiB per core.
let taskSpecs: [TaskSpec] = {
    var specs: [TaskSpec] = []
    for cpu: Int64 in [100, 250, 500, 1_000, 2_000, 4_000] {
        for gibPerCore: Int64 in [1, 2, 4, 8] {
            var requests = catalog.zeros()
            requests[ResourceCatalog.cpu] = cpu
            requests[ResourceCatalog.memory] = max(gi / 4, cpu * gibPerCore * gi / 1_000)
            requests[ResourceCatalog.ephemeralStorage] = gi
            requests[ResourceCatalog.pods] = 1
            specs.append(TaskSpec(name: "t\(cpu)m-\(gibPerCore)g", requests: requests, shape: Int32(specs.count)))
        }
    }
    // Small tasks are more common: repeat them.
    return specs + specs.filter { $0.requests[ResourceCatalog.cpu] <= 500 } + specs.filter { $0.requests[ResourceCatalog.cpu] <= 250 }
}()

func makeNodes(_ count: Int, rng: inout SplitMix64) -> [NodeSpec] {
    let weighted = nodeShapes.flatMap { shape in Array(repeating: shape, count: shape.weight) }
    return (0..<count).map { i in
        let shape = weighted[rng.below(weighted.count)]
        var capacity = catalog.zeros()
        capacity[ResourceCatalog.cpu] = shape.cpu
        capacity[ResourceCatalog.memory] = shape.memGi * gi
        capacity[ResourceCatalog.ephemeralStorage] = 200 * gi
        capacity[ResourceCatalog.pods] = 110
        var allocatable = capacity
        allocatable[ResourceCatalog.cpu] -= 90
        allocatable[ResourceCatalog.memory] -= 2 * gi
        return NodeSpec(name: "n\(i)", pool: "p", capacity: capacity, allocatable: allocatable,
                        zone: "z\(i % 3)", rack: "r\(i % 40)")
    }
}

/// A cluster in steady state plus the bookkeeping to keep it there.
final class SteadyCluster<Policy: PlacementPolicy> {
    let policy: Policy
    let nodeCount: Int
    let rebuildAfter: Int
    let targetFraction = 0.80
    var cluster: Cluster
    var running: [Int32] = []
    var rng = SplitMix64(state: 42)
    let stream = RandomStream(name: "bench", seed: 42)
    var now: Int64 = 0
    var placements = 0
    var failures = 0
    var examined = 0

    init(policy: Policy, nodeCount: Int) {
        self.policy = policy
        self.nodeCount = nodeCount
        rebuildAfter = max(200_000, nodeCount * 40)
        cluster = Cluster(catalog: catalog, nodes: [])
        rebuild()
    }

    var cpuFraction: Double {
        Double(cluster.totalAllocated[ResourceCatalog.cpu]) / Double(cluster.totalAllocatable[ResourceCatalog.cpu])
    }

    func rebuild() {
        var nodeRng = SplitMix64(state: 7)
        cluster = Cluster(catalog: catalog, nodes: makeNodes(nodeCount, rng: &nodeRng))
        running = []
        running.reserveCapacity(nodeCount * 40)
        // Fill to the target with the policy itself (this also builds its index).
        while cpuFraction < targetFraction {
            if !placeOne() { break }
        }
        placements = 0
        failures = 0
        examined = 0
    }

    /// End a random running task (swap-remove from the running list).
    @inline(__always) func endRandom() {
        let i = rng.below(running.count)
        let task = running[i]
        running[i] = running[running.count - 1]
        running.removeLast()
        do { try cluster.end(task, as: .finished, at: now) } catch { fatalError("\(error)") }
    }

    /// Submit, place and bind one task; false if no node could take it.
    @inline(__always) func placeOne() -> Bool {
        now += 1
        let spec = taskSpecs[rng.below(taskSpecs.count)]
        let decision = policy.place(spec, in: ClusterView(cluster), random: stream)
        examined += decision.nodesExamined
        guard let node = decision.node else { return false }
        let id = cluster.submit(spec, at: now)
        do { try cluster.bind(id, to: node, at: now) } catch { fatalError("\(error)") }
        running.append(id)
        return true
    }

    /// One steady-state step (the measured unit).
    @inline(__always) func step() {
        while cpuFraction > targetFraction, !running.isEmpty { endRandom() }
        placements += 1
        if !placeOne() {
            failures += 1
            if !running.isEmpty { endRandom() }
        }
    }
}

enum PlacementMetrics {
    /// Mean nodes examined per placement ×100 (two decimals of precision).
    static let examined = BenchmarkMetric.custom("nodes examined ×100", polarity: .prefersSmaller, useScalingFactor: false)
    /// Placements that found no node, per 10,000.
    static let failures = BenchmarkMetric.custom("failed per 10k", polarity: .prefersSmaller, useScalingFactor: false)
}

func register<Policy: PlacementPolicy>(_ policy: Policy, nodes: Int, scaling: BenchmarkScalingFactor) {
    var state: SteadyCluster<Policy>?
    Benchmark(
        "\(policy.name), \(nodes) nodes",
        configuration: .init(
            metrics: [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident,
                      PlacementMetrics.examined, PlacementMetrics.failures],
            scalingFactor: scaling,
            maxDuration: .seconds(3),
            maxIterations: 1_000
        )
    ) { benchmark in
        // Built lazily so that only the benchmark being run pays for its cluster.
        if state == nil { state = SteadyCluster(policy: policy, nodeCount: nodes) }
        let s = state!
        if s.cluster.tasks.count > s.rebuildAfter { s.rebuild() }
        let placementsBefore = s.placements, failuresBefore = s.failures, examinedBefore = s.examined

        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { s.step() }
        benchmark.stopMeasurement()

        let done = s.placements - placementsBefore
        benchmark.measurement(PlacementMetrics.examined, (s.examined - examinedBefore) * 100 / max(done, 1))
        benchmark.measurement(PlacementMetrics.failures, (s.failures - failuresBefore) * 10_000 / max(done, 1))
        blackHole(s.cluster.count(.running))
    } teardown: {
        state = nil
    }
}

let benchmarks: @Sendable () -> Void = {
    for nodes in [1_000, 10_000] {
        register(FirstFit(), nodes: nodes, scaling: .kilo)
        register(BestFit(), nodes: nodes, scaling: .kilo)
        register(WorstFit(), nodes: nodes, scaling: .kilo)
        // O(nodes) per placement: fewer placements per sample.
        register(DotProduct(), nodes: nodes, scaling: nodes >= 10_000 ? .one : .kilo)
    }
}
