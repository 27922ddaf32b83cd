import BerthCluster
import BerthSimulation

/// A scheduling profile: which plugins run at each extension point, score
/// weights, and `percentageOfNodesToScore` (upstream `KubeSchedulerProfile`).
public struct KubernetesProfile: Sendable {
    public var name: String
    public var preFilters: [any PreFilterPlugin]
    public var filters: [any FilterPlugin]
    public var preScores: [any PreScorePlugin]
    /// Score plugins with their weights, in order.
    public var scores: [(plugin: any ScorePlugin, weight: Int64)]
    /// nil or 0: the adaptive default (50% − nodes/125, at least 5%).
    public var percentageOfNodesToScore: Int32?

    public init(name: String, preFilters: [any PreFilterPlugin] = [], filters: [any FilterPlugin] = [],
                preScores: [any PreScorePlugin] = [], scores: [(plugin: any ScorePlugin, weight: Int64)] = [],
                percentageOfNodesToScore: Int32? = nil) {
        self.name = name
        self.preFilters = preFilters
        self.filters = filters
        self.preScores = preScores
        self.scores = scores
        self.percentageOfNodesToScore = percentageOfNodesToScore
    }
}

/// kube-scheduler's scheduling cycle (v1.28 `schedulePod`): PreFilter → Filter
/// over a rotating window of nodes until enough feasible ones are found →
/// PreScore → Score → NormalizeScore → weights → a uniformly random choice
/// among the top total scores (reservoir sampling from the tie-break stream).
/// Upstream: pkg/scheduler/schedule_one.go. Berth filters sequentially (upstream
/// runs filters in parallel but the set found is the same for our purposes; see
/// docs/kubernetes.md).
public final class KubernetesFramework: PlacementEngine, ExplainablePlacement {
    public static let minFeasibleNodesToFind: Int32 = 100
    public static let minFeasibleNodesPercentageToFind: Int32 = 5
    public static let basePercentageOfNodesToScore: Int32 = 50

    public let profile: KubernetesProfile
    /// Where the next cycle starts filtering (upstream `nextStartNodeIndex`).
    public private(set) var nextStartNodeIndex = 0
    public var name: String { profile.name }

    public init(profile: KubernetesProfile) { self.profile = profile }

    /// Upstream `numFeasibleNodesToFind`.
    public static func numFeasibleNodesToFind(percentage: Int32?, allNodes: Int32) -> Int32 {
        if allNodes < minFeasibleNodesToFind { return allNodes }
        var p = percentage ?? 0
        if p == 0 {
            p = basePercentageOfNodesToScore - allNodes / 125
            if p < minFeasibleNodesPercentageToFind { p = minFeasibleNodesPercentageToFind }
        }
        let n = allNodes * p / 100
        return n < minFeasibleNodesToFind ? minFeasibleNodesToFind : n
    }

    public func place(_ task: Int32, _ spec: TaskSpec, in view: ClusterView, random: RandomStream) -> PlacementDecision {
        let result = schedule(PodInfo(id: task, spec: spec), in: view, random: random)
        return PlacementDecision(node: result.selected.map(Int32.init), nodesExamined: result.evaluatedNodes)
    }

    /// One cycle with every node filtered and scored (`percentageOfNodesToScore:
    /// 100`), described node by node; the start index does not move.
    public func explain(_ task: Int32, _ spec: TaskSpec, in view: ClusterView, random: RandomStream) -> CycleResult {
        var full = profile
        full.percentageOfNodesToScore = 100
        return KubernetesFramework(profile: full).schedule(PodInfo(id: task, spec: spec), in: view, random: random, explain: true)
    }

    /// Runs one cycle. With `explain`, every node is described (costs O(nodes)).
    public func schedule(_ pod: PodInfo, in view: ClusterView, random: RandomStream, explain: Bool = false) -> CycleResult {
        let n = view.nodeCount
        let scoreNames = profile.scores.map { $0.plugin.name }
        var result = CycleResult(selected: nil, feasibleNodes: 0, evaluatedNodes: 0, diagnosis: [:], preemptionMightHelp: false,
                                 evaluations: [], scorePluginNames: scoreNames)
        if explain {
            result.evaluations = (0..<n).map {
                NodeEvaluation(node: $0, evaluated: false, feasible: false, raw: [], normalized: [], weighted: [], total: 0, selected: false)
            }
        }
        guard n > 0 else { return result }
        let state = CycleState()
        let nodes = NodeList(view: view)

        // PreFilter: a rejection here rejects every node.
        var skippedFilters = Set<String>()
        for plugin in profile.preFilters {
            let status = plugin.preFilter(state, pod: pod, nodes: nodes)
            if status.isSkip { skippedFilters.insert(plugin.name); continue }
            if !status.isSuccess {
                result.diagnosis[status.message, default: 0] += n
                result.preemptionMightHelp = status.code == .unschedulable
                result.rejectingPlugins.insert(plugin.name)
                for i in result.evaluations.indices {
                    result.evaluations[i].evaluated = true
                    result.evaluations[i].rejectedBy = plugin.name
                    result.evaluations[i].reason = status.message
                }
                return result
            }
        }

        // Filter over a rotating window until enough feasible nodes are found.
        let toFind = Int(Self.numFeasibleNodesToFind(percentage: profile.percentageOfNodesToScore, allNodes: Int32(n)))
        var feasible: [Int] = []
        feasible.reserveCapacity(toFind)
        var processed = 0
        let activeFilters = profile.filters.filter { !skippedFilters.contains($0.name) }
        while processed < n && feasible.count < toFind {
            let node = (nextStartNodeIndex + processed) % n
            processed += 1
            let info = NodeInfo(index: node, view: view)
            var rejection: Status?
            for plugin in activeFilters {
                let status = plugin.filter(state, pod: pod, node: info)
                if !status.isSuccess {
                    rejection = Status(status.code, status.reasons, plugin: plugin.name)
                    break
                }
            }
            if explain { result.evaluations[node].evaluated = true }
            if let rejection {
                for reason in rejection.reasons.isEmpty ? [rejection.plugin] : rejection.reasons {
                    result.diagnosis[reason, default: 0] += 1
                }
                if rejection.code == .unschedulable { result.preemptionMightHelp = true }
                result.rejectingPlugins.insert(rejection.plugin)
                if explain {
                    result.evaluations[node].rejectedBy = rejection.plugin
                    result.evaluations[node].reason = rejection.message
                }
            } else {
                feasible.append(node)
                if explain { result.evaluations[node].feasible = true }
            }
        }
        nextStartNodeIndex = (nextStartNodeIndex + processed) % n
        result.evaluatedNodes = processed
        result.feasibleNodes = feasible.count
        guard !feasible.isEmpty else { return result }
        result.diagnosis = [:]
        if feasible.count == 1 && !explain {
            result.selected = feasible[0]
            return result
        }

        guard let totals = prioritize(pod, feasible: feasible, view: view, state: state, result: &result, explain: explain) else {
            return result  // a PreScore/Score/NormalizeScore error aborts the cycle, as upstream
        }
        result.selected = feasible.count == 1 ? feasible[0] : Self.selectHost(feasible, totals, random: random)
        if explain, let s = result.selected { result.evaluations[s].selected = true }
        return result
    }

    /// PreScore, Score, NormalizeScore and weights; returns the weighted total per
    /// feasible node, or nil when a plugin returned an error (recorded in the diagnosis).
    private func prioritize(_ pod: PodInfo, feasible: [Int], view: ClusterView, state: CycleState,
                            result: inout CycleResult, explain: Bool) -> [Int64]? {
        func fail(_ plugin: String, _ status: Status) -> [Int64]? {
            result.diagnosis = ["\(plugin): \(status.message)": feasible.count]
            result.rejectingPlugins.insert(plugin)
            return nil
        }
        // Upstream: with no score plugins every node scores 1.
        guard !profile.scores.isEmpty else { return Array(repeating: 1, count: feasible.count) }
        let infos = feasible.map { NodeInfo(index: $0, view: view) }
        var skipped = Set<String>()
        for plugin in profile.preScores {
            let status = plugin.preScore(state, pod: pod, nodes: infos)
            if status.isSkip { skipped.insert(plugin.name) } else if !status.isSuccess { return fail(plugin.name, status) }
        }
        var totals = Array(repeating: Int64(0), count: feasible.count)
        for (p, entry) in profile.scores.enumerated() {
            let skip = skipped.contains(entry.plugin.name)
            var scores: [NodeScore] = []
            scores.reserveCapacity(infos.count)
            for (i, info) in infos.enumerated() {
                if skip { scores.append(NodeScore(node: feasible[i], score: 0)); continue }
                let (value, status) = entry.plugin.score(state, pod: pod, node: info)
                if !status.isSuccess { return fail(entry.plugin.name, status) }
                scores.append(NodeScore(node: feasible[i], score: value))
            }
            let raw = scores
            if !skip, let normalizing = entry.plugin as? any ScoreNormalizing {
                let status = normalizing.normalizeScore(state, pod: pod, scores: &scores)
                if !status.isSuccess { return fail(entry.plugin.name, status) }
            }
            for i in scores.indices {
                let s = scores[i].score
                precondition(s >= 0 && s <= maxNodeScore, "\(entry.plugin.name) returned score \(s) outside 0...100") // trap-ok: plugin bug, not user input
                totals[i] += s * entry.weight
                if explain {
                    let node = feasible[i]
                    result.evaluations[node].raw.append(raw[i].score)
                    result.evaluations[node].normalized.append(s)
                    result.evaluations[node].weighted.append(s * entry.weight)
                    if p == profile.scores.count - 1 { result.evaluations[node].total = totals[i] }
                }
            }
            _ = p
        }
        return totals
    }

    /// Upstream `selectHost`: the highest total wins; among equal totals each is
    /// chosen with equal probability (reservoir sampling in feasible order).
    static func selectHost(_ nodes: [Int], _ totals: [Int64], random: RandomStream) -> Int {
        var best = 0
        var count = 1
        for i in 1..<nodes.count {
            if totals[i] > totals[best] {
                best = i
                count = 1
            } else if totals[i] == totals[best] {
                count += 1
                if random.index(below: count) == 0 { best = i }
            }
        }
        return nodes[best]
    }
}
