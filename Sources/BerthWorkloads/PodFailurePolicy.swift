/// A Job's `spec.podFailurePolicy` (batch/v1, v1.28): rules, in order, that
/// decide how a failed pod counts. Upstream: pkg/controller/job/pod_failure_policy.go.
public struct PodFailurePolicy: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        /// The Job fails at once (reason `PodFailurePolicy`); its active pods are deleted.
        case failJob = "FailJob"
        /// The failure does not count toward `backoffLimit`; a replacement is created.
        case ignore = "Ignore"
        /// The default handling: the failure counts toward `backoffLimit`.
        case count = "Count"
    }

    public enum ExitCodeOperator: String, Sendable, CaseIterable {
        case `in` = "In"
        case notIn = "NotIn"
    }

    /// `onExitCodes`: the exit code of a terminated container (of `containerName`, or any).
    public struct ExitCodes: Sendable, Equatable {
        public var containerName: String?
        public var op: ExitCodeOperator
        public var values: [Int32]
        public init(containerName: String? = nil, op: ExitCodeOperator, values: [Int32]) {
            self.containerName = containerName
            self.op = op
            self.values = values
        }
    }

    /// One `onPodConditions` pattern: a condition type and status.
    public struct ConditionPattern: Sendable, Equatable {
        public var type: String
        public var status: String
        public init(type: String, status: String = "True") {
            self.type = type
            self.status = status
        }
    }

    public struct Rule: Sendable, Equatable {
        public var action: Action
        public var onExitCodes: ExitCodes?
        public var onPodConditions: [ConditionPattern]
        public init(action: Action, onExitCodes: ExitCodes? = nil, onPodConditions: [ConditionPattern] = []) {
            self.action = action
            self.onExitCodes = onExitCodes
            self.onPodConditions = onPodConditions
        }
    }

    /// How a pod failed, as far as the rules can see it.
    public struct FailedPod: Sendable, Equatable {
        /// Containers that terminated, with their exit codes (0 = success).
        public var exitCodes: [(container: String, code: Int32)]
        /// The pod's conditions (type, status).
        public var conditions: [(type: String, status: String)]
        public init(exitCodes: [(container: String, code: Int32)], conditions: [(type: String, status: String)]) {
            self.exitCodes = exitCodes
            self.conditions = conditions
        }
        public static func == (a: FailedPod, b: FailedPod) -> Bool {
            a.exitCodes.elementsEqual(b.exitCodes, by: { $0 == $1 }) && a.conditions.elementsEqual(b.conditions, by: { $0 == $1 })
        }
    }

    /// Upstream limits (pkg/apis/batch/validation).
    public static let maxRules = 20
    public static let maxExitCodeValues = 255
    public static let maxConditionPatterns = 20

    public var rules: [Rule]
    public init(rules: [Rule]) { self.rules = rules }

    /// Upstream `matchPodFailurePolicy`: the action of the first matching rule
    /// (nil: no rule matched — the default handling, which counts), with the
    /// index of that rule.
    public func match(_ pod: FailedPod) -> (action: Action, rule: Int)? {
        for (index, rule) in rules.enumerated() {
            if let requirement = rule.onExitCodes {
                if Self.matches(requirement, pod.exitCodes) { return (rule.action, index) }
            } else if !rule.onPodConditions.isEmpty {
                let hit = pod.conditions.contains { condition in
                    rule.onPodConditions.contains { $0.type == condition.type && $0.status == condition.status }
                }
                if hit { return (rule.action, index) }
            }
        }
        return nil
    }

    /// Upstream `matchOnExitCodes`: some terminated container (of the named
    /// one, if given) with a non-zero exit code satisfies the operator.
    static func matches(_ requirement: ExitCodes, _ exits: [(container: String, code: Int32)]) -> Bool {
        exits.contains { exit in
            guard requirement.containerName == nil || requirement.containerName == exit.container, exit.code != 0 else { return false }
            switch requirement.op {
            case .in: return requirement.values.contains(exit.code)
            case .notIn: return !requirement.values.contains(exit.code)
            }
        }
    }
}
