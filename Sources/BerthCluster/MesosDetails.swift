/// Per-task details for the Mesos two-level scheduler (docs/mesos.md): which
/// framework runs the task, in which role, and the Marathon placement
/// constraints of its app. Like ``PodDetails``: a `final class`, immutable and
/// shared by every task of a workload, so ``TaskSpec`` stays small.
public final class MesosTaskDetails: Sendable {
    /// The framework that launches the task (nil: `marathon` for tasks that run
    /// until the end, `batch` for tasks with a run time).
    public let framework: String?
    /// The framework's role (nil: `*`, Mesos' default role).
    public let role: String?
    /// Marathon app constraints (`[field, OPERATOR, value]`).
    public let constraints: [MarathonConstraint]

    public init(framework: String? = nil, role: String? = nil, constraints: [MarathonConstraint] = []) {
        self.framework = framework
        self.role = role
        self.constraints = constraints
    }
}

/// One Marathon constraint (`mesosphere.mesos.Constraints`): a field (an agent
/// attribute, `hostname`, `@hostname`, `@zone`, `@region`), an operator and an
/// optional value.
public struct MarathonConstraint: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case unique = "UNIQUE", cluster = "CLUSTER", groupBy = "GROUP_BY", like = "LIKE", unlike = "UNLIKE"
        case maxPer = "MAX_PER", isOp = "IS"
    }
    public var field: String
    public var op: Operator
    public var value: String?
    public init(field: String, op: Operator, value: String? = nil) {
        self.field = field
        self.op = op
        self.value = value
    }
}
