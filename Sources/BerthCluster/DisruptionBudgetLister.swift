/// PodDisruptionBudgets as kube-scheduler's DefaultPreemption reads them (its
/// PDB lister): the `status.disruptionsAllowed` of the budget that covers a
/// workload's pods. Berth's budgets belong to services (one budget selecting
/// one service's pods); the harness fills this from the scenario's budgets and
/// the replicas healthy now, so the scheduler (which cannot see the failure
/// model) reads what the disruption controller would publish.
public protocol DisruptionBudgetLister: AnyObject {
    /// `status.disruptionsAllowed` of the budget covering `workload`'s pods
    /// (≥ 0), or nil when no budget covers them.
    func disruptionsAllowed(forWorkload workload: Int32) -> Int?
}

/// A fixed table of budgets (tests, and callers with a snapshot).
public final class FixedDisruptionBudgets: DisruptionBudgetLister {
    public var allowed: [Int32: Int]
    public init(_ allowed: [Int32: Int]) { self.allowed = allowed }
    public func disruptionsAllowed(forWorkload workload: Int32) -> Int? { allowed[workload] }
}
