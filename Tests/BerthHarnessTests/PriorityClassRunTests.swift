import BerthCluster
import BerthHarness
import BerthScenario
import BerthTestSupport
import Testing

/// PriorityClasses through a whole run under the `kubernetes` preset: a
/// non-preempting class (`preemption_policy: Never`) is scheduled ahead of
/// lower priorities but never evicts anyone; the same pods with the default
/// policy preempt. Invariants are checked after every event.
@Suite struct PriorityClassRunTests {
    static func scenario(policy: String) -> String {
        """
        name: never-preempts
        horizon: 10m
        scheduler: kubernetes
        priority_classes:
          - {name: best-effort, value: 0, global_default: true}
          - {name: urgent, value: 1000, preemption_policy: \(policy)}
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 2, memory: 8Gi}}]}
        workloads:
          - {name: filler, kind: service, replicas: 2, requests: {cpu: 2}}
          - {name: report, kind: batch, priority_class_name: urgent, requests: {cpu: 1},
             arrival: {process: fixed, at: [60s]}, duration: 120s}
        """
    }

    @Test func neverWaitsWhereTheDefaultPolicyPreempts() throws {
        let never = try runChecked(ScenarioLoader.load(text: Self.scenario(policy: "Never"), file: "never.yaml"))
        #expect(never.1.isEmpty, "\(never.1.prefix(5))")
        let report = try #require(never.0.cluster.tasks.first { $0.spec.name.hasPrefix("report") })
        #expect(report.spec.priority == 1000 && report.spec.preemptionPolicy == .never)
        #expect(report.state == .pending, "no room, and it may not make any")
        #expect(never.0.cluster.tasks.allSatisfy { $0.state != .killed })

        let preempting = try runChecked(ScenarioLoader.load(text: Self.scenario(policy: "PreemptLowerPriority"), file: "p.yaml"))
        #expect(preempting.1.isEmpty, "\(preempting.1.prefix(5))")
        let report2 = try #require(preempting.0.cluster.tasks.first { $0.spec.name.hasPrefix("report") })
        #expect(report2.state == .finished)
        // One filler replica was preempted (killed after its 30 s grace period) and replaced.
        #expect(preempting.0.cluster.tasks.filter { $0.state == .killed }.count == 1)
    }
}
