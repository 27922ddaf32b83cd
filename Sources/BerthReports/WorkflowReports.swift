import BerthMetrics
import BerthSimulation

extension RunReports {
    public static let dagRunColumns = ["dag", "run", "scheduled_s", "start_s", "end_s", "makespan_s", "critical_path_s",
                                       "tasks", "tasks_succeeded", "tasks_failed", "tasks_upstream_failed", "retries", "state"]

    /// dag_runs.csv: one row per DAG run, in workflow then run order.
    public static func dagRuns(_ runs: [DagRunRecord]) -> CSVTable {
        var table = CSVTable(header: dagRunColumns)
        for r in runs {
            table.append([r.dag, String(r.run), SimTime.decimalSeconds(r.scheduledMicros),
                          r.startMicros.map(SimTime.decimalSeconds) ?? "", r.endMicros.map(SimTime.decimalSeconds) ?? "",
                          r.makespanMicros.map(SimTime.decimalSeconds) ?? "", SimTime.decimalSeconds(r.criticalPathMicros),
                          String(r.tasks), String(r.succeeded), String(r.failed), String(r.upstreamFailed), String(r.retries),
                          r.state.rawValue])
        }
        return table
    }
}

extension HumanSummary {
    /// One line about the DAG runs for the terminal, or nil without workflows.
    public static func dagRuns(_ runs: [DagRunRecord]) -> String? {
        guard !runs.isEmpty else { return nil }
        let count = { (s: DagRunRecord.State) in runs.lazy.filter { $0.state == s }.count }
        let makespans = runs.compactMap { $0.makespanMicros.map { Double($0) / 1_000_000 } }.sorted()
        let median = makespans.isEmpty ? "-" : String(format: "%.1f s", makespans[makespans.count / 2])
        return "dag runs \(runs.count) · success \(count(.success)) · failed \(count(.failed)) · running \(count(.running))"
            + " · retries \(runs.reduce(0) { $0 + $1.retries }) · makespan median \(median)"
    }
}
