import BerthCluster
import BerthFailures
import BerthHarness
import BerthMetrics
import BerthScenario
import BerthTestSupport
import Testing

/// Container crashes, restart policies and CrashLoopBackOff (docs/failures.md),
/// each run with invariants checked after every event.
@Suite struct CrashScenarioTests {
    static func run(_ yaml: String, seed: UInt64? = nil) throws -> RunResult {
        let scenario = try ScenarioLoader.load(text: yaml, file: "inline.yaml")
        let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed))
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        return result
    }

    static func events(_ r: RunResult, _ name: String) -> [FailureLog.Entry] { r.failureLog.entries.filter { $0.event == name } }

    @Test func crashLoopBackOffDoublesFromTenSecondsToFiveMinutes() {
        #expect((1...8).map { CrashLoopBackOff.delayMicros(restart: $0) / 1_000_000 } == [10, 20, 40, 80, 160, 300, 300, 300])
    }

    /// Every run crashes (probability 1) within its 1-minute duration, so runs
    /// never reach 10 minutes: the restarts come 10, 20, 40, 80, 160, 300, 300 s
    /// after the crashes, on the same node, and the task stays bound meanwhile.
    /// OnFailure with backoff_limit 7: the Job fails when the 7th restart makes
    /// the pod's restartCount 7 (upstream `pastBackoffLimitOnFailure`).
    @Test func onFailureRestartsInPlaceWithCrashLoopBackOff() throws {
        let r = try Self.run("""
        name: crashloop
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: flaky, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 1m, requests: {cpu: 1},
             crash_probability: 1, restart_policy: OnFailure, backoff_limit: 7}
        """)
        let crashes = Self.events(r, "container_crashed"), restarts = Self.events(r, "container_restarted")
        #expect(crashes.count == 7 && restarts.count == 7)
        #expect(zip(crashes, restarts).map { ($1.micros - $0.micros) / 1_000_000 } == [10, 20, 40, 80, 160, 300, 300])
        #expect(Set(crashes.map(\.node)).count == 1, "restarts stay on the node")
        #expect(r.summary.submitted == 1, "no new pod: the kubelet restarts the container")
        #expect(r.summary.jobsFailed == 1 && r.summary.killed == 1)
        #expect(r.summary.containerCrashes == 7 && r.summary.containerRestarts == 7)
        #expect(r.failureLog.entries.last?.cause == "backoff_limit_exceeded")
        // Still bound while backing off: allocated from the first start to the Job's failure.
        let task = try #require(r.cluster.tasks.first)
        #expect(task.startMicros == 0 && task.endMicros == restarts.last?.micros)
    }

    /// Under Never a crash fails the pod; the Job creates a replacement after
    /// 10 s, then 20 s, and fails when the failures exceed backoff_limit 2.
    @Test func neverFailsThePodAndTheJobReplacesIt() throws {
        let r = try Self.run("""
        name: never
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: flaky, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 1m, requests: {cpu: 1},
             crash_probability: 1, restart_policy: Never, backoff_limit: 2}
        """)
        let failed = Self.events(r, "task_failed"), created = Self.events(r, "task_recreated")
        #expect(failed.count == 3 && created.count == 2 && r.summary.failed == 3 && r.summary.jobsFailed == 1)
        #expect(zip(failed, created).map { ($1.micros - $0.micros) / 1_000_000 } == [10, 20])
        #expect(r.summary.containerRestarts == 0)
    }

    /// A service replica is unavailable exactly while its container backs off,
    /// and a run of 10 minutes or more resets the back-off to 10 s.
    @Test func serviceAvailabilityAndBackOffReset() throws {
        let r = try Self.run("""
        name: flaky-service
        horizon: 2d
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: web, kind: service, replicas: 1, requests: {cpu: 1}, crash_rate_per_hour: 4}
        """)
        let crashes = Self.events(r, "container_crashed"), restarts = Self.events(r, "container_restarted")
        #expect(crashes.count > 100 && crashes.count - restarts.count <= 1)
        var down: Int64 = 0, sinceReset = 0, runStart: Int64 = 0, sawReset = false, sawCap = false
        for (crash, restart) in zip(crashes, restarts) {
            if crash.micros - runStart >= 600_000_000 { sawReset = sawReset || sinceReset > 0; sinceReset = 0 }
            sinceReset += 1
            #expect(restart.micros - crash.micros == CrashLoopBackOff.delayMicros(restart: sinceReset))
            sawCap = sawCap || restart.micros - crash.micros == 300_000_000
            down += restart.micros - crash.micros
            runStart = restart.micros
        }
        if crashes.count > restarts.count, let last = crashes.last { down += r.endMicros - last.micros }
        #expect(sawReset && sawCap, "the storm must exercise both the reset and the cap")
        #expect(r.availability.availability(0, end: r.endMicros) == 1 - Double(down) / Double(r.endMicros))
        #expect(r.summary.submitted == 1 && r.cluster.tasks[0].state == .running)
    }
}
