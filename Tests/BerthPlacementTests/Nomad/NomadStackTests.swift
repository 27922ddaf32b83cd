@testable import BerthPlacement
import BerthCluster
import BerthSimulation
import Testing

/// The whole generic/system stack: shuffle, source offset across Selects,
/// limits, distinct_* constraints, datacenters, explain = place.
@Suite struct NomadStackTests {
    static func nodes(_ n: Int, dcs: [String] = ["dc1"]) -> [NodeSpec] {
        (0..<n).map { NomadFixture.node("n\($0)", cpu: 4000, memoryMB: 4000, datacenter: dcs[$0 % dcs.count]) }
    }

    /// Submits `count` tasks of one job and places them one by one, binding each choice.
    static func placeAll(_ engine: NomadPlacement, _ nodes: [NodeSpec], count: Int, details: NomadDetails?,
                         cpu: Int64 = 100, seed: UInt64 = 1, duration: Int64? = nil) -> [Int32?] {
        let cluster = Cluster(catalog: NomadFixture.catalog, nodes: nodes)
        var spec = NomadFixture.task(cpu: cpu, memoryMB: 100, nomad: details)
        spec.durationMicros = duration
        let ids = (0..<count).map { _ in cluster.submit(spec, at: 0) }
        let random = RandomStreams(seed: seed).stream(.tieBreaks)
        return ids.map { id in
            let d = engine.place(id, spec, in: ClusterView(cluster), random: random)
            if let node = d.node { try? cluster.bind(id, to: node, at: 0) }
            return d.node
        }
    }

    /// stack.go `SetNodes`: limit max(2, ⌈log2 n⌉) for service, 2 for batch; `Select` with affinities or
    /// spreads: max(count, node_limit_for_feasibility_checks).
    @Test func limits() {
        let cluster = Cluster(catalog: NomadFixture.catalog, nodes: Self.nodes(9))
        let view = ClusterView(cluster)
        func limit(_ details: NomadDetails?, duration: Int64? = nil) -> Int {
            var spec = NomadFixture.task(cpu: 1, memoryMB: 1, nomad: details)
            spec.durationMicros = duration
            let id = cluster.submit(spec, at: 0)
            return NomadEvaluation(task: id, spec: spec, view: view, config: NomadConfig(), random: nil).limit
        }
        #expect(limit(nil) == 4)                                   // ⌈log2 9⌉ = 4
        #expect(limit(nil, duration: 1) == 2)                      // batch: power of two choices
        #expect(limit(NomadDetails(type: .batch)) == 2)
        let spread = [NomadSpread(attribute: "${node.datacenter}")]
        #expect(limit(NomadDetails(type: .service, count: 3, spreads: spread)) == 100)
        #expect(limit(NomadDetails(type: .service, count: 250, spreads: spread)) == 250)
        let small = Cluster(catalog: NomadFixture.catalog, nodes: Self.nodes(2))
        let spec = NomadFixture.task(cpu: 1, memoryMB: 1)
        let id = small.submit(spec, at: 0)
        #expect(NomadEvaluation(task: id, spec: spec, view: ClusterView(small), config: NomadConfig(), random: nil).limit == 2)
    }

    @Test func sameSeedSamePlacementsDifferentSeedDiffers() {
        let a = Self.placeAll(NomadPlacement(), Self.nodes(32), count: 10, details: nil, seed: 7)
        let b = Self.placeAll(NomadPlacement(), Self.nodes(32), count: 10, details: nil, seed: 7)
        let c = Self.placeAll(NomadPlacement(), Self.nodes(32), count: 10, details: nil, seed: 8)
        #expect(a == b)
        #expect(a != c)
    }

    /// One job's allocations repel each other (job anti-affinity) and each Select
    /// continues from the source offset, so a job spreads even under binpack …
    @Test func oneJobSpreadsUnderBinpack() {
        let packed = Self.placeAll(NomadPlacement(), Self.nodes(16), count: 12, details: nil, cpu: 500)
        #expect(Set(packed.compactMap { $0 }).count == 12)
    }

    /// … while many single-allocation jobs pack under binpack and spread under spread.
    @Test func binpackPacksJobsSpreadSpreadsThem() {
        func run(_ config: NomadConfig) -> Int {
            let cluster = Cluster(catalog: NomadFixture.catalog, nodes: Self.nodes(16))
            let engine = NomadPlacement(config: config)
            let random = RandomStreams(seed: 5).stream(.tieBreaks)
            var used = Set<Int32>()
            for w in 0..<24 {
                let spec = NomadFixture.task(cpu: 500, memoryMB: 500, workload: Int32(w))
                let id = cluster.submit(spec, at: 0)
                guard let node = engine.place(id, spec, in: ClusterView(cluster), random: random).node else { continue }
                try? cluster.bind(id, to: node, at: 0)
                used.insert(node)
            }
            return used.count
        }
        let packed = run(NomadConfig()), spread = run(NomadConfig(algorithm: .spread))
        #expect(packed <= 8)
        #expect(spread >= 12)
    }

    @Test func distinctHosts() {
        let details = NomadDetails(type: .service, constraints: [NomadConstraint("", .distinctHosts)])
        let got = Self.placeAll(NomadPlacement(), Self.nodes(3), count: 4, details: details)
        #expect(Set(got.prefix(3).compactMap { $0 }).count == 3)
        #expect(got[3] == nil)
    }

    /// distinct_property with a value: at most 2 allocations per datacenter.
    @Test func distinctPropertyWithLimit() {
        let details = NomadDetails(type: .service, constraints: [NomadConstraint("${node.datacenter}", .distinctProperty, "2")])
        let nodes = Self.nodes(6, dcs: ["a", "b"])
        let got = Self.placeAll(NomadPlacement(), nodes, count: 5, details: details)
        let dcs = got.prefix(4).compactMap { $0 }.map { nodes[Int($0)].zone }
        #expect(dcs.filter { $0 == "a" }.count == 2 && dcs.filter { $0 == "b" }.count == 2)
        #expect(got[4] == nil)
    }

    @Test func constraintsAndDatacenters() {
        let nodes = [NomadFixture.node("a", datacenter: "east", labels: ["kernel.name": "linux"]),
                     NomadFixture.node("b", datacenter: "west", labels: ["kernel.name": "linux"]),
                     NomadFixture.node("c", datacenter: "east", labels: ["kernel.name": "windows"])]
        let details = NomadDetails(type: .service, datacenters: ["east"], constraints: [NomadConstraint("${attr.kernel.name}", .equal, "linux")])
        #expect(Self.placeAll(NomadPlacement(), nodes, count: 2, details: details) == [0, 0])
    }

    /// SystemStack: nodes in order, first that fits; no ranking beyond binpack.
    @Test func systemJobTakesFirstFeasibleNodeInOrder() {
        var nodes = Self.nodes(4)
        nodes[0].labels["role"] = "db"
        let details = NomadDetails(type: .system, constraints: [NomadConstraint("${meta.role}", .notEqual, "db")])
        #expect(Self.placeAll(NomadPlacement(), nodes, count: 1, details: details) == [1])
    }

    /// `berth explain` chooses what `place` chooses, and its weighted shares add up to the total.
    @Test func explainMatchesPlace() {
        let nodes = Self.nodes(20, dcs: ["a", "b", "c"])
        let details = NomadDetails(type: .service, count: 6, affinities: [NomadAffinity("${node.datacenter}", .equal, "b", weight: 50)],
                                   spreads: [NomadSpread(attribute: "${node.datacenter}", weight: 100)])
        let cluster = Cluster(catalog: NomadFixture.catalog, nodes: nodes)
        let spec = NomadFixture.task(cpu: 300, memoryMB: 300, nomad: details)
        let first = cluster.submit(spec, at: 0)
        try? cluster.bind(first, to: 4, at: 0)
        let id = cluster.submit(spec, at: 0)
        let placed = NomadPlacement().place(id, spec, in: ClusterView(cluster), random: RandomStreams(seed: 3).stream(.tieBreaks))
        let explained = NomadPlacement().explain(id, spec, in: ClusterView(cluster), random: RandomStreams(seed: 3).stream(.tieBreaks))
        #expect(explained.selected.map(Int32.init) == placed.node)
        #expect(explained.scorePluginNames == ["binpack", "job-anti-affinity", "node-reschedule-penalty", "node-affinity",
                                               "allocation-spread", "preemption"])
        #expect(explained.evaluations.count == 20)
        for e in explained.evaluations where e.feasible {
            #expect(abs(e.weighted.reduce(0, +) - e.total) <= 5)
        }
        // node 4 carries the job's first allocation: anti-affinity −(1+1)/6
        #expect(explained.evaluations[4].raw[1] == NomadPlacement.millionths(-2.0 / 6.0))
    }

    /// A job's tasks need not be consecutive (a re-created replica comes later): the engine indexes
    /// them, so job anti-affinity still sees the job's other allocations and its count.
    @Test func jobTasksAreFoundWhereverTheyAre() {
        let cluster = Cluster(catalog: NomadFixture.catalog, nodes: Self.nodes(2))
        let mine = NomadFixture.task("web", cpu: 100, memoryMB: 100, workload: 0)
        for _ in 0..<2 { try? cluster.bind(cluster.submit(mine, at: 0), to: 0, at: 0) }
        try? cluster.bind(cluster.submit(NomadFixture.task("other", cpu: 100, memoryMB: 100, workload: 1), at: 0), to: 1, at: 0)
        let late = cluster.submit(mine, at: 0)
        let e = NomadPlacement().explain(late, mine, in: ClusterView(cluster), random: RandomStreams(seed: 1).stream(.tieBreaks))
        // two collisions on node 0, count 3 (the job's tasks that are not killed): −(2+1)/3
        #expect(e.evaluations[0].raw[1] == NomadPlacement.millionths(-1))
        #expect(e.evaluations[1].raw[1] == 0)
    }

    /// feasible_test.go `TestConstraintChecker` (current upstream): mock nodes are linux, dc1,
    /// class linux-medium-pci, pool default; node 0 runs freebsd, node 1 is in dc2, node 2 is class
    /// large with attribute foo, node 3 is in pool prod. Only node 2 passes all five constraints.
    @Test func constraintCheckerUpstreamTable() {
        func mock(_ name: String, dc: String = "dc1", pool: String = "default", labels: [String: String] = [:]) -> NodeSpec {
            NomadFixture.node(name, datacenter: dc, pool: pool,
                              labels: ["kernel.name": "linux", NomadTarget.classLabel: "linux-medium-pci"].merging(labels) { $1 })
        }
        let nodes = [mock("n0", labels: ["kernel.name": "freebsd"]), mock("n1", dc: "dc2"),
                     mock("n2", labels: [NomadTarget.classLabel: "large", "foo": "bar"]), mock("n3", pool: "prod")]
        let constraints = [NomadConstraint("${node.datacenter}", .equal, "dc1"),
                           NomadConstraint("${attr.kernel.name}", .is, "linux"),
                           NomadConstraint("${node.class}", .notEqual, "linux-medium-pci"),
                           NomadConstraint("${node.pool}", .notEqual, "prod"),
                           NomadConstraint("${attr.foo}", .isSet)]
        let spec = NomadFixture.task(cpu: 1, memoryMB: 1, nomad: NomadDetails(type: .service, constraints: constraints))
        let (cluster, task) = NomadFixture.cluster(nodes, pending: spec)
        let view = ClusterView(cluster)
        let ev = NomadEvaluation(task: task, spec: spec, view: view, config: NomadConfig(), random: nil)
        let got = (0..<4).map { ConstraintChecker().rejection(Int32($0), ev, view, spec) }
        #expect(got == ["${attr.kernel.name} is linux", "${node.datacenter} = dc1", nil, "${node.class} != linux-medium-pci"])
    }
}
