import BerthCluster
import BerthFailures
import BerthMetrics
import BerthSchedulers
import BerthWorkloads

/// Planned maintenance (docs/failures.md): cordon, drain with disruption
/// budgets (kubectl drain --ignore-daemonsets, grace period 0), down for the
/// maintenance, then back and uncordoned.
extension Simulator {
    /// The scenario's drains, flattened: (node, start, duration).
    var drainList: [(node: Int32, micros: Int64, durationMicros: Int64)] {
        scenario.failures.maintenance.flatMap { m in m.drains.map { ($0.node, $0.micros, m.durationMicros) } }
    }

    func startMaintenance() {
        for (i, d) in drainList.enumerated() { schedule(.drain(Int32(i)), at: d.micros) }
    }

    /// One drain attempt: cordon (first time), evict every pod its budget
    /// allows, retry in 5 s while some are refused; once only DaemonSet pods
    /// are left the node goes down for the maintenance.
    func handleDrain(_ index: Int32, at now: Int64) throws(RunError) {
        let drain = drainList[Int(index)]
        let node = drain.node
        if !cluster.nodeCordoned[Int(node)] {
            do { try cluster.setNode(node, cordoned: true) } catch { throw .internalInconsistency("\(error)") }
            failureLog.cordon(node, true, in: cluster, at: now)
            (scheduler as? any NodeEventAware)?.nodeChanged(in: cluster)
        }
        var evicted: [Int32] = [], refused = false
        for task in cluster.tasksOnNode[Int(node)] {
            let workload = cluster.tasks[Int(task)].spec.workload
            if workload >= 0 && scenario.workloads[Int(workload)].kind == .daemonset { continue }
            if let budget = scenario.failures.budgets[workload],
               !budget.allowsEviction(healthy: availability.runningReplicas(of: workload),
                                      expected: scenario.workloads[Int(workload)].replicas) {
                refused = true
                continue
            }
            try kill(task, cause: .eviction, at: now)
            evicted.append(task)
        }
        if !evicted.isEmpty {
            scheduler.resourcesFreed(in: cluster)
            try replaceLost(evicted, at: now)
        }
        if refused {
            schedule(.drain(index), at: now &+ drainRetryMicros)
        } else if let injector = failureInjector, injector.hold(node, down: true) {
            let lost = try takeDown(node, cause: .maintenance, at: now)
            scheduler.resourcesFreed(in: cluster)
            try replaceLost(lost, at: now)
            schedule(.maintenanceDone(index), at: now &+ drain.durationMicros)
        } else {
            schedule(.maintenanceDone(index), at: now &+ drain.durationMicros)
        }
        requestPass(at: now)
    }

    /// Maintenance is over: the node comes back (unless a failure still holds it) and is uncordoned.
    func handleMaintenanceDone(_ index: Int32, at now: Int64) throws(RunError) {
        let node = drainList[Int(index)].node
        if let injector = failureInjector, injector.hold(node, down: false) { try bringUp(node, at: now) }
        do { try cluster.setNode(node, cordoned: false) } catch { throw .internalInconsistency("\(error)") }
        failureLog.cordon(node, false, in: cluster, at: now)
        scheduler.resourcesFreed(in: cluster)
        (scheduler as? any NodeEventAware)?.nodeChanged(in: cluster)
        requestPass(at: now)
    }
}
