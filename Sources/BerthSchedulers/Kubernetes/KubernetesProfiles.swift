import BerthCluster
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
    /// `plugins` from a KubeSchedulerConfiguration profile, merged with the
    /// defaults by ``KubePluginConfig/resolve(_:profile:)``; `disabledScores` and
    /// `weights` apply on top.
    public var plugins: [KubeExtensionPoint: KubePluginSet] = [:]
    /// `PodTopologySpreadArgs`: `defaultingType` and (with `List`) `defaultConstraints`.
    public var spreadDefaulting: PodTopologySpread.DefaultingType = .system
    public var spreadDefaultConstraints: [TopologySpreadConstraint] = []
    /// `NodeAffinityArgs.addedAffinity`.
    public var addedAffinity: NodeAffinitySpec?
    /// `InterPodAffinityArgs.hardPodAffinityWeight` (0…100).
    public var hardPodAffinityWeight: Int32 = InterPodAffinity.defaultHardPodAffinityWeight
    /// `InterPodAffinityArgs.ignorePreferredTermsOfExistingPods`.
    public var ignorePreferredTermsOfExistingPods = false
    /// `NodeResourcesFitArgs.ignoredResources` / `ignoredResourceGroups`.
    public var fitIgnoredResources: Set<String> = []
    public var fitIgnoredResourceGroups: Set<String> = []
    /// `DefaultPreemptionArgs.minCandidateNodesPercentage` / `minCandidateNodesAbsolute`.
    public var preemptionMinCandidateNodesPercentage = DefaultPreemption.minCandidateNodesPercentage
    public var preemptionMinCandidateNodesAbsolute = DefaultPreemption.minCandidateNodesAbsolute
    /// `NodeResourcesBalancedAllocationArgs.resources`.
    public var balancedResources: [ResourceSpec] = ResourceSpec.defaults

    public init(name: String = "default-scheduler", scoring: Scoring = .leastAllocated, disabledScores: Set<String> = [],
                weights: [String: Int64] = [:], percentageOfNodesToScore: Int32? = nil) {
        self.name = name
        self.scoring = scoring
        self.disabledScores = disabledScores
        self.weights = weights
        self.percentageOfNodesToScore = percentageOfNodesToScore
    }
}

/// KubeSchedulerConfiguration settings beyond one profile: further profiles
/// (chosen by a pod's `schedulerName`) and the queue's backoff.
public struct KubeSchedulerSettings: Sendable, Equatable {
    /// The profiles after the first (`SchedulerSpec.kube`), in file order.
    public var moreProfiles: [KubeProfileSpec] = []
    /// `podInitialBackoffSeconds` / `podMaxBackoffSeconds` (v1 defaults 1 and 10).
    public var podInitialBackoffSeconds: Int64 = 1
    public var podMaxBackoffSeconds: Int64 = 10
    public init() {}
}

/// Builds `KubernetesProfile`s: the v1.28 default plugin set
/// (pkg/scheduler/apis/config/v1/default_plugins.go `getDefaultPlugins`) with
/// a spec's changes applied (``KubePluginConfig``). Volume plugins are accepted
/// by name and have no effect (no volumes); SchedulingGates, PrioritySort and
/// DefaultBinder have nothing to do in a cycle; DefaultPreemption is the
/// scheduler's PostFilter (``preemption(_:)``).
public enum KubernetesProfiles {
    /// v1.28 default score weights.
    public static let defaultWeights: [String: Int64] = Dictionary(uniqueKeysWithValues:
        KubePluginConfig.defaultMultiPoint.compactMap { p in p.weight.map { (p.name, Int64($0)) } })

    /// The plugin lists and weights of `spec`, with `disabledScores` (removed from
    /// PreScore and Score) and `weights` (overrides) applied on top of `plugins`.
    public static func resolve(_ spec: KubeProfileSpec) -> (plugins: ResolvedKubePlugins, problems: [String]) {
        var (resolved, problems) = KubePluginConfig.resolve(spec.plugins, profile: spec.name)
        let disabled = spec.disabledScores
        for point in [KubeExtensionPoint.preScore, .score] {
            resolved.lists[point] = resolved.at(point).filter { !disabled.contains("*") && !disabled.contains($0) }
        }
        for (name, w) in spec.weights { resolved.weights[name] = w }
        if spec.spreadDefaulting == .system && !spec.spreadDefaultConstraints.isEmpty {
            problems.append("PodTopologySpread defaultingType System requires empty defaultConstraints")
        }
        do { _ = try NodeAffinity(addedAffinity: spec.addedAffinity) } catch { problems.append(error.message) }
        return (resolved, problems)
    }

    /// DefaultPreemption when the profile runs it at PostFilter.
    public static func preemption(_ spec: KubeProfileSpec) -> DefaultPreemption? {
        guard resolve(spec).plugins.at(.postFilter).contains("DefaultPreemption") else { return nil }
        return DefaultPreemption(minCandidateNodesPercentage: spec.preemptionMinCandidateNodesPercentage,
                                 minCandidateNodesAbsolute: spec.preemptionMinCandidateNodesAbsolute)
    }

    /// The profile; a spec with `resolve` problems (rejected when the scenario
    /// is loaded) is built from what resolved.
    public static func build(_ spec: KubeProfileSpec) -> KubernetesProfile {
        let fit = NodeResourcesFit(strategy: spec.strategy ?? (spec.scoring == .mostAllocated ? .mostAllocated() : .leastAllocated()),
                                   ignoredResources: spec.fitIgnoredResources, ignoredResourceGroups: spec.fitIgnoredResourceGroups)
        let nodeAffinity = (try? NodeAffinity(addedAffinity: spec.addedAffinity)) ?? NodeAffinity()
        let spread = PodTopologySpread(defaultingType: spec.spreadDefaulting, defaultConstraints: spec.spreadDefaultConstraints)
        let instances: [String: any Sendable] = [
            "NodeUnschedulable": NodeUnschedulable(), "NodeName": NodeName(), "TaintToleration": TaintToleration(),
            "NodeAffinity": nodeAffinity, "NodePorts": NodePorts(), "NodeResourcesFit": fit, "PodTopologySpread": spread,
            "InterPodAffinity": InterPodAffinity(hardPodAffinityWeight: spec.hardPodAffinityWeight,
                                                 ignorePreferredTermsOfExistingPods: spec.ignorePreferredTermsOfExistingPods),
            "NodeResourcesBalancedAllocation": BalancedAllocation(resources: spec.balancedResources), "ImageLocality": ImageLocality(),
        ]
        let resolved = resolve(spec).plugins
        func plugins<P>(_ point: KubeExtensionPoint, as type: P.Type) -> [P] {
            resolved.at(point).compactMap { instances[$0] as? P }
        }
        let scores = plugins(.score, as: (any ScorePlugin).self).map { plugin in
            (plugin: plugin, weight: resolved.weights[plugin.name] ?? 1)
        }
        return KubernetesProfile(name: spec.name, preFilters: plugins(.preFilter, as: (any PreFilterPlugin).self),
                                 filters: plugins(.filter, as: (any FilterPlugin).self),
                                 preScores: plugins(.preScore, as: (any PreScorePlugin).self),
                                 scores: scores, percentageOfNodesToScore: spec.percentageOfNodesToScore)
    }
}
