import BerthCluster
import BerthHarness
import BerthMetrics
import BerthScenario
import BerthTestSupport
import Testing

/// Network partitions: a NotReady node keeps its pods until their toleration
/// of `node.kubernetes.io/unreachable:NoExecute` runs out (300 s by default).
@Suite struct PartitionScenarioTests {
    static func run(partitionSeconds: Int) throws -> RunResult {
        let scenario = try ScenarioLoader.load(text: """
        name: partition
        horizon: 3h
        scheduler: kubernetes
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 8, memory: 16Gi}}]}
        workloads:
          - {name: web, kind: service, replicas: 4, requests: {cpu: 1}}
          - name: fast
            kind: service
            replicas: 2
            requests: {cpu: 1}
            tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, toleration_seconds: 60}]
          - {name: agent, kind: daemonset, requests: {cpu: 100m}}
          - {name: late, kind: batch, arrival: {process: fixed, at: [3650s]}, tasks_per_job: 4, duration: 10m, requests: {cpu: 1}}
        failures:
          node_failures: [{node: n-0, at_s: [1h], time_to_repair_s: \(partitionSeconds), effect: partition}]
        """, file: "inline.yaml")
        let (result, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        return result
    }

    static func kills(_ r: RunResult) -> [(String, Int64)] {
        r.failureLog.entries.filter { $0.event == "task_killed" }.map { ($0.taskName, $0.micros / 1_000_000) }
    }

    /// Back after 200 s: only the pods tolerating 60 s were evicted (at 3660 s);
    /// the default 300 s had not run out. Nothing new went to n-0 meanwhile.
    @Test func shortPartitionKeepsDefaultPods() throws {
        let r = try Self.run(partitionSeconds: 200)
        let k = Self.kills(r)
        #expect(!k.isEmpty && k.allSatisfy { $0.0.hasPrefix("fast") && $0.1 == 3660 })
        #expect(r.nodeDownMicros == [0, 0], "a partition is not down time")
        let late = r.cluster.tasks.filter { $0.spec.name.hasPrefix("late") }
        #expect(late.count == 4 && late.allSatisfy { $0.node == 1 || $0.startMicros >= 3_800_000_000 })
    }

    /// Gone for 600 s: the 60 s pods leave at 3660 s, the others at 3900 s
    /// (300 s), DaemonSet pods stay; every evicted pod is replaced at once on n-1.
    @Test func longPartitionEvictsAfterTheTolerations() throws {
        let r = try Self.run(partitionSeconds: 600)
        let k = Self.kills(r)
        #expect(k.contains { $0.0.hasPrefix("web") } && k.contains { $0.0.hasPrefix("fast") })
        #expect(k.allSatisfy { ($0.0.hasPrefix("fast") && $0.1 == 3660) || ($0.0.hasPrefix("web") && $0.1 == 3900) })
        #expect(!k.contains { $0.0.hasPrefix("agent") })
        #expect(r.failureLog.killed[.nodeUnreachable] == k.count)
        let replacements = r.failureLog.entries.filter { $0.event == "task_recreated" }
        #expect(replacements.count == k.count)
        #expect(r.cluster.tasks.filter { $0.state == .running && !$0.spec.name.hasPrefix("agent") }.count == 6)
    }
}
