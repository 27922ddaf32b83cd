import BerthCluster
import BerthFailures
import BerthHarness
import BerthMetrics
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Testing

/// Recovery presets (`failures.recovery`, docs/failures.md "Recovery in Berth,
/// per system"): the upstream delay functions as facts, and exact-time runs
/// under each system with invariants checked after every event.
@Suite struct RecoveryPresetTests {
    static let s: Int64 = 1_000_000

    static func run(_ yaml: String, scheduler: String? = nil, seed: UInt64? = nil) throws -> RunResult {
        let scenario = try ScenarioLoader.load(text: yaml, file: "inline.yaml")
        let spec = try scheduler.map { try #require(SchedulerRegistry.preset(named: $0)).spec }
        let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed, scheduler: spec))
        #expect(violations.isEmpty, "\(scheduler ?? "scenario's") \(violations.prefix(5))")
        let t = result.summary
        #expect(t.submitted == t.pending + t.running + t.finished + t.failed + t.killed, "tasks lost")
        return result
    }

    static func events(_ r: RunResult, _ name: String) -> [FailureLog.Entry] { r.failureLog.entries.filter { $0.event == name } }

    // MARK: - Nomad's reschedule delay, ported from TestAllocation_NextDelay (nomad/structs/structs_test.go)

    /// Each row: policy, past events (time relative to now, delay), failure time
    /// relative to now, expected delay and eligibility — the upstream table's values.
    @Test func nomadNextDelayMatchesUpstreamTable() {
        typealias P = NomadReschedulePolicy
        let now: Int64 = 10 * 3600 * Self.s
        func ev(_ ago: Int64, _ delay: Int64) -> P.Event { .init(rescheduleMicros: now - ago * Self.s, delayMicros: delay * Self.s) }
        let h: Int64 = 3600, m: Int64 = 60
        func p(_ f: P.DelayFunction, delay: Int64 = 5, max: Int64 = 0, attempts: Int = 0, interval: Int64 = 0, unlimited: Bool = true) -> P {
            P(attempts: attempts, intervalMicros: interval * Self.s, delayMicros: delay * Self.s, delayFunction: f,
              maxDelayMicros: max * Self.s, unlimited: unlimited)
        }
        let rows: [(String, P, [P.Event], Int64, Int64, Bool)] = [
            ("linear delay, unlimited restarts, no reschedule tracker", p(.constant), [], 2, 5, true),
            ("linear delay with reschedule tracker", p(.constant, attempts: 2, interval: 10 * m, unlimited: false), [ev(2 * m, 5)], 2, 5, true),
            ("linear delay with reschedule tracker, attempts exhausted", p(.constant, attempts: 2, interval: 10 * m, unlimited: false),
             [ev(3 * m, 5), ev(2 * m, 5)], 2, 5, false),
            ("exponential delay - no reschedule tracker", p(.exponential, max: 90), [], 2, 5, true),
            ("exponential delay with reschedule tracker", p(.exponential, max: 90), [ev(2 * h, 5), ev(h, 10), ev(h, 20)], 2, 40, true),
            ("exponential delay with delay ceiling reached", p(.exponential, max: 90),
             [ev(2 * h, 5), ev(h, 10), ev(h, 20), ev(h, 40), ev(40, 80)], 15, 90, true),
            ("exponential delay, delay ceiling reset condition met", p(.exponential, max: 90),
             [ev(2 * h, 5), ev(h, 10), ev(h, 20), ev(h, 40), ev(h, 80), ev(h, 90), ev(h, 90)], 15 * m, 5, true),
            ("fibonacci delay - no reschedule tracker", p(.fibonacci, max: 90), [], 2, 5, true),
            ("fibonacci delay with reschedule tracker", p(.fibonacci, max: 90), [ev(2 * h, 5), ev(5, 5)], 2, 10, true),
            ("fibonacci delay with more events", p(.fibonacci, max: 90),
             [ev(2 * h, 5), ev(h, 5), ev(h, 10), ev(h, 15), ev(h, 25)], 2, 40, true),
            ("fibonacci delay with delay ceiling reached", p(.fibonacci, max: 50),
             [ev(2 * h, 5), ev(h, 5), ev(h, 10), ev(h, 15), ev(h, 25), ev(40, 40)], 15, 50, true),
            ("fibonacci delay with delay reset condition met", p(.fibonacci, max: 50),
             [ev(2 * h, 5), ev(h, 5), ev(h, 10), ev(h, 15), ev(h, 25), ev(h, 40)], 5 * m, 5, true),
            ("fibonacci delay with the most recent event that reset delay value", p(.fibonacci, max: 50),
             [ev(2 * h, 5), ev(h, 5), ev(h, 10), ev(h, 15), ev(h, 25), ev(h, 40), ev(h, 50), ev(m, 5)], 5, 5, true),
        ]
        for (name, policy, events, failAgo, delay, eligible) in rows {
            let fail = now - failAgo * Self.s
            #expect(policy.nextDelay(events: events, failMicros: fail) == delay * Self.s, "\(name)")
            #expect(policy.eligible(events: events, failMicros: fail) == eligible, "\(name)")
        }
        // A policy with neither attempts nor unlimited never reschedules (RescheduleEligible).
        #expect(!p(.constant, attempts: 0, unlimited: false).eligible(events: [], failMicros: now))
    }

    /// Upstream defaults (structs.go DefaultServiceJob*/DefaultBatchJob*).
    @Test func nomadDefaults() {
        #expect(NomadRestartPolicy.service == NomadRestartPolicy(attempts: 2, intervalMicros: 1800 * Self.s, delayMicros: 15 * Self.s, mode: .fail))
        #expect(NomadRestartPolicy.batch == NomadRestartPolicy(attempts: 3, intervalMicros: 86_400 * Self.s, delayMicros: 15 * Self.s, mode: .fail))
        #expect(NomadReschedulePolicy.service.delayFunction == .exponential && NomadReschedulePolicy.service.unlimited
                && NomadReschedulePolicy.service.delayMicros == 30 * Self.s && NomadReschedulePolicy.service.maxDelayMicros == 3600 * Self.s)
        #expect(NomadReschedulePolicy.batch.attempts == 1 && NomadReschedulePolicy.batch.delayFunction == .constant
                && NomadReschedulePolicy.batch.delayMicros == 5 * Self.s && NomadReschedulePolicy.batch.intervalMicros == 86_400 * Self.s)
        // Service default: 30, 60, 120, … doubling, capped at 1 h.
        var events: [NomadReschedulePolicy.Event] = []
        var delays: [Int64] = []
        var t: Int64 = 0
        for _ in 0..<9 {
            let d = NomadReschedulePolicy.service.nextDelay(events: events, failMicros: t)
            delays.append(d / Self.s)
            t += d
            events.append(.init(rescheduleMicros: t, delayMicros: d))
        }
        #expect(delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600])
    }

    /// The client restart tracker (restarts.go GetState): attempts within the
    /// interval restart after `delay` (+ up to 25 % jitter); one more fails
    /// (mode fail) or waits for the interval's end (mode delay); a failure
    /// after the interval starts a new one with the count at zero.
    @Test func nomadRestartTracker() {
        var policy = NomadRestartPolicy.service
        policy.jitterFraction = 0
        var t = NomadRestartTracker(startMicros: 0)
        #expect(t.taskFailed(at: 100 * Self.s, policy: policy) { _ in 0 } == .restart(afterMicros: 15 * Self.s))
        #expect(t.taskFailed(at: 200 * Self.s, policy: policy) { _ in 0 } == .restart(afterMicros: 15 * Self.s))
        var delayMode = t
        #expect(t.taskFailed(at: 300 * Self.s, policy: policy) { _ in 0 } == .fail)
        policy.mode = .delay
        #expect(delayMode.taskFailed(at: 300 * Self.s, policy: policy) { _ in 0 } == .restart(afterMicros: 1500 * Self.s))
        // After the interval (0 + 1800 s) the count starts again.
        var late = NomadRestartTracker(startMicros: 0)
        late.count = 2
        #expect(late.taskFailed(at: 1801 * Self.s, policy: policy) { _ in 0 } == .restart(afterMicros: 15 * Self.s))
        #expect(late.count == 0 && late.startMicros == 1801 * Self.s)
        // Jitter: delay + Int63n(delay) × 0.25, so at most 15 s + 3.749999 s.
        var jittered = NomadRestartTracker(startMicros: 0)
        #expect(jittered.taskFailed(at: 1, policy: .service) { d in d - 1 } == .restart(afterMicros: 18_749_999))
        // Zero attempts: fail at the first failure.
        var none = NomadRestartTracker(startMicros: 0)
        #expect(none.taskFailed(at: 1, policy: NomadRestartPolicy(attempts: 0, intervalMicros: 1, delayMicros: 1, mode: .delay)) { _ in 0 } == .fail)
    }

    /// Marathon: 1 s, then × 1.15 per failure, capped at maxLaunchDelaySeconds (1 h).
    @Test func marathonBackoffSequence() {
        let b = MarathonBackoff.defaults
        #expect((1...5).map { b.delayMicros(failures: $0) } == [1_000_000, 1_150_000, 1_322_500, 1_520_875, 1_749_006])
        #expect(b.nextNanos(after: 3500 * Self.s * 1000) == 3600 * Self.s * 1000)
    }

    @Test func autoFollowsThePresetFamily() {
        let expected: [String: RecoverySystem] = ["kubernetes": .kubernetes, "best-fit": .kubernetes, "nomad": .nomad, "nomad-spread": .nomad,
                                                  "mesos-drf": .marathon, "mesos": .marathon, "swarm": .swarm, "ecs-spread": .ecs,
                                                  "ecs-binpack": .ecs, "omega": .kubernetes]
        for (preset, system) in expected { #expect(RecoverySystem.family(ofPreset: preset) == system, "\(preset)") }
        for preset in SchedulerRegistry.names { _ = RecoverySystem.family(ofPreset: preset) }
    }

    // MARK: - Container crashes, exact times

    /// A container whose memory usage is over its limit is OOM-killed the
    /// instant it starts, so every run fails at once: the times below are
    /// the systems' delays alone.
    static func alwaysOOM(kind: String, recovery: String, horizon: String = "15m", extra: String = "") -> String {
        let workload = kind == "service"
            ? "{name: web, kind: service, replicas: 1, requests: {cpu: 1, memory: 1Gi}, memory_usage: 2Gi, memory_limit: 1Gi\(extra)}"
            : "{name: etl, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 1h, requests: {cpu: 1, memory: 1Gi}, memory_usage: 2Gi, memory_limit: 1Gi\(extra)}"
        return """
        name: oom-\(kind)
        horizon: \(horizon)
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - \(workload)
        failures:
          recovery: \(recovery)
        """
    }

    /// Nomad service, restart {2 attempts in 30 min, 15 s, fail} without jitter,
    /// reschedule {30 s exponential, unlimited}. Each allocation: killed at its
    /// start s, restarted at s+15 and s+30, killed there the third time, which
    /// exceeds the attempts: it fails and is rescheduled after 30, 60, 120, 240 s.
    /// Failures 30, 90, 180, 330, 600 s; replacements 60, 150, 300, 570 s (1080 > 15 min).
    @Test func nomadServiceRestartsThenReschedulesExponentially() throws {
        let r = try Self.run(Self.alwaysOOM(kind: "service", recovery: "{system: nomad, restart: {jitter_frac: 0}}"), scheduler: "nomad")
        #expect(Self.events(r, "task_failed").map { $0.micros / Self.s } == [30, 90, 180, 330, 600])
        #expect(Self.events(r, "task_recreated").map { $0.micros / Self.s } == [60, 150, 300, 570])
        #expect(Self.events(r, "task_rescheduled").map(\.cause) == ["reschedule_in_30s", "reschedule_in_60s", "reschedule_in_120s",
                                                                     "reschedule_in_240s", "reschedule_in_480s"])
        let restarts = Self.events(r, "container_restarted")
        #expect(restarts.map { $0.micros / Self.s } == [15, 30, 75, 90, 165, 180, 315, 330, 585, 600])
        #expect(restarts.allSatisfy { $0.cause == "restart_policy" })
        #expect(r.summary.submitted == 5)
        // Restarts stay on the allocation's node; each allocation is one task.
        for task in Set(restarts.map(\.task)) { #expect(Set(restarts.filter { $0.task == task }.map(\.node)).count == 1) }
    }

    /// With the upstream 25 % jitter each restart delay is in [15 s, 18.75 s).
    @Test func nomadRestartJitterStaysInRange() throws {
        let r = try Self.run(Self.alwaysOOM(kind: "service", recovery: "nomad"), scheduler: "nomad")
        let crashes = Self.events(r, "container_oom_killed"), restarts = Self.events(r, "container_restarted")
        #expect(restarts.count >= 4)
        for restart in restarts {
            let before = try #require(crashes.last { $0.task == restart.task && $0.micros < restart.micros })
            let d = restart.micros - before.micros
            #expect(d >= 15 * Self.s && d < 18_750_000, "\(d)")
        }
        #expect(Set(restarts.map { $0.micros % Self.s }).count > 1, "jitter drawn")
    }

    /// Nomad batch defaults: 3 restarts after 15 s, the 4th failure fails the
    /// allocation (45 s); 1 reschedule in 24 h after 5 s (50 s); the second
    /// allocation fails at 95 s and is not rescheduled.
    @Test func nomadBatchReschedulesOnce() throws {
        let r = try Self.run(Self.alwaysOOM(kind: "batch", recovery: "{system: nomad, restart: {jitter_frac: 0}}"), scheduler: "nomad")
        #expect(Self.events(r, "container_restarted").map { $0.micros / Self.s } == [15, 30, 45, 65, 80, 95])
        #expect(Self.events(r, "task_failed").map { $0.micros / Self.s } == [45, 95])
        #expect(Self.events(r, "task_recreated").map { $0.micros / Self.s } == [50])
        #expect(Self.events(r, "task_not_rescheduled").map { $0.micros / Self.s } == [95])
        #expect(r.summary.failed == 2 && r.summary.submitted == 2)
    }

    /// Nomad batch with checkpoints every 4 min and an OOM 10 min into every
    /// run: in-place runs 0–600, 615–1215, 1230–1830, 1845–2445 s save 8, 16,
    /// 24, 32 min; the 4th failure exceeds 3 attempts, so the allocation fails
    /// and is rescheduled after 5 s with the 28 min left (not 20: the back-off
    /// time is no work). The new allocation: 2450–3050, 3065–3665, 3680–4280
    /// (8, 16, 24 of 28 min saved), then 4 min from 4295: done at 4535 s.
    @Test func nomadRescheduleResumesFromTheLastCheckpoint() throws {
        let r = try Self.run("""
        name: nomad-checkpoint
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: etl, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 1h, requests: {cpu: 1, memory: 1Gi},
             memory_limit: 1Gi, memory_usage: {from: 0, to: 2Gi, over_s: 20m}, checkpoint_interval_s: 4m}
        failures:
          recovery: {system: nomad, restart: {jitter_frac: 0}}
        """)
        #expect(Self.events(r, "task_failed").map { $0.micros / Self.s } == [2445])
        #expect(Self.events(r, "container_restarted").map { $0.micros / Self.s } == [615, 1230, 1845, 3065, 3680, 4295])
        let replacement = try #require(r.cluster.tasks.last)
        #expect(replacement.spec.durationMicros == 28 * 60 * Self.s)
        #expect(replacement.submitMicros == 2450 * Self.s && replacement.state == .finished && replacement.endMicros == 4535 * Self.s)
    }

    /// Swarm: a failed task is replaced by a new one after the 5 s restart delay,
    /// without end (max_attempts 0); with max_attempts 3 the slot stops after 3.
    @Test func swarmReplacesAfterFiveSeconds() throws {
        let r = try Self.run(Self.alwaysOOM(kind: "service", recovery: "swarm", horizon: "1m"), scheduler: "swarm")
        let created = Self.events(r, "task_recreated").map { $0.micros / Self.s }
        #expect(created == Array(stride(from: 5, through: 60, by: 5)))
        #expect(Self.events(r, "container_restarted").isEmpty, "never restarted in place")
        #expect(Self.events(r, "task_rescheduled").allSatisfy { $0.cause == "restart_delay_5s" })
        let capped = try Self.run(Self.alwaysOOM(kind: "service", recovery: "{system: swarm, max_attempts: 3}", horizon: "1m"), scheduler: "swarm")
        #expect(Self.events(capped, "task_recreated").map { $0.micros / Self.s } == [5, 10, 15])
        #expect(Self.events(capped, "task_not_restarted").map { $0.micros / Self.s } == [15])
    }

    /// Marathon: relaunches after 1, 1.15, 1.3225, 1.520875 s (cumulative
    /// 1, 2.15, 3.4725, 4.993375 s).
    @Test func marathonRelaunchesWithBackoff() throws {
        let r = try Self.run(Self.alwaysOOM(kind: "service", recovery: "marathon", horizon: "5s"), scheduler: "kubernetes")
        #expect(Self.events(r, "task_recreated").map(\.micros) == [1_000_000, 2_150_000, 3_472_500, 4_993_375])
        #expect(Self.events(r, "task_rescheduled").first?.cause == "launch_delay_1s")
    }

    /// ECS: a replacement at once — and a task that fails the instant it starts
    /// is replaced 1 s later (Berth's floor, so it cannot loop at one instant).
    @Test func ecsReplacesAtOnce() throws {
        let r = try Self.run(Self.alwaysOOM(kind: "service", recovery: "ecs", horizon: "5s"), scheduler: "ecs-spread")
        #expect(Self.events(r, "task_recreated").map { $0.micros / Self.s } == [1, 2, 3, 4, 5])
        let crashing = try Self.run("""
        name: ecs-crash
        horizon: 1h
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: web, kind: service, replicas: 2, requests: {cpu: 1}, crash_rate_per_hour: 6}
        failures: {recovery: ecs}
        """, scheduler: "ecs-spread")
        let failed = Self.events(crashing, "task_failed"), created = Self.events(crashing, "task_recreated")
        #expect(failed.count > 0 && failed.count == created.count)
        #expect(zip(failed, created).allSatisfy { $0.micros == $1.micros }, "replaced at the failure's instant")
    }

    // MARK: - Node crashes, exact detection times

    /// One node runs the only replica; it crashes at 100 s and is repaired at
    /// 100 s + `repair`. The replacement is created when the control plane
    /// notices (or at the repair if that is first).
    static func nodeCrash(recovery: String, repair: String = "1h", tolerations: String = "") -> String {
        """
        name: node-crash
        horizon: 3h
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: web, kind: service, replicas: 1, requests: {cpu: 1, memory: 1Gi}\(tolerations)}
        failures:
          recovery: \(recovery)
          node_failures: [{node: n-0, at_s: [100], time_to_repair_s: \(repair)}]
        """
    }

    /// Kubernetes 40 s + 300 s = 440 s; Nomad 10 + 10 s = 120 s; Mesos 15 × 5 s
    /// = 175 s; Swarm 3 × 5 s + the 5 s restart delay = 120 s; ECS at once.
    @Test(arguments: [("kubernetes", "kubernetes", 440), ("nomad", "nomad", 120), ("marathon", "mesos-drf", 175),
                      ("swarm", "swarm", 120), ("ecs", "ecs-spread", 100), ("auto", "kubernetes", 440), ("auto", "nomad", 120),
                      ("{system: kubernetes, node_lost_after_s: instant}", "kubernetes", 100)])
    func nodeCrashDetection(recovery: String, preset: String, replacedAt: Int64) throws {
        let r = try Self.run(Self.nodeCrash(recovery: recovery), scheduler: preset)
        #expect(r.summary.killedByNodeFailure == 1)
        let created = Self.events(r, "task_recreated")
        #expect(created.map { $0.micros / Self.s } == [replacedAt], "\(recovery) under \(preset)")
        let replacement = try #require(r.cluster.tasks.last)
        #expect(replacement.submitMicros == replacedAt * Self.s)
        #expect(replacement.startMicros >= 3700 * Self.s, "the only node is back at 3700 s")
    }

    /// A pod's own toleration shortens the wait (40 s + 30 s); a node back
    /// before detection gets its pods replaced at the repair (160 s).
    @Test func kubernetesTolerationAndEarlyRepair() throws {
        let tol = ", tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, toleration_seconds: 30}]"
        let short = try Self.run(Self.nodeCrash(recovery: "kubernetes", tolerations: tol), scheduler: "kubernetes")
        #expect(Self.events(short, "task_recreated").map { $0.micros / Self.s } == [170])
        let early = try Self.run(Self.nodeCrash(recovery: "kubernetes", repair: "60"), scheduler: "kubernetes")
        #expect(Self.events(early, "task_recreated").map { $0.micros / Self.s } == [160])
        let forever = ", tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}]"
        let stays = try Self.run(Self.nodeCrash(recovery: "kubernetes", tolerations: forever), scheduler: "kubernetes")
        #expect(Self.events(stays, "task_recreated").map { $0.micros / Self.s } == [3700], "tolerates forever: back with its node")
    }

    /// Without `recovery` nothing changes: instant Kubernetes-style replacement.
    @Test func absentRecoveryKeepsInstantReplacement() throws {
        let yaml = Self.nodeCrash(recovery: "kubernetes").replacingOccurrences(of: "  recovery: kubernetes\n", with: "")
        let r = try Self.run(yaml, scheduler: "nomad")
        #expect(Self.events(r, "task_recreated").map { $0.micros / Self.s } == [100])
    }

    /// Same seed, same events; the recovery model does not move failures or arrivals.
    @Test func determinism() throws {
        let yaml = """
        name: det
        horizon: 6h
        cluster: {pools: [{name: n, count: 4, capacity: {cpu: 8, memory: 16Gi}}]}
        workloads:
          - {name: web, kind: service, replicas: 6, requests: {cpu: 1}, crash_rate_per_hour: 2}
          - {name: etl, kind: batch, arrival: {process: poisson, rate: 10/h}, duration: {dist: exponential, mean: 900}, requests: {cpu: 2}, crash_probability: 0.3}
        failures:
          recovery: auto
          node_failures: [{pool: n, time_to_failure_s: {dist: exponential, mean: 3h}, time_to_repair_s: 600}]
        """
        for preset in ["kubernetes", "nomad", "mesos-drf", "swarm", "ecs-spread"] {
            let a = try Self.run(yaml, scheduler: preset, seed: 11), b = try Self.run(yaml, scheduler: preset, seed: 11)
            #expect(a.failureLog.entries == b.failureLog.entries, "\(preset)")
            #expect(a.summary.submitted == b.summary.submitted)
            let downs = a.failureLog.entries.filter { $0.event == "node_down" }.map(\.micros)
            let legacy = try Self.run(yaml.replacingOccurrences(of: "  recovery: auto\n", with: ""), scheduler: preset, seed: 11)
            #expect(downs == legacy.failureLog.entries.filter { $0.event == "node_down" }.map(\.micros), "failures do not move")
        }
    }

    // MARK: - The bundled scenario

    /// scenarios/failures/recovery-presets.yaml under each family's preset
    /// (`recovery: auto`). Web: a-0 dies at 3600 s; the replacement goes to
    /// b-0 (free since 1800 s) when the loss is noticed — Kubernetes
    /// 3600 + 40 + 300, Nomad + 10 + 10, Mesos + 15 × 5, Swarm + 15 + 5,
    /// ECS at once — so the replica-seconds missing are those delays. Etl:
    /// OOM 600 s into each run (ramp 0 → 2 GiB over 20 min, limit 1 GiB),
    /// checkpoints every 300 s, so runs of 600, 600 and 300 s:
    /// Kubernetes (Never, Job back-off 10 s then 20 s) ends at 600+10+600+20+300 = 1530;
    /// Nomad (in place, 15 s twice) 600+15+600+15+300 = 1530; Swarm (new task
    /// after 5 s) 1510; ECS (at once) 1500; Marathon starts it at the first
    /// offer (1 s), then back-off 1 s and 1.15 s: 1 + 600 + 1 + 600 + 1.15 + 300 = 1503.15.
    @Test(arguments: [("kubernetes", 340.0, 1_530_000_000 as Int64), ("nomad", 20, 1_530_000_000), ("mesos-drf", 75, 1_503_150_000),
                      ("swarm", 20, 1_510_000_000), ("ecs-spread", 0, 1_500_000_000)])
    func bundledScenario(preset: String, missing: Double, etlEnd: Int64) throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/failures/recovery-presets.yaml"))
        let spec = try #require(SchedulerRegistry.preset(named: preset)).spec
        let (r, violations) = try runChecked(scenario, options: RunOptions(scheduler: spec))
        #expect(violations.isEmpty, "\(preset): \(violations.prefix(3))")
        let web = try #require(r.availability.services.firstIndex { $0.name == "web" })
        #expect(r.availability.missingReplicaSeconds(web, end: r.endMicros) == missing, "\(preset)")
        let etl = r.cluster.tasks.filter { $0.spec.name.hasPrefix("etl") }
        #expect(etl.last?.state == .finished && etl.last?.endMicros == etlEnd, "\(preset)")
        #expect(etl.filter { $0.state == .finished }.count == 1)
        let lost = r.cluster.tasks.filter { $0.spec.name == "web-0" }
        #expect(lost.count == 2 && lost[1].node == 1, "the replacement runs on b-0")
    }

    /// The same scenario: availability ordered ECS > Nomad = Swarm > Marathon > Kubernetes.
    @Test func availabilityOrdering() throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/failures/recovery-presets.yaml"))
        var frac: [String: Double] = [:]
        for preset in ["kubernetes", "nomad", "mesos-drf", "swarm", "ecs-spread"] {
            let r = try Simulator(scenario: scenario, options: RunOptions(scheduler: try #require(SchedulerRegistry.preset(named: preset)).spec)).run()
            frac[preset] = r.summary.availabilityMin
        }
        let f = frac.mapValues { $0 ?? 0 }
        #expect(f["ecs-spread"] == 1)
        #expect(f["ecs-spread"]! > f["nomad"]! && f["nomad"] == f["swarm"] && f["swarm"]! > f["mesos-drf"]! && f["mesos-drf"]! > f["kubernetes"]!)
        #expect(abs(f["kubernetes"]! - (1 - 340.0 / 14_400)) < 1e-12)
    }
}
