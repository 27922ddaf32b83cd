import BerthCluster
import BerthHarness
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Foundation
import Testing

/// KubeSchedulerConfiguration files beyond one profile's scores: several
/// profiles, filters disabled, PodTopologySpread default constraints, queue
/// backoff. Each test runs a small scenario and asserts an outcome the
/// feature changes.
@Suite struct KubeConfigProfilesTests {
    /// Writes `config` and `scenario` (which refers to `kc.yaml`) to a fresh folder and loads the scenario.
    static func load(config: String, scenario: String) throws -> Scenario {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("berth-kcp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try ("apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n" + config)
            .write(to: dir.appendingPathComponent("kc.yaml"), atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("s.yaml")
        try scenario.write(to: path, atomically: true, encoding: .utf8)
        return try ScenarioLoader.load(path: path.path)
    }

    static func run(_ scenario: Scenario) throws -> RunResult {
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(3))")
        return r
    }

    static func nodes(_ r: RunResult, workload: String) -> [Int32] {
        guard let w = r.scenario.workloads.firstIndex(where: { $0.name == workload }) else { return [] }
        return r.cluster.tasks.filter { $0.spec.workload == Int32(w) && $0.state == .running }.map(\.node)
    }

    static let twoProfiles = """
        profiles:
          - schedulerName: spread-scheduler
          - schedulerName: pack-scheduler
            plugins:
              score:
                enabled: [{name: NodeResourcesFit, weight: 5}]
            pluginConfig:
              - name: NodeResourcesFit
                args: {scoringStrategy: {type: MostAllocated}}
        """

    /// One queue, two frameworks: pods of the LeastAllocated profile spread,
    /// pods of the MostAllocated profile stack on one node.
    @Test(arguments: [1, 2, 3] as [UInt64]) func twoProfilesInOneRun(seed: UInt64) throws {
        var s = try Self.load(config: Self.twoProfiles, scenario: """
            name: two-profiles
            scheduler: {name: kubernetes, config: kc.yaml}
            cluster: {pools: [{name: n, count: 6, capacity: {cpu: 8, memory: 32Gi}}]}
            workloads:
              - {name: web, kind: service, replicas: 6, pod: {scheduler_name: spread-scheduler, containers: [{name: c, requests: {cpu: 1, memory: 4Gi}}]}}
              - {name: etl, kind: service, replicas: 6, start: 1m, pod: {scheduler_name: pack-scheduler, containers: [{name: c, requests: {cpu: 1, memory: 4Gi}}]}}
            """)
        s.seed = seed
        #expect(s.scheduler.kubeProfiles.map(\.name) == ["spread-scheduler", "pack-scheduler"])
        let r = try Self.run(s)
        #expect(Set(Self.nodes(r, workload: "web")).count == 6, "LeastAllocated puts each web pod on its own node")
        let etl = Self.nodes(r, workload: "etl")
        #expect(etl.count == 6 && Set(etl).count == 1, "MostAllocated (weight 5) stacks every etl pod: \(etl)")
    }

    /// A pod naming no profile is rejected when the scenario loads (it would stay pending).
    @Test func podNamingNoProfileIsAnError() throws {
        do {
            _ = try Self.load(config: Self.twoProfiles, scenario: """
                name: typo
                scheduler: {name: kubernetes, config: kc.yaml}
                cluster: {pools: [{name: n, count: 1, capacity: {cpu: 8, memory: 32Gi}}]}
                workloads:
                  - {name: web, kind: service, replicas: 1, pod: {scheduler_name: pack-schedular, containers: [{name: c, requests: {cpu: 1}}]}}
                """)
            Issue.record("loaded a pod naming no profile")
        } catch {
            let d = try #require((error as? ScenarioError)?.diagnostics.first, "\(error)")
            #expect(d.path == "workloads[0].pod.scheduler_name" && d.message.contains("pack-schedular"))
            #expect(d.hint == "did you mean \"pack-scheduler\"?")
        }
    }

    /// In the scheduler itself such a pod is never queued and stays pending.
    @Test func schedulerIgnoresPodsOfUnknownProfiles() throws {
        var s = try Self.load(config: Self.twoProfiles, scenario: """
            name: ignored
            scheduler: {name: kubernetes, config: kc.yaml}
            cluster: {pools: [{name: n, count: 2, capacity: {cpu: 8, memory: 32Gi}}]}
            workloads:
              - {name: web, kind: service, replicas: 2, pod: {scheduler_name: spread-scheduler, containers: [{name: c, requests: {cpu: 1}}]}}
            """)
        s.scheduler.kubeScheduler.moreProfiles = []  // the pods' profile is gone
        s.scheduler.kube.name = "other"
        s.horizonMicros = 60_000_000
        let r = try Self.run(s)
        #expect(r.summary.pending == 2 && Self.nodes(r, workload: "web").isEmpty)
    }

    /// Disabling the TaintToleration filter lets pods onto NoSchedule-tainted nodes.
    @Test func disablingTaintTolerationFilter() throws {
        let scenario = """
            name: taints
            scheduler: {name: kubernetes, config: kc.yaml}
            cluster:
              pools:
                - {name: plain, count: 1, capacity: {cpu: 2, memory: 8Gi}}
                - {name: tainted, count: 2, capacity: {cpu: 8, memory: 32Gi}, taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}
            workloads:
              - {name: web, kind: service, replicas: 6, pod: {containers: [{name: c, requests: {cpu: 1, memory: 1Gi}}]}}
            """
        let withFilter = try Self.run(Self.load(config: "profiles: [{schedulerName: default-scheduler}]\n", scenario: scenario))
        #expect(Self.nodes(withFilter, workload: "web").count == 2, "only the untainted node (2 cores) takes pods")
        let without = try Self.load(config: """
            profiles:
              - plugins:
                  filter:
                    disabled: [{name: TaintToleration}]
            """, scenario: scenario)
        #expect(!KubernetesProfiles.build(without.kube).filters.contains { $0.name == "TaintToleration" })
        #expect(KubernetesProfiles.build(without.kube).scores.contains { $0.plugin.name == "TaintToleration" }, "its Score stays")
        let r = try Self.run(without)
        #expect(Self.nodes(r, workload: "web").count == 6, "every pod runs once the filter is off")
        // `"*"` then re-enabling: only NodeResourcesFit filters, same outcome.
        let star = try Self.load(config: """
            profiles:
              - plugins:
                  filter:
                    disabled: [{name: "*"}]
                    enabled: [{name: NodeResourcesFit}]
            """, scenario: scenario)
        #expect(KubernetesProfiles.build(star.kube).filters.map(\.name) == ["NodeResourcesFit"])
        #expect(Self.nodes(try Self.run(star), workload: "web").count == 6)
    }

    /// `defaultingType: List` default constraints (zone, maxSkew 1, DoNotSchedule)
    /// spread labelled pods that a MostAllocated profile would otherwise stack.
    @Test(arguments: [1, 2] as [UInt64]) func listDefaultConstraintsSpreadPods(seed: UInt64) throws {
        let scenario = """
            name: list-defaults
            seed: \(seed)
            scheduler: {name: kubernetes, config: kc.yaml}
            cluster: {pools: [{name: n, count: 6, capacity: {cpu: 8, memory: 32Gi}, zones: [zone-a, zone-b, zone-c]}]}
            workloads:
              - {name: web, kind: service, replicas: 6, labels: {app: web}, pod: {containers: [{name: c, requests: {cpu: 1, memory: 4Gi}}]}}
            """
        let packing = """
            profiles:
              - plugins:
                  score:
                    enabled: [{name: NodeResourcesFit, weight: 10}]
                pluginConfig:
                  - name: NodeResourcesFit
                    args: {scoringStrategy: {type: MostAllocated}}

            """
        func perZone(_ r: RunResult) -> [String: Int] {
            var zones: [String: Int] = [:]
            for n in Self.nodes(r, workload: "web") { zones[r.cluster.nodes[Int(n)].zone, default: 0] += 1 }
            return zones
        }
        let system = try Self.run(Self.load(config: packing, scenario: scenario))
        #expect(perZone(system).values.max() == 6, "System defaults (ScheduleAnyway) lose to MostAllocated ×10: \(perZone(system))")
        let list = try Self.load(config: packing + """
                  - name: PodTopologySpread
                    args:
                      defaultingType: List
                      defaultConstraints:
                        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}
            """, scenario: scenario)
        #expect(list.scheduler.kube.spreadDefaulting == .list && list.scheduler.kube.spreadDefaultConstraints.count == 1)
        #expect(perZone(try Self.run(list)) == ["zone-a": 2, "zone-b": 2, "zone-c": 2])
    }

    /// NodeAffinity `addedAffinity` filters every pod of the profile (and only
    /// that profile's); InterPodAffinity args are read.
    @Test func addedAffinityAppliesToItsProfile() throws {
        let s = try Self.load(config: """
            profiles:
              - schedulerName: default-scheduler
              - schedulerName: ssd-only
                pluginConfig:
                  - name: NodeAffinity
                    args:
                      addedAffinity:
                        requiredDuringSchedulingIgnoredDuringExecution:
                          nodeSelectorTerms:
                            - matchExpressions: [{key: disk, operator: In, values: [ssd]}]
                  - name: InterPodAffinity
                    args: {hardPodAffinityWeight: 0}
            """, scenario: """
            name: added-affinity
            scheduler: {name: kubernetes, config: kc.yaml}
            cluster:
              pools:
                - {name: hdd, count: 4, capacity: {cpu: 8, memory: 32Gi}, labels: {disk: hdd}}
                - {name: ssd, count: 1, capacity: {cpu: 8, memory: 32Gi}, labels: {disk: ssd}}
            workloads:
              - {name: db, kind: service, replicas: 3, pod: {scheduler_name: ssd-only, containers: [{name: c, requests: {cpu: 1, memory: 1Gi}}]}}
              - {name: web, kind: service, replicas: 4, pod: {containers: [{name: c, requests: {cpu: 1, memory: 1Gi}}]}}
            """)
        #expect(s.scheduler.kubeProfiles[1].hardPodAffinityWeight == 0 && s.scheduler.kubeProfiles[1].addedAffinity != nil)
        let r = try Self.run(s)
        let db = Self.nodes(r, workload: "db")
        #expect(db.count == 3 && db.allSatisfy { r.cluster.nodes[Int($0)].pool == "ssd" })
        #expect(Self.nodes(r, workload: "web").contains { r.cluster.nodes[Int($0)].pool == "hdd" }, "the default profile is not restricted")
    }

    /// DefaultPreemption is the PostFilter: disabled there, a high-priority pod
    /// waits instead of evicting; its args are read and validated.
    @Test func disablingPreemption() throws {
        let scenario = """
            name: preempt
            horizon: 30m
            scheduler: {name: kubernetes, config: kc.yaml}
            cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 16Gi}}]}
            workloads:
              - {name: low, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 1h, priority: 1, pod: {containers: [{name: c, requests: {cpu: 4}}]}}
              - {name: high, kind: service, replicas: 1, start: 1m, priority: 100, pod: {containers: [{name: c, requests: {cpu: 4}}]}}
            """
        func highStart(_ config: String) throws -> Int64 {
            let r = try Self.run(Self.load(config: config, scenario: scenario))
            return try #require(r.cluster.tasks.first { $0.spec.name.hasPrefix("high") }).startMicros
        }
        let args = """
            profiles:
              - pluginConfig:
                  - name: DefaultPreemption
                    args: {minCandidateNodesPercentage: 20, minCandidateNodesAbsolute: 5}

            """
        #expect(try highStart(args) == 90_000_000, "preempts the low-priority pod at once; it terminates for its 30 s grace period")
        let s = try Self.load(config: args, scenario: scenario)
        #expect(s.kube.preemptionMinCandidateNodesPercentage == 20 && s.kube.preemptionMinCandidateNodesAbsolute == 5)
        #expect(try highStart("profiles: [{plugins: {postFilter: {disabled: [{name: DefaultPreemption}]}}}]\n") < 0,
                "without the PostFilter the pod waits past the horizon")
    }

    /// podInitialBackoffSeconds delays the retry of a pod that failed once:
    /// the node frees up at 0.5 s; the pod is bound when its backoff (counted
    /// from the failure at 0 s) has expired, at the next whole second.
    @Test(arguments: [(nil, 1), (3, 3), (7, 7)] as [(Int?, Int64)]) func backoffSettingsDelayRetries(initial: Int?, boundAt: Int64) throws {
        let config = initial.map { "podInitialBackoffSeconds: \($0)\npodMaxBackoffSeconds: 20\n" } ?? ""
        let s = try Self.load(config: config + "profiles: [{schedulerName: default-scheduler}]\n", scenario: """
            name: backoff
            scheduler: {name: kubernetes, config: kc.yaml}
            cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 16Gi}}]}
            workloads:
              - {name: first, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 500ms, pod: {containers: [{name: c, requests: {cpu: 4}}]}}
              - {name: second, kind: service, replicas: 1, pod: {containers: [{name: c, requests: {cpu: 4}}]}}
            """)
        #expect(s.scheduler.kubeScheduler.podInitialBackoffSeconds == Int64(initial ?? 1))
        let r = try Self.run(s)
        let second = try #require(r.cluster.tasks.first { $0.spec.name.hasPrefix("second") })
        #expect(second.startMicros == boundAt * 1_000_000)
    }
}

private extension Scenario {
    var kube: KubeProfileSpec { scheduler.kube }
}
