import BerthCluster
import BerthPlacement
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthSimulation

/// `berth explain`: one placement decision for one task, described node by node.
///
/// The scenario runs up to 1 µs before `at` (at 0: through the events at time
/// 0), then the task is placed once more against that cluster by the
/// scheduler's ``ExplainablePlacement`` (kube-scheduler runs with
/// `percentageOfNodesToScore: 100`), so every node gets a row. A task that is
/// already running is first taken off its node in this throwaway copy of the
/// run, so the cycle sees the cluster as if it were arriving now. Nothing is bound.
public enum Explainer {
    public enum ExplainError: Error, CustomStringConvertible {
        case notExplainable(String)
        case noSuchTask(String)
        case run(String)
        public var description: String {
            switch self {
            case .notExplainable(let s): "scheduler \"\(s)\" cannot explain its decisions (see `berth schedulers`)"
            case .noSuchTask(let t): "no task or workload \"\(t)\" has been submitted by then (use a task id from tasks.csv or a workload name)"
            case .run(let m): m
            }
        }
    }

    public struct Explanation {
        public var table: CSVTable
        public var task: TaskSpec
        public var taskID: Int32
        public var atMicros: Int64
        public var cycle: CycleResult
    }

    public static let fixedColumns = ["node", "pool", "zone", "feasible", "rejected_by", "reason"]

    public static func explain(_ scenario: Scenario, scheduler: SchedulerSpec, seed: UInt64?, task selector: String,
                               atMicros: Int64?) throws(ExplainError) -> Explanation {
        guard let explainer = SchedulerRegistry.explainer(scheduler, catalog: scenario.catalog) else {
            throw .notExplainable(scheduler.preset)
        }
        var truncated = scenario
        let at = atMicros ?? scenario.horizonMicros ?? 0
        truncated.horizonMicros = max(0, at - 1)
        let result: RunResult
        do {
            result = try Simulator(scenario: truncated, options: RunOptions(seed: seed, scheduler: scheduler)).run()
        } catch {
            throw .run("\(error)")
        }
        let cluster = result.cluster
        guard let id = pick(selector, in: cluster, workloads: scenario.workloads.map(\.name)) else { throw .noSuchTask(selector) }
        let random = RandomStreams(seed: seed ?? scenario.seed).stream(named: "explain")
        let spec = cluster.tasks[Int(id)].spec
        if cluster.tasks[Int(id)].state == .running {
            do { try cluster.end(id, as: .killed, at: at) } catch { throw .run("\(error)") }
        }
        let cycle = explainer.explain(id, spec, in: ClusterView(cluster), random: random)
        return Explanation(table: table(cycle, cluster: cluster), task: spec, taskID: id, atMicros: at, cycle: cycle)
    }

    /// A task id, or the first task of the named workload still pending, else its latest task.
    static func pick(_ selector: String, in cluster: Cluster, workloads: [String]) -> Int32? {
        if let id = Int32(selector), id >= 0, Int(id) < cluster.tasks.count { return id }
        guard let w = workloads.firstIndex(of: selector) else { return nil }
        let ofWorkload = cluster.tasks.indices.filter { cluster.tasks[$0].spec.workload == Int32(w) }
        let pending = ofWorkload.first { cluster.tasks[$0].state == .pending }
        return (pending ?? ofWorkload.last).map(Int32.init)
    }

    /// explain.csv: one row per node (docs/reports.md).
    public static func table(_ cycle: CycleResult, cluster: Cluster) -> CSVTable {
        let plugins = cycle.scorePluginNames
        let scoreColumns = plugins.flatMap { ["\($0)_raw", "\($0)_normalized", "\($0)_weighted"] }
        var table = CSVTable(header: fixedColumns + scoreColumns + ["total", "selected"])
        for e in cycle.evaluations {
            let node = cluster.nodes[e.node]
            var row = [node.name, node.pool, node.zone, e.feasible ? "true" : "false", e.rejectedBy ?? "", e.reason ?? ""]
            for i in plugins.indices {
                if e.feasible && i < e.raw.count {
                    row += [String(e.raw[i]), String(e.normalized[i]), String(e.weighted[i])]
                } else {
                    row += ["", "", ""]
                }
            }
            row += [e.feasible ? String(e.total) : "", e.selected ? "true" : "false"]
            table.append(row)
        }
        return table
    }
}
