import BerthCluster
import BerthScenario
import BerthSchedulers
import Testing

/// The Swarm and ECS vocabulary keys reach the tasks, and their mistakes are located.
@Suite struct SwarmECSLoaderTests {
    static let cluster = """
        cluster:
          pools:
            - {name: m5.large, count: 2, capacity: {cpu: 2, memory: 8Gi}, zones: [a, b], labels: {rack: r1}}
        """

    @Test func swarmPlacementIsDecoded() throws {
        let s = try ScenarioLoader.load(text: """
            name: t
            scheduler: swarm
            \(Self.cluster)
            workloads:
              - name: web
                kind: service
                replicas: 2
                requests: {cpu: 100m}
                placement:
                  constraints: ["node.labels.rack == r1", node.role!=manager]
                  preferences: [{spread: node.labels.rack}, {spread: engine.labels.zone}]
                  max_replicas_per_node: 3
                  platforms: [{os: linux}]
            """, file: "t.yaml")
        let swarm = try #require(s.workloads[0].template.placement?.swarm)
        #expect(swarm.constraints == [SwarmConstraint(key: "node.labels.rack", op: .equal, value: "r1"),
                                      SwarmConstraint(key: "node.role", op: .notEqual, value: "manager")])
        #expect(swarm.preferences == ["node.labels.rack", "engine.labels.zone"])
        #expect(swarm.maxReplicas == 3 && swarm.platforms == [SwarmPlatform(os: "linux")])
        #expect(s.scheduler.architecture == .swarm)
    }

    @Test func ecsPlacementIsDecoded() throws {
        let s = try ScenarioLoader.load(text: """
            name: t
            scheduler: {name: ecs-spread, placement_strategy: [{type: spread, field: instanceId}, {type: random}]}
            \(Self.cluster)
            workloads:
              - name: web
                kind: service
                replicas: 2
                requests: {cpu: 100m}
                placement_strategy: [{type: binpack, field: cpu}]
                placement_constraints:
                  - {type: distinctInstance}
                  - {type: memberOf, expression: "attribute:ecs.availability-zone in [a, b] and not attribute:x exists"}
            """, file: "t.yaml")
        #expect(s.scheduler.ecs.strategy == [.spread(field: "instanceId"), .random])
        let ecs = try #require(s.workloads[0].template.placement?.ecs)
        #expect(ecs.strategy == [.binpack(resource: "cpu")])
        #expect(ecs.constraints.first == .distinctInstance)
        guard case .memberOf(let q, _) = ecs.constraints.last else { Issue.record("memberOf expected"); return }
        #expect(q == .and(.compare(subject: "attribute:ecs.availability-zone", op: .in, arguments: ["a", "b"]),
                          .not(.compare(subject: "attribute:x", op: .exists, arguments: []))))
    }

    @Test(arguments: [
        ("placement_strategy: [{type: random}, {type: random}, {type: random}, {type: random}, {type: random}, {type: random}]",
         "workloads[0].placement_strategy", "at most 5 placement strategies"),
        ("placement_strategy: [{type: random, field: cpu}]", "workloads[0].placement_strategy[0].field", "does not apply to the random strategy"),
        ("placement_strategy: [{type: spread}]", "workloads[0].placement_strategy[0]", "missing required key \"field\""),
        ("placement_strategy: [{type: spread, field: zone}]", "workloads[0].placement_strategy[0].field", "invalid spread field \"zone\""),
        ("placement_constraints: [{type: distinctInstance, expression: \"x\"}]", "workloads[0].placement_constraints[0].expression",
         "distinctInstance takes no expression"),
        ("placement_constraints: [{type: memberOf}]", "workloads[0].placement_constraints[0]", "missing required key \"expression\""),
        ("placement_constraints: [{type: memberOf, expression: \"attribute:a =~ (\"}]", "workloads[0].placement_constraints[0].expression",
         "invalid regular expression"),
        ("placement: {max_replicas_per_node: -1}", "workloads[0].placement.max_replicas_per_node", "at least 0"),
        ("placement: {preferences: [{spread: node.labels.rack, weight: 2}]}", "workloads[0].placement.preferences[0]", "weight"),
    ])
    func mistakesAreLocated(_ line: String, _ path: String, _ message: String) throws {
        let text = """
            name: t
            scheduler: ecs-spread
            \(Self.cluster)
            workloads:
              - name: web
                kind: service
                replicas: 2
                requests: {cpu: 100m}
                \(line)
            """
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.load(text: text, file: "t.yaml") }
        let d = try #require(error.diagnostics.first)
        #expect(d.path.hasPrefix(path), "\(d)")
        #expect(d.message.contains(message), "\(d)")
        #expect(d.location.line == 11, "\(d)")
    }
}
