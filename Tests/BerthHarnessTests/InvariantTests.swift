import BerthCluster
import BerthHarness
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Testing

/// Every bundled scenario, under every scheduler, with the invariants checked
/// after every single event: no node over-allocated, every task accounted
/// for, indexes consistent, time monotone.
@Suite struct InvariantTests {
    static let matrix: [(String, String)] = Repository.bundledScenarios().flatMap { path in
        // Generic presets here; the Kubernetes presets in KubernetesScenarioTests (slower per pod).
        SchedulerRegistry.presets.filter { $0.spec.architecture == .monolithic }.map { (path, $0.name) }
    }

    @Test(arguments: matrix) func invariantsHoldAfterEveryEvent(_ path: String, _ scheduler: String) throws {
        let scenario = try ScenarioLoader.load(path: path)
        let spec = try #require(SchedulerRegistry.preset(named: scheduler)).spec
        var events = 0
        let (result, violations) = try runChecked(scenario, options: RunOptions(scheduler: spec, afterEachEvent: { _, _ in events += 1 }))
        #expect(violations.isEmpty, "\(path) × \(scheduler): \(violations.prefix(5))")
        #expect(Int64(events) == result.summary.events)
        let s = result.summary
        #expect(s.submitted == s.pending + s.running + s.finished + s.failed + s.killed, "tasks lost")
        #expect(s.submitted > 0)
        #expect(s.scheduled == s.running + s.finished, "in this issue nothing fails or is killed")
    }
}
