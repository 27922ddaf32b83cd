import BerthCluster
import BerthMetrics
import BerthSimulation

/// Fairness between second-level schedulers (Mesos frameworks) over a run:
/// dominant shares at every sample and per-framework counters (docs/reports.md).
public struct FrameworkReport: Sendable {
    public typealias Row = FrameworkCounters
    /// Frameworks in registration order (a framework registers with its first task).
    public var rows: [Row]
    /// Per sample (the timeseries' times): each framework's dominant share, in
    /// `rows` order; frameworks not registered yet are absent (shorter arrays).
    public var samples: [(micros: Int64, shares: [Double])]

    public init(rows: [Row], samples: [(micros: Int64, shares: [Double])]) {
        self.rows = rows
        self.samples = samples
    }

    /// Jain's fairness index (Σx)² / (n Σx²) over the registered frameworks'
    /// dominant shares; nil when there is none or every share is 0.
    public static func jain(_ shares: [Double]) -> Double? {
        let sum = shares.reduce(0, +), squares = shares.reduce(0) { $0 + $1 * $1 }
        guard !shares.isEmpty, squares > 0 else { return nil }
        return sum * sum / (Double(shares.count) * squares)
    }

    /// Time-weighted mean of a step function given at the sample times (each
    /// value holds until the next sample); nil values (undefined) are left out.
    static func timeMean(_ points: [(Int64, Double?)]) -> Double? {
        var weighted = 0.0, span = 0.0
        for (i, p) in points.enumerated() where i + 1 < points.count {
            guard let v = p.1 else { continue }
            let dt = Double(points[i + 1].0 - p.0)
            weighted += v * dt
            span += dt
        }
        return span > 0 ? weighted / span : points.last?.1
    }

    public func share(_ framework: Int, at sample: Int) -> Double {
        framework < samples[sample].shares.count ? samples[sample].shares[framework] : 0
    }
}

extension RunReports {
    /// frameworks.csv: one row per framework.
    public static func frameworks(_ report: FrameworkReport) -> CSVTable {
        var table = CSVTable(header: ["framework", "role", "offers_received", "offers_declined", "offers_rescinded", "tasks_launched",
                                      "offered_unused_core_s", "dominant_share_mean", "dominant_share_max", "dominant_share_end",
                                      "jain_index_mean"])
        let jain = FrameworkReport.timeMean(report.samples.map { ($0.micros, FrameworkReport.jain($0.shares)) })
        for (f, row) in report.rows.enumerated() {
            let series = report.samples.indices.map { (report.samples[$0].micros, Optional(report.share(f, at: $0))) }
            let maxShare = report.samples.indices.map { report.share(f, at: $0) }.max()
            table.append([row.framework, row.role, String(row.offersReceived), String(row.offersDeclined), String(row.offersRescinded),
                          String(row.tasksLaunched), CSVNumber.fixed(row.offeredUnusedCoreSeconds),
                          CSVNumber.fixed(FrameworkReport.timeMean(series)), CSVNumber.fixed(maxShare),
                          CSVNumber.fixed(report.samples.isEmpty ? nil : report.share(f, at: report.samples.count - 1)),
                          CSVNumber.fixed(jain)])
        }
        return table
    }

    /// timeseries.csv with the fairness columns appended: `share_<framework>`
    /// per framework and `jain_index`.
    public static func timeseries(_ samples: [TimeseriesSample], cluster: Cluster, frameworks report: FrameworkReport) -> CSVTable {
        let base = timeseries(samples, cluster: cluster)
        var table = CSVTable(header: base.header + report.rows.map { "share_\($0.framework)" } + ["jain_index"])
        for (i, row) in base.rows.enumerated() {
            guard i < report.samples.count else { table.append(row + Array(repeating: "", count: report.rows.count + 1)); continue }
            let shares = report.rows.indices.map { CSVNumber.fixed(report.share($0, at: i)) }
            table.append(row + shares + [CSVNumber.fixed(FrameworkReport.jain(report.samples[i].shares))])
        }
        return table
    }
}
