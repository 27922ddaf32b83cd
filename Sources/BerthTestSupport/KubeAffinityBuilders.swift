import BerthCluster

/// Required or preferred (with its weight) — upstream test helpers'
/// `PodAffinityWithRequiredReq` / `…WithPreferredReq` (which use weight 1).
public enum AffinityRequirement: Sendable {
    case required
    case preferred(weight: Int32)
    public static let preferred = AffinityRequirement.preferred(weight: 1)
}

extension PodLabelSelectorRequirement {
    public static func `in`(_ key: String, _ values: [String]) -> PodLabelSelectorRequirement {
        PodLabelSelectorRequirement(key: key, op: .in, values: values)
    }
    public static func notIn(_ key: String, _ values: [String]) -> PodLabelSelectorRequirement {
        PodLabelSelectorRequirement(key: key, op: .notIn, values: values)
    }
    public static func exists(_ key: String) -> PodLabelSelectorRequirement {
        PodLabelSelectorRequirement(key: key, op: .exists)
    }
    public static func doesNotExist(_ key: String) -> PodLabelSelectorRequirement {
        PodLabelSelectorRequirement(key: key, op: .doesNotExist)
    }
}

extension PodAffinityTerm {
    /// A term whose selector is the AND of `expressions`.
    public static func matching(_ expressions: PodLabelSelectorRequirement..., topologyKey: String) -> PodAffinityTerm {
        PodAffinityTerm(labelSelector: PodLabelSelector(matchExpressions: expressions), topologyKey: topologyKey)
    }

    public func weighted(_ weight: Int32) -> WeightedPodAffinityTerm { WeightedPodAffinityTerm(weight: weight, term: self) }
}

/// A pod with labels and inter-pod affinity for tests, after upstream's
/// `st.MakePod()`: `AffinityPodBuilder("p").label("foo", "bar").podAffinityIn("foo", "zone", ["bar"])`.
public struct AffinityPodBuilder: Sendable {
    public var name: String
    public var labels: [String: String] = [:]
    public var affinity = PodAffinitySpec()

    public init(_ name: String = "pod") { self.name = name }

    public func label(_ key: String, _ value: String) -> AffinityPodBuilder {
        var copy = self
        copy.labels[key] = value
        return copy
    }

    public func labels(_ labels: [String: String]) -> AffinityPodBuilder {
        var copy = self
        copy.labels.merge(labels) { $1 }
        return copy
    }

    /// Replaces the whole affinity.
    public func affinity(_ spec: PodAffinitySpec) -> AffinityPodBuilder {
        var copy = self
        copy.affinity = spec
        return copy
    }

    /// Adds one affinity (or, with `anti`, anti-affinity) term.
    public func term(_ term: PodAffinityTerm, anti: Bool = false, _ kind: AffinityRequirement = .required) -> AffinityPodBuilder {
        var copy = self
        switch (anti, kind) {
        case (false, .required): copy.affinity.requiredAffinity.append(term)
        case (false, .preferred(let w)): copy.affinity.preferredAffinity.append(term.weighted(w))
        case (true, .required): copy.affinity.requiredAntiAffinity.append(term)
        case (true, .preferred(let w)): copy.affinity.preferredAntiAffinity.append(term.weighted(w))
        }
        return copy
    }

    public func podAffinityIn(_ key: String, _ topologyKey: String, _ values: [String], _ kind: AffinityRequirement = .required) -> AffinityPodBuilder {
        term(.matching(.in(key, values), topologyKey: topologyKey), kind)
    }
    public func podAffinityNotIn(_ key: String, _ topologyKey: String, _ values: [String], _ kind: AffinityRequirement = .required) -> AffinityPodBuilder {
        term(.matching(.notIn(key, values), topologyKey: topologyKey), kind)
    }
    public func podAffinityExists(_ key: String, _ topologyKey: String, _ kind: AffinityRequirement = .required) -> AffinityPodBuilder {
        term(.matching(.exists(key), topologyKey: topologyKey), kind)
    }
    public func podAntiAffinityIn(_ key: String, _ topologyKey: String, _ values: [String], _ kind: AffinityRequirement = .required) -> AffinityPodBuilder {
        term(.matching(.in(key, values), topologyKey: topologyKey), anti: true, kind)
    }
    public func podAntiAffinityNotIn(_ key: String, _ topologyKey: String, _ values: [String], _ kind: AffinityRequirement = .required) -> AffinityPodBuilder {
        term(.matching(.notIn(key, values), topologyKey: topologyKey), anti: true, kind)
    }
    public func podAntiAffinityExists(_ key: String, _ topologyKey: String, _ kind: AffinityRequirement = .required) -> AffinityPodBuilder {
        term(.matching(.exists(key), topologyKey: topologyKey), anti: true, kind)
    }

    /// The pod as a task (one `pods` slot, no other requests); pod details only
    /// when it has affinity.
    public func task(catalog: ResourceCatalog = ResourceCatalog(extended: [])) -> TaskBuilder {
        var t = TaskBuilder(name, catalog: catalog)
        t.spec.labels = labels
        if !affinity.isEmpty { t.spec.pod = PodDetails(containers: [], podAffinity: affinity) }
        return t
    }

    public var spec: TaskSpec { task().spec }
}

/// A cluster of labelled nodes with `pods` bound as `(pod, node index)`.
public func makeAffinityCluster(nodes: [(name: String, labels: [String: String])],
                                pods: [(AffinityPodBuilder, Int)] = []) -> Cluster {
    makeCluster(nodes.map { NodeBuilder($0.name).labels($0.labels) }, existing: pods.map { ($0.0.task(), $0.1) })
}
