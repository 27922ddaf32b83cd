import Foundation
import Testing
import BerthCluster
import BerthScenario
import BerthSchedulers
import BerthSimulation
import BerthTestSupport
import BerthWorkloads

/// Loads scenario text that must be valid, recording the diagnostics if it is not.
func loadValid(_ text: String, file: String = "test.yaml") throws -> Scenario {
    do {
        return try ScenarioLoader.load(text: text, file: file)
    } catch {
        Issue.record("unexpected diagnostics:\n\(error.description)")
        throw error
    }
}

/// A one-pool cluster and one service whose requests are `requests` (a flow mapping).
func serviceScenario(requests: String) -> String {
    """
    name: quantities
    cluster:
      pools:
        - {name: big, count: 1, capacity: {cpu: 64, memory: 1Ti, ephemeral-storage: 1Ti, example.com/fpga: 4}}
    workloads:
      - {name: w, kind: service, replicas: 1, requests: \(requests)}
    """
}

@Suite("Scenario loader: what valid files decode to")
struct ScenarioLoaderTests {
    // MARK: Quantities

    /// Requests as written → value in the resource's unit (cpu: millicores; the rest: whole units, bytes for
    /// memory), per Kubernetes `resource.Quantity` semantics.
    static let quantityCases: [(resource: String, text: String, value: Int64)] = [
        ("cpu", "500m", 500),
        ("cpu", "2", 2_000),
        ("cpu", "1.5", 1_500),
        ("cpu", "0.1m", 1),               // below 1m rounds up to 1m, as upstream does for cpu requests
        ("memory", "1Gi", 1_073_741_824),
        ("memory", "512Mi", 536_870_912),
        ("memory", "1G", 1_000_000_000),
        ("memory", "1.5Gi", 1_610_612_736),
        ("memory", "128974848", 128_974_848),
        ("memory", "129M", 129_000_000),
        ("ephemeral-storage", "10Gi", 10_737_418_240),
        ("example.com/fpga", "2", 2),
    ]

    @Test("quantities land in the resource's unit", arguments: quantityCases)
    func quantities(_ c: (resource: String, text: String, value: Int64)) throws {
        let s = try loadValid(serviceScenario(requests: "{\(c.resource): \"\(c.text)\"}"))
        let w = try #require(s.workloads.first)
        #expect(w.template.requests[c.resource] == c.value)
        let index = try #require(s.catalog.index(of: c.resource))
        #expect(w.template.requestVector(s.catalog)[index] == c.value)
    }

    @Test("capacity and allocatable: allocatable defaults to capacity, per resource")
    func capacityAndAllocatable() throws {
        let s = try loadValid("""
            name: alloc
            cluster:
              pools:
                - name: general
                  count: 1
                  capacity: {cpu: 8, memory: 32Gi}
                  allocatable: {cpu: 7800m}
            """)
        let node = try #require(s.nodes.first)
        #expect(node.capacity[ResourceCatalog.cpu] == 8_000)
        #expect(node.allocatable[ResourceCatalog.cpu] == 7_800)
        #expect(node.capacity[ResourceCatalog.memory] == 32 << 30)
        #expect(node.allocatable[ResourceCatalog.memory] == 32 << 30)
    }

    @Test("pods default to 110 per node and 1 per task; an explicit pods capacity is kept")
    func podsDefault() throws {
        let s = try loadValid("""
            name: pods
            cluster:
              pools:
                - {name: a, count: 1, capacity: {cpu: 4}}
                - {name: b, count: 1, capacity: {cpu: 4, pods: 32}}
            workloads:
              - {name: w, kind: service, replicas: 1, requests: {cpu: 1}}
            """)
        #expect(s.nodes.map { $0.capacity[ResourceCatalog.pods] } == [110, 32])
        #expect(s.nodes.map { $0.allocatable[ResourceCatalog.pods] } == [110, 32])
        let w = try #require(s.workloads.first)
        #expect(w.template.requestVector(s.catalog)[ResourceCatalog.pods] == 1)
    }

    @Test("extended resources join the catalog after the four standard ones, sorted")
    func catalogOrder() throws {
        let s = try loadValid("""
            name: catalog
            cluster:
              pools:
                - {name: gpu, count: 1, capacity: {cpu: 8, nvidia.com/gpu: 8, example.com/fpga: 2}}
            """)
        #expect(s.catalog.names == ["cpu", "memory", "ephemeral-storage", "pods", "example.com/fpga", "nvidia.com/gpu"])
        let gpu = try #require(s.catalog.index(of: "nvidia.com/gpu"))
        #expect(s.nodes.first?.capacity[gpu] == 8)
    }

    // MARK: Pools → nodes

    @Test("pools expand into named nodes with round-robin zones, racks and labels")
    func poolExpansion() throws {
        let s = try loadValid("""
            name: expansion
            cluster:
              pools:
                - name: general
                  count: 5
                  capacity: {cpu: 4, memory: 16Gi}
                  zones: [zone-a, zone-b]
                  racks_per_zone: 2
                  labels: {tier: general}
                  price_per_hour: 0.5
                - name: highmem
                  count: 2
                  name_prefix: hm-
                  capacity: {cpu: 8, memory: 64Gi}
                  taints: [{key: dedicated, value: highmem, effect: NoSchedule}]
                  unschedulable: true
            """)
        #expect(s.nodes.map(\.name) == ["general-0", "general-1", "general-2", "general-3", "general-4", "hm-0", "hm-1"])
        #expect(s.nodes.map(\.pool) == ["general", "general", "general", "general", "general", "highmem", "highmem"])
        // Zones round-robin; racks count up within a zone.
        #expect(s.nodes.prefix(5).map(\.zone) == ["zone-a", "zone-b", "zone-a", "zone-b", "zone-a"])
        #expect(s.nodes.prefix(5).map(\.rack) == ["zone-a-r0", "zone-b-r0", "zone-a-r1", "zone-b-r1", "zone-a-r0"])
        // Without zones: no zone, racks named after the pool.
        #expect(s.nodes.suffix(2).map(\.zone) == ["", ""])
        #expect(s.nodes.suffix(2).map(\.rack) == ["highmem-r0", "highmem-r0"])

        let n2 = s.nodes[2]
        #expect(n2.labels == [
            "tier": "general",
            NodeLabel.hostname: "general-2",
            NodeLabel.pool: "general",
            NodeLabel.zone: "zone-a",
            NodeLabel.rack: "zone-a-r1",
        ])
        #expect(n2.pricePerHour == 0.5)
        #expect(!n2.unschedulable)
        #expect(n2.taints.isEmpty)

        let hm = s.nodes[5]
        #expect(hm.labels[NodeLabel.zone] == nil)
        #expect(hm.labels[NodeLabel.rack] == "highmem-r0")
        #expect(hm.taints == [Taint(key: "dedicated", value: "highmem", effect: .noSchedule)])
        #expect(hm.unschedulable)
    }

    // MARK: Scheduler

    @Test("scheduler as a preset name")
    func schedulerString() throws {
        let s = try loadValid("name: s\nscheduler: worst-fit\ncluster: {pools: [{name: a, count: 1, capacity: {cpu: 1}}]}\n")
        #expect(s.scheduler == SchedulerRegistry.preset(named: "worst-fit")?.spec)
        #expect(s.scheduler.preset == "worst-fit")
        #expect(s.scheduler.policy == .worstFit)
    }

    @Test("scheduler as a mapping overrides the preset's options")
    func schedulerMapping() throws {
        let s = try loadValid("""
            name: s
            scheduler: {name: best-fit, key_resource: memory, backfill: false}
            cluster: {pools: [{name: a, count: 1, capacity: {cpu: 1, memory: 1Gi}}]}
            """)
        #expect(s.scheduler == SchedulerSpec(preset: "best-fit", policy: .bestFit, keyResource: "memory", backfill: false))
    }

    @Test("without a scheduler the default is best-fit")
    func schedulerDefault() throws {
        let s = try loadValid("name: s\ncluster: {pools: [{name: a, count: 1, capacity: {cpu: 1}}]}\n")
        #expect(s.scheduler.preset == "best-fit")
        #expect(s.seed == 1)
        #expect(s.horizonMicros == nil)
        #expect(s.sampleIntervalMicros == 60_000_000)
    }

    // MARK: Durations, arrivals, distributions

    @Test("durations, arrivals and distributions with duration parameters")
    func timing() throws {
        let s = try loadValid("""
            name: timing
            seed: 7
            horizon: 1h30m
            sample_interval: 30s
            cluster: {pools: [{name: a, count: 1, capacity: {cpu: 8, memory: 8Gi}}]}
            workloads:
              - name: web
                kind: service
                replicas: 3
                start: 5m
                requests: {cpu: 1}
              - name: etl
                kind: batch
                arrival: {process: poisson, rate: 20/h, start: 10m, end: 1h, burst: 2, limit: 5}
                tasks_per_job: {dist: uniform, min: 2, max: 12}
                duration: {dist: exponential, mean: 10m}
                requests: {cpu: 1}
              - name: steady
                kind: batch
                arrival: {process: interarrival, interval: {dist: gamma, shape: 2, scale: 1m}}
                tasks_per_job: 4
                duration: 5m
                requests: {cpu: 1}
              - name: nightly
                kind: batch
                arrival: {process: fixed, at: [2h, 30m]}
                duration: {dist: uniform, min: 30m, max: 1.5h}
                requests: {cpu: 1}
              - name: model
                kind: batch
                arrival: {process: poisson, rate: 1/s}
                duration: {dist: lognormal, mu: 6.0, sigma: 0.8}
                requests: {cpu: 1}
              - name: plain-seconds
                kind: batch
                arrival: {process: poisson, rate: 0.5/m}
                duration: {dist: normal, mean: 90, stddev: 30s}
                requests: {cpu: 1}
            """)
        #expect(s.seed == 7)
        #expect(s.horizonMicros == 5_400_000_000)
        #expect(s.sampleIntervalMicros == 30_000_000)
        let w = Dictionary(uniqueKeysWithValues: s.workloads.map { ($0.name, $0) })

        let web = try #require(w["web"])
        #expect(web.kind == .service)
        #expect(web.replicas == 3)
        #expect(web.startMicros == 300_000_000)

        let etl = try #require(w["etl"])
        #expect(etl.arrival == ArrivalSpec(process: .poisson(ratePerSecond: 20.0 / 3600), burst: 2,
                                           startMicros: 600_000_000, endMicros: 3_600_000_000, limit: 5))
        #expect(etl.tasksPerJob == .distribution(.uniform(min: 2, max: 12)))  // counts: not seconds
        #expect(etl.duration == .exponential(mean: 600))                       // mean: 10m → 600 s

        let steady = try #require(w["steady"])
        #expect(steady.arrival?.process == .interarrival(.gamma(shape: 2, scale: 60)))  // shape is unitless
        #expect(steady.tasksPerJob == .fixed(4))
        #expect(steady.duration == .constant(300))  // a bare duration is a constant

        let nightly = try #require(w["nightly"])
        #expect(nightly.arrival?.process == .fixed([7_200_000_000, 1_800_000_000]))
        #expect(nightly.duration == .uniform(min: 1_800, max: 5_400))

        #expect(w["model"]?.duration == .lognormal(mu: 6.0, sigma: 0.8))  // log-space: plain numbers
        #expect(w["model"]?.arrival?.process == .poisson(ratePerSecond: 1))
        #expect(w["plain-seconds"]?.duration == .normal(mean: 90, stddev: 30))
        #expect(w["plain-seconds"]?.arrival?.process == .poisson(ratePerSecond: 0.5 / 60))
    }

    @Test("task constraints: priority, labels, node_selector, tolerations")
    func constraints() throws {
        let s = try loadValid("""
            name: constraints
            cluster:
              pools:
                - name: gpu
                  count: 1
                  capacity: {cpu: 8, nvidia.com/gpu: 8}
                  labels: {accelerator: v100}
                  taints: [{key: nvidia.com/gpu, effect: NoSchedule}]
            workloads:
              - name: train
                kind: service
                replicas: 1
                priority: 500
                labels: {app: train}
                node_selector: {accelerator: v100}
                tolerations:
                  - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
                  - {key: maintenance, operator: Equal, value: "yes", effect: NoExecute, toleration_seconds: 60}
                requests: {cpu: 2, nvidia.com/gpu: 1}
            """)
        let t = try #require(s.workloads.first).template
        #expect(t.priority == 500)
        #expect(t.labels == ["app": "train"])
        #expect(t.nodeSelector == ["accelerator": "v100"])
        #expect(t.tolerations == [
            Toleration(key: "nvidia.com/gpu", op: .exists, effect: .noSchedule),
            Toleration(key: "maintenance", op: .equal, value: "yes", effect: .noExecute, tolerationSeconds: 60),
        ])
        #expect(t.requests == ["cpu": 2_000, "nvidia.com/gpu": 1])
    }

    @Test("initial tasks")
    func initialTasks() throws {
        let s = try loadValid("""
            name: initial
            cluster: {pools: [{name: gpu, count: 2, capacity: {cpu: 96, memory: 384Gi, nvidia.com/gpu: 8}}]}
            initial:
              - {name: legacy-0, node: gpu-1, requests: {cpu: 48, memory: 200Gi, nvidia.com/gpu: 8}, duration: 3h}
              - {name: sidecar, node: gpu-1, requests: {cpu: 48}}
            """)
        #expect(s.initial.map(\.name) == ["legacy-0", "sidecar"])
        #expect(s.initial.map(\.node) == ["gpu-1", "gpu-1"])
        #expect(s.initial.map(\.durationMicros) == [10_800_000_000, nil])
        #expect(s.initial.first?.template.requests == ["cpu": 48_000, "memory": 200 << 30, "nvidia.com/gpu": 8])
    }

    // MARK: JSON and bundled files

    @Test("JSON input decodes exactly like the same scenario in YAML")
    func jsonEqualsYAML() throws {
        let yaml = """
            name: same
            seed: 3
            horizon: 2h
            scheduler: {name: dot-product, backfill: false}
            cluster:
              pools:
                - name: general
                  count: 4
                  capacity: {cpu: 8, memory: 32Gi, pods: 110}
                  allocatable: {cpu: 7800m, memory: 30Gi}
                  zones: [a, b]
                  labels: {tier: general}
                  price_per_hour: 0.384
            workloads:
              - name: web
                kind: service
                replicas: 4
                requests: {cpu: 500m, memory: 1Gi}
                priority: 1000
              - name: etl
                kind: batch
                arrival: {process: poisson, rate: 20/h}
                tasks_per_job: {dist: uniform, min: 2, max: 12}
                duration: {dist: lognormal, mu: 6.0, sigma: 0.8}
                requests: {cpu: 2, memory: 4Gi}
            """
        let json = """
            {
              "name": "same", "seed": 3, "horizon": "2h",
              "scheduler": {"name": "dot-product", "backfill": false},
              "cluster": {"pools": [{
                "name": "general", "count": 4,
                "capacity": {"cpu": "8", "memory": "32Gi", "pods": "110"},
                "allocatable": {"cpu": "7800m", "memory": "30Gi"},
                "zones": ["a", "b"], "labels": {"tier": "general"}, "price_per_hour": 0.384
              }]},
              "workloads": [
                {"name": "web", "kind": "service", "replicas": 4,
                 "requests": {"cpu": "500m", "memory": "1Gi"}, "priority": 1000},
                {"name": "etl", "kind": "batch", "arrival": {"process": "poisson", "rate": "20/h"},
                 "tasks_per_job": {"dist": "uniform", "min": 2, "max": 12},
                 "duration": {"dist": "lognormal", "mu": 6.0, "sigma": 0.8},
                 "requests": {"cpu": 2, "memory": "4Gi"}}
              ]
            }
            """
        let a = try loadValid(yaml, file: "same.yaml")
        let b = try loadValid(json, file: "same.json")
        #expect(a.name == b.name)
        #expect(a.seed == b.seed)
        #expect(a.horizonMicros == b.horizonMicros)
        #expect(a.sampleIntervalMicros == b.sampleIntervalMicros)
        #expect(a.scheduler == b.scheduler)
        #expect(a.catalog == b.catalog)
        #expect(a.nodes == b.nodes)
        #expect(a.workloads == b.workloads)
        #expect(a.initial == b.initial)
        #expect(b.source == "same.json")
        #expect(a.nodes.count == 4)
    }

    @Test("every bundled scenario loads")
    func bundledScenariosLoad() throws {
        let files = Repository.bundledScenarios()
        #expect(files.count >= 4)
        #expect(files.contains { $0.hasSuffix("/quickstart.yaml") })
        for file in files {
            do {
                let s = try ScenarioLoader.load(path: file)
                #expect(!s.nodes.isEmpty, "\(file)")
                #expect(!s.workloads.isEmpty, "\(file)")
                #expect(s.source == file)
            } catch {
                Issue.record("\(file) does not load:\n\(error.description)")
            }
        }
    }

    @Test("quickstart decodes as documented")
    func quickstart() throws {
        let s = try ScenarioLoader.load(path: Repository.path("scenarios/quickstart.yaml"))
        #expect(s.name == "quickstart")
        #expect(s.seed == 42)
        #expect(s.horizonMicros == 7_200_000_000)
        #expect(s.nodes.count == 12)
        #expect(Set(s.nodes.map(\.zone)) == ["us-east-1a", "us-east-1b", "us-east-1c"])
        #expect(s.nodes.allSatisfy { $0.allocatable[ResourceCatalog.cpu] == 7_800 })
        #expect(s.nodes.allSatisfy { $0.allocatable[ResourceCatalog.memory] == 30 << 30 })
        #expect(s.workloads.map(\.name) == ["web", "etl"])
    }
}

/// Kubernetes profile keys on the scheduler field change the built profile.
@Suite struct KubeProfileKeysTests {
    @Test func profileKeysReachTheProfile() throws {
        let s = try ScenarioLoader.load(text: """
            name: profile
            scheduler:
              name: openshift-high-node-utilization
              scoring_strategy: LeastAllocated
              score_weights: {ImageLocality: 7}
              disabled_score_plugins: [InterPodAffinity]
              percentage_of_nodes_to_score: 30
            cluster: {pools: [{name: a, count: 1, capacity: {cpu: 1}}]}
            """, file: "profile.yaml")
        let kube = s.scheduler.kube
        #expect(kube.scoring == .leastAllocated)
        #expect(kube.weights == ["NodeResourcesFit": 5, "ImageLocality": 7], "preset weights kept, new one added")
        #expect(kube.disabledScores == ["NodeResourcesBalancedAllocation", "InterPodAffinity"])
        #expect(kube.percentageOfNodesToScore == 30)
        let profile = KubernetesProfiles.build(kube)
        #expect(!profile.scores.contains { $0.plugin.name == "InterPodAffinity" })
        #expect(profile.scores.first { $0.plugin.name == "ImageLocality" }?.weight == 7)
        #expect(profile.percentageOfNodesToScore == 30)
    }
}
