import ArgumentParser
import BerthHarness
import BerthScenario
import BerthSimulation
import Foundation

extension BerthCommand {
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain one kube-scheduler decision node by node (explain.csv).",
            discussion: """
                Runs the scenario up to --at (default: its horizon, or 0), then schedules the task once more \
                against that cluster with every node evaluated, and writes explain.csv: per node, the first \
                filter that rejected it and why, each score plugin's raw, normalised and weighted score, the \
                total, and the selected node. Columns: docs/reports.md.
                """)

        @Argument(help: "The scenario file.")
        var scenario: String

        @Option(name: .long, help: "A Kubernetes scheduler preset (default: the scenario's).")
        var scheduler: String?

        @Option(name: .long, help: "A task id (tasks.csv task_id) or a workload name.")
        var task: String

        @Option(name: .long, help: "Simulated time, e.g. 90s or 1h30m (default: the horizon, or 0).")
        var at: String?

        @Option(name: .long, help: "Seed to use instead of the scenario's.")
        var seed: UInt64?

        @Option(name: .long, help: "Output folder (default: results/<scenario name>).")
        var out: String?

        func run() throws {
            let loaded = try loadScenarioOrExit(scenario)
            let spec = try schedulerOrExit(scheduler) ?? loaded.scheduler
            var atMicros: Int64?
            if let at {
                switch DurationParser.parseMicros(at) {
                case .success(let m): atMicros = m
                case .failure(let e):
                    printError("berth: --at: expected \(e.expected): \(e.detail)")
                    throw ExitCode(2)
                }
            }
            let explanation: Explainer.Explanation
            do {
                explanation = try Explainer.explain(loaded, scheduler: spec, seed: seed, task: task, atMicros: atMicros)
            } catch {
                printError("berth: \(error)")
                throw ExitCode(2)
            }
            let directory = out ?? "results/\(loaded.name)"
            let path = (directory as NSString).appendingPathComponent("explain.csv")
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try explanation.table.rendered().write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                printError("berth: cannot write \(path): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            print(render(explanation))
            print("explain: \(path)")
        }

        /// A readable table: feasible nodes by total, then the rejection summary.
        func render(_ e: Explainer.Explanation) -> String {
            var lines = ["task #\(e.taskID) \(e.task.name) at \(DurationParser.format(micros: e.atMicros)) · scheduler \(scheduler ?? "scenario's")"]
            let rows = e.table.rows
            let header = e.table.header
            guard let totalIndex = header.firstIndex(of: "total"), let selIndex = header.firstIndex(of: "selected") else { return "" }
            let feasible = rows.filter { $0[3] == "true" }.sorted { (Int($0[totalIndex]) ?? 0) > (Int($1[totalIndex]) ?? 0) }
            lines.append("feasible \(feasible.count) of \(rows.count) nodes")
            let weighted = header.indices.filter { header[$0].hasSuffix("_weighted") }
            lines.append(([("node", 24)] + weighted.map { (String(header[$0].dropLast("_weighted".count)), 12) } + [("total", 7)])
                .map { $0.0.count > $0.1 ? String($0.0.prefix($0.1)) : $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }
                .joined(separator: " "))
            for row in feasible.prefix(10) {
                let cells = [(row[0] + (row[selIndex] == "true" ? " *" : ""), 24)] + weighted.map { (row[$0], 12) } + [(row[totalIndex], 7)]
                lines.append(cells.map { $0.0.padding(toLength: max($0.1, $0.0.count), withPad: " ", startingAt: 0) }.joined(separator: " "))
            }
            var reasons: [String: Int] = [:]
            for row in rows where row[3] == "false" { reasons["\(row[4]): \(row[5])", default: 0] += 1 }
            for (reason, count) in reasons.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
                lines.append("rejected \(count): \(reason)")
            }
            return lines.joined(separator: "\n")
        }
    }
}
