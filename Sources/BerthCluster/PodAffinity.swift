/// Inter-pod affinity and anti-affinity (core/v1 `PodAffinity`,
/// `PodAntiAffinity`, `PodAffinityTerm`, `WeightedPodAffinityTerm` as of
/// Kubernetes v1.28), re-implemented for Berth.
///
/// Berth has a single namespace, so a term's `namespaces` and
/// `namespaceSelector` are not modelled: every term applies to every pod
/// (upstream's default — "the namespace of the pod with this term" — is the
/// only namespace there is).
///
/// `PodLabelSelector` is this file's own copy of meta/v1 `LabelSelector`; it
/// has the same shape and semantics as `LabelSelector` in TopologySpread.swift
/// (added separately) and is meant to be unified with it.

/// meta/v1 `LabelSelectorOperator`.
public enum PodLabelSelectorOperator: String, Sendable, CaseIterable, Hashable {
    case `in` = "In", notIn = "NotIn", exists = "Exists", doesNotExist = "DoesNotExist"
}

/// meta/v1 `LabelSelectorRequirement`.
public struct PodLabelSelectorRequirement: Hashable, Sendable {
    public var key: String
    public var op: PodLabelSelectorOperator
    public var values: [String]

    public init(key: String, op: PodLabelSelectorOperator, values: [String] = []) {
        self.key = key
        self.op = op
        self.values = values
    }

    /// apimachinery `labels.Requirement.Matches`: a missing label fails
    /// `In`/`Exists` and satisfies `NotIn`/`DoesNotExist`.
    public func matches(_ labels: [String: String]) -> Bool {
        let value = labels[key]
        switch op {
        case .in: return value.map { values.contains($0) } ?? false
        case .notIn: return value.map { !values.contains($0) } ?? true
        case .exists: return value != nil
        case .doesNotExist: return value == nil
        }
    }

    /// Why `metav1.LabelSelectorAsSelector` would reject this requirement:
    /// `In`/`NotIn` need at least one value, `Exists`/`DoesNotExist` none.
    public var validationError: String? {
        if key.isEmpty { return "label selector requirement has an empty key" }
        switch op {
        case .in, .notIn:
            return values.isEmpty ? "label selector requirement \(key) \(op.rawValue) needs at least one value" : nil
        case .exists, .doesNotExist:
            return values.isEmpty ? nil : "label selector requirement \(key) \(op.rawValue) takes no values"
        }
    }
}

/// meta/v1 `LabelSelector`: `matchLabels` and `matchExpressions` are ANDed; an
/// empty selector matches every pod. (An absent selector on a term matches no
/// pod — see ``PodAffinityTerm``.)
public struct PodLabelSelector: Hashable, Sendable {
    public var matchLabels: [String: String]
    public var matchExpressions: [PodLabelSelectorRequirement]

    public init(matchLabels: [String: String] = [:], matchExpressions: [PodLabelSelectorRequirement] = []) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    public var isEmpty: Bool { matchLabels.isEmpty && matchExpressions.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels where labels[key] != value { return false }
        return matchExpressions.allSatisfy { $0.matches(labels) }
    }

    public var validationError: String? { matchExpressions.lazy.compactMap(\.validationError).first }
}

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
