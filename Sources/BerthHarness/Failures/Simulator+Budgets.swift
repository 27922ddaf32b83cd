import BerthCluster
import BerthFailures
import BerthMetrics
import BerthSchedulers

/// The services' PodDisruptionBudgets as the disruption controller would
/// publish them (`status.disruptionsAllowed`), for kube-scheduler's
/// DefaultPreemption: `currentHealthy` is the replicas running now that are
/// neither Terminating nor backing off (``ServiceAvailability``).
final class ServiceDisruptionBudgets: DisruptionBudgetLister {
    let budgets: [Int32: DisruptionBudget]
    /// Running and desired replicas (the desired count follows scales).
    let availability: ServiceAvailability

    init(budgets: [Int32: DisruptionBudget], availability: ServiceAvailability) {
        self.budgets = budgets
        self.availability = availability
    }

    func disruptionsAllowed(forWorkload workload: Int32) -> Int? {
        guard let budget = budgets[workload] else { return nil }
        return budget.disruptionsAllowed(healthy: availability.runningReplicas(of: workload), expected: availability.desiredReplicas(of: workload) ?? 0)
    }
}

extension Simulator {
    /// Hands the scenario's budgets to a scheduler whose preemption respects them
    /// (an object of its own, so the scheduler holds no reference back to the simulator).
    func connectDisruptionBudgets() {
        let budgets = scenario.failures.budgets
        guard !budgets.isEmpty, let aware = scheduler as? any DisruptionBudgetAware else { return }
        aware.useDisruptionBudgets(ServiceDisruptionBudgets(budgets: budgets, availability: availability))
    }
}
