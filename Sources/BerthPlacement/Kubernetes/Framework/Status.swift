/// The outcome of one plugin call (kube-scheduler v1.28 `framework.Code`).
public enum StatusCode: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// The plugin ran and the pod may proceed (a filter: the node is feasible).
    case success
    /// An internal error: the runner aborts the cycle for this pod.
    case error
    /// The pod does not fit now; preemption might help.
    case unschedulable
    /// The pod does not fit and preemption cannot help (e.g. a node-affinity mismatch).
    case unschedulableAndUnresolvable
    /// Permit only: wait. (Not used by the in-tree plugins Berth models.)
    case wait
    /// PreFilter/PreScore: the plugin has nothing to do for this pod; its
    /// Filter/Score is skipped for the cycle.
    case skip

    public var description: String {
        switch self {
        case .success: "Success"
        case .error: "Error"
        case .unschedulable: "Unschedulable"
        case .unschedulableAndUnresolvable: "UnschedulableAndUnresolvable"
        case .wait: "Wait"
        case .skip: "Skip"
        }
    }
}

/// A plugin's verdict with its reasons (constants beside each plugin).
public struct Status: Equatable, Sendable {
    public var code: StatusCode
    public var reasons: [String]
    public var plugin: String

    public init(_ code: StatusCode, _ reasons: [String] = [], plugin: String = "") {
        self.code = code
        self.reasons = reasons
        self.plugin = plugin
    }

    public static let success = Status(.success)
    public var isSuccess: Bool { code == .success }
    public var isSkip: Bool { code == .skip }
    public var message: String { reasons.joined(separator: ", ") }
}
