import BerthCluster
import BerthSimulation
import Foundation

/// What Nomad's generic (or system) stack remembers while one evaluation
/// places the allocations of one job: the shuffled node list and the source
/// iterator's position in it, the limit, the job's allocations per node, the
/// property sets of `distinct_property` and `spread`, and the spread
/// iterator's running `lowestSpreadBoost`. Upstream builds a new stack per
/// evaluation (`GenericScheduler.process` → `NewGenericStack`).
///
/// Berth runs one task group per job; a workload's tasks of one job number are
/// one Nomad job (see docs/nomad.md).
public final class NomadEvaluation {
    public let workload: Int32
    public let job: Int32
    public let details: NomadDetails?
    public let type: NomadDetails.JobType
    /// Base nodes (ready, in the job's datacenters and node pool), shuffled for service and batch jobs.
    public var nodes: [Int32]
    /// The StaticIterator's offset: each Select continues where the last one stopped.
    public var offset = 0
    public var limit: Int
    /// The task group's `count`.
    public let desiredCount: Int
    /// The job's running allocations per node.
    public var jobCounts: [Int32: Int] = [:]
    public var distinctHosts: Bool
    public var distinctProperties: [PropertySet]
    public var spreadSets: [PropertySet]
    /// Per spread attribute: weight and desired counts (upstream `spreadInfo`).
    public var spreadInfo: [String: SpreadInfo] = [:]
    public var sumSpreadWeights: Int32 = 0
    public var lowestSpreadBoost = -1.0
    public let affinities: [NomadAffinity]
    public let constraints: [NomadConstraint]
    public let regexes = NomadRegexCache()
    /// Requests this evaluation has planned but not committed, per node (the
    /// plan's `NodeAllocation`, seen by BinPack as proposed allocations).
    public private(set) var planned: [Int32: [Int64]] = [:]
    /// Whether BinPack may preempt (upstream `BinPackIterator.evict`): set for the
    /// second Select of a generic job, and from the start for system jobs.
    public var preempt = false
    /// Resources freed per node by the allocations this plan preempts.
    public private(set) var freedByPreemption: [Int32: [Int64]] = [:]
    /// Allocations this plan preempts, and how many per job (upstream `SetPreemptions`).
    public private(set) var preemptedTasks: Set<Int32> = []
    var preemptedPerJob: [Int64: Int] = [:]
    /// The victims of the option being ranked (read by the PreemptionScoringIterator).
    var optionVictimPriorities: [Int32] = []
    /// Pinned to one node by hostname (Berth's per-node daemon tasks): each is its own evaluation.
    public let pinned: Bool
    /// The cluster version at which the next Select of this evaluation is expected.
    var expectedVersion: UInt64 = 0

    public struct SpreadInfo: Sendable, Equatable {
        public var weight: Int8
        public var desiredCounts: [String: Double]
    }

    /// Upstream `GenericStack.SetNodes`/`SetJob`/`SetTaskGroup` for the job of `task`.
    /// `eligible`: the nodes in the job's datacenters and pool, when the caller
    /// has them cached (node attributes do not change during a run).
    /// `jobTasks`: every task of the job submitted so far, when the caller indexes
    /// them (``NomadPlacement`` does); otherwise the job's run of consecutive task ids.
    public init(task: Int32, spec: TaskSpec, view: ClusterView, config: NomadConfig, random: RandomStream?,
                eligible: [Int32]? = nil, jobTasks: [Int32]? = nil) {
        workload = spec.workload
        job = spec.job
        details = spec.nomad
        type = spec.nomad?.type ?? (spec.durationMicros == nil ? .service : .batch)
        var constraints = spec.nodeSelector.sorted { $0.key < $1.key }.map { NomadConstraint("${attr.\($0.key)}", .equal, $0.value) }
        constraints += details?.constraints ?? []
        self.constraints = constraints
        affinities = details?.affinities ?? []
        distinctHosts = constraints.contains { c in
            c.op == .distinctHosts && (c.rTarget.isEmpty || Bool(c.rTarget.lowercased()) ?? true)
        }
        distinctProperties = constraints.filter { $0.op == .distinctProperty }.map(PropertySet.init(distinctProperty:))
        let spreads = details?.spreads ?? []
        spreadSets = spreads.map { PropertySet(attribute: $0.attribute, targetValues: Set($0.targets.map(\.value))) }

        pinned = spec.nodeSelector[NodeLabel.hostname] != nil
        if let eligible {
            nodes = eligible.filter { !view.isUnschedulable(Int($0)) }
        } else {
            nodes = Self.baseNodes(view, details, pinnedTo: spec.nodeSelector[NodeLabel.hostname])
        }
        // The system stack has no job anti-affinity or spread: it needs the job's
        // allocations only for distinct_property.
        let isSystem = type == .system || type == .sysbatch
        let siblings: [Int32] = isSystem && distinctProperties.isEmpty ? []
            : jobTasks ?? Self.jobTaskRange(task, spec, view).map(Int32.init)
        // Without an explicit count: the job's tasks that are not killed or failed (re-created ones replace those).
        desiredCount = details?.count ?? max(1, siblings.count { id in
            let state = view.task(id).state
            return state != .killed && state != .failed
        })
        limit = 2
        if type == .service, !nodes.isEmpty {
            limit = max(2, Int(log2(Double(nodes.count)).rounded(.up)))
        }
        if !affinities.isEmpty || !spreads.isEmpty {
            limit = desiredCount < config.nodeLimitForFeasibilityChecks ? config.nodeLimitForFeasibilityChecks : desiredCount
        }
        if let random, type == .service || type == .batch { Self.shuffle(&nodes, random) }
        // The system stack's BinPack evicts from the start when its scheduler may preempt.
        // Only the evaluation/plan architecture can carry out evictions.
        if isSystem { preempt = config.preemption.enabled(for: type) && config.numSchedulers != nil }
        countExisting(siblings, view)
        computeSpreadInfo(spreads)
    }

    /// Upstream `readyNodesInDCsAndPool`: schedulable nodes in the job's datacenters and node pool.
    /// A task pinned by hostname (Berth's DaemonSet-style pods; upstream's system
    /// scheduler also hands the stack one node at a time) only looks at that node.
    static func baseNodes(_ view: ClusterView, _ details: NomadDetails?, pinnedTo host: String? = nil) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(host == nil ? view.nodeCount : 1)
        for i in 0..<view.nodeCount where !view.isUnschedulable(i) {
            if let host, view.nodeName(i) != host { continue }
            if let details {
                let node = view.node(i)
                guard NomadTarget.datacenterMatches(node, details.datacenters), NomadTarget.poolMatches(node, details.nodePool) else { continue }
            }
            result.append(Int32(i))
        }
        return result
    }

    /// Fisher–Yates from the back, as upstream `shuffleNodes`.
    static func shuffle(_ nodes: inout [Int32], _ random: RandomStream) {
        var i = nodes.count - 1
        while i > 0 {
            let j = random.index(below: i + 1)
            nodes.swapAt(i, j)
            i -= 1
        }
    }

    /// The job's tasks when no index is given: a job's tasks are submitted
    /// together, so their ids are consecutive (re-created ones are missed).
    static func jobTaskRange(_ task: Int32, _ spec: TaskSpec, _ view: ClusterView) -> Range<Int> {
        let same = { (id: Int) -> Bool in
            let s = view.task(Int32(id)).spec
            return s.workload == spec.workload && s.job == spec.job
        }
        guard Int(task) < view.taskCount else { return Int(task)..<Int(task) + 1 }
        var lo = Int(task), hi = Int(task) + 1
        while lo > 0 && same(lo - 1) { lo -= 1 }
        while hi < view.taskCount && same(hi) { hi += 1 }
        return lo..<hi
    }

    /// Upstream `propertySet.populateExisting` and the allocations JobAntiAffinity counts.
    private func countExisting(_ tasks: [Int32], _ view: ClusterView) {
        for id in tasks {
            let record = view.task(id)
            guard record.state == .running, record.node >= 0 else { continue }
            jobCounts[record.node, default: 0] += 1
        }
        for (node, n) in jobCounts {
            let spec = view.node(Int(node))
            for i in distinctProperties.indices { distinctProperties[i].add(spec, UInt64(n)) }
            for i in spreadSets.indices { spreadSets[i].add(spec, UInt64(n)) }
        }
    }

    /// Upstream `SpreadIterator.computeSpreadInfo`: desired count per target
    /// value = percent × count; the remainder goes to the implicit target `*`.
    private func computeSpreadInfo(_ spreads: [NomadSpread]) {
        let total = Double(desiredCount)
        for spread in spreads {
            var info = SpreadInfo(weight: spread.weight, desiredCounts: [:])
            var sum = 0.0
            for t in spread.targets {
                let desired = Double(t.percent) / 100 * total
                info.desiredCounts[t.value] = desired
                sum += desired
            }
            if sum > 0 && sum < total { info.desiredCounts[PropertySet.implicitTarget] = total - sum }
            spreadInfo[spread.attribute] = info
            sumSpreadWeights += Int32(spread.weight)
        }
    }

    /// Planned on `node` without committing (the evaluation/plan architecture).
    func planned(_ requests: [Int64], on node: Int32, _ view: ClusterView) {
        if var p = planned[node] {
            for r in p.indices { p[r] += requests[r] }
            planned[node] = p
        } else {
            planned[node] = requests
        }
        placed(on: node, view)
    }

    /// Planned minus freed by this plan's preemptions on `node` for resource `r`.
    @inline(__always) func plannedRequest(_ node: Int32, _ r: Int) -> Int64 {
        let p = planned.isEmpty ? 0 : planned[node]?[r] ?? 0
        return freedByPreemption.isEmpty ? p : p - (freedByPreemption[node]?[r] ?? 0)
    }

    static func jobKey(_ workload: Int32, _ job: Int32) -> Int64 { Int64(workload) << 32 | Int64(UInt32(bitPattern: job)) }

    /// The plan preempts `victims` on `node` (upstream `plan.AppendPreemptedAlloc`).
    func preempted(_ victims: [NomadPreemption.Candidate], on node: Int32) {
        for v in victims {
            preemptedTasks.insert(v.task)
            preemptedPerJob[Self.jobKey(v.workload, v.job), default: 0] += 1
            var freed = freedByPreemption[node] ?? [Int64](repeating: 0, count: v.requests.count)
            for r in freed.indices { freed[r] += v.requests[r] }
            freedByPreemption[node] = freed
        }
    }

    /// The node's running allocations of other jobs not yet preempted by this plan.
    func preemptionCandidates(_ node: Int32, _ view: ClusterView) -> [NomadPreemption.Candidate] {
        view.tasks(on: Int(node)).compactMap { id in
            guard !preemptedTasks.contains(id) else { return nil }
            let s = view.task(id).spec
            if s.workload == workload && s.job == job { return nil }
            let type = s.nomad?.type ?? (s.durationMicros == nil ? .service : .batch)
            return NomadPreemption.Candidate(task: id, workload: s.workload, job: s.job, priority: s.priority,
                                             requests: s.requests, maxParallel: type == .service ? 1 : 0)
        }
    }

    /// The evaluation placed one more allocation on `node` (upstream: the plan
    /// grew, `PopulateProposed` on Reset).
    func placed(on node: Int32, _ view: ClusterView) {
        jobCounts[node, default: 0] += 1
        let spec = view.node(Int(node))
        for i in distinctProperties.indices { distinctProperties[i].add(spec) }
        for i in spreadSets.indices { spreadSets[i].add(spec) }
    }
}
