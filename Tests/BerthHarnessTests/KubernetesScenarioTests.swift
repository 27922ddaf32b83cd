import BerthCluster
import BerthHarness
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Foundation
import Testing

/// The scenarios under scenarios/kubernetes/: their outcomes follow from the
/// plugins' rules, whatever the seed.
@Suite struct KubernetesScenarioTests {
    static func run(_ name: String, seed: UInt64? = nil) throws -> RunResult {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/kubernetes/\(name).yaml"))
        let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed))
        #expect(violations.isEmpty, "\(violations.prefix(3))")
        return result
    }

    static func running(_ r: RunResult, workload: String) -> [TaskRecord] {
        guard let w = r.scenario.workloads.firstIndex(where: { $0.name == workload }) else { return [] }
        return r.cluster.tasks.filter { $0.spec.workload == Int32(w) && $0.state == .running }
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64]) func topologySpreadBalancesZones(seed: UInt64) throws {
        let r = try Self.run("topology-spread", seed: seed)
        let web = Self.running(r, workload: "web")
        #expect(web.count == 9)
        var perZone: [String: Int] = [:]
        for t in web { perZone[r.cluster.nodes[Int(t.node)].zone, default: 0] += 1 }
        #expect(perZone == ["zone-a": 3, "zone-b": 3, "zone-c": 3])
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func antiAffinityKeepsReplicasApart(seed: UInt64) throws {
        let r = try Self.run("pod-anti-affinity", seed: seed)
        let db = Self.running(r, workload: "db")
        #expect(db.count == 4, "one db per node")
        #expect(Set(db.map(\.node)).count == 4)
        #expect(r.summary.pending == 2)
        // Preferred affinity (weight 100 × InterPodAffinity weight 2) draws every cache next to a db.
        let dbNodes = Set(db.map(\.node))
        #expect(Self.running(r, workload: "cache").allSatisfy { dbNodes.contains($0.node) })
    }

    @Test func nodeAffinityAndTaintsSeparateThePools() throws {
        let r = try Self.run("node-affinity-taints")
        let train = r.cluster.tasks.filter { $0.spec.name.hasPrefix("train") && $0.node >= 0 }
        let etl = r.cluster.tasks.filter { $0.spec.name.hasPrefix("etl") && $0.node >= 0 }
        #expect(!train.isEmpty && !etl.isEmpty)
        #expect(train.allSatisfy { r.cluster.nodes[Int($0.node)].pool == "gpu" })
        #expect(etl.allSatisfy { r.cluster.nodes[Int($0.node)].pool == "cpu" }, "the GPU taint keeps ETL out")
        // Preferred zone-a affinity (80 × weight 2) outweighs resource scores while zone-a has room.
        let inZoneA = etl.filter { r.cluster.nodes[Int($0.node)].zone == "zone-a" }.count
        #expect(inZoneA * 2 > etl.count, "\(inZoneA) of \(etl.count) in zone-a")
    }

    @Test(arguments: [4, 5, 6] as [UInt64]) func preemptionEvictsTheMinimalVictimSet(seed: UInt64) throws {
        let r = try Self.run("preemption", seed: seed)
        let checkout = r.cluster.tasks.filter { $0.spec.name.hasPrefix("checkout") }
        // The victims are deleted at 600 s and terminate for the default 30 s
        // grace period; each replica, nominated to its node, binds when they are gone.
        #expect(checkout.count == 2 && checkout.allSatisfy { $0.startMicros == 630_000_000 && $0.state == .running },
                "high-priority replicas start when their victims have terminated")
        #expect(Set(checkout.map(\.node)).count == 2, "each replica preempted on its own node (the other's nomination is reserved)")
        let killed = r.cluster.tasks.filter { $0.state == .killed }
        #expect(killed.count == 4 && r.summary.preempted == 4, "two victims per 4-core replica, not all lower-priority pods")
        #expect(killed.allSatisfy { $0.spec.priority == 10 && $0.endMicros == 630_000_000 })
        // Each victim ran 630 s on 2 cores.
        #expect(r.summary.preemptedCoreSeconds == 4 * 2 * 630)
        // The Job controller re-created every victim after the pod-failure back-off
        // (4 failures at once: 10 s × 2³ = 80 s); they wait while the cluster is full.
        let replacements = r.cluster.tasks.filter { $0.spec.priority == 10 && $0.submitMicros > 0 }
        #expect(replacements.count == 4 && replacements.allSatisfy { $0.state == .pending && $0.submitMicros == 680_000_000 })
        #expect(Set(replacements.map(\.spec.name)) == Set(killed.map(\.spec.name)))
        #expect(r.summary.running == 6 && r.summary.jobsFailed == 0)
    }

    /// Job `backoffLimit`: four preempted pods exceed a limit of 2, so the Job
    /// fails — its other pods are deleted and nothing is re-created.
    @Test func jobFailsWhenPreemptionsExceedBackoffLimit() throws {
        var scenario = try ScenarioLoader.load(path: Repository.path("scenarios/kubernetes/preemption.yaml"))
        scenario.workloads[0].backoffLimit = 2
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(3))")
        #expect(r.summary.jobsFailed == 1 && r.summary.preempted == 4)
        let backfill = r.cluster.tasks.filter { $0.spec.workload == 0 }
        #expect(backfill.count == 8, "no replacement is created")
        // The Job fails at 600 s and deletes its other pods then; the four
        // victims, already terminating, end with their grace period.
        #expect(backfill.allSatisfy { $0.state == .killed })
        #expect(backfill.filter { $0.endMicros == 630_000_000 }.count == 4 && backfill.filter { $0.endMicros == 600_000_000 }.count == 4)
        #expect(r.summary.running == 2)
        // At the limit (4 failures, backoffLimit 4) the Job lives on and re-creates.
        scenario.workloads[0].backoffLimit = 4
        let (alive, _) = try runChecked(scenario)
        #expect(alive.summary.jobsFailed == 0 && alive.cluster.tasks.count == 8 + 2 + 4)
    }

    @Test func aliasesAreTheUpstreamDefault() throws {
        let reference = try #require(SchedulerRegistry.preset(named: "kubernetes")).spec
        for alias in ["openshift", "rancher", "eks", "aks", "doks", "lke"] {
            var spec = try #require(SchedulerRegistry.preset(named: alias)).spec
            spec.preset = reference.preset
            #expect(spec == reference, "\(alias)")
        }
        let high = try #require(SchedulerRegistry.preset(named: "openshift-high-node-utilization")).spec
        let profile = KubernetesProfiles.build(high.kube)
        #expect(profile.scores.map(\.plugin.name).contains("NodeResourcesBalancedAllocation") == false)
        #expect(profile.scores.first { $0.plugin.name == "NodeResourcesFit" }?.weight == 5)
        let none = KubernetesProfiles.build(try #require(SchedulerRegistry.preset(named: "openshift-no-scoring")).spec.kube)
        #expect(none.scores.isEmpty && none.preScores.isEmpty)
        let def = KubernetesProfiles.build(reference.kube)
        #expect(def.scores.map { "\($0.plugin.name)=\($0.weight)" } == [
            "TaintToleration=3", "NodeAffinity=2", "NodeResourcesFit=1", "PodTopologySpread=2", "InterPodAffinity=2",
            "NodeResourcesBalancedAllocation=1", "ImageLocality=1",
        ])
        #expect(def.filters.map(\.name) == ["NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts",
                                           "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity"])
    }

}

/// DaemonSets: one pod per eligible node, under every kind of scheduler.
@Suite struct DaemonSetTests {
    static let yaml = """
        name: daemons
        scheduler: SCHED
        cluster:
          pools:
            - {name: general, count: 3, capacity: {cpu: 4, memory: 16Gi}, labels: {tier: web}}
            - {name: gpu, count: 2, capacity: {cpu: 8, memory: 32Gi}, labels: {tier: gpu}, taints: [{key: gpu, effect: NoSchedule}]}
            - {name: tiny, count: 1, capacity: {cpu: 50m, memory: 16Gi}}
        workloads:
          - name: exporter
            kind: daemonset
            requests: {cpu: 100m, memory: 64Mi}
          - name: gpu-plugin
            kind: daemonset
            node_selector: {tier: gpu}
            tolerations: [{key: gpu, operator: Exists}]
            requests: {cpu: 100m, memory: 64Mi}
        """

    @Test(arguments: ["best-fit", "first-fit", "kubernetes", "swarm", "ecs-spread"])
    func onePodPerEligibleNode(scheduler: String) throws {
        let scenario = try ScenarioLoader.load(text: Self.yaml.replacingOccurrences(of: "SCHED", with: scheduler), file: "daemons.yaml")
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty)
        let exporter = r.cluster.tasks.filter { $0.spec.workload == 0 }
        // Untainted nodes only: 3 general + 1 tiny; the tiny node's pod cannot fit and stays pending.
        #expect(exporter.map(\.spec.name).sorted() == ["exporter-general-0", "exporter-general-1", "exporter-general-2", "exporter-tiny-0"])
        #expect(exporter.filter { $0.state == .running }.allSatisfy { r.cluster.nodes[Int($0.node)].name == String($0.spec.name.dropFirst("exporter-".count)) })
        #expect(exporter.first { $0.spec.name == "exporter-tiny-0" }?.state == .pending)
        let plugin = r.cluster.tasks.filter { $0.spec.workload == 1 }
        #expect(plugin.count == 2 && plugin.allSatisfy { $0.state == .running && r.cluster.nodes[Int($0.node)].pool == "gpu" })
        #expect(r.summary.makespanSeconds == nil, "daemon pods are long-running, not batch")
    }
}

/// Two profiles in one cluster: the default profile's List default constraint
/// spreads web two per zone; the batch-packer profile stacks etl on three nodes.
@Suite struct KubeMultiProfileScenarioTests {
    @Test(arguments: [1, 2, 3] as [UInt64]) func servicesSpreadAndBatchPacks(seed: UInt64) throws {
        let r = try KubernetesScenarioTests.run("multi-profile", seed: seed)
        let web = KubernetesScenarioTests.running(r, workload: "web")
        var perZone: [String: Int] = [:]
        for t in web { perZone[r.cluster.nodes[Int(t.node)].zone, default: 0] += 1 }
        #expect(perZone == ["zone-a": 2, "zone-b": 2, "zone-c": 2])
        let etl = r.cluster.tasks.filter { $0.spec.name.hasPrefix("etl") }
        var perNode: [Int32: Int] = [:]
        for t in etl { perNode[t.node, default: 0] += 1 }
        #expect(etl.count == 8 && perNode.values.sorted() == [2, 3, 3], "MostAllocated ×5 fills nodes: \(perNode)")
    }

    /// `berth explain` explains an etl pod with its own profile's plugins and weights.
    @Test func explainUsesThePodsProfile() throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/kubernetes/multi-profile.yaml"))
        let e = try Explainer.explain(scenario, scheduler: scenario.scheduler, seed: nil, task: "etl", atMicros: 120_000_000)
        #expect(e.cycle.scorePluginNames == ["NodeResourcesFit", "TaintToleration", "NodeAffinity", "InterPodAffinity",
                                             "NodeResourcesBalancedAllocation"])
        let web = try Explainer.explain(scenario, scheduler: scenario.scheduler, seed: nil, task: "web", atMicros: 120_000_000)
        #expect(web.cycle.scorePluginNames.contains("PodTopologySpread") && web.cycle.scorePluginNames.contains("ImageLocality"))
    }
}

/// KubeSchedulerConfiguration files: the bin-packing profile fills nodes that
/// the default profile would spread over.
@Suite struct KubeConfigFileTests {
    static func nodesUsed(_ r: RunResult) -> [Int] {
        var perNode: [Int32: Int] = [:]
        for t in r.cluster.tasks where t.state == .running { perNode[t.node, default: 0] += 1 }
        return perNode.values.sorted()
    }

    @Test func binPackingConfigPacksWhereTheDefaultSpreads() throws {
        let packed = try ScenarioLoader.load(path: Repository.path("scenarios/kubernetes/kube-config.yaml"))
        #expect(packed.scheduler.kube.name == "bin-packing-scheduler")
        #expect(packed.scheduler.kube.percentageOfNodesToScore == 50)
        #expect(packed.scheduler.kube.plugins[.score]?.disabled == ["ImageLocality", "NodeResourcesBalancedAllocation"])
        let resolved = KubernetesProfiles.resolve(packed.scheduler.kube).plugins
        #expect(resolved.at(.score) == ["NodeResourcesFit", "TaintToleration", "NodeAffinity", "PodTopologySpread", "InterPodAffinity"])
        #expect(resolved.weights["NodeResourcesFit"] == 10)
        let (r, violations) = try runChecked(packed)
        #expect(violations.isEmpty)
        #expect(Self.nodesUsed(r) == [4, 4, 4], "RequestedToCapacityRatio (0→0, 100→10) with weight 10 fills nodes")
        var plain = packed
        plain.scheduler = try #require(SchedulerRegistry.preset(named: "kubernetes")).spec
        plain.scheduler.kube.name = "bin-packing-scheduler"  // the pods' scheduler_name
        let (spread, _) = try runChecked(plain)
        #expect(Self.nodesUsed(spread) == [2, 2, 2, 2, 2, 2], "LeastAllocated spreads")
    }

    @Test func errorsPointIntoTheConfigFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("berth-kc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
            apiVersion: kubescheduler.config.k8s.io/v1
            kind: KubeSchedulerConfiguration
            profiles:
              - pluginConfig:
                  - name: NodeResourcesFit
                    args:
                      scoringStrategy: {type: MostAlocated}
            """.write(to: dir.appendingPathComponent("kc.yaml"), atomically: true, encoding: .utf8)
        let scenario = dir.appendingPathComponent("s.yaml")
        try """
            name: s
            scheduler: {name: kubernetes, config: kc.yaml}
            cluster: {pools: [{name: a, count: 1, capacity: {cpu: 1}}]}
            """.write(to: scenario, atomically: true, encoding: .utf8)
        do {
            _ = try ScenarioLoader.load(path: scenario.path)
            Issue.record("a bad config file loaded")
        } catch {
            let d = try #require(error.diagnostics.first)
            #expect(d.location.file.hasSuffix("kc.yaml") && d.location.line == 7)
            #expect(d.message.contains("MostAlocated") && d.hint?.contains("MostAllocated") == true)
        }
    }
}
