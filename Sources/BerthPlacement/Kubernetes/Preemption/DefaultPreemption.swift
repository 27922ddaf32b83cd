import BerthCluster
import BerthSimulation

/// kube-scheduler's DefaultPreemption PostFilter (v1.28,
/// pkg/scheduler/framework/plugins/defaultpreemption and
/// pkg/scheduler/framework/preemption):
///
/// 1. potential nodes: every node whose filter status is `Unschedulable`
///    (an `UnschedulableAndUnresolvable` rejection — a taint, node affinity, a
///    missing topology label — cannot be cured by evicting pods);
/// 2. dry runs over them, starting at a random offset, until max(10% of the
///    potential nodes, 100) candidates are found (all when fewer): on a node,
///    every lower-priority pod is removed (the PreFilter state of
///    PodTopologySpread and InterPodAffinity follows through their AddPod /
///    RemovePod extensions); if *all* filters then pass, the pods are reprieved
///    one by one, most important first (higher priority, then earlier start),
///    keeping each whose return still lets every filter pass; the rest are
///    the victims;
///    PodDisruptionBudgets (``DisruptionBudgetLister``) split the pods into
///    those whose eviction would violate a budget and the rest
///    (`filterPodsWithPDBViolation`), and the violating ones are reprieved
///    first; the dry runs stop once one candidate without violations is found
///    and there are enough candidates (each kind capped at the wanted count);
/// 3. the node is picked by upstream's criteria in order: fewest PDB
///    violations, lowest highest-victim priority, lowest sum of victim
///    priorities, fewest victims, latest start among the highest-priority
///    victims, then the first candidate (those without violations first).
///
/// Because every filter runs on the node as it would be, preemption evicts
/// for resources, host ports, anti-affinity and hard spreading alike, as
/// upstream. This type finds and chooses the candidate; evicting the victims
/// (gracefully, in the harness), nominating the node and
/// `PodEligibleToPreemptOthers` (including `preemptionPolicy: Never`) are the
/// scheduler's (`KubernetesScheduler`). Berth simplifies: budgets keep no
/// `DisruptedPods`, and the dry runs are sequential, so "the first candidates
/// found" are the first in rotation order (upstream runs them in parallel and
/// keeps whichever finish first).
public struct DefaultPreemption: Sendable {
    public static let minCandidateNodesPercentage = 10
    public static let minCandidateNodesAbsolute = 100

    /// `DefaultPreemptionArgs` (validated by the configuration reader:
    /// percentage 0…100, absolute ≥ 0, not both 0).
    public let minCandidateNodesPercentage: Int
    public let minCandidateNodesAbsolute: Int

    public init(minCandidateNodesPercentage: Int = DefaultPreemption.minCandidateNodesPercentage,
                minCandidateNodesAbsolute: Int = DefaultPreemption.minCandidateNodesAbsolute) {
        self.minCandidateNodesPercentage = minCandidateNodesPercentage
        self.minCandidateNodesAbsolute = minCandidateNodesAbsolute
    }

    public struct Candidate: Equatable, Sendable {
        public var node: Int
        public var victims: [Int32]
        /// Victims whose eviction violates their PodDisruptionBudget (`NumPDBViolations`).
        public var pdbViolations: Int = 0
    }

    /// Upstream `calculateNumCandidates`.
    public static func numCandidates(nodes: Int, percentage: Int = minCandidateNodesPercentage,
                                     absolute: Int = minCandidateNodesAbsolute) -> Int {
        var n = nodes * percentage / 100
        if n < absolute { n = absolute }
        return min(n, nodes)
    }

    /// The node to preempt on and its victims, or nil when no eviction of
    /// lower-priority pods can make the pod schedulable.
    /// - Parameter reservations: per node, the pending pods nominated there
    ///   with priority ≥ the pod's; the dry runs check the filters with them
    ///   added and without (upstream `RunFilterPluginsWithNominatedPods`).
    public func findCandidate(for pod: PodInfo, in view: ClusterView, profile: KubernetesProfile,
                              random: RandomStream, budgets: (any DisruptionBudgetLister)? = nil,
                              reservations: [Int: [Int32]] = [:]) -> Candidate? {
        Self.pick(dryRunCandidates(for: pod, in: view, profile: profile, random: random, budgets: budgets,
                                   reservations: reservations), in: view)
    }

    /// Upstream `FindCandidates` + `dryRunPreemption`: the candidates without
    /// budget violations, then those with. `offset`: where the dry runs start
    /// among the potential nodes (nil: drawn from `random`, as upstream).
    func dryRunCandidates(for pod: PodInfo, in view: ClusterView, profile: KubernetesProfile, random: RandomStream,
                          budgets: (any DisruptionBudgetLister)?, offset fixedOffset: Int? = nil,
                          reservations: [Int: [Int32]] = [:]) -> [Candidate] {
        let n = view.nodeCount
        guard n > 0 else { return [] }
        let state = CycleState()
        var skipped = Set<String>()
        for plugin in profile.preFilters {
            let status = plugin.preFilter(state, pod: pod, nodes: NodeList(view: view))
            if status.isSkip { skipped.insert(plugin.name) } else if !status.isSuccess { return [] }
        }
        let filters = profile.filters.filter { !skipped.contains($0.name) }
        let extensions = profile.preFilters.compactMap { $0 as? any PreFilterExtensions }.filter { !skipped.contains($0.name) }
        // nodesWherePreemptionMightHelp: the first rejecting filter's status per node.
        let potential = (0..<n).filter { node in
            let info = NodeInfo(index: node, view: view)
            for f in filters {
                let status = f.filter(state, pod: pod, node: info)
                if !status.isSuccess { return status.code == .unschedulable }
            }
            return false  // fits as it is: not a preemption case (cannot happen right after a failed cycle)
        }
        guard !potential.isEmpty else { return [] }
        let wanted = Self.numCandidates(nodes: potential.count, percentage: minCandidateNodesPercentage,
                                        absolute: minCandidateNodesAbsolute)
        let offset = fixedOffset.map { $0 % potential.count } ?? random.index(below: potential.count)
        // Upstream dryRunPreemption: two lists, each holding at most `wanted`
        // (a candidate beyond that is dropped); stop once there is a candidate
        // without violations and the two together reach `wanted`.
        var nonViolating: [Candidate] = [], violating: [Candidate] = []
        for i in 0..<potential.count {
            let node = potential[(offset + i) % potential.count]
            guard let found = Self.selectVictims(for: pod, on: node, in: view, state: state, filters: filters,
                                                 extensions: extensions, budgets: budgets,
                                                 reserved: (reservations[node] ?? []).filter { $0 != pod.id }) else { continue }
            let candidate = Candidate(node: node, victims: found.victims, pdbViolations: found.pdbViolations)
            if found.pdbViolations == 0 {
                if nonViolating.count < wanted { nonViolating.append(candidate) }
            } else if violating.count < wanted {
                violating.append(candidate)
            }
            if !nonViolating.isEmpty && nonViolating.count + violating.count >= wanted { break }
        }
        return nonViolating + violating
    }

    /// Upstream `SelectVictimsOnNode`: the victims and how many of them violate
    /// their budget; nil when the pod does not pass the filters even with every
    /// lower-priority pod removed.
    static func selectVictims(for pod: PodInfo, on node: Int, in view: ClusterView, state original: CycleState,
                              filters: [any FilterPlugin], extensions: [any PreFilterExtensions],
                              budgets: (any DisruptionBudgetLister)? = nil,
                              reserved: [Int32] = []) -> (victims: [Int32], pdbViolations: Int)? {
        let lower = view.tasks(on: node).filter { view.task($0).spec.priority < pod.priority }
        if lower.isEmpty { return nil }
        return view.dryRun(on: node) { session -> (victims: [Int32], pdbViolations: Int)? in
            let state = original.clone()
            let info = NodeInfo(index: node, view: view)
            func passesAsIs(_ state: CycleState) -> Bool { filters.allSatisfy { $0.filter(state, pod: pod, node: info).isSuccess } }
            // With nominated pods reserved here: first with them added, then without.
            func passes() -> Bool {
                guard !reserved.isEmpty else { return passesAsIs(state) }
                let withNominated = state.clone()
                for id in reserved {
                    session.add(id)
                    for e in extensions { _ = e.addPod(withNominated, pod: pod, adding: id, node: info) }
                }
                let fits = passesAsIs(withNominated)
                for id in reserved { session.remove(id) }
                return fits && passesAsIs(state)
            }
            func remove(_ id: Int32) -> Bool {
                session.remove(id)
                return extensions.allSatisfy { $0.removePod(state, pod: pod, removing: id, node: info).isSuccess }
            }
            for id in lower where !remove(id) { return nil }
            guard passes() else { return nil }
            // Most important first: higher priority, then earlier start (upstream MoreImportantPod).
            let ordered = lower.sorted { a, b in
                let ta = view.task(a), tb = view.task(b)
                if ta.spec.priority != tb.spec.priority { return ta.spec.priority > tb.spec.priority }
                return (ta.startMicros, a) < (tb.startMicros, b)
            }
            // Reprieve the budget-violating pods first, then the others, each most important first.
            let (violating, nonViolating) = Self.splitByBudgetViolation(ordered, in: view, budgets: budgets)
            var victims: [Int32] = [], violations = 0
            for (group, violates) in [(violating, true), (nonViolating, false)] {
                for id in group {
                    session.add(id)
                    guard extensions.allSatisfy({ $0.addPod(state, pod: pod, adding: id, node: info).isSuccess }) else { return nil }
                    if passes() { continue }  // reprieved
                    guard remove(id) else { return nil }
                    victims.append(id)
                    if violates { violations += 1 }
                }
            }
            return (victims, violations)
        }
    }

    /// Upstream `filterPodsWithPDBViolation`: walking `pods` in order (most
    /// important first), each pod covered by a budget takes one of its
    /// `disruptionsAllowed`; once none is left, it and the budget's further
    /// pods violate it. Stable: both groups keep the input order.
    static func splitByBudgetViolation(_ pods: [Int32], in view: ClusterView,
                                       budgets: (any DisruptionBudgetLister)?) -> (violating: [Int32], nonViolating: [Int32]) {
        guard let budgets else { return ([], pods) }
        var allowed: [Int32: Int] = [:]
        var violating: [Int32] = [], nonViolating: [Int32] = []
        for id in pods {
            let workload = view.task(id).spec.workload
            guard workload >= 0, let initial = budgets.disruptionsAllowed(forWorkload: workload) else {
                nonViolating.append(id)
                continue
            }
            let left = allowed[workload] ?? initial
            if left <= 0 {
                violating.append(id)
            } else {
                allowed[workload] = left - 1
                nonViolating.append(id)
            }
        }
        return (violating, nonViolating)
    }

    /// Upstream `pickOneNodeForPreemption`.
    static func pick(_ candidates: [Candidate], in view: ClusterView) -> Candidate? {
        guard !candidates.isEmpty else { return nil }
        func highest(_ c: Candidate) -> Int32 { c.victims.map { view.task($0).spec.priority }.max() ?? Int32.min }
        func sum(_ c: Candidate) -> Int64 {
            // Upstream adds MaxInt32+1 to each priority so that negative priorities still count.
            c.victims.reduce(0) { $0 + Int64(view.task($1).spec.priority) + Int64(Int32.max) + 1 }
        }
        func latestStartOfHighest(_ c: Candidate) -> Int64 {
            let top = highest(c)
            return c.victims.filter { view.task($0).spec.priority == top }.map { view.task($0).startMicros }.min() ?? Int64.min
        }
        var best = candidates
        let minViolations = best.map(\.pdbViolations).min() ?? 0
        best = best.filter { $0.pdbViolations == minViolations }
        let minHighest = best.map(highest).min() ?? 0
        best = best.filter { highest($0) == minHighest }
        let minSum = best.map(sum).min() ?? 0
        best = best.filter { sum($0) == minSum }
        let minCount = best.map(\.victims.count).min() ?? 0
        best = best.filter { $0.victims.count == minCount }
        let latest = best.map(latestStartOfHighest).max() ?? 0
        best = best.filter { latestStartOfHighest($0) == latest }
        return best.first
    }
}
