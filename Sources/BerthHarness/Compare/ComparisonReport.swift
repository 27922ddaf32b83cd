import Foundation
import BerthMetrics
import BerthReports

/// Which way a metric is better, for ranking.
public enum MetricDirection: String, Sendable {
    case lowerIsBetter = "lower is better"
    case higherIsBetter = "higher is better"
    /// A count or size that describes the run rather than grades it (nodes, events).
    case neutral = "no preferred direction"

    /// The direction of a summary.csv column (docs/compare.md lists them).
    public static func of(_ metric: String) -> MetricDirection {
        if metric.hasSuffix("_alloc_frac") || metric == "tasks_scheduled" || metric == "tasks_completed"
            || metric.hasPrefix("availability") { return .higherIsBetter }
        if metric.hasPrefix("wait_s_") || metric.hasPrefix("pending_wait_s") || metric.hasPrefix("preempted_") { return .lowerIsBetter }
        let lower: Set = ["makespan_s", "node_hours", "cost", "tasks_pending", "tasks_failed", "tasks_killed",
                          "tasks_preempted", "jobs_failed"]
        return lower.contains(metric) ? .lowerIsBetter : .neutral
    }
}

/// The statistics of one scenario × scheduler × metric: the sample over
/// replications and, for schedulers other than the baseline, the paired
/// differences (this scheduler − baseline, replication by replication).
public struct MetricComparison: Sendable, Equatable {
    public var scenario: String
    public var scheduler: String
    public var metric: String
    public var sample: ConfidenceInterval
    /// nil for the baseline itself.
    public var pairedDifference: ConfidenceInterval?
}

/// Turns run records into `runs.csv`, `comparison.csv` and the ranked tables.
public struct ComparisonReport: Sendable {
    public let plan: ComparisonPlan
    public let records: [RunRecord]
    /// Metric names in first-seen order (scenario order, then summary.csv order).
    public let metrics: [String]
    public let rows: [MetricComparison]

    public static let comparisonColumns = [
        "scenario", "scheduler", "metric", "n", "mean", "stddev", "ci95_low", "ci95_high", "min", "max",
        "paired_diff_mean", "paired_diff_ci95_low", "paired_diff_ci95_high", "significant",
    ]
    public static let runIdentityColumns = ["scenario", "scheduler", "replication", "seed"]

    public init(plan: ComparisonPlan, records: [RunRecord]) {
        self.plan = plan
        self.records = records
        var seen = Set<String>()
        var metrics: [String] = []
        for record in records { for m in record.metricNames where seen.insert(m).inserted { metrics.append(m) } }
        self.metrics = metrics
        rows = Self.aggregate(plan: plan, records: records)
    }

    /// - Complexity: O(runs × metrics).
    static func aggregate(plan: ComparisonPlan, records: [RunRecord]) -> [MetricComparison] {
        var rows: [MetricComparison] = []
        for (s, scenario) in plan.scenarios.enumerated() {
            // values[scheduler][replication] for one metric at a time
            let ofScenario = records.filter { $0.run.scenario == s }
            let metricNames = ofScenario.first?.metricNames ?? []
            for metric in metricNames {
                var values = Array(repeating: [Double?](repeating: nil, count: plan.replications), count: plan.schedulers.count)
                for r in ofScenario { values[r.run.scheduler][r.run.replication] = r.value(metric) }
                let base = values[plan.baseline]
                for (k, scheduler) in plan.schedulers.enumerated() {
                    let sample = ConfidenceInterval(values[k].compactMap { $0 })
                    var diff: ConfidenceInterval?
                    if k != plan.baseline {
                        let pairs = zip(values[k], base).compactMap { a, b in a.flatMap { a in b.map { a - $0 } } }
                        diff = ConfidenceInterval(pairs)
                    }
                    rows.append(MetricComparison(scenario: scenario.name, scheduler: scheduler.name, metric: metric,
                                                 sample: sample, pairedDifference: diff))
                }
            }
        }
        return rows
    }

    /// comparison.csv: one row per scenario × scheduler × metric (docs/compare.md).
    public var comparisonTable: CSVTable {
        var table = CSVTable(header: Self.comparisonColumns)
        func f(_ v: Double?) -> String { CSVNumber.fixed(v) }
        for row in rows {
            let s = row.sample
            let d = row.pairedDifference
            let significant = d?.excludesZero.map { $0 ? "true" : "false" } ?? ""
            table.append([row.scenario, row.scheduler, row.metric, String(s.count), f(s.mean), f(s.stddev), f(s.low), f(s.high),
                          f(s.min), f(s.max), f(d?.mean), f(d?.low), f(d?.high), significant])
        }
        return table
    }

    /// runs.csv: one row per run with its seed and every summary metric.
    public var runsTable: CSVTable {
        var table = CSVTable(header: Self.runIdentityColumns + metrics)
        for record in records {
            var row = [plan.scenarios[record.run.scenario].name, plan.schedulers[record.run.scheduler].name,
                       String(record.run.replication), String(record.run.seed)]
            for metric in metrics {
                row.append(record.metricNames.firstIndex(of: metric).map { record.fields[$0] } ?? "")
            }
            table.append(row)
        }
        return table
    }

    /// The metrics `berth compare` prints by default (those a scenario has).
    public static let defaultPrintedMetrics = ["wait_s_mean", "wait_s_p95", "wait_s_p99", "pending_wait_s_max", "tasks_pending",
                                               "makespan_s", "cpu_alloc_frac", "memory_alloc_frac", "cost", "tasks_preempted",
                                               "availability_frac_min"]

    /// One ranked table per scenario × metric: schedulers best first by mean
    /// (ties and neutral metrics in `--schedulers` order, lowest mean first for
    /// neutral ones), with the 95% CI half-width and the paired difference
    /// against the baseline (`*` when significant).
    public func rankedText(metrics selected: [String]) -> String {
        var blocks: [String] = []
        let baseline = plan.schedulers[plan.baseline].name
        let nameWidth = max(9, plan.schedulers.map(\.name.count).max() ?? 0)
        for scenario in plan.scenarios {
            for metric in selected {
                let group = rows.filter { $0.scenario == scenario.name && $0.metric == metric }
                // A metric no run has a value for (e.g. makespan_s without batch work) is left out.
                guard group.contains(where: { $0.sample.count > 0 }) else { continue }
                let direction = MetricDirection.of(metric)
                let ranked = group.enumerated().sorted { a, b in
                    let (x, y) = (a.element.sample.mean, b.element.sample.mean)
                    if x != y {
                        guard let x else { return false }
                        guard let y else { return true }
                        return direction == .higherIsBetter ? x > y : x < y
                    }
                    return a.offset < b.offset
                }.map(\.element)
                let n = plan.replications
                var lines = ["\(scenario.name) · \(metric) (\(direction.rawValue)) · \(n) replication\(n == 1 ? "" : "s") · baseline \(baseline)"]
                for (rank, row) in ranked.enumerated() {
                    lines.append(rankedLine(rank + 1, row, nameWidth: nameWidth, baseline: baseline))
                }
                blocks.append(lines.joined(separator: "\n"))
            }
        }
        return blocks.joined(separator: "\n\n")
    }

    func rankedLine(_ rank: Int, _ row: MetricComparison, nameWidth: Int, baseline: String) -> String {
        func num(_ v: Double?) -> String { v.map { CSVNumber.fixed($0, digits: 3) } ?? "-" }
        let s = row.sample
        let half = s.high.flatMap { h in s.mean.map { h - $0 } }
        var text = "  \(rank). " + row.scheduler.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        text += " " + num(s.mean).leftPadded(12) + " ± " + num(half).padding(toLength: 10, withPad: " ", startingAt: 0)
        if let d = row.pairedDifference {
            let mark = d.excludesZero == true ? " *" : ""
            let sign = (d.mean ?? 0) > 0 ? "+" : ""
            text += " Δ vs \(baseline) \(sign)\(num(d.mean)) [\(num(d.low)), \(num(d.high))]\(mark)"
        } else {
            text += " (baseline)"
        }
        return text
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

extension ComparisonReport {
    public static let files = ["comparison.csv", "runs.csv", "series.csv", "wait_cdf.csv"]

    public static let seriesHeader = ["scenario", "scheduler"] + Comparison.seriesColumns
    public static let waitCDFHeader = ["scenario", "scheduler", "quantile", "wait_s"]
    /// The quantiles wait_cdf.csv lists: 0, 0.01, …, 1.
    public static let cdfFractions = (0...100).map { Double($0) / 100 }

    /// series.csv: replication 0's timeseries of every scenario × scheduler (for the HTML report's time charts).
    public var seriesTable: CSVTable {
        var table = CSVTable(header: Self.seriesHeader)
        for record in records where record.run.replication == 0 {
            let identity = [plan.scenarios[record.run.scenario].name, plan.schedulers[record.run.scheduler].name]
            for row in record.detail?.series ?? [] { table.append(identity + row) }
        }
        return table
    }

    /// wait_cdf.csv: per scenario × scheduler, the quantiles of the waits of
    /// every started task pooled over all replications.
    public var waitCDFTable: CSVTable {
        var table = CSVTable(header: Self.waitCDFHeader)
        for (s, scenario) in plan.scenarios.enumerated() {
            for (k, scheduler) in plan.schedulers.enumerated() {
                let waits = records.filter { $0.run.scenario == s && $0.run.scheduler == k }.flatMap { $0.detail?.waits ?? [] }
                let quantiles = SampleStatistics.quantiles(waits, at: Self.cdfFractions)
                for (f, q) in zip(Self.cdfFractions, quantiles) {
                    table.append([scenario.name, scheduler.name, CSVNumber.fixed(f, digits: 2), CSVNumber.fixed(q)])
                }
            }
        }
        return table
    }

    /// Writes comparison.csv, runs.csv, series.csv and wait_cdf.csv into
    /// `directory` (created if needed), each atomically.
    public func write(to directory: String) throws(RunArtifacts.WriteError) {
        try RunArtifacts.writeTables([("comparison.csv", comparisonTable), ("runs.csv", runsTable),
                                      ("series.csv", seriesTable), ("wait_cdf.csv", waitCDFTable)], to: directory)
    }
}

extension ComparisonReport {
    /// The comparison as Markdown: per scenario, one table with a row per
    /// scheduler (in `--schedulers` order) and a column per metric of
    /// `selected` that has values, each cell `mean ± 95% CI half-width`
    /// (3 significant digits), the best mean of a graded metric in bold.
    /// `results/README.md` is this, for the standard suite.
    public func markdown(metrics selected: [String], preamble: String = "") -> String {
        var out = preamble
        func number(_ v: Double) -> String {
            if v == 0 { return "0" }
            let digits = max(0, min(6, 2 - Int(floor(log10(abs(v))))))
            return CSVNumber.fixed(v, digits: digits)
        }
        for scenario in plan.scenarios {
            let ofScenario = rows.filter { $0.scenario == scenario.name }
            let columns = selected.filter { m in ofScenario.contains { $0.metric == m && $0.sample.count > 0 } }
            let description = scenario.description.trimmingCharacters(in: .whitespacesAndNewlines)
            out += "\n## \(scenario.name)\n\n"
            if !description.isEmpty { out += description.replacingOccurrences(of: "\n", with: " ") + "\n\n" }
            out += "`\(scenario.source)` · \(plan.replications) replications\n\n"
            out += "| scheduler | " + columns.joined(separator: " | ") + " |\n"
            out += "|---|" + String(repeating: "---:|", count: columns.count) + "\n"
            var best: [String: Double] = [:]  // only where the means differ
            for metric in columns {
                let means = ofScenario.filter { $0.metric == metric }.compactMap(\.sample.mean)
                guard Set(means).count > 1 else { continue }
                switch MetricDirection.of(metric) {
                case .lowerIsBetter: best[metric] = means.min()
                case .higherIsBetter: best[metric] = means.max()
                case .neutral: break
                }
            }
            for scheduler in plan.schedulers {
                var cells: [String] = []
                for metric in columns {
                    guard let row = ofScenario.first(where: { $0.scheduler == scheduler.name && $0.metric == metric }),
                          let mean = row.sample.mean else { cells.append("–"); continue }
                    var text = number(mean)
                    if let high = row.sample.high, high - mean > 0 { text += " ± " + number(high - mean) }
                    if best[metric] == mean {
                        text = "**\(text)**"
                    }
                    cells.append(text)
                }
                out += "| \(scheduler.name) | " + cells.joined(separator: " | ") + " |\n"
            }
        }
        return out
    }
}
