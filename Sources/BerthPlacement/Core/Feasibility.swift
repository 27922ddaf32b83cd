import BerthCluster

/// One filter stage: may this task run on this node? Returns nil when it may,
/// or the constant reason it may not (reasons are `static let`s beside the stage).
public protocol FeasibilityCheck: Sendable {
    var name: String { get }
    func rejection(for task: TaskSpec, on node: Int, in view: ClusterView) -> String?
}

/// Rejects cordoned nodes. Upstream: kube-scheduler `NodeUnschedulable`.
public struct NodeUnschedulableCheck: FeasibilityCheck {
    public static let reason = "node(s) were unschedulable"
    public init() {}
    public var name: String { "NodeUnschedulable" }
    public func rejection(for task: TaskSpec, on node: Int, in view: ClusterView) -> String? {
        view.isUnschedulable(node) ? Self.reason : nil
    }
}

/// Every `node_selector` entry must equal the node's label. Upstream: the
/// `nodeSelector` half of kube-scheduler `NodeAffinity`.
public struct NodeSelectorCheck: FeasibilityCheck {
    public static let reason = "node(s) didn't match node selector"
    public init() {}
    public var name: String { "NodeSelector" }
    public func rejection(for task: TaskSpec, on node: Int, in view: ClusterView) -> String? {
        if task.nodeSelector.isEmpty { return nil }
        let labels = view.labels(node)
        for (key, value) in task.nodeSelector where labels[key] != value { return Self.reason }
        return nil
    }
}

/// Every `NoSchedule`/`NoExecute` taint must be tolerated. Upstream:
/// kube-scheduler `TaintToleration` Filter (PreferNoSchedule only scores).
public struct TaintCheck: FeasibilityCheck {
    public static let reason = "node(s) had untolerated taint"
    public init() {}
    public var name: String { "TaintToleration" }
    public func rejection(for task: TaskSpec, on node: Int, in view: ClusterView) -> String? {
        let taints = view.taints(node)
        if taints.isEmpty { return nil }
        for taint in taints where taint.effect != .preferNoSchedule {
            if !task.tolerations.contains(where: { $0.tolerates(taint) }) { return Self.reason }
        }
        return nil
    }
}

/// Requests must fit the node's free resources in every dimension. Upstream:
/// kube-scheduler `NodeResourcesFit` ("Insufficient cpu", …).
public struct ResourceFitCheck: FeasibilityCheck {
    public init() {}
    public var name: String { "NodeResourcesFit" }
    public static func reason(_ resource: String) -> String { "Insufficient \(resource)" }
    public func rejection(for task: TaskSpec, on node: Int, in view: ClusterView) -> String? {
        for r in 0..<view.catalog.count where task.requests[r] > view.free(node, r) {
            return Self.reason(view.catalog.names[r])
        }
        return nil
    }
}

/// The non-resource filters every generic policy applies, in order:
/// NodeUnschedulable, NodeSelector, TaintToleration, then any `extra` checks.
/// Resource fit is left to the policy, which finds candidates through an index.
/// The three standard checks are called directly (no existential boxing on the hot path).
public struct ConstraintFilters: Sendable {
    public static let unschedulable = NodeUnschedulableCheck()
    public static let selector = NodeSelectorCheck()
    public static let taints = TaintCheck()
    public let extra: [any FeasibilityCheck]

    public init(extra: [any FeasibilityCheck] = []) { self.extra = extra }

    /// Every check in order (for diagnosis and explanations).
    public var checks: [any FeasibilityCheck] { [Self.unschedulable, Self.selector, Self.taints] + extra }

    @inline(__always)
    public func allows(_ task: TaskSpec, on node: Int, in view: ClusterView) -> Bool {
        if Self.unschedulable.rejection(for: task, on: node, in: view) != nil { return false }
        if Self.selector.rejection(for: task, on: node, in: view) != nil { return false }
        if Self.taints.rejection(for: task, on: node, in: view) != nil { return false }
        for i in extra.indices where extra[i].rejection(for: task, on: node, in: view) != nil { return false }
        return true
    }

    /// Why no node accepts the task, counted per reason across all nodes
    /// (the first failing stage per node), as kube-scheduler's
    /// "0/N nodes are available: …" message does. - Complexity: O(nodes).
    public func diagnose(_ task: TaskSpec, in view: ClusterView) -> [String: Int] {
        var counts: [String: Int] = [:]
        let all = checks + [ResourceFitCheck()]
        for node in 0..<view.nodeCount {
            if let reason = all.lazy.compactMap({ $0.rejection(for: task, on: node, in: view) }).first {
                counts[reason, default: 0] += 1
            }
        }
        return counts
    }
}
