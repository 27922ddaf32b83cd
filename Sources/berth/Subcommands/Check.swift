import ArgumentParser
import BerthHarness
import BerthScenario

extension BerthCommand {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regression-test scenarios: their expect: assertions and, optionally, a stored baseline.",
            discussion: """
                Runs each scenario and evaluates its expect: entries. With --baseline DIR (written by \
                `berth run SCENARIO --golden DIR`), also reruns with the baseline's seed and scheduler and \
                compares every summary metric (exactly, or within --tolerance) and every task's placement \
                (exactly). Exit status: 0 when everything passes, 1 on any failure (a readable diff is \
                printed), 2 when a scenario or baseline cannot be read. Docs: docs/ci.md.
                """)

        @Argument(help: "Scenario files (YAML or JSON).")
        var scenarios: [String]

        @Option(name: .long, help: "A baseline folder written by `berth run --golden`.")
        var baseline: String?

        @Option(name: .long, parsing: .singleValue,
                help: "METRIC=REL: allowed relative change of a metric against the baseline (e.g. wait_s_p95=0.05; * for every metric; default 0).")
        var tolerance: [String] = []

        func parsedTolerances() throws -> Golden.Tolerances {
            var byMetric: [String: Double] = [:]
            for entry in tolerance {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]), value >= 0, value.isFinite else {
                    throw ValidationError("--tolerance expects METRIC=REL with REL a number ≥ 0 (e.g. wait_s_p95=0.05), got \"\(entry)\"")
                }
                byMetric[parts[0]] = value
            }
            return Golden.Tolerances(byMetric)
        }

        func validate() throws { _ = try parsedTolerances() }

        func run() throws {
            let tolerances = try parsedTolerances()
            var failed = 0
            var unreadable = false
            for path in scenarios {
                let scenario: Scenario
                do { scenario = try ScenarioLoader.load(path: path) } catch {
                    printError(error.description)
                    unreadable = true
                    continue
                }
                do {
                    let report = try RegressionCheck.run(scenario, baselineRoot: baseline, tolerances: tolerances)
                    print(RegressionCheck.render(report))
                    if !report.passed { failed += 1 }
                } catch {
                    printError("berth: \(path): \(error)")
                    unreadable = true
                }
            }
            if unreadable { throw ExitCode(2) }
            if failed > 0 {
                print("check: \(failed) of \(scenarios.count) scenario\(scenarios.count == 1 ? "" : "s") failed")
                throw ExitCode(1)
            }
        }
    }
}
