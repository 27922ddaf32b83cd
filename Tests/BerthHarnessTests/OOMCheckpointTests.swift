import BerthCluster
import BerthFailures
import BerthHarness
import BerthMetrics
import BerthReports
import BerthScenario
import BerthTestSupport
import Testing

/// OOM kills from a memory usage model, and checkpointed batch work
/// (docs/failures.md), with exact times worked out by hand. Invariants are
/// checked after every event.
@Suite struct OOMCheckpointTests {
    static func run(_ yaml: String, seed: UInt64? = nil) throws -> RunResult {
        let scenario = try ScenarioLoader.load(text: yaml, file: "inline.yaml")
        let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed))
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        return result
    }

    static func events(_ r: RunResult, _ name: String) -> [FailureLog.Entry] { r.failureLog.entries.filter { $0.event == name } }
    static let s: Int64 = 1_000_000

    @Test func rampCrossesTheLimitAtTheComputedOffset() {
        // 1 Gi → 3 Gi over 60 min against 2 Gi: half-way, 30 min.
        let gi: Int64 = 1 << 30
        let m = MemorySpec(usage: .ramp(from: gi, to: 3 * gi, overMicros: nil), limitBytes: 2 * gi)
        #expect(m.oomOffset(runMicros: 3600 * Self.s) { 0 } == 1800 * Self.s)
        // Without over_s the ramp spans the run, so a 30-minute run crosses at 15 min.
        #expect(m.oomOffset(runMicros: 1800 * Self.s) { 0 } == 900 * Self.s)
        // With over_s 60 min, a 30-minute run completes before crossing.
        let fixed = MemorySpec(usage: .ramp(from: gi, to: 3 * gi, overMicros: 3600 * Self.s), limitBytes: 2 * gi)
        #expect(fixed.oomOffset(runMicros: 1800 * Self.s) { 0 } == nil && fixed.oomOffset(runMicros: nil) { 0 } == 1800 * Self.s)
        // Starting above the limit: at once; ending at the limit: never (only exceeding kills).
        #expect(MemorySpec(usage: .ramp(from: 3 * gi, to: 4 * gi, overMicros: nil), limitBytes: 2 * gi).oomOffset(runMicros: 10) { 0 } == 0)
        #expect(MemorySpec(usage: .ramp(from: 0, to: 2 * gi, overMicros: nil), limitBytes: 2 * gi).oomOffset(runMicros: 10) { 0 } == nil)
        // A constant or drawn usage is over the limit from the start or never (the draw is in MiB).
        #expect(MemorySpec(usage: .constant(2 * gi + 1), limitBytes: 2 * gi).oomOffset(runMicros: nil) { 0 } == 0)
        #expect(MemorySpec(usage: .constant(2 * gi), limitBytes: 2 * gi).oomOffset(runMicros: nil) { 0 } == nil)
        let drawn = MemorySpec(usage: .distribution(.constant(0)), limitBytes: 2 * gi)
        #expect(drawn.oomOffset(runMicros: nil) { 2049 } == 0 && drawn.oomOffset(runMicros: nil) { 2048 } == nil)
    }

    /// Batch, restart policy Never: the ramp 1 Gi → 3 Gi over the 60-minute run
    /// passes the 2 Gi limit at 30 min; the pod fails (cause oom), the Job
    /// replaces it after 10 s, the replacement is OOM-killed 30 min after it
    /// starts (60 min 10 s), and with backoff_limit 1 the Job fails there.
    @Test func batchOOMFailsThePodAndTheJobReplacesIt() throws {
        let r = try Self.run("""
        name: oom-batch
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: etl, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 1h, requests: {cpu: 1, memory: 2Gi},
             memory_usage: {from: 1Gi, to: 3Gi}, memory_limit: 2Gi, backoff_limit: 1}
        """)
        let ooms = Self.events(r, "container_oom_killed"), failed = Self.events(r, "task_failed")
        #expect(ooms.map(\.micros) == [1800 * Self.s, 3610 * Self.s])
        #expect(failed.map(\.cause) == ["oom", "oom"] && ooms.allSatisfy { $0.cause == "oom" })
        #expect(Self.events(r, "task_recreated").map(\.micros) == [1810 * Self.s])
        #expect(r.failureLog.killed[.oom] == 2 && r.failureLog.oomKills == 2 && r.summary.jobsFailed == 1)
        #expect(r.summary.containerCrashes == 0, "an OOM kill is not counted as a crash")
        // 1 core × 1800 s lost per run.
        #expect(r.failureLog.lostCoreSeconds[.oom] == 3600)
        #expect(r.summary.oomKills == 2 && r.summary.oomLostCoreSeconds == 3600)
    }

    /// Without memory_limit a pod's containers' limits.memory are the limit
    /// (here 512 Mi + 512 Mi): a 0 → 2 Gi ramp over the 1-hour run crosses 1 Gi at 30 min.
    @Test func podContainerLimitsAreTheLimit() throws {
        let r = try Self.run("""
        name: oom-pod
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - name: etl
            kind: batch
            arrival: {process: fixed, at: [0s]}
            duration: 1h
            backoff_limit: 0
            memory_usage: {from: 0, to: 2Gi}
            pod:
              containers:
                - {name: main, requests: {cpu: 1, memory: 512Mi}, limits: {memory: 512Mi}}
                - {name: sidecar, requests: {cpu: 100m, memory: 256Mi}, limits: {memory: 512Mi}}
        """)
        #expect(Self.events(r, "container_oom_killed").map(\.micros) == [1800 * Self.s])
        #expect(r.summary.jobsFailed == 1)
    }

    /// A service (restart policy Always) whose usage ramps from 0 to 4 Gi over
    /// 4 h of running against 1 Gi: each run is OOM-killed after 1 h and
    /// restarted in place after 10 s (a run of 10 minutes or more resets
    /// CrashLoopBackOff), so kills come at 1 h, 2 h 10 s, 3 h 20 s; the next
    /// would be after the 4 h horizon. The replica is down 3 × 10 s.
    @Test func serviceOOMRestartsInPlace() throws {
        let r = try Self.run("""
        name: oom-service
        horizon: 4h
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: cache, kind: service, replicas: 1, requests: {cpu: 1, memory: 1Gi},
             memory_usage: {from: 0, to: 4Gi, over_s: 4h}, memory_limit: 1Gi}
        """)
        #expect(Self.events(r, "container_oom_killed").map(\.micros) == [3600 * Self.s, 7210 * Self.s, 10820 * Self.s])
        #expect(Self.events(r, "container_restarted").map(\.micros) == [3610 * Self.s, 7220 * Self.s, 10830 * Self.s])
        #expect(r.summary.submitted == 1 && r.failureLog.killed[.oom] == nil, "restarted in place: no pod fails")
        let availability = try #require(r.availability.availability(0, end: r.endMicros))
        #expect(abs(availability - (1 - 30.0 / 14_400)) < 1e-12)
    }

    /// A usage drawn per run from a distribution (MiB): uniform 100–300 MiB
    /// against 200 Mi OOM-kills about half the runs, each at its start.
    @Test func drawnUsageKillsAboutHalfAtStart() throws {
        let r = try Self.run("""
        name: oom-drawn
        cluster: {pools: [{name: n, count: 4, capacity: {cpu: 64, memory: 64Gi}}]}
        workloads:
          - {name: jobs, kind: batch, arrival: {process: fixed, at: [0s]}, tasks_per_job: 400, duration: 10m,
             requests: {cpu: 100m, memory: 256Mi}, memory_usage: {dist: uniform, min: 100, max: 300}, memory_limit: 200Mi,
             backoff_limit: 1000}
        """)
        let ooms = Self.events(r, "container_oom_killed")
        // Each of the 400 first runs is killed with probability 1/2 (then replacements, also 1/2 each).
        let first = ooms.filter { $0.micros == 0 }
        #expect(first.count > 150 && first.count < 250, "\(first.count)")
        // Every kill is at a run's start: the first at 0, replacements after the Job's back-off.
        let starts = Set(r.cluster.tasks.map(\.startMicros))
        #expect(ooms.allSatisfy { starts.contains($0.micros) })
        #expect(r.summary.finished == 400, "every task eventually runs with a draw under the limit")
    }

    /// Same seed ⇒ identical reports with OOM kills and checkpoints on; turning
    /// them on moves no arrival (their draws come from `failures/memory/…`).
    @Test func deterministicAndArrivalsUnchanged() throws {
        let base = """
        name: oom-determinism
        cluster: {pools: [{name: n, count: 3, capacity: {cpu: 8, memory: 16Gi}}]}
        workloads:
          - name: jobs
            kind: batch
            arrival: {process: poisson, rate: 30/h, end: 6h}
            tasks_per_job: {dist: uniform, min: 1, max: 4}
            duration: {dist: exponential, mean: 20m}
            requests: {cpu: 1, memory: 1Gi}
            backoff_limit: 100
        """
        let on = base + """

            memory_usage: {dist: uniform, min: 700, max: 1300}
            memory_limit: 1Gi
            checkpoint_interval_s: 5m
            restart_policy: OnFailure
        """
        let withOOM = try ScenarioLoader.load(text: on, file: "on.yaml")
        let a = try Simulator(scenario: withOOM).run(), b = try Simulator(scenario: withOOM).run()
        for ((name, x), (_, y)) in zip(RunArtifacts.tables(a), RunArtifacts.tables(b)) { #expect(x.rendered() == y.rendered(), "\(name)") }
        #expect(a.failureLog.oomKills > 10)
        let off = try Simulator(scenario: try ScenarioLoader.load(text: base, file: "off.yaml")).run()
        func arrivals(_ r: RunResult) -> [String: Int64] {
            Dictionary(r.cluster.tasks.map { ($0.spec.name, $0.submitMicros) }, uniquingKeysWith: min)
        }
        // With OnFailure no pod is replaced, so every task exists in both runs, submitted at the same instant.
        #expect(arrivals(a) == arrivals(off) && a.cluster.tasks.count == off.cluster.tasks.count)
    }

    // MARK: Checkpoints

    static func checkpointed(_ interval: String?) -> String {
        """
        name: checkpoint-node-failure
        horizon: 1d
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: sim, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 1h, requests: {cpu: 2},
             node_selector: {kubernetes.io/hostname: n-0}\(interval.map { ", checkpoint_interval_s: \($0)" } ?? "")}
        failures:
          node_failures: [{node: n-0, at_s: [25m], time_to_repair_s: 1m}]
        """
    }

    /// The node dies 25 min into a 60-minute task. With a checkpoint every 10
    /// min the replacement (created 10 s later by the Job, started when the
    /// node is back at 26 min) does the remaining 40 min and ends at 66 min;
    /// 5 min of work (× 2 cores = 600 core-seconds) is lost. Without
    /// checkpoints it redoes all 60 min (ends at 86 min) and 25 min is lost.
    @Test func checkpointsLimitLostWorkAfterANodeFailure() throws {
        let with = try Self.run(Self.checkpointed("10m")), without = try Self.run(Self.checkpointed(nil))
        func replacementEnd(_ r: RunResult) -> Int64? { r.cluster.tasks.last?.endMicros }
        #expect(with.cluster.tasks.count == 2 && without.cluster.tasks.count == 2)
        #expect(with.cluster.tasks.last?.startMicros == 26 * 60 * Self.s)
        #expect(replacementEnd(with) == 66 * 60 * Self.s && replacementEnd(without) == 86 * 60 * Self.s)
        #expect(with.summary.nodeFailureLostCoreSeconds == 600 && without.summary.nodeFailureLostCoreSeconds == 3000)
    }

    /// OOM kills 15 min into every run (usage 0 → 2 Gi over 30 min of
    /// running, limit 1 Gi) of a 40-minute task restarted in place (OnFailure).
    /// With a checkpoint every 10 min each run keeps its first 10 min:
    /// run 1 0–15 min (saves 10), run 2 from 15:10 does 30 left, killed at
    /// 30:10 (saves 20), run 3 from 30:20, killed at 45:20 (saves 30), run 4
    /// from 45:30 does the last 10 min and completes at 55:30. Each kill
    /// loses 5 min of 1 core (3 restarts stay under backoff_limit 4). Without
    /// checkpoints no run can finish: kills at 15:00, 30:10, 45:20, 60:30, and
    /// the Job fails at the 4th restart (60:40), each kill losing 15 min.
    @Test func checkpointsLetAnOOMLoopingTaskFinish() throws {
        func yaml(_ checkpoint: Bool) -> String {
            """
            name: checkpoint-oom
            horizon: 1d
            cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
            workloads:
              - {name: train, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 40m, requests: {cpu: 1, memory: 1Gi},
                 memory_usage: {from: 0, to: 2Gi, over_s: 30m}, memory_limit: 1Gi, restart_policy: OnFailure,
                 backoff_limit: 4\(checkpoint ? ", checkpoint_interval_s: 600" : "")}
            """
        }
        let r = try Self.run(yaml(true))
        let m: Int64 = 60 * Self.s
        #expect(Self.events(r, "container_oom_killed").map(\.micros) == [15 * m, 30 * m + 10 * Self.s, 45 * m + 20 * Self.s])
        #expect(r.cluster.tasks.first?.endMicros == 55 * m + 30 * Self.s && r.summary.finished == 1)
        #expect(r.failureLog.lostCoreSeconds[.oom] == 900)
        let never = try Self.run(yaml(false))
        #expect(never.summary.finished == 0 && never.summary.jobsFailed == 1)
        #expect(Self.events(never, "container_oom_killed").map(\.micros) == [15 * m, 30 * m + 10 * Self.s, 45 * m + 20 * Self.s, 60 * m + 30 * Self.s])
        #expect(never.cluster.tasks.first?.endMicros == 60 * m + 40 * Self.s)
        #expect(never.failureLog.lostCoreSeconds[.oom] == 3600)
    }
}
