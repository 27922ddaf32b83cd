import BerthCluster
import Foundation

/// Nomad's fit functions (upstream `nomad/structs/funcs.go`). With
/// `free = 1 − used / (node − reserved)` for cpu and memory:
///
/// - `ScoreFitBinPack = 20 − (10^freeCpu + 10^freeMem)`, clamped to 0…18
///   (BestFit v3: a full node scores 18, an empty one 0);
/// - `ScoreFitSpread = (10^freeCpu + 10^freeMem) − 2`, clamped to 0…18 (worst fit).
public enum ScoreFit {
    public static func freePercentage(used: Int64, available: Int64) -> Double {
        1 - Double(used) / Double(available)
    }

    public static func binPack(freeCpu: Double, freeMemory: Double) -> Double {
        clamp(20 - (pow(10, freeCpu) + pow(10, freeMemory)))
    }

    public static func spread(freeCpu: Double, freeMemory: Double) -> Double {
        clamp(pow(10, freeCpu) + pow(10, freeMemory) - 2)
    }

    /// Bounded as upstream: comparisons only, so NaN passes through unchanged.
    static func clamp(_ score: Double) -> Double {
        if score > 18 { return 18 }
        if score < 0 { return 0 }
        return score
    }
}

/// Upstream `BinPackIterator`: the allocation must fit what the node has left
/// after `reserved` (Berth: allocatable) and the existing allocations
/// (`AllocsFit`, first exhausted dimension reported as `cpu`, `memory`, `disk`,
/// or Berth's own `pods`/extended resources); then the fit score — ScoreFitBinPack
/// or ScoreFitSpread by `scheduler_algorithm` — divided by 18 (`binPackingMaxFitScore`)
/// into 0…1, always appended.
///
/// Berth fits every resource dimension it tracks; scores use cpu and memory as
/// upstream. Networks, devices and reserved cores are not modelled; preemption
/// (`evict`) is not simulated (docs/nomad.md).
/// Upstream: nomad `scheduler/feasible/rank.go`, `nomad/structs/funcs.go`.
public struct BinPackIterator: NomadFeasibilityStage, NomadRankStage {
    public static let maxFitScore = 18.0
    public let algorithm: NomadConfig.Algorithm
    public init(algorithm: NomadConfig.Algorithm) { self.algorithm = algorithm }
    public var name: String { "binpack" }

    /// Upstream `ComparableResources.Superset` dimension names.
    public static func dimension(_ catalog: ResourceCatalog, _ r: Int) -> String {
        switch r {
        case ResourceCatalog.cpu: "cpu"
        case ResourceCatalog.memory: "memory"
        case ResourceCatalog.ephemeralStorage: "disk"
        default: catalog.names[r]
        }
    }

    public func rejection(_ node: Int32, _ ev: NomadEvaluation, _ view: ClusterView, _ spec: TaskSpec) -> String? {
        let n = Int(node)
        for r in 0..<view.catalog.count where spec.requests[r] + ev.plannedRequest(node, r) > view.free(n, r) {
            return "exhausted \(Self.dimension(view.catalog, r))"
        }
        return nil
    }

    public func score(_ node: Int32, _ ev: NomadEvaluation, _ view: ClusterView, _ spec: TaskSpec) -> NomadScore {
        let n = Int(node), cpu = ResourceCatalog.cpu, mem = ResourceCatalog.memory
        let usedCpu = view.allocated(n, cpu) + ev.plannedRequest(node, cpu) + spec.requests[cpu]
        let usedMem = view.allocated(n, mem) + ev.plannedRequest(node, mem) + spec.requests[mem]
        let freeCpu = ScoreFit.freePercentage(used: usedCpu, available: view.allocatable(n, cpu))
        let freeMem = ScoreFit.freePercentage(used: usedMem, available: view.allocatable(n, mem))
        let fit = algorithm == .binpack ? ScoreFit.binPack(freeCpu: freeCpu, freeMemory: freeMem)
                                        : ScoreFit.spread(freeCpu: freeCpu, freeMemory: freeMem)
        return NomadScore(value: fit / Self.maxFitScore, appended: true)
    }
}
