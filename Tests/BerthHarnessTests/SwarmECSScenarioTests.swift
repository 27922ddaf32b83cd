import BerthCluster
import BerthHarness
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Foundation
import Testing

/// The scenarios under scenarios/swarm/ and scenarios/ecs/: their outcomes
/// follow from swarmkit's and ECS's placement rules, whatever the seed.
@Suite struct SwarmECSScenarioTests {
    static func run(_ path: String, seed: UInt64? = nil, scheduler: String? = nil) throws -> RunResult {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/\(path).yaml"))
        let spec = try scheduler.map { try #require(SchedulerRegistry.preset(named: $0)).spec }
        let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed, scheduler: spec))
        #expect(violations.isEmpty, "\(violations.prefix(3))")
        return result
    }

    static func running(_ r: RunResult, workload: String) -> [TaskRecord] {
        guard let w = r.scenario.workloads.firstIndex(where: { $0.name == workload }) else { return [] }
        return r.cluster.tasks.filter { $0.spec.workload == Int32(w) && $0.state == .running }
    }

    static func count(_ tasks: [TaskRecord], by key: (NodeSpec) -> String, in r: RunResult) -> [String: Int] {
        var counts: [String: Int] = [:]
        for t in tasks { counts[key(r.cluster.nodes[Int(t.node)]), default: 0] += 1 }
        return counts
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func swarmSpreadsOverRacksAndHonoursLimits(seed: UInt64) throws {
        let r = try Self.run("swarm/racks-and-limits", seed: seed)
        let web = Self.running(r, workload: "web")
        #expect(web.count == 12)
        #expect(Self.count(web, by: { $0.labels["rack"] ?? "" }, in: r) == ["r1": 4, "r2": 4, "r3": 4],
                "the preference tree splits evenly over racks, not over nodes")
        #expect(web.allSatisfy { r.cluster.nodes[Int($0.node)].pool != "manager" }, "node.role==worker")
        #expect(Self.count(web, by: \.pool, in: r)["worker-r3"] == 4, "rack r3's two workers take two each")
        let cache = Self.running(r, workload: "cache")
        #expect(cache.count == 4 && Set(cache.map(\.node)).count == 4, "max_replicas_per_node 1 on the four r2 workers")
        #expect(cache.allSatisfy { r.cluster.nodes[Int($0.node)].labels["rack"] == "r2" })
        #expect(r.summary.pending == 2)
        let api = Self.running(r, workload: "api")
        #expect(Set(Self.count(api, by: \.name, in: r).values) == [2], "20 tasks over 10 workers: 2 each")
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func ecsSpreadBalancesZonesThenBinpacks(seed: UInt64) throws {
        let r = try Self.run("ecs/az-spread", seed: seed)
        let web = Self.running(r, workload: "web")
        #expect(Self.count(web, by: \.zone, in: r) == ["us-east-1a": 4, "us-east-1b": 4, "us-east-1c": 4])
        // binpack memory inside each zone: the 8 GiB c5 first (2 tasks of 3 GiB), then one m5.
        #expect(Set(web.map(\.node)).count == 6, "two instances per zone")
        #expect(Self.count(web, by: \.pool, in: r) == ["c5.xlarge": 6, "m5.xlarge": 6])
        let agent = Self.running(r, workload: "agent")
        #expect(agent.count == 6 && Set(agent.map(\.node)).count == 6, "distinctInstance")
        #expect(agent.allSatisfy { r.cluster.nodes[Int($0.node)].pool == "m5.xlarge" }, "memberOf m5.*")
        #expect(r.summary.pending == 3)
    }

    @Test func ecsBinpackFillsFewestInstancesAndRandomScatters() throws {
        let packed = try Self.run("ecs/binpack")
        #expect(Set(Self.running(packed, workload: "worker").map(\.node)).count == 2, "8 × 4 GiB on 16 GiB instances")
        var spread = 0
        for seed in [1, 2, 3] as [UInt64] {
            let random = try Self.run("ecs/binpack", seed: seed, scheduler: "ecs-random")
            spread = max(spread, Set(Self.running(random, workload: "worker").map(\.node)).count)
        }
        #expect(spread >= 5, "random placement uses many instances")
    }

    @Test func sameSeedSameCSV() throws {
        for path in ["swarm/racks-and-limits", "ecs/az-spread", "ecs/binpack"] {
            let a = try Self.run(path, scheduler: path.hasPrefix("ecs/binpack") ? "ecs-random" : nil)
            let b = try Self.run(path, scheduler: path.hasPrefix("ecs/binpack") ? "ecs-random" : nil)
            let names = a.scenario.workloads.map(\.name)
            #expect(RunReports.tasks(a.cluster, workloadNames: names).rendered() == RunReports.tasks(b.cluster, workloadNames: names).rendered(), "\(path)")
        }
    }

    static func explain(_ path: String, task: String, at: Int64? = nil) throws -> [[String: String]] {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/\(path).yaml"))
        let e = try Explainer.explain(scenario, scheduler: scenario.scheduler, seed: nil, task: task, atMicros: at)
        let rows = try #require(CSVTable.parse(e.table.rendered()))
        return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(rows[0], $0)) }
    }

    /// swarmkit testMultiplePreferences written as a scenario: the 12 replicas
    /// arrive together, SwarmScheduler places them as one group, and the layout
    /// is the one SwarmPlacementTests.multiplePreferences derives by hand.
    @Test func upstreamMultiplePreferencesAsAScenario() throws {
        let scenario = try ScenarioLoader.load(text: """
            name: swarmkit-multiple-preferences
            scheduler: swarm
            cluster:
              pools:
                - {name: id0, count: 1, name_prefix: id0-, capacity: {cpu: 1, memory: 100M}, labels: {az: az1, rack: rack1}}
                - {name: id1, count: 1, name_prefix: id1-, capacity: {cpu: 1, memory: 1G}, labels: {az: az1, rack: rack1}}
                - {name: az2rack1, count: 3, capacity: {cpu: 1, memory: 1G}, labels: {az: az2, rack: rack1}}
                - {name: az2rack2, count: 2, capacity: {cpu: 1, memory: 1G}, labels: {az: az2, rack: rack2}}
            workloads:
              - name: t1
                kind: service
                replicas: 12
                requests: {memory: 200M}
                placement:
                  preferences: [{spread: node.labels.az}, {spread: node.labels.rack}]
            """, file: "swarm.yaml")
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty)
        let perNode = r.cluster.nodes.indices.map { n in Self.running(r, workload: "t1").filter { $0.node == Int32(n) }.count }
        #expect(perNode == [0, 5, 2, 1, 1, 2, 1])
    }

    /// The ECS guide's binpack example: instances with 2, 4 and 6 GB free and a
    /// 1 GB task: binpack on memory places it on the 2 GB instance; explain shows
    /// the free memory as the strategy's raw value.
    @Test func guideBinpackExampleThroughExplain() throws {
        let scenario = try ScenarioLoader.load(text: """
            name: ecs-guide-binpack
            scheduler: ecs-binpack
            cluster:
              pools:
                - {name: m5, count: 3, capacity: {cpu: 4, memory: 8G}}
            initial:
              - {name: a, node: m5-0, requests: {memory: 6G}}
              - {name: b, node: m5-1, requests: {memory: 4G}}
              - {name: c, node: m5-2, requests: {memory: 2G}}
            workloads:
              - {name: task, kind: service, replicas: 1, start: 1s, requests: {memory: 1G}}
            """, file: "ecs.yaml")
        let e = try Explainer.explain(scenario, scheduler: scenario.scheduler, seed: nil, task: "task", atMicros: 2_000_000)
        let rows = try #require(CSVTable.parse(e.table.rendered()))
        let byNode = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], Dictionary(uniqueKeysWithValues: zip(rows[0], $0))) })
        #expect(byNode["m5-0"]?["binpack(memory)_raw"] == "2000000000")
        #expect(byNode["m5-0"]?["selected"] == "true")
        #expect(byNode["m5-2"]?["binpack(memory)_raw"] == "6000000000" && byNode["m5-2"]?["binpack(memory)_normalized"] == "0")
    }

    /// `berth explain` under ecs-spread for the first agent left pending: every
    /// m5 already runs one (distinctInstance), the c5s are not m5 (memberOf).
    @Test func explainECSPendingAgent() throws {
        let rows = try Self.explain("ecs/az-spread", task: "agent", at: 60_000_001)
        let byNode = Dictionary(uniqueKeysWithValues: rows.map { ($0["node"] ?? "", $0) })
        #expect(byNode["c5.xlarge-0"]?["rejected_by"] == "memberOf")
        #expect(byNode["c5.xlarge-0"]?["reason"] == "MemberOf placement constraint unsatisfied")
        #expect(byNode["m5.xlarge-0"]?["rejected_by"] == "distinctInstance")
        #expect(rows.allSatisfy { $0["selected"] == "false" })
    }

    /// `berth explain` for the last web task under ecs-spread: zone counts then free memory.
    @Test func explainECSWeb() throws {
        let rows = try Self.explain("ecs/az-spread", task: "web", at: 1)
        let columns = Set(rows.first?.keys.map { $0 } ?? [])
        #expect(columns.isSuperset(of: ["spread(attribute:ecs.availability-zone)_raw", "binpack(memory)_raw"]))
        let selected = try #require(rows.first { $0["selected"] == "true" })
        // web-11 is taken off its node: its zone (us-east-1c) then holds 3 of 11 and is the emptiest.
        #expect(selected["zone"] == "us-east-1c")
        #expect(selected["spread(attribute:ecs.availability-zone)_raw"] == "3")
    }

    /// `berth explain` under swarm for the first cache task left pending.
    @Test func explainSwarmPendingCache() throws {
        let rows = try Self.explain("swarm/racks-and-limits", task: "cache", at: 60_000_001)
        let byNode = Dictionary(uniqueKeysWithValues: rows.map { ($0["node"] ?? "", $0) })
        #expect(byNode["manager-0"]?["rejected_by"] == "ConstraintFilter")
        #expect(byNode["manager-0"]?["reason"] == "scheduling constraints not satisfied on 1 node")
        #expect(byNode["worker-r2-0"]?["rejected_by"] == "MaxReplicasFilter")
        #expect(rows.allSatisfy { $0["selected"] == "false" })
    }

    /// `berth explain` under swarm for a placeable web task: ordering keys per node.
    @Test func explainSwarmWeb() throws {
        let rows = try Self.explain("swarm/racks-and-limits", task: "web", at: 1)
        let byNode = Dictionary(uniqueKeysWithValues: rows.map { ($0["node"] ?? "", $0) })
        #expect(byNode["worker-r1-0"]?["ServiceTasks_raw"] == "1" && byNode["worker-r1-0"]?["TotalTasks_raw"] == "1")
        let selected = try #require(rows.first { $0["selected"] == "true" })
        // web-11 came off worker-r3-1; rack r3 then holds 3 of 11 tasks, the fewest, and r3-1 has one.
        #expect(selected["node"] == "worker-r3-1")
    }
}
