import BerthCluster
import BerthPlacement
import BerthSchedulers
import BerthSimulation
import Testing

/// The evaluation/plan architecture: workers plan on one snapshot, the plan
/// applier rejects allocations that no longer fit, partial plans are retried.
@Suite struct NomadSchedulerTests {
    static let catalog = ResourceCatalog(extended: [])
    static let mib: Int64 = 1024 * 1024

    /// Nodes that each hold exactly one 1000 MHz / 1000 MB allocation.
    static func cluster(_ names: [String]) -> Cluster {
        let nodes = names.map { name -> NodeSpec in
            var capacity = catalog.zeros()
            capacity[ResourceCatalog.cpu] = 1500
            capacity[ResourceCatalog.memory] = 1500 * mib
            capacity[ResourceCatalog.pods] = 100
            return NodeSpec(name: name, pool: "p", capacity: capacity, labels: [NodeLabel.hostname: name])
        }
        return Cluster(catalog: catalog, nodes: nodes)
    }

    static func task(_ name: String, workload: Int32, _ details: NomadDetails) -> TaskSpec {
        var requests = catalog.zeros()
        requests[ResourceCatalog.cpu] = 1000
        requests[ResourceCatalog.memory] = 1000 * mib
        requests[ResourceCatalog.pods] = 1
        var spec = TaskSpec(name: name, workload: workload, requests: requests)
        spec.nomad = details
        return spec
    }

    /// Job B (pinned to x) and job A (2 allocations, distinct_hosts, affinity for x) plan
    /// on the same snapshot: both take x. B's plan is applied first, so A's allocation on x
    /// is rejected and the rest of A's plan is committed; the retry finds the last node.
    @Test func rejectedAllocationIsReplannedOnAFreshSnapshot() throws {
        let cluster = Self.cluster(["x", "y", "z"])
        let onX = NomadDetails(type: .service, constraints: [NomadConstraint("${node.unique.name}", .equal, "x")])
        let spreadOut = NomadDetails(type: .service, constraints: [NomadConstraint("", .distinctHosts)],
                                     affinities: [NomadAffinity("${node.unique.name}", .equal, "x", weight: 100)])
        let scheduler = NomadScheduler(engine: NomadPlacement(), workers: 2)
        let b = cluster.submit(Self.task("b", workload: 1, onX), at: 0)
        scheduler.enqueue(b, in: cluster)
        for i in 0..<2 { scheduler.enqueue(cluster.submit(Self.task("a\(i)", workload: 0, spreadOut), at: 0), in: cluster) }
        let bound = scheduler.schedule(in: cluster, at: 0, random: RandomStreams(seed: 1).stream(.tieBreaks))
        #expect(bound.count == 3)
        #expect(scheduler.rejectedAllocations == 1)
        #expect(scheduler.plansApplied == 3, "B, A, then A's retry")
        #expect(cluster.tasks[Int(b)].node == 0)
        #expect(Set(cluster.tasks.map(\.node)) == [0, 1, 2])
        #expect(scheduler.queuedCount == 0)
        #expect(cluster.invariantViolations().isEmpty)
    }

    /// With one worker the plans never conflict: the same jobs place without rejections.
    @Test func oneWorkerNeverConflicts() {
        let cluster = Self.cluster(["x", "y", "z"])
        let onX = NomadDetails(type: .service, constraints: [NomadConstraint("${node.unique.name}", .equal, "x")])
        let spreadOut = NomadDetails(type: .service, constraints: [NomadConstraint("", .distinctHosts)],
                                     affinities: [NomadAffinity("${node.unique.name}", .equal, "x", weight: 100)])
        let scheduler = NomadScheduler(engine: NomadPlacement(), workers: 1)
        scheduler.enqueue(cluster.submit(Self.task("b", workload: 1, onX), at: 0), in: cluster)
        for i in 0..<2 { scheduler.enqueue(cluster.submit(Self.task("a\(i)", workload: 0, spreadOut), at: 0), in: cluster) }
        let bound = scheduler.schedule(in: cluster, at: 0, random: RandomStreams(seed: 1).stream(.tieBreaks))
        #expect(bound.count == 3)
        #expect(scheduler.rejectedAllocations == 0)
        #expect(scheduler.plansApplied == 2)
    }

    /// A rejected allocation with no other node left ends up in a blocked
    /// evaluation, which becomes ready when resources are freed.
    @Test func blockedEvaluationWaitsForFreedResources() throws {
        let cluster = Self.cluster(["x"])
        let any = NomadDetails(type: .service)
        let scheduler = NomadScheduler(engine: NomadPlacement(), workers: 2)
        let first = cluster.submit(Self.task("a", workload: 0, any), at: 0)
        let second = cluster.submit(Self.task("b", workload: 1, any), at: 0)
        scheduler.enqueue(first, in: cluster)
        scheduler.enqueue(second, in: cluster)
        let random = RandomStreams(seed: 1).stream(.tieBreaks)
        #expect(scheduler.schedule(in: cluster, at: 0, random: random) == [first])
        #expect(scheduler.rejectedAllocations == 1, "both planned x; the second plan is rejected")
        #expect(scheduler.queuedCount == 1)
        #expect(scheduler.schedule(in: cluster, at: 0, random: random).isEmpty, "blocked until resources are freed")
        try cluster.end(first, as: .finished, at: 10)
        scheduler.resourcesFreed(in: cluster)
        #expect(scheduler.schedule(in: cluster, at: 10, random: random) == [second])
        #expect(scheduler.queuedCount == 0)
    }

    /// Preemption (plan applier evicts): a low-priority allocation fills node x; a
    /// priority-100 job needs it. Returns (bound, evicted).
    static func preemptionRun(type: NomadDetails.JobType, config: NomadConfig) -> ([Int32], [Int32], Int32) {
        let cluster = Self.cluster(["x"])
        var low = Self.task("low", workload: 1, NomadDetails(type: .service))
        low.priority = 10
        let victim = cluster.submit(low, at: 0)
        try? cluster.bind(victim, to: 0, at: 0)
        var high = Self.task("high", workload: 0, NomadDetails(type: type))
        high.priority = 100
        if type == .system { high.nodeSelector = [NodeLabel.hostname: "x"] }
        let scheduler = NomadScheduler(engine: NomadPlacement(config: config), workers: 1)
        scheduler.enqueue(cluster.submit(high, at: 0), in: cluster)
        let bound = scheduler.schedule(in: cluster, at: 5, random: RandomStreams(seed: 1).stream(.tieBreaks))
        #expect(cluster.invariantViolations().isEmpty)
        return (bound, scheduler.drainEvictions(), victim)
    }

    /// Nomad's defaults: the system scheduler preempts, the service scheduler does not.
    @Test func systemJobsPreemptByDefaultServiceJobsDoNot() {
        var config = NomadConfig()
        config.numSchedulers = 1
        let (sysBound, sysEvicted, victim) = Self.preemptionRun(type: .system, config: config)
        #expect(sysBound.count == 1 && sysEvicted == [victim])
        let (svcBound, svcEvicted, _) = Self.preemptionRun(type: .service, config: config)
        #expect(svcBound.isEmpty && svcEvicted.isEmpty)
        config.preemption.serviceSchedulerEnabled = true
        let (enabledBound, enabledEvicted, v) = Self.preemptionRun(type: .service, config: config)
        #expect(enabledBound.count == 1 && enabledEvicted == [v], "preemption_config service_scheduler_enabled")
    }
}
