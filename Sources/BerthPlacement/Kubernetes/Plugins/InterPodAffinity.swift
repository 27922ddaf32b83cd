import BerthCluster

/// kube-scheduler's InterPodAffinity plugin (v1.28,
/// pkg/scheduler/framework/plugins/interpodaffinity), re-implemented:
///
/// - PreFilter/Filter (InterPodAffinity+Filtering.swift): the incoming pod's
///   required affinity and anti-affinity, and the required anti-affinity of the
///   pods already running, against the incoming pod.
/// - PreScore/Score/NormalizeScore (InterPodAffinity+Scoring.swift): preferred
///   terms in both directions, existing pods' required affinity at
///   `hardPodAffinityWeight`, summed per topology pair, then min–max scaled.
///
/// Berth has one namespace, so term namespaces and namespace selectors are not
/// modelled. Upstream keeps PreFilter state incrementally up to date for
/// preemption dry-runs (`AddPod`/`RemovePod`); Berth's DefaultPreemption
/// evaluates victims for resources only (docs/kubernetes.md), so it has no
/// such extension.
public struct InterPodAffinity: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScoreNormalizing {
    public static let pluginName = "InterPodAffinity"

    /// Upstream `ErrReasonExistingAntiAffinityRulesNotMatch`.
    public static let errReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules"
    /// Upstream `ErrReasonAffinityRulesNotMatch`.
    public static let errReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules"
    /// Upstream `ErrReasonAntiAffinityRulesNotMatch`.
    public static let errReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules"

    /// Upstream `v1.DefaultHardPodAffinitySymmetricWeight`.
    public static let defaultHardPodAffinityWeight: Int32 = 1

    static let preFilterStateKey = "PreFilter" + pluginName
    static let preScoreStateKey = "PreScore" + pluginName

    /// `InterPodAffinityArgs.HardPodAffinityWeight` (0…100): the score an
    /// existing pod's *required* affinity term adds when the incoming pod
    /// matches it. 0 turns that symmetry off.
    public var hardPodAffinityWeight: Int32
    /// `InterPodAffinityArgs.IgnorePreferredTermsOfExistingPods`: when the
    /// incoming pod has no preferred terms, skip scoring altogether.
    public var ignorePreferredTermsOfExistingPods: Bool

    public var name: String { Self.pluginName }

    public init(hardPodAffinityWeight: Int32 = InterPodAffinity.defaultHardPodAffinityWeight,
                ignorePreferredTermsOfExistingPods: Bool = false) {
        self.hardPodAffinityWeight = hardPodAffinityWeight
        self.ignorePreferredTermsOfExistingPods = ignorePreferredTermsOfExistingPods
    }
}

/// A node label key and value (upstream `topologyPair`).
struct TopologyPair: Hashable {
    var key: String
    var value: String
}

/// Existing pods' labels and affinity as the plugin reads them.
struct ExistingPod {
    var labels: [String: String]
    var affinity: PodAffinitySpec?

    init(_ id: Int32, in view: ClusterView) {
        let spec = view.task(id).spec
        labels = spec.labels
        affinity = spec.pod?.podAffinity
    }
}

extension PodInfo {
    /// The pod's affinity, nil when it has none or no pod details.
    var podAffinity: PodAffinitySpec? { pod?.podAffinity }
}

extension Array where Element == PodAffinityTerm {
    /// Upstream `podMatchesAllAffinityTerms`: false for no terms.
    func allMatch(_ labels: [String: String]) -> Bool {
        !isEmpty && allSatisfy { $0.matches(labels) }
    }
}
