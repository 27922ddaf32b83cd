import ArgumentParser
import BerthHarness
import BerthReports
import BerthScenario
import BerthSchedulers

extension BerthCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one scenario and write CSV reports.",
            discussion: "Writes summary.csv, tasks.csv, nodes.csv, timeseries.csv and perf.csv (docs/reports.md).")

        @Argument(help: "The scenario file (YAML or JSON).")
        var scenario: String

        @Option(name: .long, help: "Scheduler preset to use instead of the scenario's (see `berth schedulers`).")
        var scheduler: String?

        @Option(name: .long, help: "Seed to use instead of the scenario's.")
        var seed: UInt64?

        @Option(name: .long, help: "Output folder (default: results/<scenario name>).")
        var out: String?

        @Option(name: .long, help: "Also write a regression baseline (summary + placements) under DIR/<scenario name>/ for `berth check --baseline DIR`.")
        var golden: String?

        @Flag(name: .long, help: "Print nothing but errors.")
        var quiet = false

        func run() throws {
            let loaded = try loadScenarioOrExit(scenario)
            let spec = try schedulerOrExit(scheduler)
            let result: RunResult
            do {
                result = try Simulator(scenario: loaded, options: RunOptions(seed: seed, scheduler: spec)).run()
            } catch {
                printError("berth: \(error)")
                throw ExitCode(1)
            }
            let directory = out ?? "results/\(loaded.name)"
            do { try RunArtifacts.write(result, to: directory) } catch {
                printError("berth: \(error)")
                throw ExitCode(1)
            }
            if let golden {
                do { try Golden.write(result, to: golden) } catch {
                    printError("berth: \(error)")
                    throw ExitCode(1)
                }
            }
            if !quiet { print(HumanSummary.render(result.summary, wallSeconds: result.wallSeconds, outputDirectory: directory,
                                                 extraFiles: (result.frameworks == nil ? [] : ["frameworks"])
                                                     + (result.schedulers == nil ? [] : ["schedulers"])
                                                     + (result.scenario.workloads.contains { $0.kind == .workflow } ? ["dag_runs"] : [])))
                if let line = HumanSummary.dagRuns(result.dagRuns) { print(line) }
            }
        }
    }
}
