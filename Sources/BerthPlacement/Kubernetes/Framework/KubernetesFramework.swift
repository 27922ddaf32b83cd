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
    /// Where the next cycle starts filtering (upstream `nextStartNodeIndex`; upstream
    /// keeps it on the Scheduler, shared by its profiles: KubernetesScheduler sets it).
    public var nextStartNodeIndex = 0
    public var name: String { profile.name }

    /// Node-local plugin results kept across cycles (see ``NodeLocalCache``).
    let nodeLocalCache: NodeLocalCache
    /// Caches plugins keep across cycles (``CycleState/persistent``).
    let persistentState: PersistentPluginState?
    /// Per profile filter: whether it is node-local.
    let filterIsLocal: [Bool]
    /// Profile score indices of the node-local score plugins (cache slot order),
    /// and per profile score index its slot.
    let localScoreSlots: [Int]
    let localScoreSlot: [Int?]
    let scorePluginNames: [String]
    let allActiveFilters: [Bool]
    /// Per profile score index: the plugin's NormalizeScore and batch Score
    /// extensions (cast once here, not per cycle).
    let normalizers: [(any ScoreNormalizing)?]
    let batchScorers: [(any BatchScoring)?]
    /// Per profile score index: node-local without NormalizeScore, so its cached
    /// raw score × weight goes into ``NodeLocalCache/Entry/directSum``.
    let isDirect: [Bool]
    /// `profile.scores` split into plugins and weights (indexing an array of
    /// tuples copies the tuple, retaining the plugin, on every access).
    let scorePlugins: [any ScorePlugin]
    let scoreWeights: [Int64]

    /// - Parameter cacheCapacity: shapes whose node-local results are kept; 0
    ///   turns off every cross-cycle cache (node-local results and plugin caches).
    public init(profile: KubernetesProfile, cacheCapacity: Int = 32) {
        self.profile = profile
        self.nodeLocalCache = NodeLocalCache(capacity: cacheCapacity)
        self.persistentState = cacheCapacity > 0 ? PersistentPluginState() : nil
        self.filterIsLocal = profile.filters.map(\.isNodeLocal)
        let local = profile.scores.indices.filter { profile.scores[$0].plugin.isNodeLocal }
        self.localScoreSlots = local
        self.localScoreSlot = profile.scores.indices.map { local.firstIndex(of: $0) }
        self.scorePluginNames = profile.scores.map { $0.plugin.name }
        self.allActiveFilters = profile.filters.map { _ in true }
        let normalizers = profile.scores.map { $0.plugin as? any ScoreNormalizing }
        self.normalizers = normalizers
        self.batchScorers = profile.scores.map { $0.plugin as? any BatchScoring }
        self.isDirect = profile.scores.indices.map { profile.scores[$0].plugin.isNodeLocal && normalizers[$0] == nil }
        self.scorePlugins = profile.scores.map(\.plugin)
        self.scoreWeights = profile.scores.map(\.weight)
    }

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
    /// - Parameters:
    ///   - nominatedNode: the node the pod was nominated to by an earlier
    ///     preemption: tried first, alone, and chosen without scoring when it
    ///     passes the filters (upstream `evaluateNominatedNode`, v1.28; the
    ///     start index does not move).
    ///   - reservations: per node, the pending pods nominated there whose
    ///     priority is at least this pod's: on those nodes the filters run
    ///     with the nominated pods added, and again without them, and the node
    ///     is feasible only if both pass (upstream `RunFilterPluginsWithNominatedPods`).
    public func schedule(_ pod: PodInfo, in view: ClusterView, random: RandomStream, explain: Bool = false,
                         nominatedNode: Int? = nil, reservations: [Int: [Int32]] = [:]) -> CycleResult {
        let n = view.nodeCount
        let scoreNames = scorePluginNames
        var result = CycleResult(selected: nil, feasibleNodes: 0, evaluatedNodes: 0, diagnosis: [:], preemptionMightHelp: false,
                                 evaluations: [], scorePluginNames: scoreNames)
        if explain {
            result.evaluations = (0..<n).map {
                NodeEvaluation(node: $0, evaluated: false, feasible: false, raw: [], normalized: [], weighted: [], total: 0, selected: false)
            }
        }
        guard n > 0 else { return result }
        let state = CycleState(persistent: explain ? nil : persistentState)
        let nodes = NodeList(view: view)

        // PreFilter: a rejection here rejects every node.
        var skippedFilters: [String] = []  // a few names: an array beats hashing
        for plugin in profile.preFilters {
            let status = plugin.preFilter(state, pod: pod, nodes: nodes)
            if status.isSkip { skippedFilters.append(plugin.name); continue }
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

        let filters = profile.filters
        let active = skippedFilters.isEmpty ? allActiveFilters : filters.map { !skippedFilters.contains($0.name) }

        // The nominated node first (upstream evaluateNominatedNode).
        if let nominated = nominatedNode, nominated >= 0, nominated < n, !explain {
            let rejection = filterWithReservations(pod, node: nominated, reserved: reservations[nominated] ?? [], view: view,
                                                   state: state, active: active)
            if rejection == nil {
                result.selected = nominated
                result.feasibleNodes = 1
                result.evaluatedNodes = 1
                return result
            }
            result.nominatedNodeUnresolvable = rejection?.code == .unschedulableAndUnresolvable
        }

        // Filter over a rotating window until enough feasible nodes are found.
        let toFind = Int(Self.numFeasibleNodesToFind(percentage: profile.percentageOfNodesToScore, allNodes: Int32(n)))
        var feasible: [Int] = []
        feasible.reserveCapacity(toFind)
        var processed = 0
        let cache = explain ? nil : nodeLocalCache.entry(shape: pod.spec.shape, view: view, scoreSlots: localScoreSlots.count)
        cache?.reset(ifFilterMaskIsNot: active)
        // The cache's arrays are moved into locals for the loop (no exclusivity
        // checks, no copy-on-write) and moved back after it.
        var filterStamp: [UInt64] = [], firstReject: [Int16] = [], cachedRejection: [Status?] = []
        if let cache {
            swap(&filterStamp, &cache.filterStamp)
            swap(&firstReject, &cache.firstReject)
            swap(&cachedRejection, &cache.rejection)
        }
        let nodeStamps = view.nodeStamps
        let globalFilters = filters.indices.filter { active[$0] && !filterIsLocal[$0] }
        // The window's next node, wrapping at n (no division per node).
        var next = nextStartNodeIndex % n
        // The common case first: every active filter node-local and cached, no
        // reservations, nothing to describe. The same walk as the general loop
        // below, with the per-node branches it does not need taken out.
        if cache != nil && reservations.isEmpty && globalFilters.isEmpty && !explain {
            let localFilters = filters.indices.filter { active[$0] && filterIsLocal[$0] }
            while processed < n && feasible.count < toFind {
                let node = next
                next += 1
                if next == n { next = 0 }
                processed += 1
                let want = nodeStamps[node] &+ 1
                if filterStamp[node] != want {
                    let info = NodeInfo(index: node, view: view)
                    var first: Int16 = -1
                    var status: Status?
                    for k in localFilters {
                        let s = filters[k].filter(state, pod: pod, node: info)
                        if !s.isSuccess {
                            first = Int16(k)
                            status = Status(s.code, s.reasons, plugin: filters[k].name)
                            break
                        }
                    }
                    filterStamp[node] = want
                    firstReject[node] = first
                    cachedRejection[node] = status
                }
                if firstReject[node] < 0 {
                    feasible.append(node)
                } else if let rejection = cachedRejection[node] {
                    result.record(rejection)
                }
            }
        }
        while processed < n && feasible.count < toFind {
            let node = next
            next += 1
            if next == n { next = 0 }
            processed += 1
            var rejection: Status?
            if !reservations.isEmpty, let reserved = reservations[node] {
                rejection = filterWithReservations(pod, node: node, reserved: reserved, view: view, state: state, active: active)
            } else if cache != nil {
                let want = nodeStamps[node] &+ 1
                if filterStamp[node] != want {
                    let info = NodeInfo(index: node, view: view)
                    var first: Int16 = -1
                    var status: Status?
                    for k in filters.indices where active[k] && filterIsLocal[k] {
                        let s = filters[k].filter(state, pod: pod, node: info)
                        if !s.isSuccess {
                            first = Int16(k)
                            status = Status(s.code, s.reasons, plugin: filters[k].name)
                            break
                        }
                    }
                    filterStamp[node] = want
                    firstReject[node] = first
                    cachedRejection[node] = status
                }
                // Filters run in profile order: global filters before the first
                // rejecting node-local one still get their say.
                let first = Int(firstReject[node])
                for k in globalFilters {
                    if first >= 0 && k > first { break }
                    let status = filters[k].filter(state, pod: pod, node: NodeInfo(index: node, view: view))
                    if !status.isSuccess {
                        rejection = Status(status.code, status.reasons, plugin: filters[k].name)
                        break
                    }
                }
                if rejection == nil && first >= 0 { rejection = cachedRejection[node] }
            } else {
                rejection = firstRejection(pod, node: node, view: view, state: state, active: active)
            }
            if explain { result.evaluations[node].evaluated = true }
            if let rejection {
                result.record(rejection)
                if explain {
                    result.evaluations[node].rejectedBy = rejection.plugin
                    result.evaluations[node].reason = rejection.message
                }
            } else {
                feasible.append(node)
                if explain { result.evaluations[node].feasible = true }
            }
        }
        if let cache {
            swap(&filterStamp, &cache.filterStamp)
            swap(&firstReject, &cache.firstReject)
            swap(&cachedRejection, &cache.rejection)
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

        guard let totals = prioritize(pod, feasible: feasible, view: view, state: state, cache: cache, result: &result, explain: explain) else {
            return result  // a PreScore/Score/NormalizeScore error aborts the cycle, as upstream
        }
        let chosen = feasible.count == 1 ? 0 : Self.selectHost(totals, random: random)
        result.selected = feasible[chosen]
        result.selectedScore = totals[chosen]
        if explain, let s = result.selected { result.evaluations[s].selected = true }
        return result
    }

    /// PreScore, Score, NormalizeScore and weights; returns the weighted total per
    /// feasible node, or nil when a plugin returned an error (recorded in the diagnosis).
    private func prioritize(_ pod: PodInfo, feasible: [Int], view: ClusterView, state: CycleState,
                            cache: NodeLocalCache.Entry?, result: inout CycleResult, explain: Bool) -> [Int64]? {
        func fail(_ plugin: String, _ status: Status) -> [Int64]? {
            result.diagnosis = ["\(plugin): \(status.message)": feasible.count]
            result.rejectingPlugins.insert(plugin)
            return nil
        }
        // Upstream: with no score plugins every node scores 1.
        guard !profile.scores.isEmpty else { return Array(repeating: 1, count: feasible.count) }
        let infos = NodeSet(view: view, indices: feasible)
        var skipped: [String] = []
        for plugin in profile.preScores {
            let status = plugin.preScore(state, pod: pod, nodes: infos)
            if status.isSkip { skipped.append(plugin.name) } else if !status.isSuccess { return fail(plugin.name, status) }
        }
        var totals = Array(repeating: Int64(0), count: feasible.count)
        let scoring = profile.scores.map { !skipped.contains($0.plugin.name) }
        // Node-local raw scores come from the cache; nodes changed since are scored
        // now. Its arrays are moved into locals while in use (see schedule).
        var raw: [Int64] = []
        let n = view.nodeCount
        if let cache {
            cache.reset(ifScoreMaskIsNot: scoring)
            var scoreStamp: [UInt64] = [], directSum: [Int64] = []
            swap(&scoreStamp, &cache.scoreStamp)
            swap(&directSum, &cache.directSum)
            swap(&raw, &cache.raw)
            let nodeStamps = view.nodeStamps
            var failure: (String, Status)?
            let plugins = scorePlugins, weights = scoreWeights
            misses: for (i, node) in feasible.enumerated() {
                let want = nodeStamps[node] &+ 1
                if scoreStamp[node] != want {
                    var sum: Int64 = 0
                    for (slot, p) in localScoreSlots.enumerated() where scoring[p] {
                        let (value, status) = plugins[p].score(state, pod: pod, node: infos[i])
                        if !status.isSuccess {
                            failure = (plugins[p].name, status)
                            break misses
                        }
                        raw[slot * n + node] = value
                        if isDirect[p] {
                            precondition(value >= 0 && value <= maxNodeScore, "\(plugins[p].name) returned score \(value) outside 0...100") // trap-ok: plugin bug, not user input
                            sum += value * weights[p]
                        }
                    }
                    directSum[node] = sum
                    scoreStamp[node] = want
                }
                // The plugins without NormalizeScore, summed once per node change.
                totals[i] = directSum[node]
            }
            swap(&scoreStamp, &cache.scoreStamp)
            swap(&directSum, &cache.directSum)
            if let failure {
                swap(&raw, &cache.raw)
                return fail(failure.0, failure.1)
            }
        }
        defer { if let cache { swap(&raw, &cache.raw) } }
        for (p, entry) in profile.scores.enumerated() {
            let skip = !scoring[p]
            if skip && !explain { continue }  // adds 0 to every total
            // Already in the totals (directSum).
            if !skip, !explain, cache != nil, isDirect[p] { continue }
            let slot = localScoreSlot[p]
            let normalizing = skip ? nil : normalizers[p]
            // A cached plugin whose NormalizeScore is the default one: the
            // maximum over the window, then each score scaled as upstream.
            if !skip, !explain, cache != nil, let slot, let reverse = normalizing?.defaultNormalizationReverse {
                let base = slot * n
                var maxRaw = Int64.min
                for node in feasible where raw[base + node] > maxRaw { maxRaw = raw[base + node] }
                for (i, node) in feasible.enumerated() {
                    let s: Int64
                    if maxRaw == 0 {
                        s = reverse ? maxNodeScore : raw[base + node]  // as defaultNormalizeScore
                    } else {
                        let scaled = maxNodeScore * raw[base + node] / maxRaw
                        s = reverse ? maxNodeScore - scaled : scaled
                    }
                    precondition(s >= 0 && s <= maxNodeScore, "\(entry.plugin.name) returned score \(s) outside 0...100") // trap-ok: plugin bug, not user input
                    totals[i] += s * entry.weight
                }
                continue
            }
            var scores: [NodeScore] = []
            scores.reserveCapacity(infos.count)
            if !skip, cache != nil, let slot {
                for node in feasible { scores.append(NodeScore(node: node, score: raw[slot * n + node])) }
            } else if !skip, let batch = batchScorers[p] {
                let status = batch.scoreAll(state, pod: pod, nodes: infos, into: &scores)
                if !status.isSuccess { return fail(entry.plugin.name, status) }
            } else {
                for (i, info) in infos.enumerated() {
                    if skip { scores.append(NodeScore(node: feasible[i], score: 0)); continue }
                    let (value, status) = entry.plugin.score(state, pod: pod, node: info)
                    if !status.isSuccess { return fail(entry.plugin.name, status) }
                    scores.append(NodeScore(node: feasible[i], score: value))
                }
            }
            let rawScores = explain ? scores : []  // a copy only when describing the cycle
            if let normalizing {
                let status = normalizing.normalizeScore(state, pod: pod, scores: &scores)
                if !status.isSuccess { return fail(entry.plugin.name, status) }
            }
            for i in scores.indices {
                let s = scores[i].score
                precondition(s >= 0 && s <= maxNodeScore, "\(entry.plugin.name) returned score \(s) outside 0...100") // trap-ok: plugin bug, not user input
                totals[i] += s * entry.weight
                if explain {
                    let node = feasible[i]
                    result.evaluations[node].raw.append(rawScores[i].score)
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
    /// chosen with equal probability. Upstream draws once per tie (reservoir
    /// sampling); Berth draws once per cycle — the k-th of the c tied nodes in
    /// feasible order, k uniform in 0..<c — which gives every tied node the
    /// same probability 1/c, as upstream, with one draw instead of c − 1.
    /// Returns the position of the chosen node in `totals` (feasible order).
    static func selectHost(_ totals: [Int64], random: RandomStream) -> Int {
        var best = totals[0]
        var count = 1
        var first = 0
        for i in 1..<totals.count {
            let t = totals[i]
            if t > best {
                best = t
                count = 1
                first = i
            } else if t == best {
                count += 1
            }
        }
        guard count > 1 else { return first }
        var k = random.index(below: count)
        for i in first..<totals.count where totals[i] == best {
            if k == 0 { return i }
            k -= 1
        }
        return first  // unreachable: `count` ties exist from `first` on
    }
}

extension CycleResult {
    /// Counts a node's rejection in the diagnosis (one per reason, or the
    /// plugin's name when it gave none), as upstream's `Diagnosis.NodeToStatusMap`
    /// summarised into "0/N nodes are available" reasons.
    mutating func record(_ rejection: Status) {
        for reason in rejection.reasons.isEmpty ? [rejection.plugin] : rejection.reasons {
            diagnosis[reason, default: 0] += 1
        }
        if rejection.code == .unschedulable { preemptionMightHelp = true }
        rejectingPlugins.insert(rejection.plugin)
    }
}
