/// Label selectors and pod topology spread constraints (core/v1 and meta/v1
/// API types as of Kubernetes v1.28), re-implemented for Berth.

/// meta/v1 `LabelSelectorOperator`.
public enum LabelSelectorOperator: String, Sendable, CaseIterable, Hashable {
    case `in` = "In", notIn = "NotIn", exists = "Exists", doesNotExist = "DoesNotExist"
}

/// meta/v1 `LabelSelectorRequirement` (also one requirement of a compiled
/// `labels.Selector`).
public struct LabelSelectorRequirement: Hashable, Sendable {
    public var key: String
    public var op: LabelSelectorOperator
    public var values: [String]

    public init(key: String, op: LabelSelectorOperator, values: [String] = []) {
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

    /// Why `LabelSelectorAsSelector` would reject this requirement, if it would:
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

/// meta/v1 `LabelSelector`: `matchLabels` and `matchExpressions` are ANDed.
/// An empty selector matches every object; an absent (nil) selector matches
/// none — use ``LabelSelector/matches(_:_:)`` for an optional selector.
public struct LabelSelector: Hashable, Sendable {
    public var matchLabels: [String: String]
    public var matchExpressions: [LabelSelectorRequirement]

    public init(matchLabels: [String: String] = [:], matchExpressions: [LabelSelectorRequirement] = []) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// No requirement at all (matches everything).
    public var isEmpty: Bool { matchLabels.isEmpty && matchExpressions.isEmpty }

    /// Same result as `compiled().matches(labels)`, without building the requirement list.
    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels where labels[key] != value { return false }
        return matchExpressions.allSatisfy { $0.matches(labels) }
    }

    /// Upstream semantics for an optional selector: nil matches nothing.
    public static func matches(_ selector: LabelSelector?, _ labels: [String: String]) -> Bool {
        selector?.matches(labels) ?? false
    }

    public var validationError: String? { matchExpressions.lazy.compactMap(\.validationError).first }

    /// `metav1.LabelSelectorAsSelector` for a present selector: `matchLabels`
    /// become single-value `In` requirements. (A nil selector compiles to
    /// ``CompiledLabelSelector/nothing``; see ``compile(_:)``.)
    public func compiled() -> CompiledLabelSelector {
        let fromLabels = matchLabels.sorted { $0.key < $1.key }.map { LabelSelectorRequirement(key: $0.key, op: .in, values: [$0.value]) }
        return .requirements(fromLabels + matchExpressions)
    }

    public static func compile(_ selector: LabelSelector?) -> CompiledLabelSelector {
        selector?.compiled() ?? .nothing
    }
}

/// apimachinery `labels.Selector`, as the scheduler uses it: either
/// `labels.Nothing()` or a list of ANDed requirements (empty = `labels.Everything()`).
public enum CompiledLabelSelector: Hashable, Sendable {
    case nothing
    case requirements([LabelSelectorRequirement])

    public static let everything = CompiledLabelSelector.requirements([])

    /// `labels.SelectorFromSet`.
    public static func fromSet(_ labels: [String: String]) -> CompiledLabelSelector {
        LabelSelector(matchLabels: labels).compiled()
    }

    public func matches(_ labels: [String: String]) -> Bool {
        switch self {
        case .nothing: return false
        case .requirements(let rs): return rs.allSatisfy { $0.matches(labels) }
        }
    }

    /// `Selector.Empty()`: true only for a selector without requirements
    /// (`Everything`); `Nothing` is not empty.
    public var isEmpty: Bool {
        if case .requirements(let rs) = self { return rs.isEmpty }
        return false
    }

    /// The requirements, or nil for `Nothing` (upstream `Requirements()` returning false).
    public var requirementList: [LabelSelectorRequirement]? {
        if case .requirements(let rs) = self { return rs }
        return nil
    }
}

/// core/v1 `UnsatisfiableConstraintAction`.
public enum UnsatisfiableConstraintAction: String, Sendable, CaseIterable, Hashable {
    case doNotSchedule = "DoNotSchedule", scheduleAnyway = "ScheduleAnyway"
}

/// core/v1 `NodeInclusionPolicy`.
public enum NodeInclusionPolicy: String, Sendable, CaseIterable, Hashable {
    case honor = "Honor", ignore = "Ignore"
}

/// core/v1 `TopologySpreadConstraint`. Optional fields keep the API's "unset"
/// meaning; the `effective…` accessors apply the scheduler's defaults
/// (minDomains 1, nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore).
public struct TopologySpreadConstraint: Hashable, Sendable {
    public var maxSkew: Int32
    public var topologyKey: String
    public var whenUnsatisfiable: UnsatisfiableConstraintAction
    /// nil matches no pod (as upstream); an empty selector matches every pod.
    public var labelSelector: LabelSelector?
    public var minDomains: Int32?
    public var nodeAffinityPolicy: NodeInclusionPolicy?
    public var nodeTaintsPolicy: NodeInclusionPolicy?
    /// Pod label keys whose values (from the incoming pod) are ANDed into the selector.
    public var matchLabelKeys: [String]

    public init(maxSkew: Int32, topologyKey: String, whenUnsatisfiable: UnsatisfiableConstraintAction,
                labelSelector: LabelSelector? = nil, minDomains: Int32? = nil,
                nodeAffinityPolicy: NodeInclusionPolicy? = nil, nodeTaintsPolicy: NodeInclusionPolicy? = nil,
                matchLabelKeys: [String] = []) {
        self.maxSkew = maxSkew
        self.topologyKey = topologyKey
        self.whenUnsatisfiable = whenUnsatisfiable
        self.labelSelector = labelSelector
        self.minDomains = minDomains
        self.nodeAffinityPolicy = nodeAffinityPolicy
        self.nodeTaintsPolicy = nodeTaintsPolicy
        self.matchLabelKeys = matchLabelKeys
    }

    public var effectiveMinDomains: Int32 { minDomains ?? 1 }
    public var effectiveNodeAffinityPolicy: NodeInclusionPolicy { nodeAffinityPolicy ?? .honor }
    public var effectiveNodeTaintsPolicy: NodeInclusionPolicy { nodeTaintsPolicy ?? .ignore }

    /// The API server's checks on a pod's constraints (a subset of
    /// `ValidateTopologySpreadConstraints`): maxSkew > 0, a topology key,
    /// minDomains > 0 and only with DoNotSchedule, a valid selector, and no
    /// two constraints with the same topologyKey and whenUnsatisfiable.
    public static func validate(_ constraints: [TopologySpreadConstraint]) -> [String] {
        var problems: [String] = []
        var seen = Set<String>()
        for (i, c) in constraints.enumerated() {
            let at = "topologySpreadConstraints[\(i)]"
            if c.maxSkew <= 0 { problems.append("\(at).maxSkew must be greater than zero") }
            if c.topologyKey.isEmpty { problems.append("\(at).topologyKey must be set") }
            if let m = c.minDomains {
                if m <= 0 { problems.append("\(at).minDomains must be greater than zero") }
                if c.whenUnsatisfiable != .doNotSchedule { problems.append("\(at).minDomains requires whenUnsatisfiable DoNotSchedule") }
            }
            if let e = c.labelSelector?.validationError { problems.append("\(at).labelSelector: \(e)") }
            let pair = c.topologyKey + "\u{0}" + c.whenUnsatisfiable.rawValue
            if !seen.insert(pair).inserted {
                problems.append("\(at): duplicate {topologyKey, whenUnsatisfiable} = {\(c.topologyKey), \(c.whenUnsatisfiable.rawValue)}")
            }
        }
        return problems
    }
}
