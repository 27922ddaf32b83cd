import BerthHarness
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Foundation
import Testing

/// `expect:` evaluation and golden baselines (`berth check`).
@Suite struct RegressionCheckTests {
    /// Two zones, two db replicas and six web replicas on four nodes, under worst-fit.
    static func scenario(expect: [String], scheduler: String = "worst-fit") throws -> Scenario {
        let text = """
            name: check-demo
            seed: 3
            horizon: 1h
            scheduler: \(scheduler)
            cluster:
              pools:
                - {name: general, count: 4, capacity: {cpu: 8, memory: 32Gi}, zones: [a, b]}
            workloads:
              - {name: db, kind: service, replicas: 2, requests: {cpu: 1, memory: 1Gi}}
              - {name: web, kind: service, replicas: 6, requests: {cpu: 500m, memory: 1Gi}}
              - {name: huge, kind: service, replicas: 1, requests: {cpu: 7, memory: 1Gi}}
            expect:

            """ + expect.map { "  - '\($0)'\n" }.joined()
        return try ScenarioLoader.load(text: text, file: "check.yaml")
    }

    static func outcomes(_ expect: [String], scheduler: String = "worst-fit") throws -> [ExpectationCheck.Outcome] {
        let (result, violations) = try runChecked(try scenario(expect: expect, scheduler: scheduler))
        #expect(violations.isEmpty)
        return ExpectationCheck.evaluate(result)
    }

    @Test func passingExpectations() throws {
        let outcomes = try Self.outcomes([
            "unscheduled == 0", "tasks_scheduled == 9", "wait_s_p95 < 30", "tasks_preempted <= 2", "cpu_alloc_frac > 0.3",
            "tasks_scheduled[\"web\"] == 6", "wait_s_max[\"db\"] == 0",
            "placement(\"db-0\").zone != placement(\"db-1\").zone", "placement(\"db-0\").pool == \"general\"",
        ])
        for o in outcomes { #expect(o.passed, "\(o.expectation.text): \(o.detail)") }
        #expect(outcomes.count == 9)
        #expect(outcomes[0].detail == "unscheduled = 0")
        #expect(outcomes[7].detail == "placement(\"db-0\").zone = \"a\", placement(\"db-1\").zone = \"b\"")
    }

    /// Under first-fit the db replicas share general-0 (zone a): the spread assertion fails.
    @Test func failingExpectationsSayWhy() throws {
        let outcomes = try Self.outcomes([
            "placement(\"db-0\").zone != placement(\"db-1\").zone", "cpu_alloc_frac > 0.9", "makespan_s < 10",
            "placement(\"nope-0\").node == \"general-0\"", "unscheduled[\"huge\"] == 1",
        ], scheduler: "first-fit")
        #expect(outcomes.map(\.passed) == [false, false, false, false, false])
        #expect(outcomes[0].detail == "placement(\"db-0\").zone = \"a\", placement(\"db-1\").zone = \"a\"")
        #expect(outcomes[1].detail.hasPrefix("cpu_alloc_frac = 0."))
        #expect(outcomes[2].detail == "makespan_s = (no value in this run)")
        #expect(outcomes[3].detail == "placement(\"nope-0\").node = (no task named \"nope-0\")")
        #expect(outcomes[4].detail == "unscheduled[\"huge\"] = 0")
        #expect(outcomes[0].expectation.location == SourceLocation(file: "check.yaml", line: 13, column: 6))
    }

    @Test func unknownNamesAreLocated() throws {
        let scenario = try Self.scenario(expect: ["wait_s_p59 < 3", "unscheduled[\"wbe\"] == 0", "availability[\"web\"] >= 0.999",
                                                  "cpu_alloc_frac > 0", "pods_alloc_frac < 1"])
        let found = ExpectationCheck.diagnostics(scenario)
        #expect(found.count == 2)
        #expect(found[0].description == "check.yaml:13:6: error: expect[0]: unknown metric \"wait_s_p59\" (did you mean \"wait_s_p50\"?)")
        #expect(found[1].description == "check.yaml:14:6: error: expect[1]: no workload named \"wbe\" (workloads: db, web, huge)")
    }

    /// `availability["svc"]` and the other services.csv values: exact on the
    /// zone-outage scenario (6 web replicas, 2 per zone, zone a down 2h–3h of
    /// 6h, no room to move): all six run 5 of 6 hours, four (the quorum) all
    /// the time, 2 replicas × 3,600 s missing. Under best-fit web is packed
    /// onto fewer nodes, so the outage takes more than two replicas and the quorum breaks.
    @Test func serviceAvailabilityMetrics() throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/failures/zone-outage-spread-vs-binpack.yaml"))
        let (spread, violations) = try runChecked(scenario)
        #expect(violations.isEmpty)
        let values = ExpectationCheck.RunValues(spread)
        #expect(values.value(.metric("availability", workload: "web")) == .number(5.0 / 6.0))
        #expect(values.value(.metric("availability_frac", workload: "web")) == .number(5.0 / 6.0))
        #expect(values.value(.metric("min_available_frac", workload: "web")) == .number(1))
        #expect(values.value(.metric("missing_replica_s", workload: "web")) == .number(7200))
        #expect(values.value(.metric("min_available_frac", workload: "batchd")) == .missing("no min_available budget, or the run ended before the service started"))
        #expect(ExpectationCheck.evaluate(spread).allSatisfy { $0.passed })

        let bestFit = try #require(SchedulerRegistry.preset(named: "best-fit")).spec
        let (packed, _) = try runChecked(scenario, options: RunOptions(scheduler: bestFit))
        let packedValues = ExpectationCheck.RunValues(packed)
        guard case .number(let quorum) = packedValues.value(.metric("min_available_frac", workload: "web")) else {
            Issue.record("no min_available_frac under best-fit"); return
        }
        #expect(quorum < 1)
        #expect(ExpectationCheck.evaluate(packed).map(\.passed) == [false, true, true, false])
    }

    /// Service metrics on a workload that is not a service are refused when validating.
    @Test func serviceMetricsNeedAService() throws {
        let text = """
            name: not-a-service
            horizon: 1h
            cluster:
              pools: [{name: general, count: 1, capacity: {cpu: 8, memory: 32Gi}}]
            workloads:
              - {name: jobs, kind: batch, arrival: {process: poisson, rate: 20/h}, requests: {cpu: 1, memory: 1Gi}, duration: 60s}
            expect:
              - 'availability["jobs"] >= 0.9'
            """
        let found = ExpectationCheck.diagnostics(try ScenarioLoader.load(text: text, file: "b.yaml"))
        #expect(found.map(\.description) == [
            "b.yaml:8:6: error: expect[0]: \"availability\" needs a service, and \"jobs\" is not one (this scenario has no service workload)"])
    }

    /// The example of docs/ci.md loads and its assertions hold.
    @Test func docExamplePasses() throws {
        let doc = try String(contentsOfFile: Repository.path("docs/ci.md"), encoding: .utf8)
        let start = try #require(doc.range(of: "```yaml\nname: db-spread\n"))
        let end = try #require(doc.range(of: "```", range: start.upperBound..<doc.endIndex))
        let body = doc[doc.index(start.lowerBound, offsetBy: "```yaml\n".count)..<end.lowerBound]
        let scenario = try ScenarioLoader.load(text: String(body), file: "docs/ci.md")
        #expect(scenario.expectations.count == 6)
        let report = try RegressionCheck.run(scenario, baselineRoot: nil, tolerances: .init())
        #expect(report.passed, "\(RegressionCheck.render(report))")
    }

    // MARK: Golden baselines

    static func temporary() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("berth-golden-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func unchangedRunMatchesItsBaseline() throws {
        let root = try Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let scenario = try Self.scenario(expect: ["unscheduled == 0"])
        try Golden.write(try Simulator(scenario: scenario).run(), to: root)
        let report = try RegressionCheck.run(scenario, baselineRoot: root, tolerances: .init())
        #expect(report.passed, "\(RegressionCheck.render(report))")
        #expect(report.differences.isEmpty)
        #expect(report.seed == 3 && report.scheduler == "worst-fit")
        let placements = try String(contentsOfFile: root + "/check-demo/placements.csv", encoding: .utf8)
        #expect(placements.hasPrefix("task_id,name,workload,node\r\n0,"))
    }

    /// The baseline records its scheduler: checking the same file against a
    /// first-fit baseline reruns under first-fit, and a worst-fit baseline
    /// against a first-fit scenario shows every moved task.
    @Test func changedPlacementsAreListed() throws {
        let root = try Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Golden.write(try Simulator(scenario: try Self.scenario(expect: [])).run(), to: root)
        // Same preset name, different scheduler: swap the baseline's record to first-fit's file.
        let firstFit = try Self.scenario(expect: [], scheduler: "first-fit")
        let summaryPath = root + "/check-demo/summary.csv"
        let summary = try String(contentsOfFile: summaryPath, encoding: .utf8)
        try summary.replacingOccurrences(of: ",worst-fit,", with: ",first-fit,").write(toFile: summaryPath, atomically: true, encoding: .utf8)
        let report = try RegressionCheck.run(firstFit, baselineRoot: root, tolerances: Golden.Tolerances(["*": 10]))
        #expect(!report.passed)
        let moved = report.differences.filter { $0.hasPrefix("placement task ") }
        #expect(!moved.isEmpty)
        #expect(moved.allSatisfy { $0.contains(": baseline general-") && $0.contains(", now general-") }, "\(moved)")
        #expect(report.differences.allSatisfy { !$0.hasPrefix("metric") }, "a 1000% tolerance hides metric changes")
    }

    @Test func metricTolerances() throws {
        #expect(Golden.within(105, 100, relative: 0.05))
        #expect(!Golden.within(105.01, 100, relative: 0.05))
        #expect(Golden.within(-0.01, 0, relative: 0.01))
        #expect(!Golden.within(1, 0, relative: 0))
        let tolerances = Golden.Tolerances(["wait_s_p95": 0.1, "*": 0.01])
        #expect(tolerances.of("wait_s_p95") == 0.1 && tolerances.of("cost") == 0.01)
        #expect(Golden.Tolerances().of("cost") == 0)
    }

    @Test func metricDifferencesAreReadable() throws {
        let scenario = try Self.scenario(expect: [])
        let result = try Simulator(scenario: scenario).run()
        var rows = try #require(CSVTable.parse(Golden.tables(result)[0].1.rendered()))
        let column = try #require(rows[0].firstIndex(of: "cpu_alloc_frac"))
        let now = try #require(Double(rows[1][column]))
        rows[1][column] = CSVNumber.fixed(now * 2)
        let baseline = Golden.Baseline(folder: "b", summary: rows, placements: try #require(CSVTable.parse(Golden.tables(result)[1].1.rendered())))
        let strict = Golden.diff(baseline, result, tolerances: .init())
        #expect(strict == ["metric cpu_alloc_frac: baseline \(rows[1][column]), now \(CSVNumber.fixed(now)) (-50.00%, tolerance 0.00%)"])
        #expect(Golden.diff(baseline, result, tolerances: Golden.Tolerances(["cpu_alloc_frac": 0.5])).isEmpty)
    }
}
