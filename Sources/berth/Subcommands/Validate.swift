import ArgumentParser
import BerthHarness
import BerthScenario
import BerthWorkloads

extension BerthCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check scenario files without running them.",
            discussion: "Prints every problem as file:line:column: error: field.path: message, and exits 2 if any file has one.")

        @Argument(help: "Scenario files (YAML or JSON).")
        var files: [String]

        func run() throws {
            var failed = false
            for file in files {
                do {
                    let s = try ScenarioLoader.load(path: file)
                    // expect: names are checked against the report columns (BerthHarness).
                    let unknown = ExpectationCheck.diagnostics(s)
                    guard unknown.isEmpty else {
                        for d in unknown { printError(d.description) }
                        failed = true
                        continue
                    }
                    print("\(file): ok (\(s.nodes.count) nodes, \(s.workloads.count) workloads, scheduler \(s.scheduler.preset))")
                    for w in s.workloads { if let trace = w.trace { print("  " + traceSummary(w.name, trace)) } }
                } catch {
                    printError(error.description)
                    failed = true
                }
            }
            if failed { throw ExitCode(2) }
        }
    }
}

/// `workload pods: 919 tasks from 919 of 8152 rows of <file> (skipped: 8847 status Waiting, …)`.
func traceSummary(_ name: String, _ trace: TraceWorkload) -> String {
    var text = "workload \(name): \(trace.taskCount) tasks from \(trace.tasks.count) of \(trace.rowsRead) rows of \(trace.path)"
    if !trace.rowsSkipped.isEmpty {
        let parts = trace.rowsSkipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        text += " (skipped: \(parts.joined(separator: ", ")))"
    }
    return text
}
