import ArgumentParser
import BerthHarness
import BerthScenario
import BerthSchedulers
import Foundation

extension BerthCommand {
    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare schedulers over replications with confidence intervals (comparison.csv, runs.csv).",
            discussion: """
                Runs every scenario under every scheduler, N replications each. Replication i uses the same \
                derived seed under every scheduler (common random numbers), so differences come from the \
                schedulers. Writes comparison.csv (per metric: mean, stddev, 95% Student-t CI, min, max, and \
                the paired difference from the baseline with its CI) and runs.csv (one row per run), and \
                prints a ranked table per metric. Output does not depend on --jobs. Docs: docs/compare.md.
                """)

        @Argument(help: "Scenario files (YAML or JSON).")
        var scenarios: [String]

        @Option(name: .long, help: "Comma-separated scheduler presets (see `berth schedulers`); \"scenario\" is each scenario's own scheduler: with its options.")
        var schedulers: String

        @Option(name: .long, help: "Replications per scenario and scheduler (at least 1; 2 or more for intervals).")
        var replications: Int = 5

        @Option(name: .long, help: "The scheduler the others are compared with (default: the first).")
        var baseline: String?

        @Option(name: .long, help: "Base seed instead of each scenario's; replication seeds derive from it.")
        var seed: UInt64?

        @Option(name: .long, help: "Output folder (default: results/compare).")
        var out: String = "results/compare"

        @Option(name: .long, help: "Runs at once (default: the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(name: .long, help: "Comma-separated metrics to print, or \"all\" (default: the wait, pending, makespan, allocation, cost and preemption metrics). comparison.csv always has every metric.")
        var metrics: String?

        @Flag(name: .long, help: "Print nothing but errors.")
        var quiet = false

        @Option(name: .long, help: "Also write the comparison as Markdown tables to this file (mean ± 95% CI half-width per scheduler and printed metric).")
        var markdown: String?

        @Flag(name: .long, help: "Also write OUT/report.html (bars with 95% CI whiskers, allocation and pending over time, wait CDFs; see `berth report`).")
        var html = false

        @Flag(name: .long, help: "Show progress on standard error (a bar with ETA on a terminal, one line per run otherwise).")
        var progress = false

        func validate() throws {
            guard replications >= 1 else { throw ValidationError("--replications must be at least 1, got \(replications)") }
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        }

        func run() async throws {
            let names = schedulers == "all" ? SchedulerRegistry.names
                : schedulers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !names.isEmpty else { throw ValidationError("--schedulers needs at least one scheduler preset") }
            guard Set(names).count == names.count else { throw ValidationError("--schedulers names a scheduler twice") }
            var named: [NamedScheduler] = []
            for name in names {
                // "scenario": each scenario's own scheduler: with its options (a tuned profile against presets).
                let spec = name == NamedScheduler.scenarioOwn ? nil : try schedulerOrExit(name)
                named.append(NamedScheduler(name: name, spec: spec))
            }
            let baselineName = baseline ?? names[0]
            guard let baselineIndex = names.firstIndex(of: baselineName) else {
                throw ValidationError("--baseline \(baselineName) is not one of --schedulers (\(names.joined(separator: ",")))")
            }
            var loaded: [Scenario] = []
            for path in scenarios {
                var scenario = try loadScenarioOrExit(path)
                if let seed { scenario.seed = seed }
                if let other = loaded.first(where: { $0.name == scenario.name }) {
                    throw ValidationError("\(path) and \(other.source) are both named \"\(scenario.name)\"; scenario names must differ")
                }
                loaded.append(scenario)
            }
            let plan = ComparisonPlan(scenarios: loaded, schedulers: named, replications: replications, baseline: baselineIndex)
            let records: [RunRecord]
            let runs = plan.runs
            let reporter = ProgressReporter(enabled: progress, total: runs.count)
            do {
                records = try await Comparison.execute(plan, jobs: jobs) { index, finished in
                    let run = runs[index]
                    reporter.report(finished: finished, ran: true, line: "\(loaded[run.scenario].name) · \(names[run.scheduler]) · "
                                    + "replication \(run.replication) (seed \(run.seed))")
                }
            } catch {
                reporter.finish()
                printError("berth: \(error)")
                throw ExitCode(1)
            }
            reporter.finish()
            let report = ComparisonReport(plan: plan, records: records)
            do { try report.write(to: out) } catch {
                printError("berth: \(error)")
                throw ExitCode(1)
            }
            if html { try writeHTMLReport(out, quiet: quiet) }
            let printed: [String]
            switch metrics {
            case nil: printed = ComparisonReport.defaultPrintedMetrics
            case "all"?: printed = report.metrics
            case let list?:
                printed = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                for m in printed where !report.metrics.contains(m) {
                    let hint = suggestion(for: m, among: report.metrics).map { " (did you mean \"\($0)\"?)" } ?? ""
                    printError("berth: --metrics: unknown metric \"\(m)\"\(hint)")
                }
            }
            if let markdown {
                let command = (["berth"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
                let preamble = "<!-- Written by `\(command)`; edit the generator, not this file. -->\n"
                do {
                    try report.markdown(metrics: printed, preamble: preamble).write(toFile: markdown, atomically: true, encoding: .utf8)
                } catch {
                    printError("berth: cannot write \(markdown): \(error.localizedDescription)")
                    throw ExitCode(1)
                }
            }
            guard !quiet else { return }
            print(report.rankedText(metrics: printed))
            print("\nreports: \(out)/comparison.csv, \(out)/runs.csv (\(records.count) runs), \(out)/series.csv, \(out)/wait_cdf.csv")
        }
    }
}
