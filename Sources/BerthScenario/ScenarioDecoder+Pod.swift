import BerthCluster
import BerthSimulation

/// Kubernetes pod vocabulary inside a workload: `pod: {containers, init_containers,
/// node_name, priority_class_name, affinity, …}` (docs/scenario-format.md, "Pods").
extension ScenarioDecoder {
    static let podKeys = ["containers", "init_containers", "node_name", "priority_class_name", "affinity",
                          "topology_spread_constraints", "scheduler_name"]
    static let spreadKeys = ["max_skew", "topology_key", "when_unsatisfiable", "label_selector", "min_domains",
                             "node_affinity_policy", "node_taints_policy", "match_label_keys"]
    static let containerKeys = ["name", "image", "requests", "limits", "host_ports"]
    static let hostPortKeys = ["port", "protocol", "host_ip"]
    static let affinityKeys = ["node_affinity", "pod_affinity", "pod_anti_affinity"]
    static let nodeAffinityKeys = ["required", "preferred"]
    static let nodeSelectorTermKeys = ["match_expressions", "match_fields"]
    static let requirementKeys = ["key", "operator", "values"]
    static let preferredTermKeys = ["weight", "preference"]
    static let podAffinityKeys = ["required", "preferred"]
    static let podAffinityTermKeys = ["label_selector", "topology_key"]
    static let weightedPodAffinityTermKeys = ["weight", "term"]
    static let labelSelectorKeys = ["match_labels", "match_expressions"]

    func decodePod(_ field: Field) -> PodDetails? {
        guard let map = field.mapping(allowed: Self.podKeys) else { return nil }
        let containersField = map.required("containers", in: field, what: "at least one container")
        let containers = containersField.flatMap { $0.sequence() }?.compactMap(decodeContainer) ?? []
        if let f = containersField, containers.isEmpty, f.isNull || { if case .sequence(let s) = f.node { return s.isEmpty } else { return false } }() {
            f.error("a pod needs at least one container")
        }
        let initContainers = map["init_containers"]?.sequence()?.compactMap(decodeContainer) ?? []
        let nodeName = map["node_name"]?.nonEmptyString()
        let priorityClass = map["priority_class_name"]?.nonEmptyString()
        let schedulerName = map["scheduler_name"]?.nonEmptyString() ?? PodDetails.defaultSchedulerName
        var nodeAffinity: NodeAffinitySpec?
        var podAffinity: PodAffinitySpec?
        if let a = map["affinity"], let am = a.mapping(allowed: Self.affinityKeys) {
            nodeAffinity = am["node_affinity"].flatMap(decodeNodeAffinity)
            let pa = am["pod_affinity"].flatMap(decodePodAffinityTerms)
            let anti = am["pod_anti_affinity"].flatMap(decodePodAffinityTerms)
            if pa != nil || anti != nil {
                podAffinity = PodAffinitySpec(requiredAffinity: pa?.required ?? [], preferredAffinity: pa?.preferred ?? [],
                                              requiredAntiAffinity: anti?.required ?? [], preferredAntiAffinity: anti?.preferred ?? [])
            }
        }
        let spreadField = map["topology_spread_constraints"]
        let spread = (spreadField?.sequence() ?? []).compactMap(decodeSpreadConstraint)
        if let spreadField {
            for problem in TopologySpreadConstraint.validate(spread) { spreadField.error(problem) }
        }
        var names = Set<String>()
        for (c, f) in zip(containers + initContainers, (containersField?.sequence() ?? []) + (map["init_containers"]?.sequence() ?? []))
        where !names.insert(c.name).inserted {
            f.error("duplicate container name \"\(c.name)\"")
        }
        guard !containers.isEmpty else { return nil }
        let ports = (containers + initContainers).flatMap(\.hostPorts)
        return PodDetails(containers: containers.map(\.spec), initContainers: initContainers.map(\.spec), nodeName: nodeName,
                          nodeAffinity: nodeAffinity, priorityClassName: priorityClass, hostPorts: ports, podAffinity: podAffinity, topologySpreadConstraints: spread,
                          schedulerName: schedulerName)
    }

    struct DecodedContainer {
        var spec: ContainerSpec
        var hostPorts: [HostPort]
        var name: String { spec.name }
    }

    func decodeContainer(_ field: Field) -> DecodedContainer? {
        guard let map = field.mapping(allowed: Self.containerKeys) else { return nil }
        let name = map.required("name", in: field)?.nonEmptyString()
        let image = map["image"]?.string() ?? ""
        let requests = map["requests"].flatMap(decodeResources) ?? [:]
        let limits = map["limits"].flatMap(decodeResources) ?? [:]
        for (resource, limit) in limits.sorted(by: { $0.key < $1.key }) {
            if let request = requests[resource], request > limit {
                map["requests"]?.lookup(resource)?.error("request exceeds the limit (\(limit)) for \(resource)")
            }
        }
        let ports: [HostPort] = (map["host_ports"]?.sequence() ?? []).compactMap { f in
            if case .scalar = f.node { return f.int(min: 1, max: 65535).map { HostPort(port: Int32($0)) } }
            guard let pm = f.mapping(allowed: Self.hostPortKeys) else { return nil }
            let port = pm.required("port", in: f)?.int(min: 1, max: 65535)
            let proto = pm["protocol"]?.oneOf([("TCP", "TCP"), ("UDP", "UDP"), ("SCTP", "SCTP")], what: "protocol") ?? "TCP"
            let ip = pm["host_ip"]?.nonEmptyString() ?? "0.0.0.0"
            return port.map { HostPort(port: Int32($0), proto: proto, hostIP: ip) }
        }
        guard let name else { return nil }
        // Upstream defaulting: a container with limits but no request gets request = limit.
        var effective = requests
        for (resource, limit) in limits where effective[resource] == nil { effective[resource] = limit }
        return DecodedContainer(spec: ContainerSpec(name: name, image: image, requests: effective, limits: limits), hostPorts: ports)
    }

    func decodeNodeAffinity(_ field: Field) -> NodeAffinitySpec? {
        guard let map = field.mapping(allowed: Self.nodeAffinityKeys) else { return nil }
        let required = map["required"].map { f in (f.sequence() ?? []).compactMap(decodeNodeSelectorTerm) }
        let preferred: [PreferredSchedulingTerm] = (map["preferred"]?.sequence() ?? []).compactMap { f in
            guard let pm = f.mapping(allowed: Self.preferredTermKeys) else { return nil }
            let weight = pm.required("weight", in: f)?.int(min: 1, max: 100)
            let term = pm.required("preference", in: f).flatMap(decodeNodeSelectorTerm)
            guard let weight, let term else { return nil }
            return PreferredSchedulingTerm(weight: Int32(weight), preference: term)
        }
        return NodeAffinitySpec(required: required, preferred: preferred)
    }

    func decodeNodeSelectorTerm(_ field: Field) -> NodeSelectorTerm? {
        guard let map = field.mapping(allowed: Self.nodeSelectorTermKeys) else { return nil }
        let ops = NodeSelectorOperator.allCases.map { ($0.rawValue, $0) }
        func requirements(_ f: Field?) -> [NodeSelectorRequirement] {
            (f?.sequence() ?? []).compactMap { rf in
                guard let rm = rf.mapping(allowed: Self.requirementKeys) else { return nil }
                let key = rm.required("key", in: rf)?.nonEmptyString()
                let op = rm.required("operator", in: rf)?.oneOf(ops, what: "node selector operator")
                let values = (rm["values"]?.sequence() ?? []).compactMap { $0.string() }
                guard let key, let op else { return nil }
                // Upstream validation (ValidateNodeSelectorRequirement).
                if (op == .in || op == .notIn) && values.isEmpty { rf.error("operator \(op.rawValue) needs at least one value") }
                if (op == .exists || op == .doesNotExist) && !values.isEmpty { rm["values"]?.error("must be empty for operator \(op.rawValue)") }
                if (op == .gt || op == .lt) && (values.count != 1 || Int64(values[0]) == nil) {
                    rf.error("operator \(op.rawValue) needs exactly one integer value")
                }
                return NodeSelectorRequirement(key: key, op: op, values: values)
            }
        }
        return NodeSelectorTerm(matchExpressions: requirements(map["match_expressions"]), matchFields: requirements(map["match_fields"]))
    }

    func decodePodAffinityTerms(_ field: Field) -> (required: [PodAffinityTerm], preferred: [WeightedPodAffinityTerm])? {
        guard let map = field.mapping(allowed: Self.podAffinityKeys) else { return nil }
        let required = (map["required"]?.sequence() ?? []).compactMap(decodePodAffinityTerm)
        let preferred: [WeightedPodAffinityTerm] = (map["preferred"]?.sequence() ?? []).compactMap { f in
            guard let wm = f.mapping(allowed: Self.weightedPodAffinityTermKeys) else { return nil }
            let weight = wm.required("weight", in: f)?.int(min: 1, max: 100)
            let term = wm.required("term", in: f).flatMap(decodePodAffinityTerm)
            guard let weight, let term else { return nil }
            return WeightedPodAffinityTerm(weight: Int32(weight), term: term)
        }
        return (required, preferred)
    }

    func decodePodAffinityTerm(_ field: Field) -> PodAffinityTerm? {
        guard let map = field.mapping(allowed: Self.podAffinityTermKeys) else { return nil }
        let key = map.required("topology_key", in: field)?.nonEmptyString()
        let selector = map["label_selector"].flatMap(decodePodLabelSelector)
        guard let key else { return nil }
        return PodAffinityTerm(labelSelector: selector, topologyKey: key)
    }

    func decodeSpreadConstraint(_ field: Field) -> TopologySpreadConstraint? {
        guard let map = field.mapping(allowed: Self.spreadKeys) else { return nil }
        let skew = map.required("max_skew", in: field)?.int(min: 1, max: Int(Int32.max))
        let key = map.required("topology_key", in: field)?.nonEmptyString()
        let action = map.required("when_unsatisfiable", in: field)?.oneOf(UnsatisfiableConstraintAction.allCases.map { ($0.rawValue, $0) },
                                                                         what: "whenUnsatisfiable action")
        let policies = NodeInclusionPolicy.allCases.map { ($0.rawValue, $0) }
        let selector = map["label_selector"].flatMap(decodeLabelSelector)
        let minDomains = map["min_domains"]?.int(min: 1, max: Int(Int32.max)).map(Int32.init)
        let affinityPolicy = map["node_affinity_policy"]?.oneOf(policies, what: "node inclusion policy")
        let taintsPolicy = map["node_taints_policy"]?.oneOf(policies, what: "node inclusion policy")
        let matchLabelKeys = (map["match_label_keys"]?.sequence() ?? []).compactMap { $0.nonEmptyString() }
        guard let skew, let key, let action else { return nil }
        return TopologySpreadConstraint(maxSkew: Int32(skew), topologyKey: key, whenUnsatisfiable: action, labelSelector: selector,
                                        minDomains: minDomains, nodeAffinityPolicy: affinityPolicy, nodeTaintsPolicy: taintsPolicy,
                                        matchLabelKeys: matchLabelKeys)
    }

    func decodeLabelSelector(_ field: Field) -> LabelSelector? { decodePodLabelSelector(field) }

    func decodePodLabelSelector(_ field: Field) -> PodLabelSelector? {
        guard let map = field.mapping(allowed: Self.labelSelectorKeys) else { return nil }
        let labels = map["match_labels"]?.stringMap() ?? [:]
        let ops = PodLabelSelectorOperator.allCases.map { ($0.rawValue, $0) }
        let expressions: [PodLabelSelectorRequirement] = (map["match_expressions"]?.sequence() ?? []).compactMap { rf in
            guard let rm = rf.mapping(allowed: Self.requirementKeys) else { return nil }
            let key = rm.required("key", in: rf)?.nonEmptyString()
            let op = rm.required("operator", in: rf)?.oneOf(ops, what: "label selector operator")
            let values = (rm["values"]?.sequence() ?? []).compactMap { $0.string() }
            guard let key, let op else { return nil }
            if (op == .in || op == .notIn) && values.isEmpty { rf.error("operator \(op.rawValue) needs at least one value") }
            if (op == .exists || op == .doesNotExist) && !values.isEmpty { rm["values"]?.error("must be empty for operator \(op.rawValue)") }
            return PodLabelSelectorRequirement(key: key, op: op, values: values)
        }
        return PodLabelSelector(matchLabels: labels, matchExpressions: expressions)
    }
}
