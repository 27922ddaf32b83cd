import BerthScenario
import BerthWorkloads
import Testing

/// `pod_failure_policy` on a batch workload, validated as upstream validates
/// a Job's podFailurePolicy (pkg/apis/batch/validation, v1.28).
@Suite struct PodFailurePolicyLoaderTests {
    static func scenario(_ extra: String, pod: Bool = false) -> String {
        let requests = pod ? "pod: {containers: [{name: main, requests: {cpu: 1}}]}" : "requests: {cpu: 1}"
        return """
        name: pfp
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - name: job
            kind: batch
            arrival: {process: fixed, at: [0s]}
            duration: 1m
            \(requests)
        \(extra)
        """
    }

    @Test func decodesRulesInOrder() throws {
        let s = try loadValid(Self.scenario("""
                crash_probability: 0.1
                crash_exit_code: 42
                pod_failure_policy:
                  rules:
                    - {action: FailJob, on_exit_codes: {container_name: main, operator: In, values: [42, 43]}}
                    - {action: Ignore, on_pod_conditions: [{type: DisruptionTarget}]}
                    - {action: Count, on_exit_codes: {operator: NotIn, values: [0]}}
            """, pod: true))
        let policy = try #require(s.workloads[0].podFailurePolicy)
        #expect(policy.rules.map(\.action) == [.failJob, .ignore, .count])
        #expect(policy.rules[0].onExitCodes == PodFailurePolicy.ExitCodes(containerName: "main", op: .in, values: [42, 43]))
        #expect(policy.rules[1].onPodConditions == [PodFailurePolicy.ConditionPattern(type: "DisruptionTarget", status: "True")])
        #expect(s.crashes[0]?.exitCode == 42)
    }

    @Test(arguments: [
        ("both requirements", "pod_failure_policy: {rules: [{action: Ignore, on_exit_codes: {operator: In, values: [1]}, on_pod_conditions: [{type: DisruptionTarget}]}]}",
         "workloads[0].pod_failure_policy.rules[0]", "not both"),
        ("no requirement", "pod_failure_policy: {rules: [{action: Ignore}]}",
         "workloads[0].pod_failure_policy.rules[0]", "needs one of on_exit_codes and on_pod_conditions"),
        ("unknown action", "pod_failure_policy: {rules: [{action: Retry, on_pod_conditions: [{type: DisruptionTarget}]}]}",
         "workloads[0].pod_failure_policy.rules[0].action", "unknown action \"Retry\""),
        ("zero with In", "pod_failure_policy: {rules: [{action: Ignore, on_exit_codes: {operator: In, values: [0, 1]}}]}",
         "workloads[0].pod_failure_policy.rules[0].on_exit_codes.values[0]", "must not be 0 for the In operator"),
        ("unordered values", "pod_failure_policy: {rules: [{action: Ignore, on_exit_codes: {operator: In, values: [3, 1]}}]}",
         "workloads[0].pod_failure_policy.rules[0].on_exit_codes.values", "must be ordered"),
        ("container of a workload without pod", "pod_failure_policy: {rules: [{action: Ignore, on_exit_codes: {container_name: main, operator: In, values: [1]}}]}",
         "workloads[0].pod_failure_policy.rules[0].on_exit_codes.container_name", "has no pod"),
        ("bad status", "pod_failure_policy: {rules: [{action: Ignore, on_pod_conditions: [{type: DisruptionTarget, status: yes}]}]}",
         "workloads[0].pod_failure_policy.rules[0].on_pod_conditions[0].status", "unknown condition status"),
        ("restart policy OnFailure", "restart_policy: OnFailure\n    crash_probability: 0.5\n    pod_failure_policy: {rules: [{action: Ignore, on_pod_conditions: [{type: DisruptionTarget}]}]}",
         "workloads[0].restart_policy", "only \"Never\""),
        ("exit code without crashes", "crash_exit_code: 3", "workloads[0].crash_exit_code", "needs crash_probability"),
    ])
    func badPoliciesAreReported(_ c: (String, String, String, String)) {
        let text = Self.scenario("    " + c.1)
        var diagnostics: [Diagnostic] = []
        do { _ = try ScenarioLoader.load(text: text, file: "pfp.yaml") } catch { diagnostics = error.diagnostics }
        #expect(diagnostics.count == 1, "\(c.0): \(diagnostics)")
        guard let first = diagnostics.first else { return }
        #expect(first.path == c.2, "\(c.0)")
        #expect(first.message.contains(c.3), "\(c.0): \(first.message)")
    }

    @Test func containerNameMustBeThePods() {
        let text = Self.scenario("    pod_failure_policy: {rules: [{action: Ignore, on_exit_codes: {container_name: side, operator: In, values: [1]}}]}", pod: true)
        var diagnostics: [Diagnostic] = []
        do { _ = try ScenarioLoader.load(text: text, file: "pfp.yaml") } catch { diagnostics = error.diagnostics }
        #expect(diagnostics.count == 1 && diagnostics.first?.message.contains("must be one of the container") == true, "\(diagnostics)")
    }
}
