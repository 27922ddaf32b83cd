import BerthMetrics
import BerthSimulation

/// The short human-readable summary `berth run` prints.
public enum HumanSummary {
    /// `extraFiles`: report stems written besides the five (e.g. `frameworks` under Mesos).
    public static func render(_ s: RunSummary, wallSeconds: Double, outputDirectory: String?, extraFiles: [String] = []) -> String {
        func num(_ v: Double?, _ digits: Int = 1) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "-" }
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
        var lines: [String] = []
        lines.append("scenario \(s.scenario) · scheduler \(s.scheduler) · seed \(s.seed) · simulated \(DurationParser.format(micros: s.endMicros))")
        lines.append("nodes \(s.nodes) · node-hours \(num(s.nodeHours)) · cost \(num(s.cost, 2))")
        lines.append("tasks submitted \(s.submitted) · scheduled \(s.scheduled) · completed \(s.finished) · running \(s.running) · pending \(s.pending)")
        lines.append("wait s: mean \(num(s.wait.mean, 2)) · p50 \(num(s.wait.p50, 2)) · p95 \(num(s.wait.p95, 2)) · p99 \(num(s.wait.p99, 2)) · max \(num(s.wait.max, 2))")
        let alloc = (0..<s.catalog.count).compactMap { r -> String? in
            guard let f = s.allocationFraction[r] else { return nil }
            return "\(s.catalog.names[r]) \(pct(f))"
        }
        lines.append("allocation (time-weighted): " + alloc.joined(separator: " · "))
        if let m = s.makespanSeconds { lines.append("batch makespan \(num(m)) s") }
        let rate = wallSeconds > 0 ? Double(s.events) / wallSeconds : 0
        lines.append("simulator: \(s.events) events in \(String(format: "%.3f", wallSeconds)) s wall (\(String(format: "%.0f", rate)) events/s)")
        if let outputDirectory {
            lines.append("reports: \(outputDirectory)/{\((["summary", "tasks", "nodes", "timeseries", "events", "services"] + extraFiles + ["perf"]).joined(separator: ","))}.csv")
        }
        return lines.joined(separator: "\n")
    }
}
