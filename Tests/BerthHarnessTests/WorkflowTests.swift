import BerthCluster
import BerthHarness
import BerthMetrics
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import BerthWorkloads
import Testing

/// Workflows (DAGs) in the style of Airflow (docs/workflows.md): cron
/// schedules, dependencies, retries with Airflow's back-off, upstream_failed,
/// dag_runs.csv. Every run checks the invariants after every event.
@Suite struct WorkflowTests {
    static func run(_ yaml: String, seed: UInt64? = nil, scheduler: String? = nil) throws -> RunResult {
        let scenario = try ScenarioLoader.load(text: yaml, file: "inline.yaml")
        let spec = scheduler.flatMap { SchedulerRegistry.preset(named: $0)?.spec }
        let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed, scheduler: spec))
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        return result
    }

    static func events(_ r: RunResult, _ name: String) -> [FailureLog.Entry] { r.failureLog.entries.filter { $0.event == name } }
    static let minute: Int64 = 60_000_000
    static let day: Int64 = 86_400_000_000

    // MARK: Cron

    static func cron(_ text: String) throws -> CronExpression {
        try CronExpression.parse(text).get()
    }

    /// Time 0 is Monday 2024-01-01 00:00. Each expected time is worked out from the calendar.
    @Test func cronNextMatchesTheCalendar() throws {
        // 02:00 every day: today at 2 h, then tomorrow.
        #expect(try Self.cron("0 2 * * *").next(atOrAfter: 0) == 2 * 60 * Self.minute)
        #expect(try Self.cron("0 2 * * *").next(atOrAfter: 2 * 60 * Self.minute + 1) == Self.day + 2 * 60 * Self.minute)
        // Every 15 minutes 09:00-17:59 on weekdays: from Saturday Jan 6 (day 5) the next is Monday Jan 8 (day 7) 09:00.
        #expect(try Self.cron("*/15 9-17 * * 1-5").next(atOrAfter: 5 * Self.day) == 7 * Self.day + 9 * 60 * Self.minute)
        // ... and within a working day, 10:07 → 10:15.
        #expect(try Self.cron("*/15 9-17 * * 1-5").next(atOrAfter: 10 * 60 * Self.minute + 7 * Self.minute) == 10 * 60 * Self.minute + 15 * Self.minute)
        // First of the month: Jan 1 (day 0), then Feb 1 (day 31), then Mar 1 (2024 is a leap year: day 60).
        let monthly = try Self.cron("0 0 1 * *")
        #expect(monthly.next(atOrAfter: 0) == 0)
        #expect(monthly.next(atOrAfter: 1) == 31 * Self.day)
        #expect(monthly.next(atOrAfter: 31 * Self.day + 1) == 60 * Self.day)
        // Feb 29, 2024 is day 59.
        #expect(try Self.cron("30 12 29 2 *").next(atOrAfter: 0) == 59 * Self.day + (12 * 60 + 30) * Self.minute)
        // Both day fields restricted: the 13th OR a Friday. The first Friday is Jan 5 (day 4).
        #expect(try Self.cron("0 0 13 * 5").next(atOrAfter: 0) == 4 * Self.day)
        // Sunday is 0 and 7; @weekly is Sunday midnight: Jan 7 (day 6).
        #expect(try Self.cron("0 0 * * 7").next(atOrAfter: 0) == 6 * Self.day)
        #expect(try Self.cron("@weekly").next(atOrAfter: 0) == 6 * Self.day)
        // Lists, names and "a/n" (a to the maximum, step n).
        #expect(try Self.cron("5,50 * * * *").minutes == [5, 50])
        #expect(try Self.cron("10/20 * * * *").minutes == [10, 30, 50])
        #expect(try Self.cron("0 0 * JAN,mar SAT").months == [1, 3])
        // Dec 31, 2024 (day 365) 23:59.
        #expect(try Self.cron("59 23 31 12 *").next(atOrAfter: 0) == 365 * Self.day + (23 * 60 + 59) * Self.minute)
    }

    @Test func cronRejectsBadExpressions() {
        for bad in ["60 * * * *", "* * *", "0 24 * * *", "0 0 0 * *", "*/0 * * * *", "5-1 * * * *", "0 0 * 13 *", "x * * * *"] {
            if case .success = CronExpression.parse(bad) { Issue.record("\(bad) parsed") }
        }
        // Parses, but Feb 30 never comes.
        #expect((try? Self.cron("0 0 30 2 *"))?.next(atOrAfter: 0) == nil)
    }

    // MARK: Retry delays (Airflow TaskInstance.next_retry_datetime)

    @Test func retryDelaysFollowAirflow() {
        var t = WorkflowTask(name: "t", requests: [:], duration: .constant(60), retries: 5, retryDelayMicros: 300_000_000)
        // Without back-off: always retry_delay.
        #expect((1...3).map { t.retryDelayMicros(failedTry: $0) { _ in 0 } } == [300_000_000, 300_000_000, 300_000_000])
        // Exponential, no jitter: retry_delay × 2^(try − 1): 300, 600, 1200 s.
        t.exponentialBackoff = true
        t.retryJitter = false
        #expect((1...3).map { t.retryDelayMicros(failedTry: $0) { _ in 0 } / 1_000_000 } == [300, 600, 1200])
        // Jitter adds hash % min_backoff: the delay stays in [min, 2 min).
        t.retryJitter = true
        #expect((1...3).map { t.retryDelayMicros(failedTry: $0) { $0 - 1 } / 1_000_000 } == [599, 1199, 2399])
        // max_retry_delay caps it.
        t.maxRetryDelayMicros = 1_000_000_000
        #expect((1...3).map { t.retryDelayMicros(failedTry: $0) { _ in 0 } / 1_000_000 } == [300, 600, 1000])
        // Airflow's own 24 h ceiling: 1 h × 2^5 = 32 h → 24 h.
        var long = WorkflowTask(name: "l", requests: [:], duration: .constant(1), retryDelayMicros: 3_600_000_000,
                                exponentialBackoff: true, retryJitter: false)
        #expect(long.retryDelayMicros(failedTry: 6) { _ in 0 } == 86_400_000_000)
        // A sub-second delay rounds up to 1 s (Airflow's ceil and lower bound of 1).
        long.retryDelayMicros = 200_000
        #expect(long.retryDelayMicros(failedTry: 1) { _ in 0 } == 1_000_000)
    }

    // MARK: Runs

    /// extract → {clean, enrich} → publish with constant durations 10, 20, 5
    /// and 15 minutes on an idle cluster: each run ends 10 + 20 + 15 = 45
    /// minutes after it starts (the critical path; clean is off it), with
    /// runs every 30 minutes from 0 (limit 3), so runs overlap.
    static let diamond = """
    name: diamond
    cluster: {pools: [{name: n, count: 4, capacity: {cpu: 8, memory: 16Gi}}]}
    workloads:
      - name: etl
        kind: workflow
        schedule: {cron: "*/30 * * * *", limit: 3}
        requests: {cpu: 1, memory: 1Gi}
        tasks:
          - {name: extract, duration: 10m}
          - {name: clean, duration: 5m, depends_on: extract}
          - {name: enrich, duration: 20m, depends_on: [extract]}
          - {name: publish, duration: 15m, depends_on: [clean, enrich]}
    """

    @Test(arguments: ["kubernetes", "best-fit", "nomad", "swarm", "ecs-spread"])
    func diamondRunsTakeTheirCriticalPath(scheduler: String) throws {
        let r = try Self.run(Self.diamond, scheduler: scheduler)
        #expect(r.dagRuns.map(\.scheduledMicros) == [0, 30 * Self.minute, 60 * Self.minute])
        for run in r.dagRuns {
            #expect(run.state == .success && run.succeeded == 4 && run.retries == 0)
            #expect(run.criticalPathMicros == 45 * Self.minute)
            #expect(run.startMicros == run.scheduledMicros && run.makespanMicros == 45 * Self.minute)
        }
        // Dependencies: each task starts exactly when its last upstream ends.
        let tasks = r.cluster.tasks.filter { $0.spec.name.hasPrefix("etl-0-") }
        func start(_ n: String) -> Int64? { tasks.first { $0.spec.name == "etl-0-\(n)" }?.startMicros }
        #expect(start("extract") == 0 && start("clean") == 10 * Self.minute && start("enrich") == 10 * Self.minute)
        #expect(start("publish") == 30 * Self.minute)
        #expect(r.summary.submitted == 12 && r.summary.finished == 12)
        // The report row, column by column.
        let csv = RunReports.dagRuns(r.dagRuns).rendered()
        #expect(csv.hasPrefix("dag,run,scheduled_s,start_s,end_s,makespan_s,critical_path_s,tasks,tasks_succeeded,tasks_failed,tasks_upstream_failed,retries,state\r\n"))
        #expect(csv.contains("etl,1,1800.000000,1800.000000,4500.000000,2700.000000,2700.000000,4,4,0,0,0,success\r\n"))
    }

    /// A task that always crashes (probability 1) with retries 2, retry_delay
    /// 60 s, exponential back-off without jitter and max_retry_delay 100 s:
    /// the tries are new pods submitted 60 s and then min(120, 100) = 100 s
    /// after the previous try failed; the third failure is final, its
    /// downstream task is upstream_failed (never submitted) and the run fails
    /// at that instant.
    @Test func retriesWaitTheBackOffThenUpstreamFailed() throws {
        let r = try Self.run("""
        name: retries
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - name: dag
            kind: workflow
            schedule: {every: 1h, limit: 1}
            requests: {cpu: 1}
            tasks:
              - {name: flaky, duration: 10m, crash_probability: 1, retries: 2, retry_delay_s: 60,
                 retry_exponential_backoff: true, retry_jitter: false, max_retry_delay_s: 100s}
              - {name: after, duration: 1m, depends_on: [flaky]}
        """)
        let failed = Self.events(r, "task_failed"), retried = Self.events(r, "task_retried")
        #expect(failed.count == 3 && retried.count == 2)
        #expect(zip(failed, retried).map { ($1.micros - $0.micros) / 1_000_000 } == [60, 100])
        #expect(retried.map(\.taskName) == ["dag-0-flaky-try2", "dag-0-flaky-try3"])
        #expect(Self.events(r, "task_upstream_failed").map(\.taskName) == ["dag-0-after"])
        let run = try #require(r.dagRuns.first)
        #expect(run.state == .failed && run.failed == 1 && run.upstreamFailed == 1 && run.succeeded == 0 && run.retries == 2)
        #expect(run.endMicros == failed.last?.micros)
        // Three pods were submitted (the downstream task never was), each ended failed.
        #expect(r.summary.submitted == 3 && r.summary.failed == 3)
    }

    /// With Airflow's jitter, each delay is a whole number of seconds in
    /// [retry_delay × 2^(k−1), 2 × that): [30, 60) then [60, 120), … for every seed.
    @Test func jitteredDelaysStayInAirflowsWindow() throws {
        let yaml = """
        name: jitter
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - name: dag
            kind: workflow
            schedule: {every: 1h, limit: 1}
            tasks:
              - {name: flaky, requests: {cpu: 1}, duration: 1m, crash_probability: 1, retries: 4, retry_delay_s: 30,
                 retry_exponential_backoff: true}
        """
        var seen = Set<Int64>()
        for seed: UInt64 in 1...8 {
            let r = try Self.run(yaml, seed: seed)
            let delays = zip(Self.events(r, "task_failed"), Self.events(r, "task_retried")).map { $1.micros - $0.micros }
            #expect(delays.count == 4)
            for (k, d) in delays.enumerated() {
                let low = Int64(30 << k) * 1_000_000
                #expect(d >= low && d < 2 * low && d % 1_000_000 == 0, "seed \(seed) retry \(k + 1): \(d)")
            }
            seen.insert(delays[0])
        }
        #expect(seen.count > 1, "the jitter varies between seeds")
    }

    // MARK: The bundled nightly DAG

    static func nightly(seed: UInt64? = nil, scheduler: String? = nil) throws -> RunResult {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/failures/nightly-dag.yaml"))
        let spec = scheduler.flatMap { SchedulerRegistry.preset(named: $0)?.spec }
        let (r, violations) = try runChecked(scenario, options: RunOptions(seed: seed, scheduler: spec))
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        return r
    }

    /// Five nights at 02:00; every run's makespan is at least its critical path;
    /// every submitted pod of the DAG is accounted for by a run's counts; the
    /// flaky tasks make some runs retry and some fail (with upstream_failed
    /// tasks), on several seeds and presets.
    @Test(arguments: ["kubernetes", "best-fit", "nomad"])
    func nightlyDagOutcome(scheduler: String) throws {
        var sawRetry = false, sawFailed = false, sawSuccess = false
        for seed: UInt64 in [11, 12, 13] {
            let r = try Self.nightly(seed: seed, scheduler: scheduler)
            #expect(r.dagRuns.map(\.scheduledMicros) == (0..<5).map { Int64($0) * Self.day + 2 * 60 * Self.minute })
            var tries = 0
            for run in r.dagRuns {
                #expect(run.state != .running, "each run ends within its night")
                #expect(run.tasks == 8 && run.succeeded + run.failed + run.upstreamFailed == 8)
                #expect((run.state == .failed) == (run.failed > 0) && (run.upstreamFailed == 0 || run.failed > 0))
                let makespan = try #require(run.makespanMicros)
                #expect(makespan >= run.criticalPathMicros)
                // Critical path: max over the three extracts (8 min, 10–20, 20–40) + 45 + max(20 + 10, 5 + 1).
                #expect(run.criticalPathMicros >= (20 + 45 + 30) * Self.minute && run.criticalPathMicros <= (40 + 45 + 30) * Self.minute)
                tries += run.succeeded + run.failed + run.retries
                sawRetry = sawRetry || run.retries > 0
                sawFailed = sawFailed || run.state == .failed
                sawSuccess = sawSuccess || run.state == .success
            }
            let dagPods = r.cluster.tasks.filter { $0.spec.name.hasPrefix("nightly-etl-") }
            #expect(dagPods.count == tries, "every submitted try is a run's success, failure or retry")
            #expect(Self.events(r, "task_retried").count == r.dagRuns.reduce(0) { $0 + $1.retries })
            #expect(r.cluster.count(.pending) == 0)
        }
        #expect(sawRetry && sawFailed && sawSuccess)
    }

    @Test func nightlyDagIsDeterministicAndLeavesOtherArrivalsAlone() throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/failures/nightly-dag.yaml"))
        func render(_ s: Scenario) throws -> [String: String] {
            Dictionary(uniqueKeysWithValues: RunArtifacts.tables(try Simulator(scenario: s).run()).map { ($0.0, $0.1.rendered()) })
        }
        let (a, b) = (try render(scenario), try render(scenario))
        for file in RunArtifacts.deterministicFiles + [RunArtifacts.dagRunsFile] { #expect(a[file] == b[file], "\(file) differs") }
        #expect(a[RunArtifacts.dagRunsFile]?.split(separator: "\r\n").count == 6)
        // Without the workflow the ad-hoc queries arrive at exactly the same times.
        var without = scenario
        without.workloads.removeAll { $0.kind == .workflow }
        let with = try Simulator(scenario: scenario).run(), alone = try Simulator(scenario: without).run()
        func arrivals(_ r: RunResult) -> [Int64] { r.cluster.tasks.filter { $0.spec.name.hasPrefix("adhoc-") }.map(\.submitMicros) }
        #expect(arrivals(with) == arrivals(alone) && arrivals(with).count > 100)
        #expect(RunArtifacts.tables(alone).allSatisfy { $0.0 != RunArtifacts.dagRunsFile })
    }

    /// max_active_runs 1: runs every 10 min of a single 25-minute task queue
    /// behind each other: run 0 0–25, run 1 (created at 10) 25–50, run 2
    /// (created at 20) 50–75, so makespans are 25, 40 and 55 minutes.
    @Test func maxActiveRunsQueuesRuns() throws {
        let r = try Self.run("""
        name: queued
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 8, memory: 16Gi}}]}
        workloads:
          - name: dag
            kind: workflow
            schedule: {every: 10m, limit: 3}
            max_active_runs: 1
            tasks: [{name: only, requests: {cpu: 1}, duration: 25m}]
        """)
        #expect(r.dagRuns.map(\.scheduledMicros) == [0, 10, 20].map { $0 * Self.minute })
        #expect(r.dagRuns.map(\.startMicros) == [0, 25, 50].map { $0 * Self.minute })
        #expect(r.dagRuns.map(\.makespanMicros) == [25, 40, 55].map { $0 * Self.minute })
        // At a 40-minute horizon run 0 is over, run 1 running, run 2 still queued.
        let cut = try Self.run("""
        name: queued-cut
        horizon: 40m
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 8, memory: 16Gi}}]}
        workloads:
          - name: dag
            kind: workflow
            schedule: {every: 10m, limit: 3}
            max_active_runs: 1
            tasks: [{name: only, requests: {cpu: 1}, duration: 25m}]
        """)
        #expect(cut.dagRuns.map(\.state) == [.success, .running, .queued])
    }

    /// A node failure kills a running DAG pod: Airflow sees the try fail and retries it as a new pod.
    @Test func nodeFailureKillIsRetried() throws {
        let r = try Self.run("""
        name: node-kill
        horizon: 1d
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - name: dag
            kind: workflow
            schedule: {every: 1h, limit: 1}
            tasks:
              - {name: long, requests: {cpu: 1}, duration: 30m, retries: 1, retry_delay_s: 5m}
        failures:
          node_failures: [{pool: n, at_s: [10m], time_to_repair_s: 1m}]
        """)
        let killed = Self.events(r, "task_killed"), retried = Self.events(r, "task_retried")
        #expect(killed.count == 1 && killed[0].cause == "node_failure" && killed[0].micros == 10 * Self.minute)
        #expect(retried.count == 1 && retried[0].micros == 15 * Self.minute)
        let run = try #require(r.dagRuns.first)
        // The retry starts at 15 m (the node is back at 11 m) and runs its full 30 m.
        #expect(run.state == .success && run.retries == 1 && run.endMicros == 45 * Self.minute)
    }
}
