import BerthCluster
import BerthHarness
import BerthMetrics
import BerthScenario
import BerthTestSupport
import Testing

/// Planned maintenance: cordon + drain honouring PodDisruptionBudgets, with
/// invariants checked after every event.
@Suite struct MaintenanceScenarioTests {
    static func run(_ budget: String, scheduler: String = "kubernetes", maintenanceOption: String = "") throws -> RunResult {
        let scenario = try ScenarioLoader.load(text: """
        name: drain
        horizon: 2h
        scheduler: \(scheduler)
        cluster: {pools: [{name: n, count: 3, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: web, kind: service, replicas: 6, requests: {cpu: 1}\(budget)}
          - {name: agent, kind: daemonset, requests: {cpu: 100m}}
        failures:
          maintenance: [{node: n-0, at_s: [1h], duration_s: 30m\(maintenanceOption)}]
        """, file: "inline.yaml")
        let (result, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        return result
    }

    /// The web replicas that ran on n-0 before the drain, in bind order.
    static func onNode0(_ r: RunResult) -> [String] {
        r.cluster.tasks.filter { $0.node == 0 && $0.startMicros == 0 && $0.spec.name.hasPrefix("web") }.map(\.spec.name)
    }

    static func log(_ r: RunResult) -> [String] {
        r.failureLog.entries.filter { $0.event != "task_recreated" }.map { "\($0.micros / 1_000_000) \($0.event) \($0.taskName) \($0.cause)" }
    }

    /// kube-scheduler spreads 6 replicas 2 per node. With maxUnavailable 1 the
    /// drain evicts one replica at 3600 s; it is Terminating (not healthy) for
    /// its 30 s default grace period while its replacement starts at once on
    /// another node, so the retry 5 s later finds 6 healthy and may evict the
    /// second. The first is killed at 3630 s, the second at 3635 s; then the
    /// node (with only its DaemonSet pod left) goes down, and is back at 3635 + 1800 s.
    @Test func maxUnavailableOneEvictsOneReplicaPerRetry() throws {
        let r = try Self.run(", disruption_budget: {max_unavailable: 1}")
        let victims = Self.onNode0(r)
        try #require(victims.count == 2)
        #expect(Self.log(r) == [
            "3600 node_cordoned  maintenance",
            "3600 task_terminating \(victims[0]) eviction",
            "3605 task_terminating \(victims[1]) eviction",
            "3630 task_killed \(victims[0]) eviction",
            "3635 task_killed \(victims[1]) eviction",
            "3635 task_killed agent-n-0 maintenance",
            "3635 node_down  maintenance",
            "5435 node_up  repair",
            "5435 node_uncordoned  maintenance",
        ])
        #expect(r.nodeDownMicros[0] == 1_800_000_000)
        // The DaemonSet pod is re-created pinned to n-0 and starts when it is back.
        #expect(r.cluster.tasks.last { $0.spec.name == "agent-n-0" }?.startMicros == 5_435_000_000)
        #expect(r.summary.availabilityMin.map { $0 > 0.99 } == true)
    }

    /// Without a budget both replicas are evicted at once and end together
    /// when their grace period runs out.
    @Test func withoutBudgetTheDrainWaitsOneGracePeriod() throws {
        let r = try Self.run("")
        let victims = Self.onNode0(r)
        try #require(victims.count == 2)
        #expect(Self.log(r).prefix(7) == [
            "3600 node_cordoned  maintenance",
            "3600 task_terminating \(victims[0]) eviction",
            "3600 task_terminating \(victims[1]) eviction",
            "3630 task_killed \(victims[0]) eviction",
            "3630 task_killed \(victims[1]) eviction",
            "3630 task_killed agent-n-0 maintenance",
            "3630 node_down  maintenance",
        ])
    }

    /// `termination_grace_period_s: 0`: the pods are killed at the eviction.
    @Test func zeroGracePeriodKillsAtOnce() throws {
        let r = try Self.run(", termination_grace_period_s: 0")
        let victims = Self.onNode0(r)
        try #require(victims.count == 2)
        #expect(Self.log(r).prefix(5) == [
            "3600 node_cordoned  maintenance",
            "3600 task_killed \(victims[0]) eviction",
            "3600 task_killed \(victims[1]) eviction",
            "3600 task_killed agent-n-0 maintenance",
            "3600 node_down  maintenance",
        ])
    }

    /// A pod's own grace period (90 s), and kubectl drain --grace-period (10 s) overriding it.
    @Test(arguments: [("", 3690), (", grace_period_s: 10", 3610)])
    func drainGracePeriodOverridesThePods(option: String, killedAt: Int) throws {
        let r = try Self.run(", termination_grace_period_s: 90", maintenanceOption: option)
        let kills = r.failureLog.entries.filter { $0.event == "task_killed" && $0.cause == "eviction" }
        #expect(kills.count == 2 && kills.allSatisfy { $0.micros == Int64(killedAt) * 1_000_000 })
        #expect(r.failureLog.entries.first { $0.event == "node_down" }?.micros == Int64(killedAt) * 1_000_000)
    }

    /// minAvailable equal to the replica count allows no eviction: the drain
    /// retries every 5 s until the horizon and the node never goes down.
    @Test func minAvailableAtReplicasBlocksTheDrain() throws {
        let r = try Self.run(", disruption_budget: {min_available: 6}")
        #expect(Self.log(r) == ["3600 node_cordoned  maintenance"])
        #expect(r.nodeDownMicros == [0, 0, 0] && r.cluster.count(.running) == 9)
        #expect(r.summary.availabilityMin == 1)
    }
}

/// scenarios/failures/rolling-drain.yaml.
@Suite struct RollingDrainScenarioTests {
    /// Every node is drained in pool order, 20 minutes apart (plus 5 s per
    /// refused eviction and the 30 s grace period of the last pod evicted), is down 15 minutes, and no service ever runs fewer
    /// replicas than it should: replacements start at the instant of eviction.
    @Test func rollingDrainKeepsServicesAtFullCount() throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/failures/rolling-drain.yaml"))
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        let cordons = r.failureLog.entries.filter { $0.event == "node_cordoned" }
        #expect(cordons.map(\.node) == (0..<6).map { "web-\($0)" })
        #expect(cordons.map(\.micros) == (0..<6).map { 3_600_000_000 + Int64($0) * 1_200_000_000 })
        let downs = r.failureLog.entries.filter { $0.event == "node_down" }
        #expect(downs.count == 6)
        for (cordon, down) in zip(cordons, downs) {
            #expect(down.node == cordon.node)
            // Each refused eviction costs one 5 s retry; the last evicted pod then terminates in its 30 s grace period.
            let wait = down.micros - cordon.micros - 30_000_000
            #expect(wait >= 0 && wait % 5_000_000 == 0 && wait < 60_000_000)
        }
        #expect(zip(cordons, downs).contains { $1.micros - $0.micros == 35_000_000 }, "the budget made some drain wait")
        #expect(r.nodeDownMicros.allSatisfy { $0 == 900_000_000 })
        #expect(r.summary.availabilityMin == 1)
        #expect(r.failureLog.killed[.eviction, default: 0] > 0 && r.failureLog.killed[.maintenance] == 6)
    }
}
