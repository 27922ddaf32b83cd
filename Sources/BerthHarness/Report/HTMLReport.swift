import BerthReports
import Foundation

/// `berth report DIR`: one self-contained HTML file (inline SVG charts, no
/// script, nothing fetched) from the CSV files a `berth run`, `berth compare`
/// or `berth sweep` wrote into `DIR`. The report is a pure function of those
/// files (not of the folder's name): the same files give the same bytes.
/// docs/reports.md#html-reports.
public enum HTMLReport {
    /// What kind of output a directory holds, told by its files.
    public enum Kind: String, Sendable, Equatable {
        case run, comparison, sweep
    }

    public enum ReportError: Error, CustomStringConvertible, Equatable {
        case notAReportDirectory(String)
        case unreadable(String)
        case malformed(String, String)
        case write(String, String)

        public var description: String {
            switch self {
            case .notAReportDirectory(let d):
                "\(d) holds no Berth reports: expected summary.csv (berth run), comparison.csv (berth compare) or sweep-stats.csv (berth sweep)"
            case .unreadable(let f): "cannot read \(f)"
            case .malformed(let f, let why): "\(f): \(why)"
            case .write(let f, let why): "cannot write \(f): \(why)"
            }
        }
    }

    /// The file the report is written to inside the directory.
    public static let fileName = "report.html"

    /// A CSV file read back: header and rows, cells by column name.
    struct Table {
        var header: [String]
        var rows: [[String]]
        func index(_ column: String) -> Int? { header.firstIndex(of: column) }
        func column(_ name: String) -> [String] { index(name).map { i in rows.map { $0[i] } } ?? [] }
        func value(_ row: [String], _ column: String) -> String? { index(column).map { row[$0] } }
        func number(_ row: [String], _ column: String) -> Double? { value(row, column).flatMap(Double.init) }
    }

    static func read(_ directory: String, _ name: String, required: Bool = true) throws(ReportError) -> Table? {
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else {
            if required { throw .unreadable(path) }
            return nil
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .unreadable(path) }
        guard let rows = CSVTable.parse(text), let header = rows.first else { throw .malformed(path, "not RFC 4180 CSV") }
        let body = Array(rows.dropFirst())
        if let bad = body.firstIndex(where: { $0.count != header.count }) {
            throw .malformed(path, "row \(bad + 2) has \(body[bad].count) fields, the header \(header.count)")
        }
        return Table(header: header, rows: body)
    }

    /// The kind of report `directory` holds, or nil.
    public static func kind(of directory: String) -> Kind? {
        let has = { (f: String) in FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(f)) }
        if has("comparison.csv") { return .comparison }
        if has("sweep-stats.csv") { return .sweep }
        if has("summary.csv") { return .run }
        return nil
    }

    /// Builds the report of `directory`.
    public static func build(_ directory: String) throws(ReportError) -> (kind: Kind, html: String) {
        guard let kind = kind(of: directory) else { throw .notAReportDirectory(directory) }
        switch kind {
        case .run: return (kind, try runReport(directory))
        case .comparison: return (kind, try comparisonReport(directory))
        case .sweep: return (kind, try sweepReport(directory))
        }
    }

    /// Builds the report of `directory` and writes it to `directory/report.html` (atomically).
    @discardableResult
    public static func write(_ directory: String) throws(ReportError) -> (kind: Kind, path: String) {
        let (kind, html) = try build(directory)
        let path = (directory as NSString).appendingPathComponent(fileName)
        do { try html.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw .write(path, "\(error.localizedDescription)")
        }
        return (kind, path)
    }

    // MARK: Shared pieces

    /// Seconds → the unit that keeps axis labels short.
    static func timeUnit(_ maxSeconds: Double) -> (divisor: Double, name: String) {
        if maxSeconds >= 2 * 86_400 { return (86_400, "days") }
        if maxSeconds >= 2 * 3_600 { return (3_600, "hours") }
        if maxSeconds >= 2 * 60 { return (60, "minutes") }
        return (1, "seconds")
    }

    /// The empirical CDF of `values` as step points: at most ~200 points (quantile grid).
    static func cdf(_ values: [Double]) -> [(x: Double, y: Double)] {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return [] }
        let n = sorted.count
        let steps = min(n, 200)
        var points: [(x: Double, y: Double)] = [(sorted[0], 0)]
        for k in 1...steps {
            let i = (k * n + steps - 1) / steps - 1  // the last index of the k-th slice
            points.append((sorted[i], Double(i + 1) / Double(n)))
        }
        return points
    }

    /// The metrics charted for comparisons and sweeps, in this order, when they have values.
    static let chartedMetrics = ComparisonReport.defaultPrintedMetrics

    static func metricTitle(_ metric: String) -> String {
        let direction = MetricDirection.of(metric)
        return direction == .neutral ? metric : "\(metric) (\(direction.rawValue))"
    }

    // MARK: berth run

    static func runReport(_ directory: String) throws(ReportError) -> String {
        guard let summary = try read(directory, "summary.csv"), let row = summary.rows.first else {
            throw .malformed((directory as NSString).appendingPathComponent("summary.csv"), "no run row")
        }
        let scenario = summary.value(row, "scenario") ?? "?", scheduler = summary.value(row, "scheduler") ?? "?"
        var page = HTMLPage(title: "\(scenario) under \(scheduler)",
                            subtitle: "berth run · seed \(summary.value(row, "seed") ?? "?")")

        page.heading("Summary")
        let shown = summary.header.enumerated().filter { i, name in i >= 3 && !row[i].isEmpty }.map { [$0.element, row[$0.offset]] }
        page.table(header: ["metric", "value"], rows: shown)

        var charts: [String] = []
        if let ts = try read(directory, "timeseries.csv", required: false), !ts.rows.isEmpty {
            let times = ts.column("time_s").map { Double($0) ?? 0 }
            let unit = timeUnit(times.last ?? 0)
            let fracs = ts.header.filter { $0.hasSuffix("_alloc_frac") }
            let allocation = fracs.map { column in
                SVGChart.Series(name: String(column.dropLast("_alloc_frac".count)),
                                points: zip(times, ts.column(column)).map { ($0 / unit.divisor, Double($1) ?? 0) })
            }
            charts.append(SVGChart.lines(allocation, title: "Allocation over time", xLabel: "time (\(unit.name))",
                                         yLabel: "allocated / allocatable", step: true))
            let counts = ["running", "pending"].map { column in
                SVGChart.Series(name: column, points: zip(times, ts.column(column)).map { ($0 / unit.divisor, Double($1) ?? 0) })
            }
            charts.append(SVGChart.lines(counts, title: "Running and pending tasks", xLabel: "time (\(unit.name))",
                                         yLabel: "tasks", step: true))
        }
        if let tasks = try read(directory, "tasks.csv", required: false) {
            let waits = tasks.column("wait_s").compactMap(Double.init)
            charts.append(SVGChart.lines([SVGChart.Series(name: "wait", points: cdf(waits))],
                                         title: "Wait-time CDF (\(waits.count) started tasks)", xLabel: "wait (s)",
                                         yLabel: "fraction of tasks ≤ wait", step: true))
        }
        if let nodes = try read(directory, "nodes.csv", required: false), !nodes.rows.isEmpty, nodes.rows.count <= 64,
           let cpu = nodes.index("cpu_alloc_frac") {
            let bars = nodes.rows.map { SVGChart.Bar(label: $0[0], value: Double($0[cpu]) ?? 0) }
            charts.append(SVGChart.bars(bars, title: "CPU allocation per node (time-weighted)", yLabel: "cpu_alloc_frac"))
        }
        page.heading("Charts")
        page.charts(charts)

        if let services = try read(directory, "services.csv", required: false), !services.rows.isEmpty {
            page.heading("Services")
            page.table(header: services.header, rows: services.rows)
        }
        return page.rendered()
    }

    // MARK: berth compare

    static func comparisonReport(_ directory: String) throws(ReportError) -> String {
        guard let comparison = try read(directory, "comparison.csv") else { throw .unreadable(directory) }
        let runs = try read(directory, "runs.csv", required: false)
        let series = try read(directory, "series.csv", required: false)
        let cdfs = try read(directory, "wait_cdf.csv", required: false)
        var scenarios: [String] = [], schedulers: [String] = []
        for row in comparison.rows {
            if !scenarios.contains(row[0]) { scenarios.append(row[0]) }
            if !schedulers.contains(row[1]) { schedulers.append(row[1]) }
        }
        let replications = runs.map { Set($0.column("replication")).count } ?? 0
        let baseline = comparison.rows.first { $0[comparison.index("paired_diff_mean") ?? 0].isEmpty }?[1] ?? schedulers.first ?? ""
        var page = HTMLPage(title: "Scheduler comparison: \(scenarios.joined(separator: ", "))",
                            subtitle: "berth compare · \(schedulers.joined(separator: ", ")) · \(replications) replications · baseline \(baseline)")
        page.paragraph("Bars are means over the replications; whiskers are 95% confidence intervals (Student t). "
                       + "The table's Δ column is the paired difference from the baseline (common random numbers) with its 95% interval; * marks one that excludes 0.")

        for scenario in scenarios {
            page.heading("Scenario \(scenario)", id: "scenario-\(scenario)")
            let rows = comparison.rows.filter { $0[0] == scenario }
            var bars: [String] = []
            var tableRows: [[String]] = []
            var allZero: [String] = []
            for metric in chartedMetrics {
                let ofMetric = rows.filter { comparison.value($0, "metric") == metric }
                guard ofMetric.contains(where: { comparison.number($0, "mean") != nil }) else { continue }
                if ofMetric.allSatisfy({ comparison.number($0, "max") == 0 && comparison.number($0, "min") == 0 }) {
                    allZero.append(metric)
                    continue
                }
                let barData = ofMetric.compactMap { r -> SVGChart.Bar? in
                    guard let mean = comparison.number(r, "mean") else { return nil }
                    return SVGChart.Bar(label: r[1], value: mean, low: comparison.number(r, "ci95_low"), high: comparison.number(r, "ci95_high"))
                }
                bars.append(SVGChart.bars(barData, title: metricTitle(metric), yLabel: metric))
                for r in ofMetric {
                    let fmt = { (v: Double?) in v.map { SVGChart.label($0) } ?? "" }
                    let mean = comparison.number(r, "mean"), low = comparison.number(r, "ci95_low"), high = comparison.number(r, "ci95_high")
                    let d = comparison.number(r, "paired_diff_mean")
                    let diff = d.map { "\(fmt($0)) [\(fmt(comparison.number(r, "paired_diff_ci95_low"))), \(fmt(comparison.number(r, "paired_diff_ci95_high")))]"
                        + (comparison.value(r, "significant") == "true" ? " *" : "") } ?? "(baseline)"
                    tableRows.append([metric, r[1], fmt(mean), low != nil ? "[\(fmt(low)), \(fmt(high))]" : "", diff])
                }
            }
            page.heading("Metrics", level: 3)
            page.charts(bars)
            if !allZero.isEmpty { page.paragraph("0 in every run under every scheduler: \(allZero.joined(separator: ", ")).") }

            var timeCharts: [String] = []
            if let series {
                let ofScenario = series.rows.filter { $0[0] == scenario }
                let maxTime = ofScenario.compactMap { series.number($0, "time_s") }.max() ?? 0
                let unit = timeUnit(maxTime)
                func lines(_ column: String) -> [SVGChart.Series] {
                    schedulers.map { name in
                        SVGChart.Series(name: name, points: ofScenario.filter { $0[1] == name }.compactMap { r in
                            guard let t = series.number(r, "time_s"), let v = series.number(r, column) else { return nil }
                            return (t / unit.divisor, v)
                        })
                    }
                }
                timeCharts.append(SVGChart.lines(lines("cpu_alloc_frac"), title: "CPU allocation over time (replication 0)",
                                                 xLabel: "time (\(unit.name))", yLabel: "cpu_alloc_frac", step: true))
                timeCharts.append(SVGChart.lines(lines("memory_alloc_frac"), title: "Memory allocation over time (replication 0)",
                                                 xLabel: "time (\(unit.name))", yLabel: "memory_alloc_frac", step: true))
                timeCharts.append(SVGChart.lines(lines("pending"), title: "Pending tasks over time (replication 0)",
                                                 xLabel: "time (\(unit.name))", yLabel: "pending tasks", step: true))
            }
            if let cdfs {
                let ofScenario = cdfs.rows.filter { $0[0] == scenario }
                let lines = schedulers.map { name in
                    SVGChart.Series(name: name, points: ofScenario.filter { $0[1] == name }.compactMap { r in
                        guard let q = cdfs.number(r, "quantile"), let w = cdfs.number(r, "wait_s") else { return nil }
                        return (w, q)
                    })
                }
                timeCharts.append(SVGChart.lines(lines, title: "Wait-time CDF (all replications)", xLabel: "wait (s)",
                                                 yLabel: "fraction of tasks ≤ wait"))
            }
            if !timeCharts.isEmpty {
                page.heading("Over time and wait distribution", level: 3)
                page.charts(timeCharts)
            }
            page.heading("Table", level: 3)
            page.table(header: ["metric", "scheduler", "mean", "95% CI", "Δ vs \(baseline) [95% CI]"], rows: tableRows)
        }
        return page.rendered()
    }

    // MARK: berth sweep

    static func sweepReport(_ directory: String) throws(ReportError) -> String {
        guard let stats = try read(directory, "sweep-stats.csv") else { throw .unreadable(directory) }
        guard let metricIndex = stats.index("metric"), metricIndex >= 1 else {
            throw .malformed((directory as NSString).appendingPathComponent("sweep-stats.csv"), "no metric column")
        }
        let parameters = Array(stats.header[1..<metricIndex])
        // Values of each parameter in first-seen (cell) order.
        var values: [[String]] = parameters.map { _ in [] }
        for row in stats.rows {
            for p in parameters.indices where !values[p].contains(row[1 + p]) { values[p].append(row[1 + p]) }
        }
        // x: the first parameter other than the scheduler that varies; lines: the other parameters' combinations.
        let varying = parameters.indices.filter { values[$0].count > 1 }
        let x = varying.first { parameters[$0] != "scheduler" } ?? varying.first ?? 0
        let others = parameters.indices.filter { $0 != x }
        let numeric = values.isEmpty ? false : values[x].allSatisfy { Double($0) != nil }
        let replications = stats.rows.first.flatMap { stats.number($0, "n") }.map { Int($0) } ?? 0

        var page = HTMLPage(title: "Parameter sweep: \(parameters.joined(separator: " × "))",
                            subtitle: "berth sweep · \(Set(stats.column("cell")).count) cells · \(replications) replications per cell")
        if parameters.isEmpty {
            page.paragraph("This sweep varies no parameter.")
            return page.rendered()
        }
        page.paragraph("Each line is one combination of \(others.isEmpty ? "the parameters" : others.map { parameters[$0] }.joined(separator: ", ")); "
                       + "points are means over the replications, bars and bands their 95% confidence intervals (Student t).")
        var charts: [String] = []
        for metric in chartedMetrics {
            let ofMetric = stats.rows.filter { $0[metricIndex] == metric }
            guard ofMetric.contains(where: { stats.number($0, "mean") != nil }) else { continue }
            var lineKeys: [[String]] = []
            for row in ofMetric {
                let key = others.map { row[1 + $0] }
                if !lineKeys.contains(key) { lineKeys.append(key) }
            }
            let lines = lineKeys.map { key -> SVGChart.Series in
                let rows = ofMetric.filter { row in others.map { row[1 + $0] } == key }
                var points: [(x: Double, y: Double)] = []
                var bounds: [(low: Double, high: Double)] = []
                for row in rows {
                    guard let mean = stats.number(row, "mean") else { continue }
                    let xv = numeric ? Double(row[1 + x]) ?? 0 : Double(values[x].firstIndex(of: row[1 + x]) ?? 0)
                    points.append((xv, mean))
                    bounds.append((stats.number(row, "ci95_low") ?? mean, stats.number(row, "ci95_high") ?? mean))
                }
                let order = points.indices.sorted { points[$0].x < points[$1].x }
                let name = key.isEmpty ? metric : zip(others, key).map { parameters[$0.0] == "scheduler" ? $0.1 : "\(parameters[$0.0])=\($0.1)" }.joined(separator: ", ")
                return SVGChart.Series(name: name, points: order.map { points[$0] }, bounds: order.map { bounds[$0] })
            }
            charts.append(SVGChart.lines(lines, title: metricTitle(metric), xLabel: parameters[x], yLabel: metric,
                                         xCategories: numeric ? nil : values[x]))
        }
        page.heading("Metrics against \(parameters[x])")
        page.charts(charts)
        page.heading("Statistics")
        let shown = stats.rows.filter { chartedMetrics.contains($0[metricIndex]) && !($0[stats.index("mean") ?? 0]).isEmpty }
        page.table(header: stats.header, rows: shown)
        return page.rendered()
    }
}
