import BerthCluster
@testable import BerthPlacement
import BerthSimulation

/// Nomad-shaped test fixtures: cpu in MHz (Berth millicores, 1:1), memory in MB
/// (MiB), `reserved` subtracted from capacity into allocatable, datacenter = zone.
enum NomadFixture {
    static let catalog = ResourceCatalog(extended: [])
    static let mib: Int64 = 1024 * 1024

    static func node(_ name: String, cpu: Int64 = 4000, memoryMB: Int64 = 8192, reservedCPU: Int64 = 0, reservedMemoryMB: Int64 = 0,
                     datacenter: String = "dc1", pool: String = "default", labels: [String: String] = [:]) -> NodeSpec {
        var capacity = catalog.zeros()
        capacity[ResourceCatalog.cpu] = cpu
        capacity[ResourceCatalog.memory] = memoryMB * mib
        capacity[ResourceCatalog.pods] = 1000
        var allocatable = capacity
        allocatable[ResourceCatalog.cpu] -= reservedCPU
        allocatable[ResourceCatalog.memory] -= reservedMemoryMB * mib
        return NodeSpec(name: name, pool: pool, capacity: capacity, allocatable: allocatable, labels: labels, zone: datacenter)
    }

    static func task(_ name: String = "t", cpu: Int64, memoryMB: Int64, workload: Int32 = 0, job: Int32 = 0,
                     nomad: NomadDetails? = nil) -> TaskSpec {
        var requests = catalog.zeros()
        requests[ResourceCatalog.cpu] = cpu
        requests[ResourceCatalog.memory] = memoryMB * mib
        requests[ResourceCatalog.pods] = 1
        var spec = TaskSpec(name: name, workload: workload, job: job, requests: requests)
        spec.nomad = nomad
        return spec
    }

    /// A cluster with `existing` (task, node) allocations bound, then `pending`
    /// submitted last; returns the cluster and the pending task's id.
    static func cluster(_ nodes: [NodeSpec], existing: [(TaskSpec, Int32)] = [], pending: TaskSpec) -> (Cluster, Int32) {
        let cluster = Cluster(catalog: catalog, nodes: nodes)
        for (spec, node) in existing {
            let id = cluster.submit(spec, at: 0)
            try? cluster.bind(id, to: node, at: 0)
        }
        return (cluster, cluster.submit(pending, at: 0))
    }

    /// Runs the generic stack's ranking over every node in order (no shuffle, no
    /// limit), as upstream tests drive a StaticRankIterator: node → final score
    /// for the nodes that pass.
    static func rankAll(_ engine: NomadPlacement, _ cluster: Cluster, _ task: Int32) -> [Int32: Double] {
        let view = ClusterView(cluster)
        let spec = cluster.tasks[Int(task)].spec
        let ev = NomadEvaluation(task: task, spec: spec, view: view, config: engine.config, random: nil)
        var out: [Int32: Double] = [:]
        for node in ev.nodes {
            if let option = engine.rank(node, ev, spec, view, engine.pipeline(ev), record: nil) { out[node] = option.finalScore }
        }
        return out
    }
}
