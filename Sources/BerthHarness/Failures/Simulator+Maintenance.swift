import BerthCluster
import BerthFailures
import BerthMetrics
import BerthSchedulers
import BerthWorkloads

/// Planned maintenance (docs/failures.md): cordon, drain with disruption
/// budgets and graceful termination (kubectl drain --ignore-daemonsets),
/// down for the maintenance, then back and uncordoned.
extension Simulator {
    /// The scenario's drains, flattened: (node, start, duration, grace override).
    var drainList: [(node: Int32, micros: Int64, durationMicros: Int64, graceMicros: Int64?)] {
        scenario.failures.maintenance.flatMap { m in m.drains.map { ($0.node, $0.micros, m.durationMicros, m.gracePeriodMicros) } }
    }

    func startMaintenance() {
        for (i, d) in drainList.enumerated() { schedule(.drain(Int32(i)), at: d.micros) }
    }

    /// One drain attempt: cordon (first time), evict every pod its budget
    /// allows (each Terminating for its grace period), retry in 5 s while some
    /// are refused; once only DaemonSet pods are left (the Terminating ones
    /// have ended) the node goes down for the maintenance.
    func handleDrain(_ index: Int32, at now: Int64) throws(RunError) {
        guard !finishedDrains.contains(index) else { return }
        let drain = drainList[Int(index)]
        let node = drain.node
        if !cluster.nodeCordoned[Int(node)] {
            do { try cluster.setNode(node, cordoned: true) } catch { throw .internalInconsistency("\(error)") }
            failureLog.cordon(node, true, in: cluster, at: now)
            (scheduler as? any NodeEventAware)?.nodeChanged(in: cluster)
        }
        activeDrains[node, default: []].insert(index)
        var evicted: [(task: Int32, grace: Int64)] = [], refused = false
        var evictedPerWorkload: [Int32: Int] = [:]
        for task in cluster.tasksOnNode[Int(node)] where terminating[task] == nil {
            let workload = cluster.tasks[Int(task)].spec.workload
            if isDaemonPod(workload) { continue }
            if let budget = scenario.failures.budgets[workload] {
                // The eviction API decrements disruptionsAllowed at once: each eviction counts.
                let healthy = availability.runningReplicas(of: workload) - evictedPerWorkload[workload, default: 0]
                guard budget.allowsEviction(healthy: healthy, expected: desiredReplicas(workload)) else {
                    refused = true
                    continue
                }
            }
            evictedPerWorkload[workload, default: 0] += 1
            evicted.append((task, drain.graceMicros ?? scenario.failures.gracePeriodMicros(of: workload)))
        }
        try evictGracefully(evicted, at: now)
        if refused {
            schedule(.drain(index), at: now &+ drainRetryMicros)
        } else {
            try finishDrainIfEmpty(index, at: now)
        }
        requestPass(at: now)
    }

    func isDaemonPod(_ workload: Int32) -> Bool {
        workload >= 0 && scenario.workloads[Int(workload)].kind == .daemonset
    }

    /// kubectl drain waits for the evicted pods to be gone: once only
    /// DaemonSet pods are left on the node, it goes down for the maintenance.
    func finishDrainIfEmpty(_ index: Int32, at now: Int64) throws(RunError) {
        let drain = drainList[Int(index)]
        let node = drain.node
        guard !finishedDrains.contains(index),
              cluster.tasksOnNode[Int(node)].allSatisfy({ isDaemonPod(cluster.tasks[Int($0)].spec.workload) }) else { return }
        finishedDrains.insert(index)
        activeDrains[node]?.remove(index)
        if let injector = failureInjector, injector.hold(node, down: true) {
            let lost = try takeDown(node, cause: .maintenance, at: now)
            scheduler.resourcesFreed(in: cluster)
            try replaceLost(lost, at: now)
        }
        schedule(.maintenanceDone(index), at: now &+ drain.durationMicros)
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
