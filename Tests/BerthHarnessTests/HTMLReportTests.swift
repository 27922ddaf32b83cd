import BerthHarness
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Foundation
import Testing

/// `berth report` / `--html`: the charts' geometry and data, self-containment,
/// determinism, and the three kinds of output folder.
@Suite struct HTMLReportTests {
    static func temporary() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("berth-html-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Every value of `attribute="…"` in `text`, in order.
    static func attributes(_ attribute: String, in text: String) -> [String] {
        var out: [String] = []
        var rest = text[...]
        while let r = rest.range(of: " \(attribute)=\"") {
            let after = rest[r.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            out.append(String(after[..<end]))
            rest = after[end...]
        }
        return out
    }

    /// The `<svg>…</svg>` element whose title is `title`.
    static func chart(_ title: String, in html: String) throws -> String {
        let marker = try #require(html.range(of: "class=\"title\">\(title)</text>"), "no chart titled \(title)")
        let start = try #require(html.range(of: "<svg", options: .backwards, range: html.startIndex..<marker.lowerBound))
        let end = try #require(html.range(of: "</svg>", range: marker.upperBound..<html.endIndex))
        return String(html[start.lowerBound..<end.upperBound])
    }

    /// Nothing in a report may be fetched: no script, no external reference.
    static func expectSelfContained(_ html: String) {
        let lowered = html.lowercased()
        for forbidden in ["<script", " src=", " href=", "url(", "@import", "<link", "<iframe"] {
            #expect(!lowered.contains(forbidden), "report contains \(forbidden)")
        }
        let withoutNamespace = lowered.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!withoutNamespace.contains("http://") && !withoutNamespace.contains("https://"))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
    }

    // MARK: Charts

    @Test func niceTicks() {
        #expect(SVGChart.ticks(0, 97) == [0, 20, 40, 60, 80])
        let unit = SVGChart.ticks(0, 1)
        #expect(unit.count == 6 && zip(unit, [0, 0.2, 0.4, 0.6, 0.8, 1]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(SVGChart.ticks(-30, 95) == [0, 50])  // step 50 (125 / 5 = 25 → the next of 10, 20, 50)
        #expect(SVGChart.ticks(-50, 100) == [-50, 0, 50, 100])
        #expect(SVGChart.ticks(5, 5) == [5])
        #expect(SVGChart.label(1500) == "1500")
        #expect(SVGChart.label(0.25) == "0.25")
        #expect(SVGChart.label(12.5) == "12.5")
        #expect(SVGChart.label(2.5e-5) == "2.5e-5")
        #expect(SVGChart.label(1_234_567) == "1.2e6")
    }

    /// Bar heights are proportional to the values from a zero baseline; a
    /// whisker is drawn exactly where an interval is given; text is escaped.
    @Test func barsAndWhiskers() throws {
        let svg = SVGChart.bars([SVGChart.Bar(label: "a<b", value: 10, low: 8, high: 12), SVGChart.Bar(label: "c", value: 5)],
                                title: "T & U", yLabel: "y")
        let heights = Self.attributes("height", in: svg).dropFirst().compactMap(Double.init)  // the first is the svg's
        #expect(heights.count == 2)
        #expect(abs(heights[0] - 2 * heights[1]) < 0.2, "\(heights)")
        #expect(svg.components(separatedBy: "class=\"whisker\"").count == 2)
        #expect(svg.contains("a&lt;b") && !svg.contains("a<b"))
        #expect(svg.contains(">T &amp; U</text>"))
        #expect(Self.attributes("data-value", in: svg) == ["10.000000", "5.000000"])
    }

    /// A step line goes horizontally then vertically; each series gets its own colour and a legend entry.
    @Test func stepLines() {
        let svg = SVGChart.lines([SVGChart.Series(name: "one", points: [(0, 0), (1, 1)]),
                                  SVGChart.Series(name: "two", points: [(0, 1), (1, 0)])],
                                 title: "S", xLabel: "x", yLabel: "y", step: true)
        let paths = Self.attributes("d", in: svg)
        #expect(paths.count == 2)
        #expect(paths.allSatisfy { $0.contains(" H") && $0.contains(" V") })
        #expect(Self.attributes("data-series", in: svg) == ["one", "two"])
        #expect(svg.contains(SVGChart.palette[0]) && svg.contains(SVGChart.palette[1]))
        #expect(svg.contains(">one</text>") && svg.contains(">two</text>"))
    }

    // MARK: Reports from folders

    /// A comparison's report: one bar per scheduler per charted metric whose
    /// height is the comparison.csv mean; the whiskers are its interval; one
    /// CDF line per scheduler; same bytes whatever --jobs was.
    @Test func comparisonReport() async throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/quickstart.yaml"))
        let names = ["best-fit", "worst-fit"]
        let schedulers = try names.map { NamedScheduler(name: $0, spec: try #require(SchedulerRegistry.preset(named: $0)).spec) }
        let plan = ComparisonPlan(scenarios: [scenario], schedulers: schedulers, replications: 3, baseline: 0)
        var reports: [String] = []
        var directory = ""
        for jobs in [1, 2] {
            directory = try Self.temporary()
            let records = try await Comparison.execute(plan, jobs: jobs)
            try ComparisonReport(plan: plan, records: records).write(to: directory)
            let (kind, html) = try HTMLReport.build(directory)
            #expect(kind == .comparison)
            reports.append(html)
        }
        #expect(reports[0] == reports[1])
        let html = reports[0]
        Self.expectSelfContained(html)

        let csv = try #require(CSVTable.parse(try String(contentsOfFile: directory + "/comparison.csv", encoding: .utf8)))
        let means = csv.filter { $0[2] == "wait_s_p95" }.map { $0[4] }
        let chart = try Self.chart("wait_s_p95 (lower is better)", in: html)
        #expect(Self.attributes("data-value", in: chart) == means)
        #expect(Self.attributes("data-label", in: chart) == names)
        #expect(chart.components(separatedBy: "class=\"whisker\"").count == 1 + names.count)

        let cdf = try Self.chart("Wait-time CDF (all replications)", in: html)
        #expect(Self.attributes("data-series", in: cdf) == names)
        let pending = try Self.chart("Pending tasks over time (replication 0)", in: html)
        #expect(Self.attributes("data-series", in: pending) == names)
        // wait_cdf.csv: 101 quantiles per scheduler, non-decreasing, ending at the largest wait.
        let quantiles = try #require(CSVTable.parse(try String(contentsOfFile: directory + "/wait_cdf.csv", encoding: .utf8)))
        #expect(quantiles[0] == ComparisonReport.waitCDFHeader)
        let bestFit = quantiles.dropFirst().filter { $0[1] == "best-fit" }.compactMap { Double($0[3]) }
        #expect(bestFit.count == 101)
        #expect(zip(bestFit, bestFit.dropFirst()).allSatisfy { $0 <= $1 })
        let runs = try #require(CSVTable.parse(try String(contentsOfFile: directory + "/runs.csv", encoding: .utf8)))
        let maxColumn = try #require(runs[0].firstIndex(of: "wait_s_max"))
        let largest = runs.dropFirst().filter { $0[1] == "best-fit" }.compactMap { Double($0[maxColumn]) }.max()
        #expect(bestFit.last == largest)
    }

    /// A sweep's report, from a hand-written sweep-stats.csv: x is the first
    /// non-scheduler parameter (numeric here), one line per scheduler, points at the means.
    @Test func sweepReport() throws {
        let directory = try Self.temporary()
        var stats = CSVTable(header: ["cell", "scheduler", "nodes", "metric", "n", "mean", "stddev", "ci95_low", "ci95_high", "min", "max"])
        let means: [String: [Double]] = ["first-fit": [30, 20, 10], "worst-fit": [40, 25, 12]]
        var cell = 0
        for scheduler in ["first-fit", "worst-fit"] {
            for (i, nodes) in ["4", "8", "16"].enumerated() {
                let m = means[scheduler]?[i] ?? 0
                stats.append([String(cell), scheduler, nodes, "wait_s_p95", "3", CSVNumber.fixed(m), "1", CSVNumber.fixed(m - 2),
                              CSVNumber.fixed(m + 2), CSVNumber.fixed(m - 1), CSVNumber.fixed(m + 1)])
                stats.append([String(cell), scheduler, nodes, "cpu_alloc_frac", "3", "", "", "", "", "", ""])
                cell += 1
            }
        }
        try stats.rendered().write(toFile: directory + "/sweep-stats.csv", atomically: true, encoding: .utf8)
        let (kind, html) = try HTMLReport.build(directory)
        #expect(kind == .sweep)
        Self.expectSelfContained(html)
        #expect(html.contains("Metrics against nodes"))
        let chart = try Self.chart("wait_s_p95 (lower is better)", in: html)
        #expect(Self.attributes("data-series", in: chart) == ["first-fit", "worst-fit"])
        #expect(!html.contains("cpu_alloc_frac (higher is better)"), "a metric without values is not charted")
        // Numeric x: ticks, not categories; 3 points and 3 whiskers per line.
        #expect(chart.components(separatedBy: "<circle").count == 1 + 6)
        let xs = Self.attributes("cx", in: chart).compactMap(Double.init)
        #expect(xs.count == 6 && abs((xs[2] - xs[1]) - 2 * (xs[1] - xs[0])) < 0.2, "x ∝ nodes (4, 8, 16): \(xs)")
        #expect(xs.prefix(3).elementsEqual(xs.suffix(3)))
    }

    /// A run's report: allocation per resource over time, running/pending, the wait CDF reaching 1.
    @Test func runReport() throws {
        let directory = try Self.temporary()
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/quickstart.yaml"))
        let result = try Simulator(scenario: scenario).run()
        try RunArtifacts.write(result, to: directory)
        let (kind, html) = try HTMLReport.build(directory)
        #expect(kind == .run)
        Self.expectSelfContained(html)
        let allocation = try Self.chart("Allocation over time", in: html)
        #expect(Self.attributes("data-series", in: allocation) == scenario.catalog.names.indices.map { scenario.catalog.columnStem($0) })
        let counts = try Self.chart("Running and pending tasks", in: html)
        #expect(Self.attributes("data-series", in: counts) == ["running", "pending"])
        #expect(html.contains("Wait-time CDF (\(result.summary.scheduled) started tasks)"))
        #expect(html.contains("<td>tasks_submitted</td><td class=\"n\">\(result.summary.submitted)</td>"))
    }

    @Test func errors() throws {
        let empty = try Self.temporary()
        #expect(throws: HTMLReport.ReportError.notAReportDirectory(empty)) { try HTMLReport.build(empty) }
        let broken = try Self.temporary()
        try "cell,scheduler,metric,n,mean\r\n0,a,wait_s_p95,3\r\n".write(toFile: broken + "/sweep-stats.csv", atomically: true, encoding: .utf8)
        #expect(throws: HTMLReport.ReportError.malformed(broken + "/sweep-stats.csv", "row 2 has 4 fields, the header 5")) {
            try HTMLReport.build(broken)
        }
    }
}
