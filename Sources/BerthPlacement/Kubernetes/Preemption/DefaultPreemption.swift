import BerthCluster
import BerthSimulation

/// kube-scheduler's DefaultPreemption PostFilter (v1.28,
/// pkg/scheduler/framework/plugins/defaultpreemption and
/// pkg/scheduler/framework/preemption):
///
/// 1. candidates: up to max(10% of nodes, 100) nodes (all when fewer),
///    starting at a random offset, where the pod's other filters pass;
/// 2. per node, every lower-priority pod is a potential victim; if the pod fits
///    with all of them gone, victims are *reprieved* one by one, most
///    important first (higher priority, then earlier start), keeping each one
///    whose return still leaves room;
/// 3. the node is picked by upstream's criteria in order: fewest PDB
///    violations (none are modelled), lowest highest-victim priority, lowest
///    sum of victim priorities, fewest victims, latest start among the
///    highest-priority victims, then the first candidate.
///
/// Berth simplifies: victims' removal is evaluated for resources (requests and
/// the pod count); the other filters (taints, affinity, spreading, ports) are
/// checked against the node as it is, so preemption never evicts pods to
/// satisfy anti-affinity or spreading. No PodDisruptionBudgets, no nominated-
/// node reservation, no graceful termination (victims leave at once).
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
    }

    /// Upstream `calculateNumCandidates`.
    public static func numCandidates(nodes: Int, percentage: Int = minCandidateNodesPercentage,
                                     absolute: Int = minCandidateNodesAbsolute) -> Int {
        var n = nodes * percentage / 100
        if n < absolute { n = absolute }
        return min(n, nodes)
    }

    /// The node to preempt on and its victims, or nil when no eviction of
    /// lower-priority pods can make room.
    /// The resource filters whose verdict preemption re-evaluates itself.
    public static let resourceFilters: Set<String> = ["NodeResourcesFit", "NodePorts"]

    public func findCandidate(for pod: PodInfo, in view: ClusterView, profile: KubernetesProfile,
                              random: RandomStream) -> Candidate? {
        let n = view.nodeCount
        guard n > 0 else { return nil }
        let wanted = Self.numCandidates(nodes: n, percentage: minCandidateNodesPercentage, absolute: minCandidateNodesAbsolute)
        let offset = random.index(below: n)
        var candidates: [Candidate] = []
        let state = CycleState()
        var skipped = Set<String>()
        for plugin in profile.preFilters where !Self.resourceFilters.contains(plugin.name) {
            let status = plugin.preFilter(state, pod: pod, nodes: NodeList(view: view))
            if status.isSkip { skipped.insert(plugin.name) } else if !status.isSuccess { return nil }
        }
        let otherFilters = profile.filters.filter { !Self.resourceFilters.contains($0.name) && !skipped.contains($0.name) }
        for i in 0..<n where candidates.count < wanted {
            let node = (offset + i) % n
            let info = NodeInfo(index: node, view: view)
            if otherFilters.contains(where: { !$0.filter(state, pod: pod, node: info).isSuccess }) { continue }
            if let victims = Self.selectVictims(for: pod, on: node, in: view) { candidates.append(Candidate(node: node, victims: victims)) }
        }
        return Self.pick(candidates, in: view)
    }

    /// Upstream `selectVictimsOnNode` (resources only): nil when the pod does not fit
    /// even with every lower-priority pod removed, or when it fits with none removed.
    static func selectVictims(for pod: PodInfo, on node: Int, in view: ClusterView) -> [Int32]? {
        let r = view.catalog.count
        var free = (0..<r).map { view.free(node, $0) }
        func fits() -> Bool { (0..<r).allSatisfy { pod.requests[$0] <= free[$0] } }
        if fits() { return nil }  // not a preemption case on this node
        let lower = view.tasks(on: node).filter { view.task($0).spec.priority < pod.priority }
        if lower.isEmpty { return nil }
        for id in lower { let req = view.task(id).spec.requests; for i in 0..<r { free[i] += req[i] } }
        guard fits() else { return nil }
        // Most important first: higher priority, then earlier start (upstream MoreImportantPod).
        let ordered = lower.sorted { a, b in
            let ta = view.task(a), tb = view.task(b)
            if ta.spec.priority != tb.spec.priority { return ta.spec.priority > tb.spec.priority }
            return (ta.startMicros, a) < (tb.startMicros, b)
        }
        var victims: [Int32] = []
        for id in ordered {
            let req = view.task(id).spec.requests
            for i in 0..<r { free[i] -= req[i] }
            if fits() { continue }  // reprieved
            for i in 0..<r { free[i] += req[i] }
            victims.append(id)
        }
        return victims
    }

    /// Upstream `pickOneNodeForPreemption` (no PDBs).
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
