import BerthCluster
import BerthFailures
import BerthHarness
import BerthMetrics
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthSimulation
import BerthTestSupport
import Testing

/// Node failures and outages (docs/failures.md), each run with invariants
/// checked after every event.
@Suite struct FailureScenarioTests {
    static func run(_ yaml: String, seed: UInt64? = nil, scheduler: String? = nil) throws -> RunResult {
        let scenario = try ScenarioLoader.load(text: yaml, file: "inline.yaml")
        let spec = scheduler.flatMap { SchedulerRegistry.preset(named: $0)?.spec }
        let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed, scheduler: spec))
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        return result
    }

    static let threeZones = """
    name: zone-outage
    horizon: 4h
    cluster:
      pools: [{name: n, count: 3, capacity: {cpu: 4, memory: 8Gi}, zones: [a, b, c]}]
    workloads:
      - {name: web, kind: service, replicas: 6, requests: {cpu: 1, memory: 1Gi}}
    failures:
      outages: [{zone: a, at_s: [1h], time_to_repair_s: 30m}]
    """

    /// The outage kills exactly the replicas running in zone a (at 1 h), the
    /// ReplicaSet re-creates them at once on the other zones, and after the
    /// repair (1 h 30 m) the node is up again with the service at full count.
    @Test(arguments: ["kubernetes", "best-fit", "worst-fit", "nomad", "swarm", "ecs-spread"])
    func zoneOutageKillsExactlyTheZonesTasks(scheduler: String) throws {
        let r = try Self.run(Self.threeZones, scheduler: scheduler)
        let zoneA = try #require(r.cluster.nodeIndex(named: "n-0"))
        #expect(r.cluster.nodes[zoneA].zone == "a")
        let killed = r.cluster.tasks.filter { $0.state == .killed }
        let ranInA = r.cluster.tasks.filter { $0.node == Int32(zoneA) && $0.startMicros < 3_600_000_000 }
        #expect(killed.count == ranInA.count && !killed.isEmpty)
        #expect(killed.allSatisfy { $0.node == Int32(zoneA) && $0.endMicros == 3_600_000_000 })
        #expect(r.summary.killedByNodeFailure == killed.count)
        #expect(r.cluster.count(.running) == 6, "full replica count after the repair")
        #expect(r.summary.submitted == 6 + killed.count, "one replacement per lost replica")
        // Replacements started at the outage instant, never on the down node.
        let replacements = r.cluster.tasks.dropFirst(6)
        #expect(replacements.allSatisfy { $0.startMicros == 3_600_000_000 && $0.node != Int32(zoneA) })
        #expect(r.nodeDownMicros == [1_800_000_000, 0, 0])
        #expect(r.summary.nodeFailures == 1 && r.summary.nodeDownSeconds == 1800)
        #expect(r.summary.availabilityMin == 1.0, "replaced at the same instant: never below full count")
        #expect(r.availability.recoveryMicros[0].allSatisfy { $0 == 0 } && !r.availability.recoveryMicros[0].isEmpty)
        // Work lost: every killed replica had run 1 cpu for 3600 s.
        #expect(r.summary.nodeFailureLostCoreSeconds == Double(killed.count) * 3600)
    }

    /// A service pinned to one zone cannot move: during the outage it has no
    /// replicas, so availability = 1 − outage / horizon = 1 − 0.5 h / 4 h.
    @Test func availabilityOfAPinnedServiceIsTheUptimeFraction() throws {
        let r = try Self.run("""
        name: pinned
        horizon: 4h
        cluster:
          pools: [{name: n, count: 2, capacity: {cpu: 4, memory: 8Gi}, zones: [a, b]}]
        workloads:
          - {name: web, kind: service, replicas: 2, requests: {cpu: 1}, node_selector: {topology.kubernetes.io/zone: a}}
        failures:
          outages: [{label: topology.kubernetes.io/zone, value: a, at_s: [3600], time_to_repair_s: 1800}]
        """, scheduler: "kubernetes")
        #expect(r.summary.availabilityMin == 0.875)
        #expect(r.availability.missingReplicaSeconds(0, end: r.endMicros) == 3600, "2 replicas × 1800 s")
        // One dip: below full count at 3600 s, back at 5400 s.
        #expect(r.availability.recoveryMicros[0] == [1_800_000_000])
        // The replacements waited for the repair and started exactly then.
        let replacements = r.cluster.tasks.dropFirst(2)
        #expect(replacements.count == 2 && replacements.allSatisfy { $0.submitMicros == 3_600_000_000 && $0.startMicros == 5_400_000_000 })
        let events = RunReports.events(r.failureLog).rows.map { "\($0[0]) \($0[1]) \($0[3]) \($0[4]) \($0[5])" }
        #expect(events == [
            "3600.000000 task_killed web-0 n-0 node_failure",
            "3600.000000 task_killed web-1 n-0 node_failure",
            "3600.000000 node_down  n-0 node_failure",
            "3600.000000 task_recreated web-0  replacement",
            "3600.000000 task_recreated web-1  replacement",
            "5400.000000 node_up  n-0 repair",
        ])
    }

    /// A Job pod lost to a node failure counts as failed: with backoff_limit 0
    /// the Job fails; with 1 the replacement comes after the 10 s back-off,
    /// waits for the repair and runs from zero (2 h more).
    @Test(arguments: [0, 1]) func jobPodLostToANodeFailure(backoffLimit: Int) throws {
        let r = try Self.run("""
        name: job
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - {name: etl, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 2h, requests: {cpu: 2}, backoff_limit: \(backoffLimit)}
        failures:
          node_failures: [{node: n-0, at_s: [1h], time_to_repair_s: 30m}]
        """, scheduler: "kubernetes")
        #expect(r.summary.killedByNodeFailure == 1)
        #expect(r.summary.nodeFailureLostCoreSeconds == 2 * 3600)
        if backoffLimit == 0 {
            #expect(r.summary.jobsFailed == 1 && r.summary.submitted == 1)
        } else {
            #expect(r.summary.jobsFailed == 0 && r.summary.finished == 1)
            let replacement = try #require(r.cluster.tasks.last)
            #expect(replacement.submitMicros == 3_610_000_000, "created after the 10 s pod-failure back-off")
            #expect(replacement.startMicros == 5_400_000_000 && replacement.endMicros == 12_600_000_000)
        }
    }

    static let fleet = """
    name: fleet
    horizon: 1d
    cluster:
      pools:
        - {name: web, count: 12, capacity: {cpu: 8, memory: 32Gi}, zones: [a, b, c]}
        - {name: batch, count: 6, capacity: {cpu: 16, memory: 64Gi}, zones: [a, b]}
    workloads:
      - {name: api, kind: service, replicas: 30, requests: {cpu: 1, memory: 2Gi}, crash_rate_per_hour: 0.05}
      - name: jobs
        kind: batch
        arrival: {process: poisson, rate: 20/h}
        tasks_per_job: 4
        duration: {dist: lognormal, mu: 7, sigma: 1}
        requests: {cpu: 2, memory: 4Gi}
        backoff_limit: 3
        crash_probability: 0.1
        restart_policy: OnFailure
    failures:
      node_failures:
        - {pool: web, time_to_failure_s: {dist: weibull, scale: 12h, shape: 1.5}, time_to_repair_s: {dist: lognormal, mu: 7, sigma: 0.5}}
        - {pool: batch, time_to_failure_s: {dist: exponential, mean: 8h}, time_to_repair_s: {dist: gamma, shape: 2, scale: 900}}
      outages:
        - {zone: b, time_between_s: {dist: exponential, mean: 1d}, time_to_repair_s: 20m}
    """

    static func failureEvents(_ r: RunResult) -> [FailureLog.Entry] {
        r.failureLog.entries.filter { $0.event == "node_down" || $0.event == "node_up" }
    }

    /// Failure streams are separate from workload and scheduler streams: every
    /// scheduler sees the same node failures (common random numbers), and
    /// changing a workload does not move a single failure.
    @Test func everySchedulerSeesTheSameFailures() throws {
        let reference = try Self.run(Self.fleet, scheduler: "kubernetes")
        let failures = Self.failureEvents(reference)
        #expect(failures.count > 20, "the storm must actually fail nodes")
        for other in ["best-fit", "nomad", "swarm", "ecs-binpack"] {
            #expect(Self.failureEvents(try Self.run(Self.fleet, scheduler: other)) == failures, "\(other)")
        }
        let withoutBatch = Self.fleet.replacingOccurrences(of: "rate: 20/h", with: "rate: 3/h")
        #expect(Self.failureEvents(try Self.run(withoutBatch, scheduler: "kubernetes")) == failures)
        // And another seed moves them.
        #expect(Self.failureEvents(try Self.run(Self.fleet, seed: 99, scheduler: "kubernetes")) != failures)
    }

    /// Turning failures on does not change the arrival sequence: the tasks
    /// the workloads submit (not the controllers' replacements) arrive at the
    /// same instants with the same names, sizes and durations.
    @Test func failuresDoNotMoveArrivals() throws {
        let with = try Self.run(Self.fleet, scheduler: "kubernetes")
        let noFailures = Self.fleet.components(separatedBy: "failures:\n").first ?? Self.fleet
        let without = try Self.run(noFailures, scheduler: "kubernetes")
        #expect(without.summary.nodeFailures == 0 && with.summary.nodeFailures > 0)
        let replacements = Set(with.failureLog.entries.filter { $0.event == "task_recreated" }.map(\.task))
        func arrivals(_ r: RunResult, skipping: Set<Int32>) -> [String] {
            r.cluster.tasks.enumerated().filter { !skipping.contains(Int32($0.offset)) }.map {
                "\($0.element.spec.name) \($0.element.submitMicros) \($0.element.spec.requests) \($0.element.spec.durationMicros ?? -1)"
            }.sorted()
        }
        #expect(!replacements.isEmpty)
        let (a, b) = (arrivals(with, skipping: replacements), arrivals(without, skipping: []))
        #expect(a.count == b.count && a.filter { !b.contains($0) }.isEmpty, "\(a.filter { !b.contains($0) }.prefix(5))")
    }

    /// Every bundled failure scenario: two runs give byte-identical reports.
    @Test(arguments: ["zone-outage-fleet", "rolling-drain", "zone-outage-spread-vs-binpack", "nightly-dag", "recovery-presets",
                      "weibull-fleet-30d"])
    func bundledScenariosAreDeterministic(_ name: String) throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/failures/\(name).yaml"))
        func render() throws -> [String: String] {
            Dictionary(uniqueKeysWithValues: RunArtifacts.tables(try Simulator(scenario: scenario).run()).map { ($0.0, $0.1.rendered()) })
        }
        let (a, b) = (try render(), try render())
        for file in RunArtifacts.deterministicFiles { #expect(a[file] == b[file], "\(name): \(file) differs") }
    }

    /// Same scenario and seed ⇒ byte-identical reports with failures on.
    @Test func reportsAreByteIdentical() throws {
        let scenario = try ScenarioLoader.load(text: Self.fleet, file: "inline.yaml")
        func render() throws -> [String: String] {
            let r = try Simulator(scenario: scenario).run()
            return Dictionary(uniqueKeysWithValues: RunArtifacts.tables(r).map { ($0.0, $0.1.rendered()) })
        }
        let (a, b) = (try render(), try render())
        for file in RunArtifacts.deterministicFiles { #expect(a[file] == b[file], "\(file) differs") }
        #expect((a["events.csv"]?.count ?? 0) > 1_000)
        #expect(a["events.csv"]?.contains("container_restarted") == true, "crashes are part of the storm")
    }
}

/// The failure sources on their own.
@Suite struct FailureInjectorTests {
    static let nodes = (0..<3).map { i in
        NodeSpec(name: "n-\(i)", pool: "p", capacity: [4000], labels: [NodeLabel.zone: i < 2 ? "a" : "b"], zone: i < 2 ? "a" : "b")
    }

    /// A node that fails on its own during its zone's outage stays down until
    /// both are over; a scripted failure while the source is still down is skipped.
    @Test func overlappingSourcesKeepANodeDownUntilBothEnd() {
        let model = FailureModel(
            nodeFailures: [NodeFailureSpec(target: .node("n-0"), timing: .scripted([10_000_000, 20_000_000, 200_000_000]),
                                           timeToRepair: .constant(50))],
            outages: [OutageSpec(label: NodeLabel.zone, value: "a", timing: .scripted([30_000_000]), timeToRepair: .constant(100))])
        let injector = FailureInjector(model: model, nodes: Self.nodes, streams: RandomStreams(seed: 1))
        var queue = injector.firstTransitions()
        var log: [String] = []
        while let t = queue.min(by: { ($0.micros, $0.source) < ($1.micros, $1.source) }) {
            queue.removeAll { $0 == t }
            let (changed, next) = injector.fire(t)
            for c in changed { log.append("\(t.micros / 1_000_000) n-\(c.node) \(c.down ? "down" : "up")") }
            if let next { queue.append(next) }
        }
        // n-0: own failure 10–60 s (the script's 20 s falls inside and is skipped), zone a 30–130 s,
        // own failure again 200–250 s. n-1: zone a only.
        #expect(log == ["10 n-0 down", "30 n-1 down", "130 n-0 up", "130 n-1 up", "200 n-0 down", "250 n-0 up"])
    }

    /// `intensity` takes a random fraction of the domain down together: half
    /// of a 6-node pool is exactly 3 nodes per outage, the same 3 come back,
    /// and which 3 depends on the seed.
    @Test func intensityTakesAFractionOfTheDomain() throws {
        var subsets: Set<[String]> = []
        for seed: UInt64 in 1...6 {
            let r = try FailureScenarioTests.run("""
            name: intensity
            horizon: 5h
            cluster: {pools: [{name: web, count: 6, capacity: {cpu: 4, memory: 8Gi}}, {name: db, count: 2, capacity: {cpu: 4, memory: 8Gi}}]}
            workloads: [{name: api, kind: service, replicas: 8, requests: {cpu: 1}}]
            failures:
              outages: [{pool: web, intensity: 0.5, at_s: [1h, 3h], time_to_repair_s: 10m}]
            """, seed: seed)
            for start: Int64 in [3_600_000_000, 10_800_000_000] {
                let downs = r.failureLog.entries.filter { $0.event == "node_down" && $0.micros == start }.map(\.node)
                let ups = r.failureLog.entries.filter { $0.event == "node_up" && $0.micros == start + 600_000_000 }.map(\.node)
                #expect(downs.count == 3 && downs == ups && downs.allSatisfy { $0.hasPrefix("web-") }, "seed \(seed)")
                subsets.insert(downs)
            }
            #expect(r.summary.nodeFailures == 6)
        }
        #expect(subsets.count > 2, "the subset is drawn at random")
    }

    /// A hazard multiplier divides that node's random times to failure; the
    /// other nodes' draws are untouched.
    @Test func hazardMultiplierScalesOneNode() {
        func first(_ multipliers: [String: Double]) -> [Int64] {
            let model = FailureModel(nodeFailures: [NodeFailureSpec(target: .pool("p"), timing: .random(.exponential(mean: 3600)),
                                                                    timeToRepair: .constant(60), hazardMultipliers: multipliers)])
            return FailureInjector(model: model, nodes: Self.nodes, streams: RandomStreams(seed: 3)).firstTransitions().map(\.micros)
        }
        let plain = first([:]), scaled = first(["n-1": 4])
        #expect(scaled[0] == plain[0] && scaled[2] == plain[2])
        #expect(scaled[1] == Int64((Double(plain[1]) / 4).rounded()))
    }

    /// Each node draws from `failures/<pool>/<node>`: node n-1's failure times
    /// do not change when n-0 is removed from the cluster.
    @Test func eachNodeHasItsOwnStream() {
        let model = FailureModel(nodeFailures: [NodeFailureSpec(target: .pool("p"), timing: .random(.exponential(mean: 3600)),
                                                                timeToRepair: .exponential(mean: 60))])
        let all = FailureInjector(model: model, nodes: Self.nodes, streams: RandomStreams(seed: 7)).firstTransitions()
        let some = FailureInjector(model: model, nodes: Array(Self.nodes.dropFirst()), streams: RandomStreams(seed: 7)).firstTransitions()
        #expect(all.map(\.micros).dropFirst().elementsEqual(some.map(\.micros)))
        #expect(Set(all.map(\.micros)).count == 3)
    }
}

/// scenarios/failures/: the bundled failure scenarios.
@Suite struct BundledFailureScenarioTests {
    /// A full three-zone cluster and a one-hour outage of zone a in six hours:
    /// spread (kubernetes, zone topology spread) loses 2 of 6 web replicas and
    /// keeps its quorum of 4 throughout; bin-packed (best-fit) web loses 4 and
    /// is below quorum for the whole outage. Nothing can move (no spare room),
    /// so "all replicas" availability is 1 − 1/6 for web either way, and the
    /// allocation is the same: here spreading costs no utilisation.
    @Test func spreadKeepsTheQuorumThroughAZoneOutage() throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/failures/zone-outage-spread-vs-binpack.yaml"))
        var results: [String: RunResult] = [:]
        for preset in ["kubernetes", "best-fit"] {
            let spec = try #require(SchedulerRegistry.preset(named: preset)?.spec)
            let (r, violations) = try runChecked(scenario, options: RunOptions(scheduler: spec))
            #expect(violations.isEmpty, "\(preset): \(violations.prefix(3))")
            results[preset] = r
        }
        let spread = try #require(results["kubernetes"]), packed = try #require(results["best-fit"])
        #expect(spread.availability.minAvailableFraction(0, end: spread.endMicros) == 1)
        #expect(packed.availability.minAvailableFraction(0, end: packed.endMicros) == 1 - 1.0 / 6)
        #expect(spread.availability.availability(0, end: spread.endMicros) == 1 - 1.0 / 6)
        #expect(spread.availability.missingReplicaSeconds(0, end: spread.endMicros) == 2 * 3600)
        #expect(packed.availability.missingReplicaSeconds(0, end: packed.endMicros) == 4 * 3600)
        #expect(spread.summary.allocationFraction[ResourceCatalog.cpu] == packed.summary.allocationFraction[ResourceCatalog.cpu])
    }

    /// The cache is pinned to zone b, so the scripted 2-hour outage of zone b
    /// (and nothing else: its nodes' own failures leave room in the zone) takes
    /// all of it down: availability = 1 − 2 h / 48 h. The api service always
    /// finds room elsewhere at the instant it loses replicas.
    @Test func zoneOutageFleet() throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/failures/zone-outage-fleet.yaml"))
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        #expect(r.availability.availability(1, end: r.endMicros) == 1 - 2.0 / 48)
        #expect(r.availability.availability(0, end: r.endMicros) == 1)
        #expect(r.summary.nodeFailures > 10 && r.summary.killedByNodeFailure > 0)
        // Every node-down second is accounted for in nodes.csv.
        #expect(Double(r.nodeDownMicros.reduce(0, +)) / 1_000_000 == r.summary.nodeDownSeconds)
        // The zone b nodes were down at least for the outage.
        let zoneB = r.cluster.nodes.indices.filter { r.cluster.nodes[$0].zone == "b" }
        #expect(zoneB.allSatisfy { r.nodeDownMicros[$0] >= 7_200_000_000 })
    }

    /// The 30-day Weibull fleet: failure counts and repair times agree with
    /// the distributions (renewal theory: per node t/μ + (CV² − 1)/2 failures
    /// with μ = 10 d·Γ(5/3) + E[repair] ≈ 9.21 d and CV² ≈ 0.461 for shape 1.5,
    /// so ≈ 71.7 for 24 nodes; mean repair e^(9.5 + 0.6²/2) ≈ 15,994 s), and the
    /// zone-spread service keeps its quorum throughout, with invariants checked.
    @Test func weibullFleetOverThirtyDays() throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/failures/weibull-fleet-30d.yaml"))
        var failures: [Int] = []
        var repairs: [Double] = []
        for seed: UInt64 in 1...4 {
            let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed))
            #expect(violations.isEmpty, "seed \(seed): \(violations.prefix(3))")
            failures.append(result.summary.nodeFailures)
            repairs.append(result.summary.nodeDownSeconds / Double(max(1, result.summary.nodeFailures)))
            let web = try #require(result.availability.services.firstIndex { $0.name == "web" })
            #expect(result.availability.minAvailableFraction(web, end: result.endMicros) == 1, "seed \(seed)")
        }
        let mean = Double(failures.reduce(0, +)) / Double(failures.count)
        #expect(mean >= 64 && mean <= 80, "mean node failures \(mean) over seeds 1…4 (expected ≈ 71.7): \(failures)")
        let repair = repairs.reduce(0, +) / Double(repairs.count)
        #expect(repair > 0.8 * 15_994 && repair < 1.2 * 15_994, "mean repair \(repair) s")
    }
}
