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
        // Generic presets on every bundled scenario; the other families below.
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

    /// The other families' presets (Kubernetes, Nomad, Swarm, ECS, Mesos) on
    /// the general scenarios: invariants after every event, nothing lost.
    /// Presets that are aliases of another (same spec) run once; Mesos only on
    /// the quickstart (its offer cycles make the larger runs slow in debug builds).
    static let otherFamilies: [(String, String)] = {
        var seen: [SchedulerSpec] = []
        var matrix: [(String, String)] = []
        for preset in SchedulerRegistry.presets where preset.spec.architecture != .monolithic {
            var spec = preset.spec
            spec.preset = ""
            if seen.contains(spec) { continue }
            seen.append(spec)
            let files = preset.spec.architecture == .mesos ? ["quickstart"] : ["quickstart", "gpu-pool-taints"]
            matrix += files.map { (Repository.path("scenarios/\($0).yaml"), preset.name) }
        }
        return matrix
    }()

    @Test(arguments: otherFamilies) func otherFamiliesKeepInvariants(_ path: String, _ scheduler: String) throws {
        let scenario = try ScenarioLoader.load(path: path)
        let spec = try #require(SchedulerRegistry.preset(named: scheduler)).spec
        let (result, violations) = try runChecked(scenario, options: RunOptions(scheduler: spec))
        #expect(violations.isEmpty, "\(path) × \(scheduler): \(violations.prefix(3))")
        let s = result.summary
        #expect(s.scheduled > 0)
        #expect(s.submitted == s.pending + s.running + s.finished + s.failed + s.killed, "tasks lost")
    }
}
