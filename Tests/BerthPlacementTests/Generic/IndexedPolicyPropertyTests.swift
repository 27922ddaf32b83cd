import BerthCluster
import BerthPlacement
import BerthSimulation
import BerthTestSupport
import Testing

/// The indexed policies must choose exactly what a brute-force scan chooses,
/// on random clusters under random churn.
@Suite struct IndexedPolicyPropertyTests {
    /// Brute force: feasible nodes ranked by the policy's definition.
    static func reference(_ policy: String, _ task: TaskSpec, _ cluster: Cluster, key: Int) -> Int? {
        let filters = ConstraintFilters()
        let view = ClusterView(cluster)
        let feasible = (0..<cluster.nodes.count).filter { cluster.fits(task.requests, on: $0) && filters.allows(task, on: $0, in: view) }
        switch policy {
        case "first-fit": return feasible.first
        case "best-fit": return feasible.min { (cluster.free($0, key), $0) < (cluster.free($1, key), $1) }
        case "worst-fit": return feasible.min { (-cluster.free($0, key), $0) < (-cluster.free($1, key), $1) }
        default: return nil
        }
    }

    @Test(arguments: 1...12) func matchesBruteForceUnderChurn(seed: Int) throws {
        let rng = RandomStreams(seed: UInt64(seed)).stream(named: "property")
        let nodeCount = [1, 2, 3, 17, 64, 200][seed % 6]
        let nodes = (0..<nodeCount).map { i -> NodeBuilder in
            var b = NodeBuilder("n\(i)").capacity(cpu: "\(1 + rng.index(below: 16))", memory: "\(1 + rng.index(below: 64))Gi")
            if rng.uniform() < 0.2 { b = b.labels(["disk": "ssd"]) }
            if rng.uniform() < 0.1 { b = b.taint("dedicated") }
            return b
        }
        let cluster = makeCluster(nodes)
        for (key, name) in [(ResourceCatalog.cpu, "cpu"), (ResourceCatalog.memory, "memory")] {
            let policies: [(String, any PlacementPolicy)] = [("first-fit", FirstFit()), ("best-fit", BestFit(keyResource: key)), ("worst-fit", WorstFit(keyResource: key))]
            var running: [Int32] = []
            for step in 0..<400 {
                if !running.isEmpty && rng.uniform() < 0.4 {
                    let victim = running.remove(at: rng.index(below: running.count))
                    try cluster.end(victim, as: .finished, at: Int64(step))
                }
                var task = TaskBuilder("t\(step)").requests(cpu: "\(100 * (1 + rng.index(below: 40)))m", memory: "\(256 * (1 + rng.index(below: 40)))Mi")
                if rng.uniform() < 0.15 { task = task.nodeSelector(["disk": "ssd"]) }
                let spec = task.spec
                let which = policies[rng.index(below: policies.count)]
                let want = Self.reference(which.0, spec, cluster, key: key)
                let got = which.1.place(spec, in: ClusterView(cluster), random: rng).node.map(Int.init)
                #expect(got == want, "seed \(seed) key \(name) step \(step): \(which.0) chose \(String(describing: got)), brute force \(String(describing: want))")
                if let node = got {
                    let id = cluster.submit(spec, at: Int64(step))
                    try cluster.bind(id, to: Int32(node), at: Int64(step))
                    running.append(id)
                }
            }
            #expect(cluster.invariantViolations().isEmpty, "seed \(seed)")
        }
    }
}
