import BerthCluster
import BerthSimulation

/// Nomad's placement stack (upstream `GenericStack` for service and batch jobs,
/// `SystemStack` for system and sysbatch jobs) as a Berth placement engine.
///
/// Per evaluation (all placements of one job in a row, see ``NomadEvaluation``)
/// the ready nodes in the job's datacenters and node pool are shuffled once
/// from the scheduler's random stream; each placement then pulls nodes from
/// where the previous one stopped, filters them, ranks the feasible ones and
/// keeps the best of the first `limit`. Chain order (upstream `NewGenericStack`):
///
/// 1. ConstraintChecker — job/group constraints (and Berth `node_selector`);
/// 2. DistinctHostsIterator, DistinctPropertyIterator;
/// 3. BinPackIterator — fit (else "exhausted"), then the fit score in 0…1;
/// 4. JobAntiAffinityIterator, NodeReschedulingPenaltyIterator,
///    NodeAffinityIterator, SpreadIterator — each may append a score;
/// 5. ScoreNormalizationIterator — the final score is the mean of the appended scores;
/// 6. LimitIterator (limit 2 for batch, max(2, ⌈log2 n⌉) for service, or
///    max(count, node_limit_for_feasibility_checks) with affinities/spreads;
///    skips up to 3 options scoring ≤ 0), then MaxScoreIterator (first best).
///
/// The system stack visits nodes in order, without ranking iterators other
/// than BinPack, and takes the first node that fits.
/// Upstream: nomad `scheduler/feasible/stack.go`; Berth simplifications in docs/nomad.md.
public final class NomadPlacement: PlacementEngine, ExplainablePlacement {
    public let config: NomadConfig
    public var name: String { "nomad-\(config.algorithm.rawValue)" }
    let generic: Pipeline
    let system: Pipeline
    private var current: NomadEvaluation?
    /// Nodes in each (datacenters, node pool) selection, cordons aside.
    private var eligibleCache: [String: [Int32]] = [:]
    /// Task ids per job (workload, job), extended with the tasks submitted since the last look.
    private var tasksByJob: [Int64: [Int32]] = [:]
    private var indexedTasks = 0
    private var nodeByName: [String: Int32] = [:]
    private var lastChoice: Int32 = -1

    struct Pipeline {
        var feasibility: [any NomadFeasibilityStage]
        var binPack: BinPackIterator
        var ranking: [any NomadRankStage]
        var scoreNames: [String] { ranking.map(\.name) }
    }

    public init(config: NomadConfig = NomadConfig()) {
        self.config = config
        (generic, system) = Self.pipelines(config)
    }

    /// The two chains, top to bottom as upstream builds them.
    static func pipelines(_ config: NomadConfig) -> (generic: Pipeline, system: Pipeline) {
        let binPack = BinPackIterator(algorithm: config.algorithm)
        let generic = Pipeline(
            feasibility: [ConstraintChecker(),          // node attributes only: cheapest first
                          DistinctHostsIterator(),      // needs the job's allocations per node
                          DistinctPropertyIterator()],  // needs the job's allocations per attribute value
            binPack: binPack,                           // fit, then the first score
            ranking: [binPack,
                      JobAntiAffinityIterator(),        // penalise co-placement with the same job
                      NodeReschedulingPenaltyIterator(),// (no failed allocations are rescheduled yet)
                      NodeAffinityIterator(),           // soft preferences
                      SpreadIterator(),                 // spread block
                      PreemptionScoringIterator()])     // only options that preempt; last before normalisation
        // SystemStack: no distinct_hosts, no anti-affinity, affinity or spread.
        let system = Pipeline(feasibility: [ConstraintChecker(), DistinctPropertyIterator()], binPack: binPack,
                              ranking: [binPack, PreemptionScoringIterator()])
        return (generic, system)
    }

    public func place(_ task: Int32, _ spec: TaskSpec, in view: ClusterView, random: RandomStream) -> PlacementDecision {
        if cannotFitAnywhere(spec, view, preemption: false) {
            current = nil
            return PlacementDecision(node: nil, nodesExamined: 0)
        }
        let ev = evaluation(task, spec, view, random)
        let (chosen, examined) = select(ev, spec, view, record: nil)
        if let chosen {
            ev.expectedVersion = view.version &+ 1
            lastChoice = chosen.node
        } else {
            current = nil
        }
        return PlacementDecision(node: chosen?.node, nodesExamined: examined)
    }

    /// Plans one whole evaluation without committing anything (upstream
    /// `GenericScheduler.computePlacements` into a `Plan`): the tasks of one job
    /// in order, each Select seeing the earlier ones as proposed allocations.
    /// After the first task that fits nowhere the rest are not tried (upstream
    /// coalesces a task group's failures). Returns a node or nil per task.
    public func plan(_ tasks: [Int32], in view: ClusterView, random: RandomStream) -> [Int32?] {
        planWithPreemption(tasks, in: view, random: random).map { $0?.node }
    }

    /// A planned placement: the node and the allocations to preempt there first.
    public struct Placement: Sendable, Equatable {
        public var node: Int32
        public var preempted: [Int32]
    }

    /// ``plan(_:in:random:)`` with preemption: a generic job whose Select finds no
    /// node selects again with eviction when `preemption_config` enables it for
    /// its type (upstream `selectNextOption`); system jobs evict from the start.
    public func planWithPreemption(_ tasks: [Int32], in view: ClusterView, random: RandomStream) -> [Placement?] {
        current = nil
        if let first = tasks.first {
            let spec = view.task(first).spec
            let type = spec.nomad?.type ?? (spec.durationMicros == nil ? .service : .batch)
            let preemption = config.numSchedulers != nil && config.preemption.enabled(for: type)
            let pinned = spec.nodeSelector[NodeLabel.hostname] != nil
            if !pinned && cannotFitAnywhere(spec, view, preemption: preemption) { return Array(repeating: nil, count: tasks.count) }
        }
        var result: [Placement?] = []
        var ev: NomadEvaluation?
        for (i, task) in tasks.enumerated() {
            let spec = view.task(task).spec
            // Tasks pinned to a node (system jobs) each get their own evaluation.
            if ev == nil || ev?.pinned == true {
                ev = NomadEvaluation(task: task, spec: spec, view: view, config: config, random: random, eligible: eligible(spec, view),
                                 jobTasks: jobTasks(spec, view))
            }
            guard let e = ev else { break }
            var option = select(e, spec, view, record: nil).0
            if option == nil, !e.pinned, e.type == .service || e.type == .batch, config.preemption.enabled(for: e.type) {
                e.preempt = true
                option = select(e, spec, view, record: nil).0
                e.preempt = false
            }
            guard let chosen = option else {
                if e.pinned {  // a system job: the other nodes are independent
                    result.append(nil)
                    continue
                }
                result += Array(repeating: nil, count: tasks.count - i)
                break
            }
            e.preempted(chosen.preempted, on: chosen.node)
            e.planned(spec.requests, on: chosen.node, view)
            result.append(Placement(node: chosen.node, preempted: chosen.preempted.map(\.task)))
        }
        return result
    }

    /// Every task of the job submitted so far. - Complexity: amortised O(1) per submitted task.
    func jobTasks(_ spec: TaskSpec, _ view: ClusterView) -> [Int32] {
        while indexedTasks < view.taskCount {
            let s = view.task(Int32(indexedTasks)).spec
            tasksByJob[NomadEvaluation.jobKey(s.workload, s.job), default: []].append(Int32(indexedTasks))
            indexedTasks += 1
        }
        return tasksByJob[NomadEvaluation.jobKey(spec.workload, spec.job)] ?? []
    }

    /// The nodes in the job's datacenters and node pool (cached per selection);
    /// for a task pinned by hostname, that node if it is among them.
    func eligible(_ spec: TaskSpec, _ view: ClusterView) -> [Int32] {
        if let host = spec.nodeSelector[NodeLabel.hostname] {
            if nodeByName.count != view.nodeCount {
                nodeByName = Dictionary(view.nodes.enumerated().map { ($0.element.name, Int32($0.offset)) }) { first, _ in first }
            }
            guard let node = nodeByName[host] else { return [] }
            if let d = spec.nomad {
                let n = view.node(Int(node))
                guard NomadTarget.datacenterMatches(n, d.datacenters), NomadTarget.poolMatches(n, d.nodePool) else { return [] }
            }
            return [node]
        }
        let key = "\(view.nodeCount)|\(spec.nomad?.nodePool ?? "")|" + (spec.nomad?.datacenters ?? ["*"]).joined(separator: "\u{1}")
        if let cached = eligibleCache[key] { return cached }
        var list: [Int32] = []
        for i in 0..<view.nodeCount {
            if let d = spec.nomad {
                let node = view.node(i)
                guard NomadTarget.datacenterMatches(node, d.datacenters), NomadTarget.poolMatches(node, d.nodePool) else { continue }
            }
            list.append(Int32(i))
        }
        eligibleCache[key] = list
        return list
    }

    /// A shortcut with the same outcome as a Select that exhausts every node: no
    /// schedulable node has the free resources (FitTree query, O(log n)) and
    /// preemption cannot make room. Used before an evaluation starts, so blocked
    /// work retried after every freed resource does not rescan the cluster.
    func cannotFitAnywhere(_ spec: TaskSpec, _ view: ClusterView, preemption: Bool) -> Bool {
        if preemption { return false }
        return view.fitTree.firstFit(request: spec.requests, where: { !view.isUnschedulable($0) }) == nil
    }

    /// Continues the running evaluation when this task is of the same job and
    /// the only change since the last placement is that placement's bind;
    /// otherwise starts a new one (a new job, or a retry after a failure or
    /// after other changes to the cluster: upstream a new evaluation).
    private func evaluation(_ task: Int32, _ spec: TaskSpec, _ view: ClusterView, _ random: RandomStream) -> NomadEvaluation {
        if let ev = current, !ev.pinned, ev.workload == spec.workload, ev.job == spec.job, ev.expectedVersion == view.version,
           lastChoice >= 0 {
            ev.placed(on: lastChoice, view)
            return ev
        }
        let ev = NomadEvaluation(task: task, spec: spec, view: view, config: config, random: random, eligible: eligible(spec, view),
                                 jobTasks: jobTasks(spec, view))
        current = ev
        lastChoice = -1
        return ev
    }

    func pipeline(_ ev: NomadEvaluation) -> Pipeline {
        ev.type == .system || ev.type == .sysbatch ? system : generic
    }

    /// One `Select`: returns the chosen option and the nodes pulled from the source.
    func select(_ ev: NomadEvaluation, _ spec: TaskSpec, _ view: ClusterView,
                record: ((Int32, NodeEvaluation) -> Void)?) -> (RankedOption?, Int) {
        let p = pipeline(ev)
        var examined = 0
        if ev.type == .system || ev.type == .sysbatch {
            for node in ev.nodes {
                examined += 1
                if let option = rank(node, ev, spec, view, p, record: record) { return (option, examined) }
            }
            return (nil, examined)
        }
        var seen = 0
        func sourceNext() -> Int32? {  // upstream StaticIterator.Next
            let n = ev.nodes.count
            if ev.offset == n || seen == n {
                if seen != n { ev.offset = 0 } else { return nil }
            }
            let node = ev.nodes[ev.offset]
            ev.offset += 1
            seen += 1
            return node
        }
        func nextRanked() -> RankedOption? {
            while let node = sourceNext() {
                examined += 1
                if let option = rank(node, ev, spec, view, p, record: record) { return option }
            }
            return nil
        }
        var limit = LimitIterator(limit: ev.limit)
        let best = MaxScoreIterator.select { limit.next(nextRanked) }
        return (best, examined)
    }

    /// Runs one node through the chain: nil when filtered or exhausted.
    func rank(_ node: Int32, _ ev: NomadEvaluation, _ spec: TaskSpec, _ view: ClusterView, _ p: Pipeline,
              record: ((Int32, NodeEvaluation) -> Void)?) -> RankedOption? {
        for stage in p.feasibility {
            if let reason = stage.rejection(node, ev, view, spec) {
                record?(node, NodeEvaluation(node: Int(node), evaluated: true, feasible: false, rejectedBy: stage.name, reason: reason))
                return nil
            }
        }
        var option = RankedOption(node: node)
        if let reason = p.binPack.rejection(node, ev, view, spec) {
            // With eviction enabled, BinPack looks for lower-priority allocations to preempt.
            if ev.preempt {
                option.preempted = NomadPreemption.preemptForTaskGroup(
                    ask: spec.requests, priority: spec.priority, capacity: view.node(Int(node)).capacity,
                    candidates: ev.preemptionCandidates(node, view),
                    preemptedSoFar: { ev.preemptedPerJob[NomadEvaluation.jobKey($0, $1)] ?? 0 })
            }
            if option.preempted.isEmpty {
                record?(node, NodeEvaluation(node: Int(node), evaluated: true, feasible: false, rejectedBy: p.binPack.name, reason: reason))
                return nil
            }
        }
        ev.optionVictimPriorities = option.preempted.map(\.priority)
        defer { ev.optionVictimPriorities = [] }
        var values: [NomadScore] = []
        for stage in p.ranking {
            let s = stage.score(node, ev, view, spec)
            if s.appended { option.scores.append(s.value) }
            if record != nil { values.append(s) }
        }
        if !option.scores.isEmpty { option.finalScore = option.scores.reduce(0, +) / Double(option.scores.count) }
        if let record {
            let n = Double(option.scores.count)
            let victims = option.preempted.map { view.task($0.task).spec.name }
            record(node, NodeEvaluation(node: Int(node), evaluated: true, feasible: true,
                                        reason: victims.isEmpty ? nil : "preempts \(victims.joined(separator: " "))",
                                        raw: values.map { Self.millionths($0.value) },
                                        normalized: values.map { Self.millionths($0.value) },
                                        weighted: values.map { $0.appended ? Self.millionths($0.value / n) : 0 },
                                        total: Self.millionths(option.finalScore)))
        }
        return option
    }

    /// explain.csv holds integers: Nomad's fractional scores are written in millionths.
    static func millionths(_ v: Double) -> Int64 {
        guard v.isFinite else { return 0 }
        return Int64((v * 1_000_000).rounded())
    }
}
