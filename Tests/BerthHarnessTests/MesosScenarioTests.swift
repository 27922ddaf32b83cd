import BerthCluster
import BerthHarness
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Foundation
import Testing

/// The scenarios under scenarios/mesos/ and the mesos-drf preset on a bundled
/// scenario, with invariants checked after every event.
@Suite struct MesosScenarioTests {
    static func run(_ path: String, seed: UInt64? = nil, scheduler: String? = nil) throws -> RunResult {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/\(path).yaml"))
        let spec = try scheduler.map { try #require(SchedulerRegistry.preset(named: $0)).spec }
        let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed, scheduler: spec))
        #expect(violations.isEmpty, "\(violations.prefix(3))")
        return result
    }

    static func tasks(_ r: RunResult, workload: String, _ state: TaskState = .running) -> [TaskRecord] {
        guard let w = r.scenario.workloads.firstIndex(where: { $0.name == workload }) else { return [] }
        return r.cluster.tasks.filter { $0.spec.workload == Int32(w) && $0.state == state }
    }

    /// DRF paper (NSDI 2011) §4.1: 9 CPUs, 18 GB; A ⟨1 CPU, 4 GB⟩, B ⟨3 CPUs, 1 GB⟩
    /// → A runs 3 tasks, B 2; both dominant shares 2/3.
    @Test(arguments: [1, 2, 3] as [UInt64]) func drfPaperExample(seed: UInt64) throws {
        let r = try Self.run("mesos/drf-paper-example", seed: seed)
        let a = Self.tasks(r, workload: "a"), b = Self.tasks(r, workload: "b")
        #expect(a.count == 3 && b.count == 2)
        let gi = Double(1 << 30)
        let shareA = max(Double(a.count) * 1 / 9, Double(a.count) * 4 * gi / (18 * gi))
        let shareB = max(Double(b.count) * 3 / 9, Double(b.count) * 1 * gi / (18 * gi))
        #expect(abs(shareA - 2.0 / 3) < 1e-9 && abs(shareB - 2.0 / 3) < 1e-9)
        // One launch per allocation cycle, alternating by dominant share: A, B, A, B, A.
        let starts = (a + b).sorted { $0.startMicros < $1.startMicros }
        #expect(starts.map(\.startMicros) == [0, 1, 2, 3, 4].map { Int64($0) * 1_000_000 })
        #expect(starts.map { r.scenario.workloads[Int($0.spec.workload)].name } == ["a", "b", "a", "b", "a"])
    }

    @Test(arguments: [5, 6] as [UInt64]) func marathonConstraintsAndBatch(seed: UInt64) throws {
        let r = try Self.run("mesos/services-and-batch", seed: seed)
        let web = Self.tasks(r, workload: "web")
        #expect(web.count == 6 && Set(web.map(\.node)).count == 6, "[hostname, UNIQUE]: one per agent")
        #expect(Self.tasks(r, workload: "web", .pending).count == 2)
        var zones: [String: Int] = [:]
        for t in Self.tasks(r, workload: "api") { zones[r.cluster.nodes[Int(t.node)].zone, default: 0] += 1 }
        #expect(zones == ["zone-a": 2, "zone-b": 2, "zone-c": 2], "[@zone, GROUP_BY, 3]")
        #expect(Self.tasks(r, workload: "etl", .pending).isEmpty && !Self.tasks(r, workload: "etl", .finished).isEmpty)
    }

    /// Without a horizon a run ends when nothing can change any more, even though
    /// Marathon keeps declining (and re-receiving) the agents a UNIQUE app cannot use.
    @Test func runWithoutHorizonEnds() throws {
        let text = """
        name: mesos-no-horizon
        scheduler: mesos-drf
        cluster:
          pools:
            - {name: agent, count: 2, capacity: {cpu: 4, memory: 16Gi}}
        workloads:
          - name: web
            kind: service
            replicas: 3
            marathon_constraints: [[hostname, UNIQUE]]
            requests: {cpu: 1, memory: 1Gi}
          - name: jobs
            kind: batch
            arrival: {process: poisson, rate: 60/h, end: 10m}
            duration: 1m
            requests: {cpu: 1, memory: 1Gi}
        """
        let scenario = try ScenarioLoader.load(text: text, file: "no-horizon.yaml")
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty)
        #expect(Self.tasks(r, workload: "web").count == 2 && Self.tasks(r, workload: "web", .pending).count == 1)
        #expect(r.endMicros < 3600 * 1_000_000, "ends after the last batch task, not at some later decline")
    }

    /// A role given at one workload is the framework's role for all its workloads.
    @Test func workloadRoleBecomesTheFrameworksRole() throws {
        let text = try String(contentsOfFile: Repository.path("scenarios/mesos/services-and-batch.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "      etl-framework: {type: batch, role: batch}\n", with: "      etl-framework: {type: batch}\n")
        let scenario = try ScenarioLoader.load(text: text, file: "services-and-batch.yaml")
        #expect(scenario.scheduler.mesos.frameworks["etl-framework"]?.role == "batch")
        #expect(scenario.scheduler.mesos.frameworks["etl-framework"]?.kind == .batch)
        #expect(scenario.scheduler.mesos.roleWeights == ["batch": 2])
    }

    /// A bundled scenario under the preset: invariants hold and two runs are byte-identical.
    @Test func quickstartUnderMesosDRF() throws {
        let r = try Self.run("quickstart", scheduler: "mesos-drf")
        #expect(r.summary.pending == 0)
        #expect(r.schedulerName == "mesos-drf")
        let again = try Self.run("quickstart", scheduler: "mesos-drf")
        for (name, table) in RunArtifacts.tables(r) where RunArtifacts.deterministicFiles.contains(name) {
            #expect(table.rendered() == RunArtifacts.tables(again).first { $0.0 == name }?.1.rendered(), "\(name) differs")
        }
    }
}
