import BerthFailures
import BerthWorkloads

/// A batch workload's `pod_failure_policy` (Job `spec.podFailurePolicy`,
/// batch/v1), validated as pkg/apis/batch/validation does (v1.28).
extension ScenarioDecoder {
    static let podFailurePolicyKeys = ["rules"]
    static let podFailurePolicyRuleKeys = ["action", "on_exit_codes", "on_pod_conditions"]
    static let onExitCodesKeys = ["container_name", "operator", "values"]
    static let podConditionPatternKeys = ["type", "status"]
    static let conditionStatuses = ["True", "False", "Unknown"]

    /// - Parameter containerNames: the pod's container and init container
    ///   names (nil: the workload has no `pod`, so its one container has no name).
    func decodePodFailurePolicy(_ field: Field, containerNames: [String]?) -> PodFailurePolicy? {
        guard let map = field.mapping(allowed: Self.podFailurePolicyKeys) else { return nil }
        guard let rulesField = map.required("rules", in: field, what: "a list of rules") else { return nil }
        let items = rulesField.sequence() ?? []
        if items.count > PodFailurePolicy.maxRules {
            rulesField.error("at most \(PodFailurePolicy.maxRules) rules are allowed, got \(items.count)")
        }
        let rules = items.compactMap { decodeRule($0, containerNames: containerNames) }
        guard rules.count == items.count else { return nil }
        return PodFailurePolicy(rules: rules)
    }

    private func decodeRule(_ field: Field, containerNames: [String]?) -> PodFailurePolicy.Rule? {
        guard let map = field.mapping(allowed: Self.podFailurePolicyRuleKeys) else { return nil }
        let action = map.required("action", in: field)?.oneOf(PodFailurePolicy.Action.allCases.map { ($0.rawValue, $0) }, what: "action")
        let exitField = map["on_exit_codes"], conditionsField = map["on_pod_conditions"]
        switch (exitField, conditionsField) {
        case (nil, nil):
            field.error("a rule needs one of on_exit_codes and on_pod_conditions")
            return nil
        case (_?, _?):
            field.error("give on_exit_codes or on_pod_conditions, not both (upstream does not support both in one rule)")
            return nil
        default: break
        }
        let exitCodes = exitField.flatMap { decodeExitCodes($0, containerNames: containerNames) }
        let patterns = conditionsField.flatMap(decodeConditionPatterns)
        guard let action, exitCodes != nil || patterns != nil else { return nil }
        return PodFailurePolicy.Rule(action: action, onExitCodes: exitCodes, onPodConditions: patterns ?? [])
    }

    private func decodeExitCodes(_ field: Field, containerNames: [String]?) -> PodFailurePolicy.ExitCodes? {
        guard let map = field.mapping(allowed: Self.onExitCodesKeys) else { return nil }
        let op = map.required("operator", in: field)?.oneOf(PodFailurePolicy.ExitCodeOperator.allCases.map { ($0.rawValue, $0) },
                                                            what: "operator")
        var containerName: String?
        if let f = map["container_name"], let name = f.nonEmptyString() {
            if let names = containerNames {
                if !names.contains(name) {
                    f.error("\"\(name)\" must be one of the container or init container names in the pod (\(names.joined(separator: ", ")))")
                }
            } else {
                f.error("the workload has no pod, so its container has no name", hint: "write the workload as a pod: to name its containers")
            }
            containerName = name
        }
        guard let valuesField = map.required("values", in: field, what: "a list of exit codes") else { return nil }
        let items = valuesField.sequence() ?? []
        if items.isEmpty { valuesField.error("at least one value is required") }
        if items.count > PodFailurePolicy.maxExitCodeValues {
            valuesField.error("at most \(PodFailurePolicy.maxExitCodeValues) values are allowed, got \(items.count)")
        }
        var values: [Int32] = []
        for item in items {
            guard let v = item.int(min: Int(Int32.min), max: Int(Int32.max)).map(Int32.init) else { return nil }
            if op == .in && v == 0 { item.error("must not be 0 for the In operator") }
            if values.contains(v) { item.error("duplicate value \(v)") }
            values.append(v)
        }
        if values != values.sorted() { valuesField.error("must be ordered (ascending)") }
        guard let op, !values.isEmpty else { return nil }
        return PodFailurePolicy.ExitCodes(containerName: containerName, op: op, values: values)
    }

    private func decodeConditionPatterns(_ field: Field) -> [PodFailurePolicy.ConditionPattern]? {
        guard let items = field.sequence() else { return nil }
        if items.isEmpty { field.error("at least one condition pattern is required") }
        if items.count > PodFailurePolicy.maxConditionPatterns {
            field.error("at most \(PodFailurePolicy.maxConditionPatterns) patterns are allowed, got \(items.count)")
        }
        let patterns: [PodFailurePolicy.ConditionPattern] = items.compactMap { item in
            guard let map = item.mapping(allowed: Self.podConditionPatternKeys) else { return nil }
            let type = map.required("type", in: item, what: "a condition type such as DisruptionTarget")?.nonEmptyString()
            let status = map["status"].map { $0.oneOf(Self.conditionStatuses.map { ($0, $0) }, what: "condition status") } ?? "True"
            guard let type, let status else { return nil }
            return PodFailurePolicy.ConditionPattern(type: type, status: status)
        }
        return patterns.count == items.count && !patterns.isEmpty ? patterns : nil
    }

    /// Upstream validation: a Job with a `podFailurePolicy` must use restart policy `Never`.
    func checkPodFailurePolicies(_ drafts: [WorkloadDraft], crashes: [Int32: CrashSpec]) {
        for (index, draft) in drafts.enumerated() where draft.spec.podFailurePolicy != nil {
            guard let crash = crashes[Int32(index)], crash.restartPolicy != .never else { continue }
            (draft.field.lookup("restart_policy") ?? draft.field).error(
                "restart policy \(crash.restartPolicy.rawValue) is not supported with pod_failure_policy: only \"Never\" is",
                hint: "drop restart_policy (Never is the batch default) or the pod_failure_policy")
        }
    }
}
