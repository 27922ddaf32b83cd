import BerthCluster
import BerthHarness
import BerthMetrics
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Testing

/// Conservation under failure storms: every kind of fault at once, over
/// several seeds and presets, invariants checked after every event. The
/// faults are scripted inside the first two hours and the workload is finite
/// batch work arriving in those hours (faults on, then off): by the horizon
/// every task must be terminal, no node may hold any allocation, and every
/// node must be back.
@Suite struct FailureStormTests {
    static let storm = """
    name: storm
    cluster:
      pools:
        - {name: a, count: 6, capacity: {cpu: 8, memory: 16Gi}, zones: [z1, z2, z3]}
        - {name: b, count: 3, capacity: {cpu: 16, memory: 32Gi}, zones: [z1, z2, z3]}
    workloads:
      - name: jobs
        kind: batch
        arrival: {process: poisson, rate: 60/h, end: 2h}
        tasks_per_job: {dist: uniform, min: 1, max: 6}
        duration: {dist: exponential, mean: 10m}
        requests: {cpu: 1, memory: 1Gi}
        backoff_limit: 4
        crash_probability: 0.2
        restart_policy: OnFailure
        checkpoint_interval_s: 3m
      - name: fragile
        kind: batch
        arrival: {process: poisson, rate: 20/h, end: 2h}
        duration: 15m
        requests: {cpu: 2, memory: 2Gi}
        backoff_limit: 2
        crash_probability: 0.3
        restart_policy: Never
        memory_usage: {dist: uniform, min: 1500, max: 2500}
        memory_limit: 2Gi
      - name: dag
        kind: workflow
        schedule: {every: 20m, limit: 6}
        retries: 2
        retry_delay_s: 1m
        retry_exponential_backoff: true
        tasks:
          - {name: a, requests: {cpu: 1, memory: 1Gi}, duration: 10m, crash_probability: 0.3}
          - {name: b, requests: {cpu: 2, memory: 2Gi}, duration: 15m, depends_on: [a], crash_probability: 0.3}
          - {name: c, requests: {cpu: 1, memory: 1Gi}, duration: 5m, depends_on: [a]}
          - {name: d, requests: {cpu: 1, memory: 1Gi}, duration: 5m, depends_on: [b, c]}
    failures:
      node_failures:
        - {pool: a, at_s: [20m, 70m], time_to_repair_s: {dist: exponential, mean: 10m}}
        - {node: b-1, at_s: [30m], time_to_repair_s: 15m, effect: partition}
      outages:
        - {zone: z2, at_s: [45m], time_to_repair_s: 20m}
      maintenance:
        - {pool: b, start_s: 1h, interval_s: 10m, duration_s: 5m}
    """

    @Test(arguments: ["kubernetes", "best-fit", "nomad", "swarm", "ecs-spread"])
    func everyTaskEndsAndNothingLeaks(scheduler: String) throws {
        // Maintenance needs a horizon; two days is long enough for everything to settle.
        let scenario = try ScenarioLoader.load(text: "horizon: 2d\n" + Self.storm, file: "storm.yaml")
        for seed: UInt64 in [1, 2, 3] {
            let spec = try #require(SchedulerRegistry.preset(named: scheduler)?.spec)
            let (r, violations) = try runChecked(scenario, options: RunOptions(seed: seed, scheduler: spec))
            #expect(violations.isEmpty, "seed \(seed): \(violations.prefix(3))")
            #expect(r.summary.nodeFailures > 0 && r.summary.containerCrashes > 0 && r.failureLog.oomKills > 0, "seed \(seed): the storm must hit")
            #expect(r.cluster.count(.pending) == 0 && r.cluster.count(.running) == 0, "seed \(seed): everything settled")
            #expect(r.cluster.totalAllocated.allSatisfy { $0 == 0 }, "seed \(seed): allocation returns to zero")
            #expect(r.cluster.nodeDown.allSatisfy { !$0 } && r.cluster.nodeUnreachable.allSatisfy { !$0 })
            #expect(r.summary.submitted == r.summary.finished + r.summary.failed + r.summary.killed)
            // Every DAG run is over, and its pods are its successes, failures and retries.
            #expect(r.dagRuns.count == 6 && r.dagRuns.allSatisfy { $0.state != .running }, "seed \(seed)")
            let dagPods = r.cluster.tasks.filter { $0.spec.name.hasPrefix("dag-") }.count
            #expect(dagPods == r.dagRuns.reduce(0) { $0 + $1.succeeded + $1.failed + $1.retries }, "seed \(seed)")
        }
    }

    /// The same storm under each system's recovery (`failures.recovery`:
    /// detection delays, Nomad restarts and reschedules, Marathon back-off,
    /// Swarm restart delays, ECS replacements), by preset family and forced.
    @Test(arguments: [("auto", "kubernetes"), ("auto", "nomad"), ("auto", "mesos-drf"), ("auto", "swarm"), ("auto", "ecs-spread"),
                      ("nomad", "best-fit"), ("marathon", "kubernetes"), ("{system: swarm, max_attempts: 2, window_s: 10m}", "nomad")])
    func recoveryPresetsKeepEveryTaskAccountedFor(recovery: String, scheduler: String) throws {
        let text = "horizon: 2d\n" + Self.storm + "\n  recovery: \(recovery)\n"
        let scenario = try ScenarioLoader.load(text: text, file: "storm.yaml")
        for seed: UInt64 in [1, 2] {
            let spec = try #require(SchedulerRegistry.preset(named: scheduler)?.spec)
            let (r, violations) = try runChecked(scenario, options: RunOptions(seed: seed, scheduler: spec))
            #expect(violations.isEmpty, "\(recovery) \(scheduler) seed \(seed): \(violations.prefix(3))")
            #expect(r.summary.nodeFailures > 0 && r.summary.containerCrashes > 0, "seed \(seed): the storm must hit")
            #expect(r.cluster.count(.pending) == 0 && r.cluster.count(.running) == 0, "\(recovery) \(scheduler) seed \(seed): everything settled")
            #expect(r.cluster.totalAllocated.allSatisfy { $0 == 0 }, "seed \(seed): allocation returns to zero")
            #expect(r.cluster.nodeDown.allSatisfy { !$0 } && r.cluster.nodeUnreachable.allSatisfy { !$0 })
            #expect(r.summary.submitted == r.summary.finished + r.summary.failed + r.summary.killed)
            #expect(r.dagRuns.count == 6 && r.dagRuns.allSatisfy { $0.state != .running }, "seed \(seed)")
        }
    }
}
