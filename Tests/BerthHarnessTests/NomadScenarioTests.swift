import BerthCluster
import BerthHarness
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Testing

/// scenarios/nomad/: outcomes that follow from Nomad's placement rules whatever the seed.
@Suite struct NomadScenarioTests {
    static func run(_ name: String, scheduler: String, seed: UInt64, workers: Int? = 1) throws -> RunResult {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/nomad/\(name).yaml"))
        var spec = try #require(SchedulerRegistry.preset(named: scheduler)).spec
        spec.nomad.numSchedulers = workers
        let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed, scheduler: spec))
        #expect(violations.isEmpty, "\(violations.prefix(3))")
        return result
    }

    static func tasks(_ r: RunResult, _ workload: String) -> [TaskRecord] {
        guard let w = r.scenario.workloads.firstIndex(where: { $0.name == workload }) else { return [] }
        return r.cluster.tasks.filter { $0.spec.workload == Int32(w) }
    }

    static let linux: Set<String> = ["linux-0", "linux-1", "linux-2", "linux-3", "linux-4", "linux-5"]

    /// Shared by both algorithms: constraints, distinct_hosts, 50/50 spread, one system allocation per linux node.
    static func checkCommon(_ r: RunResult) {
        #expect(r.summary.pending == 0 && r.summary.running == 34)
        let web = tasks(r, "web").map { r.cluster.nodes[Int($0.node)] }
        #expect(web.count == 4)
        #expect(web.allSatisfy { linux.contains($0.name) }, "constraint kernel.name = linux")
        #expect(Set(web.map(\.name)).count == 4, "distinct_hosts")
        #expect(web.filter { $0.zone == "dc1" }.count == 2 && web.filter { $0.zone == "dc2" }.count == 2, "spread 50/50")
        let agents = tasks(r, "agent").map { r.cluster.nodes[Int($0.node)].name }
        #expect(agents.sorted() == linux.sorted(), "system job: once on every node passing its constraint")
        #expect(tasks(r, "jobs").allSatisfy { linux.contains(r.cluster.nodes[Int($0.node)].name) })
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func binpackLeavesANodeFree(seed: UInt64) throws {
        let r = try Self.run("binpack-vs-spread", scheduler: "nomad", seed: seed)
        Self.checkCommon(r)
        let used = Set(Self.tasks(r, "jobs").map(\.node))
        #expect(used.count == 5, "ScoreFitBinPack fills 5 of the 6 linux nodes with the 24 jobs")
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func spreadUsesEveryNode(seed: UInt64) throws {
        let r = try Self.run("binpack-vs-spread", scheduler: "nomad-spread", seed: seed)
        Self.checkCommon(r)
        let used = Set(Self.tasks(r, "jobs").map(\.node))
        #expect(used.count == 6, "ScoreFitSpread puts jobs on every linux node")
    }

    /// 4 workers planning on one snapshot, or the stack on the monolithic queue
    /// (`num_schedulers: 0`), keep the same guarantees: the plan applier never
    /// over-commits, constraints, distinct_hosts and spread still hold.
    @Test(arguments: [(1, 4), (2, 4), (1, nil), (2, nil)] as [(UInt64, Int?)])
    func workerCountsKeepTheRules(seed: UInt64, workers: Int?) throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/nomad/binpack-vs-spread.yaml"))
        var spec = try #require(SchedulerRegistry.preset(named: "nomad")).spec
        spec.nomad.numSchedulers = workers
        let (r, violations) = try runChecked(scenario, options: RunOptions(seed: seed, scheduler: spec))
        #expect(violations.isEmpty, "\(violations.prefix(3))")
        Self.checkCommon(r)
    }

    static func explain(_ yaml: String, task: String) throws -> (rows: [String: [String: String]], selected: String?) {
        let scenario = try ScenarioLoader.load(text: yaml, file: "explain.yaml")
        let e = try Explainer.explain(scenario, scheduler: scenario.scheduler, seed: nil, task: task, atMicros: nil)
        let table = try #require(CSVTable.parse(e.table.rendered()))
        let rows = table.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(table[0], $0)) }
        return (Dictionary(uniqueKeysWithValues: rows.map { ($0["node"] ?? "", $0) }), rows.first { $0["selected"] == "true" }?["node"])
    }

    /// funcs_test.go `TestScoreFitBinPack` "mid-case scnario" as a scenario: node 4096 MHz / 8192 MB with
    /// 2048 / 4096 reserved, a 1024 MHz / 2048 MB task → 20 − 2·10^0.5 = 13.675 → /18 = 0.759747 (millionths).
    /// The spread preset scores 4.325/18 = 0.240253.
    @Test func scoreFitReproducedThroughExplain() throws {
        let yaml = """
            name: upstream-score-fit
            scheduler: SCHED
            cluster:
              pools:
                - {name: n, count: 1, capacity: {cpu: 4096m, memory: 8192Mi}, allocatable: {cpu: 2048m, memory: 4096Mi}}
            workloads:
              - name: t
                kind: service
                nomad: {count: 1, resources: {cpu: 1024, memory: 2048}}
            """
        let binpack = try Self.explain(yaml.replacingOccurrences(of: "SCHED", with: "nomad"), task: "t")
        #expect(binpack.rows["n-0"]?["binpack_raw"] == "759747")
        #expect(binpack.rows["n-0"]?["total"] == "759747")
        let spread = try Self.explain(yaml.replacingOccurrences(of: "SCHED", with: "nomad-spread"), task: "t")
        #expect(spread.rows["n-0"]?["binpack_raw"] == "240253")
    }

    /// rank_test.go `TestNodeAffinityIterator` as a scenario: affinities dc1 +100, dc2 −100, kernel.version > 4.0 +50,
    /// class large +50 (Σ|w| = 300) → 0.5, −1/3, −1/6, 1/3; the score normalisation averages it with binpack.
    @Test func nodeAffinityReproducedThroughExplain() throws {
        let r = try Self.explain("""
            name: upstream-node-affinity
            scheduler: nomad
            cluster:
              pools:
                - {name: a, count: 1, zones: [dc1], capacity: {cpu: 4, memory: 8Gi}, labels: {kernel.version: "4.9"}}
                - {name: b, count: 1, zones: [dc2], capacity: {cpu: 4, memory: 8Gi}}
                - {name: c, count: 1, zones: [dc2], capacity: {cpu: 4, memory: 8Gi}, labels: {node.class: large}}
                - {name: d, count: 1, zones: [dc1], capacity: {cpu: 4, memory: 8Gi}}
            workloads:
              - name: t
                kind: service
                nomad:
                  count: 1
                  affinities:
                    - {attribute: "${node.datacenter}", value: dc1, weight: 100}
                    - {attribute: "${node.datacenter}", value: dc2, weight: -100}
                    - {attribute: "${attr.kernel.version}", operator: version, value: ">4.0", weight: 50}
                    - {attribute: "${node.class}", operator: is, value: large, weight: 50}
            """, task: "t")
        #expect(r.rows["a-0"]?["node-affinity_raw"] == "500000")
        #expect(r.rows["b-0"]?["node-affinity_raw"] == "-333333")
        #expect(r.rows["c-0"]?["node-affinity_raw"] == "-166667")
        #expect(r.rows["d-0"]?["node-affinity_raw"] == "333333")
        #expect(r.selected == "a-0")
    }

    /// A priority-100 system job arriving on nodes full of priority-10 service allocations preempts one
    /// allocation per node (plan applier evictions); the service's controller re-creates the evicted ones,
    /// which then wait. Invariants hold after every event.
    @Test func systemJobPreemptsThroughThePlanApplier() throws {
        let scenario = try ScenarioLoader.load(text: """
            name: nomad-system-preemption
            horizon: 1h
            scheduler: {name: nomad, num_schedulers: 2}
            cluster:
              pools:
                - {name: n, count: 3, capacity: {cpu: 2000m, memory: 4Gi, pods: 100}}
            workloads:
              - name: filler
                kind: service
                priority: 10
                nomad: {count: 6, resources: {cpu: 1000, memory: 1024}}
              - name: agent
                kind: daemonset
                start: 10m
                priority: 100
                nomad: {type: system, resources: {cpu: 500, memory: 256}}
            """, file: "preemption.yaml")
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(3))")
        let agents = Self.tasks(r, "agent")
        #expect(agents.count == 3 && agents.allSatisfy { $0.state == .running })
        #expect(Set(agents.map(\.node)).count == 3)
        let filler = Self.tasks(r, "filler")
        #expect(filler.filter { $0.state == .killed }.count == 3, "one victim per node")
        #expect(filler.filter { $0.state == .running }.count == 3)
        #expect(filler.filter { $0.state == .pending }.count == 3, "re-created, nowhere to go")
    }

    /// scenarios/nomad/plan-conflicts.yaml: 8 workers planning 60 jobs on shared snapshots collide
    /// (plans rejected, evaluations re-planned: attempts > 1), evaluations that run out of plan
    /// attempts are released by the minute's UnblockFailed, and everything ends up running within
    /// a minute. One worker never conflicts.
    @Test(arguments: [1, 2, 3] as [UInt64]) func planConflictsUnderEightWorkers(seed: UInt64) throws {
        let eight = try Self.run("plan-conflicts", scheduler: "nomad", seed: seed, workers: 8)
        let jobs = Self.tasks(eight, "jobs")
        #expect(jobs.count == 60 && jobs.allSatisfy { $0.startMicros >= 0 })
        #expect(jobs.contains { $0.attempts > 1 }, "plans collided")
        #expect(jobs.allSatisfy { $0.startMicros - $0.submitMicros <= 60_000_000 }, "released by the next UnblockFailed tick")
        let one = try Self.run("plan-conflicts", scheduler: "nomad", seed: seed, workers: 1)
        #expect(Self.tasks(one, "jobs").allSatisfy { $0.attempts == 1 && $0.startMicros == 0 })
    }

    /// Same scenario + seed ⇒ byte-identical reports under the Nomad presets (shuffles, evaluations,
    /// plan conflicts and preemption all draw from the run's streams only).
    @Test(arguments: ["binpack-vs-spread", "plan-conflicts"]) func nomadRunsAreByteIdentical(_ name: String) throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/nomad/\(name).yaml"))
        func csvs() throws -> [String: String] {
            let result = try Simulator(scenario: scenario).run()
            var files: [String: String] = [:]
            for (file, table) in RunArtifacts.tables(result) { files[file] = table.rendered() }
            return files
        }
        let a = try csvs(), b = try csvs()
        for file in RunArtifacts.deterministicFiles { #expect(a[file] == b[file], "\(name): \(file) differs") }
    }
}
