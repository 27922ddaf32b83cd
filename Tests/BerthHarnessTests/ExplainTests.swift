import BerthHarness
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Testing

/// `berth explain` reproduces upstream plugin scores when upstream test cases
/// are written as scenarios.
@Suite struct ExplainTests {
    static func explain(_ yaml: String, task: String, at: Int64? = nil) throws -> [[String: String]] {
        let scenario = try ScenarioLoader.load(text: yaml, file: "explain.yaml")
        let spec = try #require(SchedulerRegistry.preset(named: "kubernetes")).spec
        let e = try Explainer.explain(scenario, scheduler: spec, seed: nil, task: task, atMicros: at)
        let rows = try #require(CSVTable.parse(e.table.rendered()))
        let header = rows[0]
        return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// Upstream least_allocated_test.go "nothing scheduled, resources requested, differently sized nodes":
    /// node1 (4000m, 10000): ((4000-3000)·100/4000 + (10000-5000)·100/10000)/2 = (25+50)/2 = 37
    /// node2 (6000m, 10000): ((6000-3000)·100/6000 + 50)/2 = 50
    /// BalancedAllocation (balanced_allocation_test.go, same shapes): node1 |0.75−0.5|/2 → 100·(1−0.125) = 87,
    /// node2 fractions 0.5, 0.5 → 100.
    @Test func leastAllocatedRowReproduced() throws {
        let rows = try Self.explain("""
            name: upstream-least-allocated
            cluster:
              pools:
                - {name: node1, count: 1, name_prefix: node1, capacity: {cpu: 4, memory: "10000"}}
                - {name: node2, count: 1, name_prefix: node2, capacity: {cpu: 6, memory: "10000"}}
            workloads:
              - name: p
                kind: service
                replicas: 1
                pod: {containers: [{name: c, requests: {cpu: 3, memory: "5000"}}]}
            """, task: "p")
        let byNode = Dictionary(uniqueKeysWithValues: rows.map { ($0["node"] ?? "", $0) })
        #expect(byNode["node10"]?["NodeResourcesFit_raw"] == "37")
        #expect(byNode["node20"]?["NodeResourcesFit_raw"] == "50")
        #expect(byNode["node10"]?["NodeResourcesBalancedAllocation_raw"] == "87")
        #expect(byNode["node20"]?["NodeResourcesBalancedAllocation_raw"] == "100")
        #expect(byNode["node20"]?["selected"] == "true")
    }

    /// Rejections carry the plugin and upstream's reason.
    @Test func rejectionsAreExplained() throws {
        let rows = try Self.explain("""
            name: taints
            cluster:
              pools:
                - {name: a, count: 1, capacity: {cpu: 4, memory: 8Gi}, taints: [{key: dedicated, value: db, effect: NoSchedule}]}
                - {name: b, count: 1, capacity: {cpu: 3, memory: 8Gi}}
            initial: [{name: busy, node: b-0, requests: {cpu: 2}}]
            workloads:
              - {name: w, kind: service, replicas: 1, requests: {cpu: 2, memory: 1Gi}}
            """, task: "w")
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0["feasible"] == "false" && $0["selected"] == "false" })
        #expect(rows[0]["rejected_by"] == "TaintToleration")
        #expect(rows[0]["reason"]?.contains("untolerated taint") == true)
        #expect(rows[1]["rejected_by"] == "NodeResourcesFit" && rows[1]["reason"] == "Insufficient cpu")
    }

    @Test func genericPresetsAreRefused() throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/quickstart.yaml"))
        #expect(throws: Explainer.ExplainError.self) {
            try Explainer.explain(scenario, scheduler: scenario.scheduler, seed: nil, task: "etl", atMicros: 60_000_000)
        }
    }
}
