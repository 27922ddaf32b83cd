import BerthPlacement

/// What distinguishes one kube-scheduler profile from another, as data
/// (the subset of `KubeSchedulerConfiguration` Berth models).
public struct KubeProfileSpec: Sendable, Equatable {
    public enum Scoring: String, Sendable, CaseIterable { case leastAllocated = "LeastAllocated", mostAllocated = "MostAllocated" }
    public var name: String
    /// NodeResourcesFit `scoringStrategy.type`.
    public var scoring: Scoring
    /// Score plugins disabled by name (`"*"` disables every PreScore and Score plugin).
    public var disabledScores: Set<String>
    /// Weight overrides by plugin name.
    public var weights: [String: Int64]
    /// nil: the adaptive default.
    public var percentageOfNodesToScore: Int32?
    /// A full NodeResourcesFit scoring strategy (resources, weights, RequestedToCapacityRatio
    /// shape) from a KubeSchedulerConfiguration file; overrides `scoring` when set.
    public var strategy: ScoringStrategy?
    /// Berth's cross-cycle caches (node-local plugin results per shape,
    /// PodTopologySpread counters): shapes kept, 0 turns them off. Results are
    /// the same either way (tested); not a scenario key.
    public var cacheCapacity = 32

    public init(name: String = "default-scheduler", scoring: Scoring = .leastAllocated, disabledScores: Set<String> = [],
                weights: [String: Int64] = [:], percentageOfNodesToScore: Int32? = nil) {
        self.name = name
        self.scoring = scoring
        self.disabledScores = disabledScores
        self.weights = weights
        self.percentageOfNodesToScore = percentageOfNodesToScore
    }
}

/// Builds `KubernetesProfile`s: the v1.28 default plugin set
/// (pkg/scheduler/apis/config/v1/default_plugins.go `getDefaultPlugins`) with
/// a spec's changes applied. Volume plugins, SchedulingGates and
/// DefaultPreemption are not modelled (no volumes; preemption is not yet done).
public enum KubernetesProfiles {
    /// v1.28 default score weights.
    public static let defaultWeights: [String: Int64] = [
        "TaintToleration": 3, "NodeAffinity": 2, "NodeResourcesFit": 1, "PodTopologySpread": 2,
        "InterPodAffinity": 2, "NodeResourcesBalancedAllocation": 1, "ImageLocality": 1,
    ]

    /// Every in-tree plugin Berth models, by upstream name.
    public static let defaultPlugins = ["NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts",
                                        "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity",
                                        "NodeResourcesBalancedAllocation", "ImageLocality", "PrioritySort",
                                        "DefaultPreemption", "DefaultBinder", "SchedulingGates"]

    public static func build(_ spec: KubeProfileSpec) -> KubernetesProfile {
        let fit = NodeResourcesFit(strategy: spec.strategy ?? (spec.scoring == .mostAllocated ? .mostAllocated() : .leastAllocated()))
        let nodeAffinity = NodeAffinity()
        let taints = TaintToleration()
        let ports = NodePorts()
        let spread = PodTopologySpread()
        let interPod = InterPodAffinity()
        let balanced = BalancedAllocation()
        let images = ImageLocality()
        // Filters in the default MultiPoint order.
        let filters: [any FilterPlugin] = [NodeUnschedulable(), NodeName(), taints, nodeAffinity, ports, fit, spread, interPod]
        let preFilters: [any PreFilterPlugin] = [nodeAffinity, ports, fit, spread, interPod]
        let allScores: [any ScorePlugin] = [taints, nodeAffinity, fit, spread, interPod, balanced, images]
        let allPreScores: [any PreScorePlugin] = [taints, nodeAffinity, fit, spread, interPod, balanced]
        let disabled = spec.disabledScores
        let everything = disabled.contains("*")
        let scores = allScores.filter { !everything && !disabled.contains($0.name) }.map { plugin in
            (plugin: plugin, weight: spec.weights[plugin.name] ?? defaultWeights[plugin.name] ?? 1)
        }
        let preScores = allPreScores.filter { !everything && !disabled.contains($0.name) }
        return KubernetesProfile(name: spec.name, preFilters: preFilters, filters: filters, preScores: preScores,
                                 scores: scores, percentageOfNodesToScore: spec.percentageOfNodesToScore)
    }
}
