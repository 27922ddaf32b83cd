@testable import BerthHarness
import BerthScenario
import BerthTestSupport
import BerthWorkloads
import Testing

/// A Job's `podFailurePolicy` (batch/v1, v1.28): rule matching ported from
/// upstream's TestMatchPodFailurePolicy (pkg/controller/job/pod_failure_policy_test.go)
/// and its effect on whole runs.
@Suite struct PodFailurePolicyTests {
    typealias Rule = PodFailurePolicy.Rule
    typealias Pod = PodFailurePolicy.FailedPod
    static let disruption = PodFailurePolicy.ConditionPattern(type: "DisruptionTarget")
    static func exits(_ op: PodFailurePolicy.ExitCodeOperator, _ values: [Int32], container: String? = nil) -> PodFailurePolicy.ExitCodes {
        PodFailurePolicy.ExitCodes(containerName: container, op: op, values: values)
    }
    static func exited(_ codes: [(String, Int32)]) -> Pod { Pod(exitCodes: codes.map { ($0.0, $0.1) }, conditions: []) }
    static func condition(_ type: String, _ status: String) -> Pod { Pod(exitCodes: [], conditions: [(type, status)]) }

    /// (upstream case name, rules, failed pod, expected action, expected rule index)
    static let cases: [(String, [Rule], Pod, PodFailurePolicy.Action?, Int?)] = [
        ("no policy rules", [], exited([("main", 2)]), nil, nil),
        ("ignore rule matched for exit codes", [Rule(action: .ignore, onExitCodes: exits(.in, [1, 2, 3]))],
         exited([("main", 2)]), .ignore, 0),
        ("ignore rule matched on negative exit codes - needed for Windows support",
         [Rule(action: .ignore, onExitCodes: exits(.in, [-1_073_741_676, -1_073_741_510]))],
         exited([("main", -1_073_741_510)]), .ignore, 0),
        ("FailJob rule matched for exit codes", [Rule(action: .failJob, onExitCodes: exits(.in, [1, 2, 3]))],
         exited([("main-container", 2)]), .failJob, 0),
        ("successful containers are skipped by the rules", [Rule(action: .failJob, onExitCodes: exits(.notIn, [111]))],
         exited([("main-container", 111), ("suppport-container", 0), ("init-container", 0)]), nil, nil),
        ("pod failure policy with NotIn operator and value 0", [Rule(action: .failJob, onExitCodes: exits(.notIn, [0]))],
         exited([("main-container", 1), ("suppport-container", 0)]), .failJob, 0),
        ("second jobfail rule matched for exit codes",
         [Rule(action: .count, onExitCodes: exits(.in, [1, 2, 3])), Rule(action: .failJob, onExitCodes: exits(.in, [4, 5, 6]))],
         exited([("main-container", 6)]), .failJob, 1),
        ("count rule matched for exit codes", [Rule(action: .count, onExitCodes: exits(.in, [1, 2, 3]))],
         exited([("bar", 2)]), .count, 0),
        ("ignore rule matched for pod conditions", [Rule(action: .ignore, onPodConditions: [disruption])],
         condition("DisruptionTarget", "True"), .ignore, 0),
        ("ignore rule matches by the status=False",
         [Rule(action: .ignore, onPodConditions: [PodFailurePolicy.ConditionPattern(type: "DisruptionTarget", status: "False")])],
         condition("DisruptionTarget", "False"), .ignore, 0),
        ("ignore rule matches by the status=Unknown",
         [Rule(action: .ignore, onPodConditions: [PodFailurePolicy.ConditionPattern(type: "DisruptionTarget", status: "Unknown")])],
         condition("DisruptionTarget", "Unknown"), .ignore, 0),
        ("ignore rule does not match when status for pattern is False, but actual True",
         [Rule(action: .ignore, onPodConditions: [PodFailurePolicy.ConditionPattern(type: "DisruptionTarget", status: "False")])],
         condition("DisruptionTarget", "True"), nil, nil),
        // Berth: a rule naming a container only sees that container's exit code.
        ("container name restricts the match", [Rule(action: .failJob, onExitCodes: exits(.in, [42], container: "main"))],
         exited([("sidecar", 42), ("main", 1)]), nil, nil),
    ]

    @Test(arguments: cases.indices)
    func matchesAsUpstream(_ i: Int) {
        let (name, rules, pod, action, rule) = Self.cases[i]
        let match = PodFailurePolicy(rules: rules).match(pod)
        #expect(match?.action == action, "\(name)")
        #expect(match?.rule == rule, "\(name)")
    }

    /// Ignored failures do not count toward backoffLimit but do lengthen the
    /// back-off (upstream newBackoffRecord counts every new failed pod); a
    /// FailJob match fails the Job whatever the counts.
    @Test func controllerCountsIgnoredFailuresOnlyForTheDelay() {
        var jobs = JobController()
        #expect(jobs.podsFailed(1, count: 1, ignored: 1, backoffLimit: 0) == .recreate(afterMicros: 10_000_000))
        #expect(jobs.podsFailed(1, count: 2, ignored: 2, backoffLimit: 0) == .recreate(afterMicros: 40_000_000))
        #expect(jobs.podsFailed(1, count: 1, ignored: 0, backoffLimit: 0) == .failJob, "the first counted failure exceeds 0")
        #expect(jobs.podsFailed(2, count: 1, ignored: 0, backoffLimit: 6, failJob: true) == .failJob)
        #expect(jobs.failedJobs == 2)
    }

    static func run(_ text: String) throws -> RunResult {
        let (r, violations) = try runChecked(ScenarioLoader.load(text: text, file: "pfp.yaml"))
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        return r
    }

    /// One 2-CPU node: a 1 h training pod (backoff_limit 0) is preempted at
    /// 10 min by a 5 min urgent job. Without a policy that failure exceeds the
    /// limit and the Job fails; with `Ignore` on DisruptionTarget the Job
    /// re-creates the pod, which runs once the urgent job is done.
    @Test(arguments: [false, true])
    func ignoringDisruptionsLetsAPreemptedJobFinish(_ withPolicy: Bool) throws {
        let policy = withPolicy ? ", pod_failure_policy: {rules: [{action: Ignore, on_pod_conditions: [{type: DisruptionTarget}]}]}" : ""
        let r = try Self.run("""
        name: pfp-ignore
        scheduler: kubernetes
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 2, memory: 8Gi}}]}
        workloads:
          - {name: train, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 1h, requests: {cpu: 2},
             backoff_limit: 0\(policy)}
          - {name: urgent, kind: batch, priority: 100, arrival: {process: fixed, at: [10m]}, duration: 5m, requests: {cpu: 2}}
        """)
        let train = r.cluster.tasks.filter { $0.spec.name.hasPrefix("train") }
        #expect(r.summary.preempted == 1)
        if withPolicy {
            #expect(r.summary.jobsFailed == 0)
            #expect(train.count == 2 && train.last?.state == .finished)
            // The victim terminates 10:00–10:30, urgent runs 10:30–15:30, then the replacement runs 1 h.
            #expect(train.last?.startMicros == 930_000_000 && train.last?.endMicros == 4_530_000_000)
        } else {
            #expect(r.summary.jobsFailed == 1)
            #expect(train.allSatisfy { $0.state != .finished })
        }
    }

    /// A pod lost with its node carries DisruptionTarget too (upstream: the
    /// taint manager or pod GC deletes it with that condition), but no exit
    /// code: an `Ignore` rule on the condition spares the Job, one on exit
    /// codes does not.
    @Test(arguments: ["on_pod_conditions: [{type: DisruptionTarget}]", "on_exit_codes: {operator: NotIn, values: [1]}"])
    func nodeLossIsADisruptionWithoutExitCode(_ requirement: String) throws {
        let r = try Self.run("""
        name: pfp-node
        scheduler: kubernetes
        cluster:
          pools: [{name: n, count: 2, capacity: {cpu: 4, memory: 8Gi}, zones: [a, b]}]
        workloads:
          - {name: train, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 2h, requests: {cpu: 1},
             tasks_per_job: 2, backoff_limit: 0, node_selector: {topology.kubernetes.io/zone: a},
             pod_failure_policy: {rules: [{action: Ignore, \(requirement)}]}}
        failures:
          outages: [{label: topology.kubernetes.io/zone, value: a, at_s: [3600], time_to_repair_s: 1800}]
        """)
        let lost = r.failureLog.entries.filter { $0.event == "task_killed" && $0.cause == "node_failure" }
        #expect(lost.count == 2)
        if requirement.hasPrefix("on_pod_conditions") {
            #expect(r.summary.jobsFailed == 0)
            #expect(r.cluster.tasks.filter { $0.state == .finished }.count == 2, "re-created, run after the repair")
        } else {
            #expect(r.summary.jobsFailed == 1, "no exit code to match: the failures count and exceed 0")
        }
    }

    /// A crash with exit code 42 matches a FailJob rule: the Job fails at once
    /// and its other pods are deleted with cause pod_failure_policy; any
    /// other exit code counts toward backoffLimit as usual.
    @Test(arguments: [42, 3])
    func failJobOnAnExitCode(_ code: Int) throws {
        let r = try Self.run("""
        name: pfp-failjob
        scheduler: kubernetes
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 8, memory: 8Gi}}]}
        workloads:
          - name: sim
            kind: batch
            arrival: {process: fixed, at: [0s]}
            tasks_per_job: 3
            duration: 10m
            crash_probability: 0.5
            crash_exit_code: \(code)
            backoff_limit: 100
            pod: {containers: [{name: main, requests: {cpu: 1}}]}
            pod_failure_policy:
              rules:
                - {action: FailJob, on_exit_codes: {container_name: main, operator: In, values: [42]}}
        """)
        let killedByPolicy = r.failureLog.entries.filter { $0.cause == "pod_failure_policy" }
        let crashes = r.failureLog.entries.filter { $0.event == "task_failed" }
        #expect(!crashes.isEmpty, "seed 1 crashes at least one pod")
        if code == 42 {
            #expect(r.summary.jobsFailed == 1)
            #expect(crashes.count == 1, "the first failure fails the Job")
            #expect(r.cluster.tasks.allSatisfy { $0.state != .pending && $0.state != .running })
            #expect(killedByPolicy.count == r.cluster.tasks.filter { $0.state == .killed }.count)
        } else {
            #expect(r.summary.jobsFailed == 0 && killedByPolicy.isEmpty)
            #expect(r.cluster.tasks.filter { $0.state == .finished }.count == 3, "failures are retried until three succeed")
        }
    }
}
