import BerthCluster
import BerthSimulation

/// Amazon ECS task placement for the EC2 launch type, as the ECS Developer
/// Guide ("How Amazon ECS places tasks on container instances") describes it:
///
/// 1. Instances that have the CPU, memory, GPU and ports the task needs
///    (and are ACTIVE: Berth's cordoned nodes count as DRAINING).
/// 2. Instances that satisfy every placement constraint (`distinctInstance`,
///    `memberOf`). Berth's common `node_selector` entries join as
///    `memberOf` constraints `attribute:K == V` on the node's labels.
/// 3. The placement strategies in order, each keeping only the candidates it
///    likes best, so a later strategy only breaks the ties of the earlier
///    ones (at most 5): `binpack` keeps the instances with the least remaining
///    amount of its resource, `spread` the instances whose field value holds the
///    fewest tasks of the group, `random` one candidate drawn uniformly.
/// 4. Ties left after the chain go to the lowest-numbered node (ECS does not
///    specify; Berth's deterministic choice).
///
/// The group of a task is its workload (an ECS service, or the task group of
/// standalone tasks). Random choices come only from the stream passed in.
/// There is no public source: every interpretation is listed in docs/ecs.md.
public final class ECSPlacement: PlacementEngine, ExplainablePlacement {
    /// The chain used for tasks that do not give their own `placement_strategy`.
    public let defaultStrategy: [ECSPlacementStrategy]
    public var name: String { "ecs" }
    private var evaluator = ClusterQueryEvaluator()

    public static let maxStrategies = 5
    /// ECS placement failure reasons.
    public static let drainingReason = "instance is DRAINING"
    public static let portsReason = "RESOURCE:PORTS"
    public static let distinctInstanceReason = "DistinctInstance placement constraint unsatisfied"
    public static let memberOfReason = "MemberOf placement constraint unsatisfied"
    public static func resourceReason(_ name: String) -> String { "RESOURCE:\(name.uppercased())" }

    public init(strategy: [ECSPlacementStrategy]) { self.defaultStrategy = strategy }

    public func place(_ task: Int32, _ spec: TaskSpec, in view: ClusterView, random: RandomStream) -> PlacementDecision {
        let d = decide(spec, in: view, random: random, explain: false)
        return PlacementDecision(node: d.selected.map(Int32.init), nodesExamined: view.nodeCount)
    }

    public func explain(_ task: Int32, _ spec: TaskSpec, in view: ClusterView, random: RandomStream) -> CycleResult {
        decide(spec, in: view, random: random, explain: true)
    }

    public func strategy(for spec: TaskSpec) -> [ECSPlacementStrategy] {
        Array((spec.placement?.ecs?.strategy ?? defaultStrategy).prefix(Self.maxStrategies))
    }

    /// Why a node is not a candidate (steps 1 and 2); strings are built only for reports.
    enum Rejection: Equatable {
        case draining, resource(Int), ports, distinctInstance, memberOf

        var check: String {
            switch self {
            case .draining: "ContainerInstanceStatus"
            case .resource, .ports: "Resources"
            case .distinctInstance: "distinctInstance"
            case .memberOf: "memberOf"
            }
        }

        func reason(_ catalog: ResourceCatalog) -> String {
            switch self {
            case .draining: ECSPlacement.drainingReason
            case .resource(let r): ECSPlacement.resourceReason(catalog.names[r])
            case .ports: ECSPlacement.portsReason
            case .distinctInstance: ECSPlacement.distinctInstanceReason
            case .memberOf: ECSPlacement.memberOfReason
            }
        }
    }

    /// Steps 1 and 2 for one node: why it is not a candidate, or nil.
    func rejection(_ spec: TaskSpec, node: Int, groupCounts: [Int32]?, in view: ClusterView) -> Rejection? {
        if view.isUnschedulable(node) { return .draining }
        if !view.fits(spec.requests, on: node) {
            let r = (0..<view.catalog.count).first { spec.requests[$0] > view.free(node, $0) } ?? 0
            return .resource(r)
        }
        if let ports = spec.pod?.hostPorts, !ports.isEmpty {
            let used = view.usedPorts(node)
            if ports.contains(where: { p in used.contains { $0.conflicts(with: p) } }) { return .ports }
        }
        if !spec.nodeSelector.isEmpty {
            let labels = view.labels(node)
            for (key, value) in spec.nodeSelector where labels[key] != value { return .memberOf }
        }
        for c in spec.placement?.ecs?.constraints ?? [] {
            switch c {
            case .distinctInstance:
                if let groupCounts, groupCounts[node] > 0 { return .distinctInstance }
            case .memberOf(let q, _):
                if !evaluator.matches(q, node: node, in: view) { return .memberOf }
            }
        }
        return nil
    }

    private func decide(_ spec: TaskSpec, in view: ClusterView, random: RandomStream, explain: Bool) -> CycleResult {
        let chain = strategy(for: spec)
        let needsCounts = chain.contains { if case .spread = $0 { true } else { false } }
            || (spec.placement?.ecs?.constraints.contains(.distinctInstance) ?? false)
        let counts = needsCounts ? ServiceTaskCounts.perNode(workload: spec.workload, in: view) : nil
        var evaluations: [NodeEvaluation] = []
        var rejections: [Rejection] = []
        var candidates: [Int] = []
        for node in 0..<view.nodeCount {
            if let rejected = rejection(spec, node: node, groupCounts: counts, in: view) {
                rejections.append(rejected)
                if explain {
                    evaluations.append(NodeEvaluation(node: node, evaluated: true, feasible: false, rejectedBy: rejected.check,
                                                      reason: rejected.reason(view.catalog)))
                }
            } else {
                candidates.append(node)
                if explain { evaluations.append(NodeEvaluation(node: node, evaluated: true, feasible: true)) }
            }
        }
        let feasible = candidates.count
        for (stage, strategy) in chain.enumerated() {
            let values = ECSStrategies.values(strategy, candidates: candidates, counts: counts ?? [], in: view)
            let kept = ECSStrategies.keep(strategy, candidates: candidates, values: values, random: random)
            if explain {
                let keptSet = Set(kept)
                for (i, node) in candidates.enumerated() {
                    evaluations[node].raw.append(values[i])
                    evaluations[node].normalized.append(keptSet.contains(node) ? 1 : 0)
                    evaluations[node].weighted.append(values[i])
                    if keptSet.contains(node) { evaluations[node].total = Int64(stage + 1) }
                }
            }
            candidates = kept
        }
        let selected = candidates.min()
        if explain, let selected { evaluations[selected].selected = true }
        if explain {  // nodes dropped by an earlier strategy have no value for the later ones
            for i in evaluations.indices where evaluations[i].feasible {
                while evaluations[i].raw.count < chain.count {
                    evaluations[i].raw.append(0); evaluations[i].normalized.append(0); evaluations[i].weighted.append(0)
                }
            }
        }
        var diagnosis: [String: Int] = [:]
        if selected == nil { for r in rejections { diagnosis[r.reason(view.catalog), default: 0] += 1 } }
        return CycleResult(selected: selected, feasibleNodes: feasible, evaluatedNodes: view.nodeCount,
                           diagnosis: diagnosis, evaluations: evaluations,
                           scorePluginNames: chain.map(\.description))
    }
}

/// The three ECS placement strategies as filters on the candidate list.
public enum ECSStrategies {
    /// Per candidate, the value the strategy ranks by: binpack — the remaining
    /// amount of the resource (before placing the task: the same order as after);
    /// spread — tasks of the group on instances with the candidate's field value,
    /// counted over the whole cluster; random — 0.
    public static func values(_ s: ECSPlacementStrategy, candidates: [Int], counts: [Int32], in view: ClusterView) -> [Int64] {
        switch s {
        case .binpack(let resource):
            guard let r = view.catalog.index(of: resource) else { return candidates.map { _ in 0 } }
            return candidates.map { view.free($0, r) }
        case .spread(let field):
            let attribute = ECSAttribute(field)
            if attribute == .instanceId { return candidates.map { Int64(counts[$0]) } }
            // Instances without the attribute form one more group (id -1 → slot `count`).
            let (ids, count) = attribute.valueIDs(in: view)
            var perValue = [Int64](repeating: 0, count: count + 1)
            for node in 0..<view.nodeCount where counts[node] > 0 {
                perValue[ids[node] < 0 ? count : Int(ids[node])] += Int64(counts[node])
            }
            return candidates.map { perValue[ids[$0] < 0 ? count : Int(ids[$0])] }
        case .random:
            return candidates.map { _ in 0 }
        }
    }

    /// The candidates the strategy keeps: the minimum value (binpack, spread) or one drawn uniformly (random).
    public static func keep(_ s: ECSPlacementStrategy, candidates: [Int], values: [Int64], random: RandomStream) -> [Int] {
        guard candidates.count > 1 else { return candidates }
        if case .random = s { return [candidates[random.index(below: candidates.count)]] }
        guard let best = values.min() else { return candidates }
        return candidates.indices.filter { values[$0] == best }.map { candidates[$0] }
    }
}
