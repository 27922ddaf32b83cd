import BerthScenario
import BerthSchedulers

/// `berth check` for one scenario: run it, evaluate its `expect:` entries and,
/// with a baseline, diff its metrics (within tolerances) and placements (exactly).
public enum RegressionCheck {
    public struct Report: Sendable {
        public var scenario: Scenario
        /// Unknown metric or workload names in `expect:` (the run is not made).
        public var diagnostics: [Diagnostic]
        public var outcomes: [ExpectationCheck.Outcome]
        /// Baseline differences, one readable line each.
        public var differences: [String]
        /// The folder of the baseline compared with, if any.
        public var baselineFolder: String?
        public var scheduler: String
        public var seed: UInt64

        public var passed: Bool { diagnostics.isEmpty && differences.isEmpty && outcomes.allSatisfy(\.passed) }
    }

    public enum CheckError: Error, CustomStringConvertible {
        case baseline(Golden.ReadError)
        case unknownScheduler(String, baseline: String)
        case run(RunError)
        public var description: String {
            switch self {
            case .baseline(let e): "\(e)"
            case .unknownScheduler(let name, let folder): "the baseline \(folder) was run with scheduler \"\(name)\", which is not a preset"
            case .run(let e): "\(e)"
            }
        }
    }

    /// Runs the check. Without a baseline the run uses the scenario's seed and
    /// scheduler; with one, the seed and scheduler it recorded (the scenario's
    /// own scheduler options are kept when the preset names agree).
    public static func run(_ scenario: Scenario, baselineRoot: String?, tolerances: Golden.Tolerances) throws(CheckError) -> Report {
        var report = Report(scenario: scenario, diagnostics: ExpectationCheck.diagnostics(scenario), outcomes: [], differences: [],
                            baselineFolder: nil, scheduler: scenario.scheduler.preset, seed: scenario.seed)
        guard report.diagnostics.isEmpty else { return report }
        var baseline: Golden.Baseline?
        var spec = scenario.scheduler
        if let baselineRoot {
            let read: Golden.Baseline
            do { read = try Golden.read(baselineRoot, scenario: scenario.name) } catch { throw .baseline(error) }
            baseline = read
            report.baselineFolder = read.folder
            if let recorded = read.recorded {
                report.seed = recorded.seed
                report.scheduler = recorded.scheduler
                if recorded.scheduler != spec.preset {
                    guard let preset = SchedulerRegistry.preset(named: recorded.scheduler) else {
                        throw .unknownScheduler(recorded.scheduler, baseline: read.folder)
                    }
                    spec = preset.spec
                }
            }
        }
        let result: RunResult
        do {
            result = try Simulator(scenario: scenario, options: RunOptions(seed: report.seed, scheduler: spec)).run()
        } catch {
            throw .run(error)
        }
        report.outcomes = ExpectationCheck.evaluate(result)
        if let baseline { report.differences = Golden.diff(baseline, result, tolerances: tolerances) }
        return report
    }

    /// The readable report: one line per expectation and per difference.
    public static func render(_ report: Report) -> String {
        var lines: [String] = []
        let what = "\(report.outcomes.count) expectation\(report.outcomes.count == 1 ? "" : "s")"
            + (report.baselineFolder.map { ", baseline \($0)" } ?? "")
        lines.append("\(report.scenario.source): \(report.passed ? "ok" : "FAILED") (\(what); scheduler \(report.scheduler), seed \(report.seed))")
        for d in report.diagnostics { lines.append("  " + d.description) }
        for o in report.outcomes {
            let detail = o.detail.isEmpty ? "" : "  [\(o.detail)]"
            lines.append(o.passed ? "  ok    \(o.expectation.text)\(detail)"
                                  : "  FAIL  \(o.expectation.location): \(o.expectation.text)\(detail)")
        }
        for d in report.differences { lines.append("  DIFF  \(d)") }
        if report.outcomes.isEmpty && report.baselineFolder == nil && report.diagnostics.isEmpty {
            lines.append("  (nothing to check: the scenario has no expect: entries and no --baseline was given)")
        }
        return lines.joined(separator: "\n")
    }
}
