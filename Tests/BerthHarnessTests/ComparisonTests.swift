import BerthHarness
import BerthMetrics
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Foundation
import Testing

/// `berth compare`: statistics, common random numbers, determinism across job counts.
@Suite struct ComparisonTests {
    static func preset(_ name: String) throws -> NamedScheduler {
        NamedScheduler(name: name, spec: try #require(SchedulerRegistry.preset(named: name)).spec)
    }

    static func quickstart() throws -> Scenario { try ScenarioLoader.load(path: Repository.path("scenarios/quickstart.yaml")) }

    // MARK: Statistics against known values

    /// Student t quantiles from the standard tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
    @Test(arguments: [
        (0.975, 1, 12.706205), (0.975, 2, 4.302653), (0.975, 4, 2.776445), (0.975, 10, 2.228139),
        (0.975, 30, 2.042272), (0.995, 5, 4.032143), (0.95, 20, 1.724718),
    ])
    func tQuantilesMatchTheTables(p: Double, df: Int, expected: Double) {
        #expect(abs(ConfidenceInterval.tQuantile(p, degreesOfFreedom: df) - expected) < 1e-6, "t(\(p), \(df))")
    }

    @Test func intervalOfAFixedSampleByHand() throws {
        // x = 1…5: mean 3, s = √(10/4) = 1.581139, s/√5 = 0.707107, t(0.975, 4) = 2.776445,
        // half-width = 1.963243 → [1.036757, 4.963243].
        let ci = ConfidenceInterval([4, 1, 5, 2, 3])
        #expect(ci.count == 5)
        #expect(ci.mean == 3)
        #expect(abs(try #require(ci.stddev) - 1.5811388300841898) < 1e-12)
        #expect(abs(try #require(ci.low) - 1.0367568385224393) < 1e-9)
        #expect(abs(try #require(ci.high) - 4.9632431614775605) < 1e-9)
        #expect(ci.min == 1 && ci.max == 5)
        #expect(ci.excludesZero == true)
    }

    @Test func smallAndFlatSamples() {
        let one = ConfidenceInterval([7])
        #expect(one.mean == 7 && one.stddev == nil && one.low == nil && one.excludesZero == nil)
        let none = ConfidenceInterval([])
        #expect(none.count == 0 && none.mean == nil && none.min == nil)
        let flat = ConfidenceInterval([2, 2, 2])
        #expect(flat.stddev == 0 && flat.low == 2 && flat.high == 2 && flat.excludesZero == true)
        let zero = ConfidenceInterval([0, 0])
        #expect(zero.excludesZero == false)
    }

    /// Coverage: jobs arrive as a Poisson process of 60/h for one hour on a
    /// cluster far larger than the load, so tasks_submitted is Poisson with
    /// mean exactly 60. Over 300 independent comparisons of 5 replications each
    /// (base seeds 1…300), the 95% interval must contain 60 about 95% of the
    /// time: the count is Binomial(300, 0.95) — mean 285, sd 3.8 — and we accept
    /// 274…296 (± 3 sd; a z instead of a t quantile covers ~88% with n = 5, a
    /// 90% interval ~90%: both far outside).
    @Test func intervalsCoverAKnownMeanAbout95PercentOfTheTime() async throws {
        let text = """
            name: poisson-count
            horizon: 1h
            scheduler: first-fit
            cluster:
              pools:
                - {name: n, count: 4, capacity: {cpu: 64, memory: 256Gi}}
            workloads:
              - {name: jobs, kind: batch, arrival: {process: poisson, rate: 60/h}, tasks_per_job: 1, duration: 1m,
                 requests: {cpu: 100m, memory: 100Mi}}
            """
        let base = try ScenarioLoader.load(text: text, file: "poisson.yaml")
        let sets = 300
        let scenarios = (1...sets).map { k -> Scenario in
            var s = base
            s.name = "poisson-\(k)"
            s.seed = UInt64(k)
            return s
        }
        let plan = ComparisonPlan(scenarios: scenarios, schedulers: [try Self.preset("first-fit")], replications: 5)
        let report = ComparisonReport(plan: plan, records: try await Comparison.execute(plan, jobs: 2))
        let intervals = report.rows.filter { $0.metric == "tasks_submitted" }.map(\.sample)
        #expect(intervals.count == sets)
        let covered = intervals.filter { ($0.low ?? .infinity) <= 60 && 60 <= ($0.high ?? -.infinity) }.count
        #expect((274...296).contains(covered), "95% intervals covered the true mean \(covered) times of \(sets)")
        let grand = intervals.compactMap(\.mean).reduce(0, +) / Double(sets)
        #expect(abs(grand - 60) < 0.3, "mean of \(sets * 5) Poisson(60) counts: \(grand)")
    }

    // MARK: Paired differences, aggregated from fixed records

    static func record(_ scheduler: Int, _ replication: Int, _ value: String) -> RunRecord {
        RunRecord(run: .init(scenario: 0, scheduler: scheduler, replication: replication, seed: UInt64(replication)),
                  metricNames: ["wait_s_mean"], fields: [value])
    }

    @Test func pairedDifferencesByHand() throws {
        let scenario = try Self.quickstart()
        let plan = ComparisonPlan(scenarios: [scenario], schedulers: try ["first-fit", "best-fit", "worst-fit"].map(Self.preset),
                                  replications: 3, baseline: 0)
        // baseline 10, 12, 11; best-fit 13, 14, 15 (diffs 3, 2, 4); worst-fit 9, "", 11 (diffs −1, 0 — one run without a value).
        let values = [["10", "12", "11"], ["13", "14", "15"], ["9", "", "11"]]
        let records = values.enumerated().flatMap { k, row in row.enumerated().map { Self.record(k, $0.offset, $0.element) } }
        let report = ComparisonReport(plan: plan, records: records)
        let rows = try #require(CSVTable.parse(report.comparisonTable.rendered()))
        #expect(rows[0] == ComparisonReport.comparisonColumns)
        #expect(rows.count == 4)
        // diffs 3, 2, 4: mean 3, s = 1, t(0.975, 2) · 1/√3 = 2.484138 → [0.515862, 5.484138], significant.
        #expect(rows[2] == ["quickstart", "best-fit", "wait_s_mean", "3", "14.000000", "1.000000", "11.515862", "16.484138",
                            "13.000000", "15.000000", "3.000000", "0.515862", "5.484138", "true"])
        // worst-fit: n = 2 (9, 11); diffs −1, 0: mean −0.5, s = 0.707107, t(0.975, 1) · 0.5 = 6.353102 → not significant.
        #expect(rows[3] == ["quickstart", "worst-fit", "wait_s_mean", "2", "10.000000", "1.414214", "-2.706205", "22.706205",
                            "9.000000", "11.000000", "-0.500000", "-6.853102", "5.853102", "false"])
        // The baseline has no paired columns.
        #expect(rows[1].suffix(4) == ["", "", "", ""])
        let text = report.rankedText(metrics: ["wait_s_mean"])
        let order = text.split(separator: "\n").dropFirst().map { $0.split(separator: " ")[1] }
        #expect(order == ["worst-fit", "first-fit", "best-fit"], "\(text)")
        #expect(text.contains("+3.000 [0.516, 5.484] *"))
    }

    // MARK: Common random numbers

    @Test func replicationSeedsArePinnedAndSharedAcrossSchedulers() throws {
        // splitmix64(42 ⊕ fnv1a64("replication/0")); pinned so the documented derivation never drifts.
        #expect(ComparisonPlan.replicationSeed(base: 42, replication: 0) == 16_419_398_749_043_435_211)
        // An independent re-derivation: FNV-1a 64 of the name, xor the base, one SplitMix64 step.
        for (base, i) in [(42 as UInt64, 0), (7, 3), (0, 19)] {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in "replication/\(i)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            var mixer = SplitMix64(seed: base ^ hash)
            #expect(ComparisonPlan.replicationSeed(base: base, replication: i) == mixer.next(), "base \(base) replication \(i)")
        }
        let plan = ComparisonPlan(scenarios: [try Self.quickstart()], schedulers: try ["first-fit", "worst-fit"].map(Self.preset),
                                  replications: 4)
        let runs = plan.runs
        #expect(runs.count == 8)
        for i in 0..<4 {
            let seeds = Set(runs.filter { $0.replication == i }.map(\.seed))
            #expect(seeds.count == 1, "replication \(i) has seeds \(seeds)")
        }
        #expect(Set(runs.map(\.seed)).count == 4)
    }

    /// The same replication seed gives every scheduler the same workload: tasks.csv
    /// agrees on everything but placement (node, start, end, wait, attempts, outcome).
    @Test func commonRandomNumbersGiveIdenticalWorkloads() throws {
        let scenario = try Self.quickstart()
        let seed = ComparisonPlan.replicationSeed(base: scenario.seed, replication: 2)
        var workloads: [[[String]]] = []
        var nodes: [[String]] = []
        for name in ["first-fit", "worst-fit"] {
            let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed, scheduler: try Self.preset(name).spec))
            #expect(violations.isEmpty, "\(name): \(violations.prefix(3))")
            let table = RunReports.tasks(result.cluster, workloadNames: scenario.workloads.map(\.name))
            let keep = ["task_id", "name", "workload", "job", "priority", "submit_s"].compactMap { table.header.firstIndex(of: $0) }
            #expect(keep.count == 6)
            workloads.append(table.rows.map { row in keep.map { row[$0] } })
            let node = try #require(table.header.firstIndex(of: "node"))
            nodes.append(table.rows.map { $0[node] })
        }
        #expect(workloads[0].count > 100)
        #expect(workloads[0] == workloads[1], "the two schedulers saw different workloads")
        #expect(nodes[0] != nodes[1], "the placements should differ (else the test proves nothing)")
    }

    // MARK: Determinism and a clear difference

    @Test func outputDoesNotDependOnTheJobCount() async throws {
        let plan = ComparisonPlan(scenarios: [try Self.quickstart()], schedulers: try ["first-fit", "worst-fit"].map(Self.preset),
                                  replications: 3, baseline: 1)
        let serial = ComparisonReport(plan: plan, records: try await Comparison.execute(plan, jobs: 1))
        let parallel = ComparisonReport(plan: plan, records: try await Comparison.execute(plan, jobs: 4))
        #expect(serial.comparisonTable.rendered() == parallel.comparisonTable.rendered())
        #expect(serial.runsTable.rendered() == parallel.runsTable.rendered())
        #expect(serial.rankedText(metrics: serial.metrics) == parallel.rankedText(metrics: parallel.metrics))
        #expect(serial.runsTable.rows.count == 6)
    }

    /// `scenario` in --schedulers runs each scenario's own scheduler: (quickstart's is best-fit).
    @Test func scenarioOwnSchedulerKeepsTheScenariosSpec() async throws {
        let scenario = try Self.quickstart()
        #expect(scenario.scheduler.preset == "best-fit")
        let own = ComparisonPlan(scenarios: [scenario], schedulers: [NamedScheduler(name: NamedScheduler.scenarioOwn, spec: nil)],
                                 replications: 2)
        let preset = ComparisonPlan(scenarios: [scenario], schedulers: [try Self.preset("best-fit")], replications: 2)
        let a = try await Comparison.execute(own, jobs: 2)
        let b = try await Comparison.execute(preset, jobs: 2)
        #expect(a == b)
        let other = ComparisonPlan(scenarios: [scenario], schedulers: [try Self.preset("worst-fit")], replications: 2)
        #expect(try await Comparison.execute(other, jobs: 2) != a)
    }

    /// On the quickstart, first-fit packs the low-numbered nodes and ETL tasks
    /// queue behind the service; worst-fit spreads and they start at once. With
    /// worst-fit as the baseline, first-fit's p95 wait difference is positive and
    /// significant, and first-fit ranks below.
    @Test func clearlyWorseSchedulerHasAPositiveSignificantDifference() async throws {
        let plan = ComparisonPlan(scenarios: [try Self.quickstart()], schedulers: try ["worst-fit", "first-fit"].map(Self.preset),
                                  replications: 5, baseline: 0)
        let report = ComparisonReport(plan: plan, records: try await Comparison.execute(plan, jobs: 2))
        let row = try #require(report.rows.first { $0.scheduler == "first-fit" && $0.metric == "wait_s_p95" })
        let diff = try #require(row.pairedDifference)
        #expect(try #require(diff.mean) > 0)
        #expect(try #require(diff.low) > 0, "the paired CI should exclude 0: \(diff)")
        #expect(diff.excludesZero == true)
        let base = try #require(report.rows.first { $0.scheduler == "worst-fit" && $0.metric == "wait_s_p95" })
        #expect(base.pairedDifference == nil)
        let text = report.rankedText(metrics: ["wait_s_p95"])
        #expect(text.contains("1. worst-fit") && text.contains("2. first-fit"), "\(text)")
    }
}
