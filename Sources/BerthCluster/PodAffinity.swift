/// Inter-pod affinity and anti-affinity (core/v1 `PodAffinity`,
/// `PodAntiAffinity`, `PodAffinityTerm`, `WeightedPodAffinityTerm` as of
/// Kubernetes v1.28), re-implemented for Berth.
///
/// Berth has a single namespace, so a term's `namespaces` and
/// `namespaceSelector` are not modelled: every term applies to every pod
/// (upstream's default — "the namespace of the pod with this term" — is the
/// only namespace there is).

/// The pod-affinity selector types are meta/v1's label selector, shared with
/// topology spreading (TopologySpread.swift); the aliases keep the affinity
/// code's names.
public typealias PodLabelSelectorOperator = LabelSelectorOperator
public typealias PodLabelSelectorRequirement = LabelSelectorRequirement
public typealias PodLabelSelector = LabelSelector

/// core/v1 `PodAffinityTerm` (namespaces not modelled; see the file comment).
/// The term selects pods by label; `topologyKey` names the node label whose
/// value defines "the same place" (e.g. `kubernetes.io/hostname`,
/// `topology.kubernetes.io/zone`).
public struct PodAffinityTerm: Hashable, Sendable {
    /// nil matches no pod, an empty selector every pod (upstream
    /// `metav1.LabelSelectorAsSelector`).
    public var labelSelector: PodLabelSelector?
    public var topologyKey: String

    public init(labelSelector: PodLabelSelector?, topologyKey: String) {
        self.labelSelector = labelSelector
        self.topologyKey = topologyKey
    }

    /// Upstream `framework.AffinityTerm.Matches` with Berth's single namespace:
    /// the selector alone decides.
    public func matches(_ podLabels: [String: String]) -> Bool {
        labelSelector?.matches(podLabels) ?? false
    }
}

/// core/v1 `WeightedPodAffinityTerm`: a preferred term with its weight (1…100).
public struct WeightedPodAffinityTerm: Hashable, Sendable {
    /// Upstream validation's range for `weight`.
    public static let weightRange: ClosedRange<Int32> = 1...100

    public var weight: Int32
    public var term: PodAffinityTerm

    public init(weight: Int32, term: PodAffinityTerm) {
        self.weight = weight
        self.term = term
    }
}

/// core/v1 `PodAffinity` and `PodAntiAffinity` of one pod, together
/// (`…DuringSchedulingIgnoredDuringExecution`; required terms are ANDed).
public struct PodAffinitySpec: Hashable, Sendable {
    public var requiredAffinity: [PodAffinityTerm]
    public var preferredAffinity: [WeightedPodAffinityTerm]
    public var requiredAntiAffinity: [PodAffinityTerm]
    public var preferredAntiAffinity: [WeightedPodAffinityTerm]

    public init(requiredAffinity: [PodAffinityTerm] = [], preferredAffinity: [WeightedPodAffinityTerm] = [],
                requiredAntiAffinity: [PodAffinityTerm] = [], preferredAntiAffinity: [WeightedPodAffinityTerm] = []) {
        self.requiredAffinity = requiredAffinity
        self.preferredAffinity = preferredAffinity
        self.requiredAntiAffinity = requiredAntiAffinity
        self.preferredAntiAffinity = preferredAntiAffinity
    }

    public var isEmpty: Bool {
        requiredAffinity.isEmpty && preferredAffinity.isEmpty && requiredAntiAffinity.isEmpty && preferredAntiAffinity.isEmpty
    }

    /// What upstream API validation would reject (first problem found), for
    /// loaders: selector syntax and weights outside 1…100.
    public var validationError: String? {
        let weighted = preferredAffinity + preferredAntiAffinity
        if let bad = weighted.first(where: { !WeightedPodAffinityTerm.weightRange.contains($0.weight) }) {
            return "pod affinity weight \(bad.weight) is outside 1…100"
        }
        let terms = requiredAffinity + requiredAntiAffinity + weighted.map(\.term)
        return terms.lazy.compactMap { $0.labelSelector?.validationError }.first
    }
}
