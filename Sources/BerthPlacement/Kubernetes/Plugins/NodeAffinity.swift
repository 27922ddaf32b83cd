import BerthCluster

/// PreFilter/Filter: the node must carry every `nodeSelector` label and, when
/// the pod has required node affinity, match at least one of its terms (terms
/// are ORed, a term's requirements ANDed; an empty or invalid term matches
/// nothing). A mismatch is `UnschedulableAndUnresolvable`.
///
/// Score: the sum of the weights of the pod's preferred terms that the node
/// matches, $s_n = \sum_{t \in P,\ n \models t} w_t$, normalised as
/// $\lfloor 100\, s_n / \max_m s_m \rfloor$ (all 0 when no node matches).
///
/// The optional scheduler-enforced `addedAffinity` argument is supported:
/// its required terms filter every pod (reason "didn't match scheduler-enforced
/// node affinity") and its preferred terms add to every node's score.
///
/// Upstream: pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go and
/// k8s.io/component-helpers/scheduling/corev1/nodeaffinity (v1.28). Berth
/// simplifies: the PreFilter's node-name result (from `metadata.name` In
/// matchFields) is computed (``preFilterResult(_:)``) but the runner does not
/// narrow the node list with it, so non-listed nodes are rejected by Filter
/// instead; an empty `nodeSelector` map counts as none; no queueing hints.
public struct NodeAffinity: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScoreNormalizing {
    public var isNodeLocal: Bool { true }
    public static let name = "NodeAffinity"
    /// Upstream `ErrReasonPod`.
    public static let reasonPod = "node(s) didn't match Pod's node affinity/selector"
    /// Upstream `errReasonEnforced`.
    public static let reasonEnforced = "node(s) didn't match scheduler-enforced node affinity"
    /// Upstream `errReasonConflict`.
    public static let reasonConflict = "pod affinity terms conflict"
    /// Upstream `preFilterStateKey` / `preScoreStateKey`.
    public static let preFilterStateKey = "PreFilter" + name
    public static let preScoreStateKey = "PreScore" + name
    /// Upstream `metav1.ObjectNameField`.
    public static let objectNameField = "metadata.name"

    public var name: String { Self.name }

    /// Scheduler-enforced required terms (nil: none).
    let addedNodeSelector: [ParsedNodeSelectorTerm]?
    /// Scheduler-enforced preferred terms (nil: none).
    let addedPreferred: [ParsedPreferredTerm]?

    /// The plugin without scheduler-enforced affinity (the default profile's).
    public init() {
        addedNodeSelector = nil
        addedPreferred = nil
    }

    /// With the `NodeAffinityArgs.addedAffinity` argument. Throws when a term
    /// does not parse (upstream `New` fails the same way).
    public init(addedAffinity: NodeAffinitySpec?) throws(NodeAffinityArgumentError) {
        var selector: [ParsedNodeSelectorTerm]?
        var preferred: [ParsedPreferredTerm]?
        if let added = addedAffinity {
            if let required = added.required {
                let parsed = Self.parseSelector(required)
                let errors = parsed.flatMap(\.errors)
                if !errors.isEmpty {
                    throw NodeAffinityArgumentError(message: "parsing addedAffinity.requiredDuringSchedulingIgnoredDuringExecution: " + errors.joined(separator: ", "))
                }
                selector = parsed
            }
            if !added.preferred.isEmpty {
                switch Self.parsePreferred(added.preferred) {
                case .success(let terms): preferred = terms
                case .failure(let error):
                    throw NodeAffinityArgumentError(message: "parsing addedAffinity.preferredDuringSchedulingIgnoredDuringExecution: " + error.message)
                }
            }
        }
        addedNodeSelector = selector
        addedPreferred = preferred
    }

    // MARK: Filter

    /// Upstream `nodeaffinity.RequiredNodeAffinity`: the pod's `nodeSelector`
    /// and its required node-affinity terms.
    public struct RequiredNodeAffinity: Sendable {
        let nodeSelector: [String: String]
        let terms: [ParsedNodeSelectorTerm]?

        public init(_ pod: PodInfo) {
            nodeSelector = pod.spec.nodeSelector
            terms = pod.pod?.nodeAffinity?.required.map(NodeAffinity.parseSelector)
        }

        /// Upstream `RequiredNodeAffinity.Match` (parse errors count as no match).
        public func matches(labels: [String: String], nodeName: String) -> Bool {
            for (key, value) in nodeSelector where labels[key] != value { return false }
            guard let terms else { return true }
            return terms.contains { $0.matches(labels: labels, nodeName: nodeName) }
        }
    }

    /// The PreFilter verdict and, when every required term pins `metadata.name`
    /// with `In`, the union of the node names allowed (upstream `PreFilterResult.NodeNames`).
    public func preFilterResult(_ pod: PodInfo) -> (status: Status, nodeNames: Set<String>?) {
        let required = pod.pod?.nodeAffinity?.required
        if required == nil && addedNodeSelector == nil && pod.spec.nodeSelector.isEmpty {
            return (Status(.skip), nil)
        }
        guard let terms = required, !terms.isEmpty else { return (.success, nil) }
        var nodeNames: Set<String>?
        for term in terms {
            var termNames: Set<String>?
            for r in term.matchFields where r.key == Self.objectNameField && r.op == .in {
                let s = Set(r.values)
                termNames = termNames.map { $0.intersection(s) } ?? s
            }
            // A term without a node-name requirement admits every node (terms are ORed).
            guard let termNames else { return (.success, nil) }
            nodeNames = (nodeNames ?? []).union(termNames)
        }
        if let nodeNames, nodeNames.isEmpty {
            return (Status(.unschedulableAndUnresolvable, [Self.reasonConflict]), nil)
        }
        return (.success, nodeNames)
    }

    public func preFilter(_ state: CycleState, pod: PodInfo, nodes: NodeList) -> Status {
        let result = preFilterResult(pod)
        if result.status.isSkip { return result.status }
        state.write(Self.preFilterStateKey, RequiredNodeAffinity(pod))
        return result.status
    }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        let labels = node.labels
        let nodeName = node.name
        if let added = addedNodeSelector, !added.contains(where: { $0.matches(labels: labels, nodeName: nodeName) }) {
            return Status(.unschedulableAndUnresolvable, [Self.reasonEnforced])
        }
        // Fall back to computing it here when PreFilter did not run.
        let required = state.read(Self.preFilterStateKey, as: RequiredNodeAffinity.self) ?? RequiredNodeAffinity(pod)
        return required.matches(labels: labels, nodeName: nodeName)
            ? .success : Status(.unschedulableAndUnresolvable, [Self.reasonPod])
    }

    // MARK: Score

    /// Upstream `getPodPreferredNodeAffinity`: nil when the pod has no preferred terms.
    static func podPreferred(_ pod: PodInfo) -> Result<[ParsedPreferredTerm]?, NodeAffinityArgumentError> {
        guard let preferred = pod.pod?.nodeAffinity?.preferred, !preferred.isEmpty else { return .success(nil) }
        return parsePreferred(preferred).map { Optional($0) }
    }

    public func preScore(_ state: CycleState, pod: PodInfo, nodes: NodeSet) -> Status {
        switch Self.podPreferred(pod) {
        case .failure(let error):
            return Status(.error, [error.message])
        case .success(let preferred):
            if preferred == nil && addedPreferred == nil { return Status(.skip) }
            state.write(Self.preScoreStateKey, preferred ?? [])
            return .success
        }
    }

    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> (Int64, Status) {
        let labels = node.labels
        let nodeName = node.name
        var count: Int64 = 0
        if let added = addedPreferred { count += Self.score(added, labels: labels, nodeName: nodeName) }
        let preferred: [ParsedPreferredTerm]
        if let cached = state.read(Self.preScoreStateKey, as: [ParsedPreferredTerm].self) {
            preferred = cached
        } else {
            // Fallback when PreScore did not run.
            switch Self.podPreferred(pod) {
            case .failure(let error): return (0, Status(.error, [error.message]))
            case .success(let terms): preferred = terms ?? []
            }
        }
        count += Self.score(preferred, labels: labels, nodeName: nodeName)
        return (count, .success)
    }

    public var defaultNormalizationReverse: Bool? { false }

    public func normalizeScore(_ state: CycleState, pod: PodInfo, scores: inout [NodeScore]) -> Status {
        defaultNormalizeScore(maxPriority: maxNodeScore, reverse: false, scores: &scores)
        return .success
    }

    /// Upstream `PreferredSchedulingTerms.Score`.
    static func score(_ terms: [ParsedPreferredTerm], labels: [String: String], nodeName: String) -> Int64 {
        terms.reduce(0) { $0 + ($1.term.matches(labels: labels, nodeName: nodeName) ? Int64($1.weight) : 0) }
    }

    // MARK: Parsing (component-helpers nodeaffinity)

    /// Upstream `NewLazyErrorNodeSelector`: empty terms are dropped (they select
    /// nothing); a term that does not parse keeps its errors and matches nothing.
    static func parseSelector(_ terms: [NodeSelectorTerm]) -> [ParsedNodeSelectorTerm] {
        terms.enumerated().compactMap { i, term in
            term.matchExpressions.isEmpty && term.matchFields.isEmpty
                ? nil : ParsedNodeSelectorTerm(term, path: "nodeSelectorTerms[\(i)]")
        }
    }

    /// Upstream `NewPreferredSchedulingTerms`: zero-weight and empty terms are
    /// dropped; any parse error fails the whole list.
    static func parsePreferred(_ terms: [PreferredSchedulingTerm]) -> Result<[ParsedPreferredTerm], NodeAffinityArgumentError> {
        var parsed: [ParsedPreferredTerm] = []
        var errors: [String] = []
        for (i, term) in terms.enumerated() {
            if term.weight == 0 || (term.preference.matchExpressions.isEmpty && term.preference.matchFields.isEmpty) { continue }
            let p = ParsedNodeSelectorTerm(term.preference, path: "preferredSchedulingTerms[\(i)]")
            if p.errors.isEmpty { parsed.append(ParsedPreferredTerm(term: p, weight: term.weight)) } else { errors += p.errors }
        }
        return errors.isEmpty ? .success(parsed) : .failure(NodeAffinityArgumentError(message: errors.joined(separator: ", ")))
    }
}

/// A node-affinity term or argument that does not parse.
public struct NodeAffinityArgumentError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension NodeAffinity {
    /// A preferred term with its weight, parsed.
    struct ParsedPreferredTerm: Sendable {
        let term: ParsedNodeSelectorTerm
        let weight: Int32
    }

    /// A `NodeSelectorTerm` validated as component-helpers `newNodeSelectorTerm`
    /// does: label requirements as `labels.NewRequirement` (qualified key, label
    /// values, operator arity, integer `Gt`/`Lt`), field requirements as
    /// `nodeSelectorRequirementsAsFieldSelector` (`In`/`NotIn`, exactly one value).
    struct ParsedNodeSelectorTerm: Sendable {
        let term: NodeSelectorTerm
        let errors: [String]

        init(_ term: NodeSelectorTerm, path: String) {
            self.term = term
            var errors: [String] = []
            for (i, r) in term.matchExpressions.enumerated() {
                errors += LabelSyntax.requirementErrors(r).map { "\(path).matchExpressions[\(i)]: \($0)" }
            }
            for (i, r) in term.matchFields.enumerated() {
                let p = "\(path).matchFields[\(i)]"
                if r.values.count != 1 {
                    errors.append("\(p).values: Invalid value: must have one element")
                } else if r.op != .in && r.op != .notIn {
                    errors.append("\(p).operator: Invalid value: \"\(r.op.rawValue)\": not a valid selector operator")
                }
            }
            self.errors = errors
        }

        /// Upstream `nodeSelectorTerm.match`: parse errors never match; fields are
        /// matched against `{metadata.name: nodeName}` (other keys read as "").
        func matches(labels: [String: String], nodeName: String) -> Bool {
            guard errors.isEmpty else { return false }
            guard term.matchExpressions.allSatisfy({ $0.matches(labels) }) else { return false }
            return term.matchFields.allSatisfy { r in
                let value = r.key == NodeAffinity.objectNameField ? nodeName : ""
                return r.op == .in ? value == r.values[0] : value != r.values[0]
            }
        }
    }

    /// A valid label key (apimachinery `validation.IsQualifiedName`).
    public static func isValidLabelKey(_ key: String) -> Bool { LabelSyntax.isQualifiedName(key) }

    /// Kubernetes label syntax (apimachinery `validation.IsQualifiedName`,
    /// `IsValidLabelValue`, `labels.NewRequirement`).
    enum LabelSyntax {
        static func isAlphanumeric(_ c: Character) -> Bool {
            c.isASCII && (c.isLetter || c.isNumber)
        }

        /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters.
        static func isQualifiedNamePart(_ s: String) -> Bool {
            guard !s.isEmpty, s.count <= 63, let first = s.first, let last = s.last else { return false }
            return isAlphanumeric(first) && isAlphanumeric(last)
                && s.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0 == "_" || $0 == "." }
        }

        /// RFC 1123 subdomain: lowercase alphanumerics, '-' and '.', at most 253 characters.
        static func isDNS1123Subdomain(_ s: String) -> Bool {
            guard !s.isEmpty, s.count <= 253 else { return false }
            return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
                guard let first = label.first, let last = label.last else { return false }
                func ok(_ c: Character) -> Bool { c.isASCII && (c.isLowercase || c.isNumber) }
                return ok(first) && ok(last) && label.allSatisfy { ok($0) || $0 == "-" }
            }
        }

        /// `[prefix/]name` with a DNS-subdomain prefix.
        static func isQualifiedName(_ key: String) -> Bool {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            switch parts.count {
            case 1: return isQualifiedNamePart(key)
            case 2: return isDNS1123Subdomain(String(parts[0])) && isQualifiedNamePart(String(parts[1]))
            default: return false
            }
        }

        /// Empty, or a qualified-name part.
        static func isValidLabelValue(_ v: String) -> Bool { v.isEmpty || isQualifiedNamePart(v) }

        static func requirementErrors(_ r: NodeSelectorRequirement) -> [String] {
            var errors: [String] = []
            if !isQualifiedName(r.key) { errors.append("key: Invalid value: \"\(r.key)\": not a qualified name") }
            switch r.op {
            case .in, .notIn:
                if r.values.isEmpty { errors.append("values: Invalid value: for 'in', 'notin' operators, values set can't be empty") }
            case .exists, .doesNotExist:
                if !r.values.isEmpty { errors.append("values: Invalid value: values set must be empty for exists and does not exist") }
            case .gt, .lt:
                if r.values.count != 1 { errors.append("values: Invalid value: for 'Gt', 'Lt' operators, exactly one value is required") }
                for v in r.values where Int64(v) == nil { errors.append("values: Invalid value: for 'Gt', 'Lt' operators, the value must be an integer") }
            }
            for (i, v) in r.values.enumerated() where !isValidLabelValue(v) {
                errors.append("values[\(i)]: Invalid value: \"\(v)\": not a valid label value")
            }
            return errors
        }
    }
}
