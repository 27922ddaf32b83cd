import BerthCluster
import BerthFailures
import BerthHarness
import BerthMetrics
import BerthReports
import BerthScenario
import BerthSimulation
import BerthTestSupport
import Testing

/// Graceful termination of drained pods (docs/failures.md "Graceful
/// termination"), with invariants checked after every event.
@Suite struct GracefulTerminationTests {
    /// Two 2-CPU nodes, one 1.5-CPU web replica on each (a second never fits
    /// beside the first). n-0 is drained at 1 h; its replica is Terminating
    /// for 60 s and keeps its 1.5 CPU, so its replacement (created at 3600 s)
    /// has nowhere to go: n-1 has 0.5 CPU free and n-0 is cordoned, then down
    /// from 3660 s for 30 minutes. It starts when n-0 is back, at 3660 + 1800 s.
    @Test func terminatingPodKeepsItsResourcesUntilItsGracePeriodEnds() throws {
        let scenario = try ScenarioLoader.load(text: """
        name: grace
        horizon: 2h
        scheduler: kubernetes
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 2, memory: 8Gi}}]}
        workloads:
          - {name: web, kind: service, replicas: 2, requests: {cpu: 1500m}, termination_grace_period_s: 60}
        failures:
          maintenance: [{node: n-0, at_s: [1h], duration_s: 30m}]
        """, file: "inline.yaml")
        var cpuOnNode0: [Int64: Int64] = [:]  // the last value seen at each instant
        let options = RunOptions(afterEachEvent: { cluster, now in cpuOnNode0[now] = cluster.allocated(0, ResourceCatalog.cpu) })
        let (r, violations) = try runChecked(scenario, options: options)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        #expect(cpuOnNode0[3_600_000_000] == 1500, "the Terminating pod still holds its CPU")
        #expect(cpuOnNode0[3_660_000_000] == 0)
        let replacement = try #require(r.cluster.tasks.first { $0.submitMicros == 3_600_000_000 })
        #expect(replacement.startMicros == 5_460_000_000 && replacement.node == 0)
        // The evicted replica ends killed at the end of its grace period; nothing is left unaccounted.
        let evicted = try #require(r.cluster.tasks.first { $0.node == 0 && $0.startMicros == 0 })
        #expect(evicted.state == .killed && evicted.endMicros == 3_660_000_000)
        #expect(r.cluster.count(.running) == 2)
        // One replica is missing (Terminating ones are not healthy) from 3600 s to 5460 s.
        #expect(r.availability.missingReplicaSeconds(0, end: r.endMicros) == 1860)
    }

    /// A pod whose run completes within its grace period ends `finished` at
    /// that instant, and the drain goes on at once (kubectl waits for the pods to be gone).
    @Test func podFinishingWithinItsGracePeriodEndsTheWait() throws {
        let scenario = try ScenarioLoader.load(text: """
        name: grace-finish
        horizon: 2h
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 2, memory: 8Gi}}]}
        initial:
          - {name: job, node: n-0, requests: {cpu: 1}, duration: 3620s}
        failures:
          maintenance: [{node: n-0, at_s: [1h], duration_s: 30m}]
        """, file: "inline.yaml")
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        let job = r.cluster.tasks[0]
        #expect(job.state == .finished && job.endMicros == 3_620_000_000)
        #expect(r.failureLog.entries.map { "\($0.micros / 1_000_000) \($0.event) \($0.taskName)" } == [
            "3600 node_cordoned ", "3600 task_terminating job", "3620 node_down ", "5420 node_up ", "5420 node_uncordoned ",
        ])
    }

    /// A node failure within the grace period kills the Terminating pods with
    /// the node (cause node_failure) but does not replace them again: their
    /// replacements were created at the eviction. The drain then finishes when
    /// their grace period would have ended (3660 s), the node being already
    /// down; it is back when both the failure (3620 + 600 s) and the
    /// maintenance (3660 + 1800 s) are over.
    @Test func nodeFailureDuringTheGracePeriodReplacesNothingTwice() throws {
        let scenario = try ScenarioLoader.load(text: """
        name: grace-failure
        horizon: 3h
        scheduler: kubernetes
        cluster: {pools: [{name: n, count: 3, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: web, kind: service, replicas: 6, requests: {cpu: 1}, termination_grace_period_s: 60}
        failures:
          node_failures: [{node: n-0, at_s: [3620s], time_to_repair_s: 10m}]
          maintenance: [{node: n-0, at_s: [1h], duration_s: 30m}]
        """, file: "inline.yaml")
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        let log = r.failureLog.entries.map { "\($0.micros / 1_000_000) \($0.event) \($0.cause)" }
        #expect(log.filter { $0.hasPrefix("3600 task_terminating") }.count == 2)
        #expect(log.filter { $0 == "3620 task_killed node_failure" }.count == 2)
        #expect(r.failureLog.entries.filter { $0.event == "task_recreated" }.count == 2, "one replacement per evicted pod")
        #expect(r.cluster.count(.running) == 6 && r.summary.submitted == 8)
        #expect(log.contains("5460 node_up repair") && r.nodeDownMicros[0] == 5_460_000_000 - 3_620_000_000)
    }

    /// Percentage budgets end to end: 3 replicas, one per node, `min_available:
    /// 50%` → desiredHealthy ⌈1.5⌉ = 2, so a drain evicts one replica at a time;
    /// `max_unavailable: 25%` → ⌈0.75⌉ = 1 unavailable, the same. With 0 s of
    /// grace the node holding one replica goes down at the drain. A quoted
    /// "66%" (⌈1.98⌉ = 2) reads the same.
    @Test(arguments: ["{min_available: 50%}", "{max_unavailable: 25%}", "{min_available: \"66%\"}"])
    func percentageBudgetsAllowOneEvictionOfThree(budget: String) throws {
        let scenario = try ScenarioLoader.load(text: """
        name: pct
        horizon: 2h
        scheduler: kubernetes
        cluster: {pools: [{name: n, count: 3, capacity: {cpu: 2, memory: 8Gi}}]}
        workloads:
          - {name: web, kind: service, replicas: 3, requests: {cpu: 1500m}, termination_grace_period_s: 0, disruption_budget: \(budget)}
        failures:
          maintenance: [{node: n-0, at_s: [1h], duration_s: 30m}]
        """, file: "inline.yaml")
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        // Its replacement has no room (0.5 CPU free elsewhere), yet 2 healthy of 3 satisfy the budget: the eviction is allowed.
        #expect(r.failureLog.entries.filter { $0.event == "task_killed" }.map { "\($0.micros / 1_000_000) \($0.cause)" } == ["3600 eviction"])
        #expect(r.failureLog.entries.first { $0.event == "node_down" }?.micros == 3_600_000_000)
    }

    /// 80% of 3 rounds up to 3 healthy wanted: no eviction is ever allowed.
    @Test func percentageRoundingUpCanBlockADrain() throws {
        let scenario = try ScenarioLoader.load(text: """
        name: pct-block
        horizon: 2h
        cluster: {pools: [{name: n, count: 3, capacity: {cpu: 2, memory: 8Gi}}]}
        workloads:
          - {name: web, kind: service, replicas: 3, requests: {cpu: 1500m}, disruption_budget: {min_available: 80%}}
        failures:
          maintenance: [{node: n-0, at_s: [1h], duration_s: 30m}]
        """, file: "inline.yaml")
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        #expect(r.failureLog.entries.map(\.event) == ["node_cordoned"])
        #expect(r.nodeDownMicros == [0, 0, 0])
    }
}

/// Upstream `getExpectedPodCount` rounding (intstr.GetScaledValueFromIntOrPercent, roundUp true), by hand.
@Suite struct DisruptionBudgetRoundingTests {
    @Test(arguments: [
        (DisruptionBudget.minAvailablePercent(50), 3, 2),    // ⌈1.5⌉
        (.maxUnavailablePercent(25), 3, 2),                  // 3 − ⌈0.75⌉
        (.maxUnavailablePercent(34), 3, 1),                  // 3 − ⌈1.02⌉
        (.minAvailablePercent(34), 3, 2),                    // ⌈1.02⌉
        (.minAvailablePercent(20), 10, 2),                   // exact: no rounding
        (.maxUnavailablePercent(50), 5, 2),                  // 5 − ⌈2.5⌉
        (.minAvailablePercent(0), 3, 0),
        (.minAvailablePercent(100), 3, 3),
        (.maxUnavailablePercent(0), 3, 3),
        (.maxUnavailablePercent(100), 3, 0),
        (.maxUnavailable(5), 3, 0),                          // clamped at 0 as upstream
        (.minAvailable(2), 3, 2),
    ])
    func desiredHealthy(budget: DisruptionBudget, replicas: Int, desired: Int) {
        #expect(budget.desiredHealthy(expected: replicas) == desired)
    }

    @Test func disruptionsAllowed() {
        #expect(DisruptionBudget.minAvailablePercent(50).disruptionsAllowed(healthy: 3, expected: 3) == 1)
        #expect(DisruptionBudget.minAvailablePercent(50).disruptionsAllowed(healthy: 2, expected: 3) == 0)
        #expect(DisruptionBudget.minAvailablePercent(50).disruptionsAllowed(healthy: 1, expected: 3) == 0)  // never negative
        #expect(DisruptionBudget.maxUnavailable(1).disruptionsAllowed(healthy: 0, expected: 0) == 0)  // expectedCount 0: none
        #expect(!DisruptionBudget.maxUnavailablePercent(100).allowsEviction(healthy: 0, expected: 3))
        #expect(DisruptionBudget.maxUnavailablePercent(100).allowsEviction(healthy: 1, expected: 3))
    }
}

/// PodDisruptionBudgets reach kube-scheduler's DefaultPreemption through the harness.
@Suite struct PreemptionBudgetScenarioTests {
    /// Two 2-CPU nodes, each full with one low-priority replica: "guarded"
    /// (priority 0) and "plain" (priority 10). A priority-1000 pod needing 2
    /// CPU arrives at 60 s. Without a budget the lowest-priority victim loses
    /// (guarded), and its replacement (priority 0) can preempt nothing. With
    /// `min_available: 1` on guarded, evicting it would violate the budget, so
    /// plain is evicted instead (fewest violations first) — but plain's
    /// replacement (priority 10) then has guarded's node as its only candidate
    /// and evicts it anyway: budgets are best effort in preemption, as upstream.
    /// `max_unavailable: 100%` allows the disruption, so guarded goes first again.
    @Test(arguments: [("", ["guarded"]), (", disruption_budget: {min_available: 1}", ["plain", "guarded"]),
                      (", disruption_budget: {max_unavailable: 100%}", ["guarded"])])
    func preemptionAvoidsViolatingABudget(budget: String, victims: [String]) throws {
        let scenario = try ScenarioLoader.load(text: """
        name: preempt-pdb
        horizon: 10m
        scheduler: kubernetes
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 2, memory: 8Gi}}]}
        workloads:
          - {name: guarded, kind: service, replicas: 1, priority: 0, requests: {cpu: 2}\(budget)}
          - {name: plain, kind: service, replicas: 1, priority: 10, requests: {cpu: 2}}
          - {name: urgent, kind: batch, arrival: {process: fixed, at: [60s]}, duration: 1h, priority: 1000, requests: {cpu: 2}}
        """, file: "inline.yaml")
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        // Victims are deleted at 60 s and terminate for the default 30 s grace
        // period; the preemptor waits for them, nominated, and binds at 90 s.
        let terminating = r.failureLog.entries.filter { $0.cause == "preemption" && $0.event == "task_terminating" }
        let preempted = r.failureLog.entries.filter { $0.cause == "preemption" && $0.event == "task_killed" }
        #expect(terminating.map { $0.taskName.split(separator: "-").first.map(String.init) ?? "" } == victims, "\(terminating.map(\.taskName))")
        #expect(preempted.map { $0.taskName.split(separator: "-").first.map(String.init) ?? "" } == victims, "\(preempted.map(\.taskName))")
        #expect(terminating.allSatisfy { $0.micros == 60_000_000 } && preempted.allSatisfy { $0.micros == 90_000_000 })
        #expect(r.cluster.tasks.first { $0.spec.name.hasPrefix("urgent") }?.startMicros == 90_000_000)
    }
}

/// services.csv `restarts` and `backoff_s`: per service, the in-place restarts
/// and the time from each crash to its restart (or to the end of the run).
@Suite struct ServiceRestartColumnsTests {
    @Test func restartsAndBackoffMatchTheEventLog() throws {
        let scenario = try ScenarioLoader.load(text: """
        name: flaky
        horizon: 1d
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: web, kind: service, replicas: 2, requests: {cpu: 1}, crash_rate_per_hour: 3}
          - {name: calm, kind: service, replicas: 1, requests: {cpu: 1}}
        """, file: "inline.yaml")
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        // By hand from events.csv: pair each crash with the next restart of the same task.
        var open: [Int32: Int64] = [:], backoff: Int64 = 0, restarts = 0
        for e in r.failureLog.entries {
            if e.event == "container_crashed" { open[e.task] = e.micros }
            if e.event == "container_restarted", let since = open.removeValue(forKey: e.task) {
                backoff += e.micros - since
                restarts += 1
            }
        }
        for since in open.values { backoff += r.endMicros - since }
        #expect(restarts > 20)
        #expect(r.availability.restarts(0) == restarts && r.availability.backoffMicros(0, end: r.endMicros) == backoff)
        #expect(r.availability.restarts(1) == 0 && r.availability.backoffMicros(1, end: r.endMicros) == 0)
        let csv = RunReports.services(r.availability, endMicros: r.endMicros)
        #expect(csv.header.suffix(2) == ["restarts", "backoff_s"])
        #expect(csv.rows.first?.suffix(2) == [String(restarts), SimTime.decimalSeconds(backoff)])
    }
}
