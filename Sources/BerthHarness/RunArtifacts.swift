import BerthReports
import Foundation

/// Writes a run's reports into a folder: summary.csv, tasks.csv, nodes.csv,
/// timeseries.csv, events.csv, services.csv (deterministic: byte-identical for the same scenario and
/// seed) and perf.csv (wall-clock figures, which vary run to run).
public enum RunArtifacts {
    public static let deterministicFiles = ["summary.csv", "tasks.csv", "nodes.csv", "timeseries.csv", "events.csv", "services.csv"]
    public static let perfFile = "perf.csv"
    /// Written (and deterministic) only under architectures with frameworks (Mesos).
    public static let frameworksFile = "frameworks.csv"
    /// Written (and deterministic) only for scenarios with workflow workloads.
    public static let dagRunsFile = "dag_runs.csv"
    /// Written (and deterministic) only under decision-time architectures (monolithic, monolithic-multipath, omega).
    public static let schedulersFile = "schedulers.csv"

    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// The deterministic tables of a run, by file name.
    public static func tables(_ result: RunResult) -> [(String, CSVTable)] {
        var tables = [
            ("summary.csv", RunReports.summary(result.summary)),
            ("tasks.csv", RunReports.tasks(result.cluster, workloadNames: result.scenario.workloads.map(\.name))),
            ("nodes.csv", RunReports.nodes(result.cluster, tracker: result.tracker, endMicros: result.endMicros,
                                           downMicros: result.nodeDownMicros)),
            ("timeseries.csv", RunReports.timeseries(result.timeseries, cluster: result.cluster)),
            ("events.csv", RunReports.events(result.failureLog)),
            ("services.csv", RunReports.services(result.availability, endMicros: result.endMicros)),
        ]
        if result.scenario.workloads.contains(where: { $0.kind == .workflow }) {
            tables.append((dagRunsFile, RunReports.dagRuns(result.dagRuns)))
        }
        if let frameworks = result.frameworks {
            tables[3].1 = RunReports.timeseries(result.timeseries, cluster: result.cluster, frameworks: frameworks)
            tables.append((frameworksFile, RunReports.frameworks(frameworks)))
        }
        if let schedulers = result.schedulers {
            tables.append((schedulersFile, RunReports.schedulers(schedulers, endMicros: result.endMicros)))
        }
        return tables
    }

    public static func perf(_ result: RunResult) -> CSVTable {
        var table = CSVTable(header: ["scenario", "scheduler", "seed", "wall_s", "events", "events_per_s"])
        let rate = result.wallSeconds > 0 ? Double(result.summary.events) / result.wallSeconds : nil
        table.append([result.scenario.name, result.schedulerName, String(result.seed),
                      CSVNumber.fixed(result.wallSeconds), String(result.summary.events), CSVNumber.fixed(rate, digits: 0)])
        return table
    }

    /// Writes every file atomically (temporary file + rename), creating `directory` if needed.
    public static func write(_ result: RunResult, to directory: String) throws(WriteError) {
        try writeTables(tables(result) + [(perfFile, perf(result))], to: directory)
    }

    /// Writes each table atomically (temporary file + rename) as `directory/<name>`, creating `directory` if needed.
    public static func writeTables(_ tables: [(String, CSVTable)], to directory: String) throws(WriteError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: directory, reason: error.localizedDescription)
        }
        for (name, table) in tables {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                try table.rendered().write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw WriteError(path: path, reason: error.localizedDescription)
            }
        }
    }
}
