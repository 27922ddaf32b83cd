import BerthCluster
import BerthMetrics
import BerthSimulation

/// The unit suffix of a resource's amount columns.
func unitSuffix(_ catalog: ResourceCatalog, _ r: Int) -> String {
    let name = catalog.names[r]
    if r == ResourceCatalog.cpu { return "millicores" }
    if r == ResourceCatalog.memory || r == ResourceCatalog.ephemeralStorage || name.hasPrefix("hugepages-") { return "bytes" }
    return "count"
}

/// Builds the four per-run tables. Column contracts: docs/reports.md.
public enum RunReports {
    public static let summaryFixedColumns = [
        "scenario", "scheduler", "seed", "end_s", "nodes",
        "tasks_submitted", "tasks_scheduled", "tasks_completed", "tasks_running", "tasks_pending", "tasks_failed", "tasks_killed",
        "wait_s_mean", "wait_s_p50", "wait_s_p95", "wait_s_p99", "wait_s_max", "pending_wait_s_max",
        "makespan_s", "node_hours", "cost", "events", "tasks_preempted", "preempted_cpu_core_s", "jobs_failed",
        "node_failures", "node_down_s", "tasks_killed_node_failure", "node_failure_lost_cpu_core_s", "availability_frac_min",
        "container_crashes", "container_restarts", "crash_lost_cpu_core_s", "oom_kills", "oom_lost_cpu_core_s",
    ]

    /// The summary.csv header for a scenario with `catalog`.
    public static func summaryColumns(_ catalog: ResourceCatalog) -> [String] {
        summaryFixedColumns + (0..<catalog.count).map { "\(catalog.columnStem($0))_alloc_frac" }
    }

    public static func summary(_ s: RunSummary) -> CSVTable {
        var table = CSVTable(header: summaryColumns(s.catalog))
        var row = [s.scenario, s.scheduler, String(s.seed), SimTime.decimalSeconds(s.endMicros), String(s.nodes),
                   String(s.submitted), String(s.scheduled), String(s.finished), String(s.running), String(s.pending),
                   String(s.failed), String(s.killed)]
        row += [s.wait.mean, s.wait.p50, s.wait.p95, s.wait.p99, s.wait.max, s.pendingWaitMaxSeconds, s.makespanSeconds]
            .map { CSVNumber.fixed($0) }
        row += [CSVNumber.fixed(s.nodeHours), CSVNumber.fixed(s.cost, digits: 4), String(s.events),
                String(s.preempted), CSVNumber.fixed(s.preemptedCoreSeconds), String(s.jobsFailed)]
        row += [String(s.nodeFailures), CSVNumber.fixed(s.nodeDownSeconds), String(s.killedByNodeFailure),
                CSVNumber.fixed(s.nodeFailureLostCoreSeconds), CSVNumber.fixed(s.availabilityMin)]
        row += [String(s.containerCrashes), String(s.containerRestarts), CSVNumber.fixed(s.crashLostCoreSeconds)]
        row += [String(s.oomKills), CSVNumber.fixed(s.oomLostCoreSeconds)]
        row += s.allocationFraction.map { CSVNumber.fixed($0) }
        table.append(row)
        return table
    }

    public static let taskColumns = ["task_id", "name", "workload", "job", "priority", "submit_s", "start_s", "end_s",
                                     "wait_s", "node", "attempts", "outcome"]

    public static func tasks(_ cluster: Cluster, workloadNames: [String]) -> CSVTable {
        var table = CSVTable(header: taskColumns)
        for (id, t) in cluster.tasks.enumerated() {
            let w = Int(t.spec.workload)
            let workload = w >= 0 && w < workloadNames.count ? workloadNames[w] : "initial"
            table.append([
                String(id), t.spec.name, workload, String(t.spec.job), String(t.spec.priority),
                SimTime.decimalSeconds(t.submitMicros),
                t.startMicros >= 0 ? SimTime.decimalSeconds(t.startMicros) : "",
                t.endMicros >= 0 ? SimTime.decimalSeconds(t.endMicros) : "",
                t.startMicros >= 0 ? SimTime.decimalSeconds(t.startMicros - t.submitMicros) : "",
                t.node >= 0 ? cluster.nodes[Int(t.node)].name : "",
                String(t.attempts), t.state.description,
            ])
        }
        return table
    }

    /// - Parameter downMicros: per node, µs down during the run (empty: never down).
    public static func nodes(_ cluster: Cluster, tracker: AllocationTracker, endMicros: Int64, downMicros: [Int64] = []) -> CSVTable {
        let catalog = cluster.catalog
        let perResource = (0..<catalog.count).flatMap { r in
            ["\(catalog.columnStem(r))_allocatable_\(unitSuffix(catalog, r))", "\(catalog.columnStem(r))_alloc_frac"]
        }
        var table = CSVTable(header: ["node", "pool", "zone", "rack", "price_per_hour", "up_s", "cost", "tasks_placed",
                                      "tasks_running_at_end", "down_s"] + perResource)
        let hours = Double(endMicros) / 3_600_000_000
        for (i, node) in cluster.nodes.enumerated() {
            let down = i < downMicros.count ? downMicros[i] : 0
            var row = [node.name, node.pool, node.zone, node.rack, CSVNumber.fixed(node.pricePerHour, digits: 4),
                       SimTime.decimalSeconds(endMicros - down), CSVNumber.fixed(node.pricePerHour * hours, digits: 4),
                       String(tracker.tasksPlaced[i]), String(cluster.runningCount[i]), SimTime.decimalSeconds(down)]
            for r in 0..<catalog.count {
                row.append(String(node.allocatable[r]))
                row.append(CSVNumber.fixed(tracker.nodeFraction(i, r, allocatable: node.allocatable[r], durationMicros: endMicros)))
            }
            table.append(row)
        }
        return table
    }

    public static func timeseries(_ samples: [TimeseriesSample], cluster: Cluster) -> CSVTable {
        let catalog = cluster.catalog
        let perResource = (0..<catalog.count).flatMap { r in
            ["\(catalog.columnStem(r))_alloc_\(unitSuffix(catalog, r))", "\(catalog.columnStem(r))_alloc_frac"]
        }
        var table = CSVTable(header: ["time_s", "running", "pending"] + perResource)
        for s in samples {
            var row = [SimTime.decimalSeconds(s.micros), String(s.running), String(s.pending)]
            for r in 0..<catalog.count {
                row.append(String(s.allocated[r]))
                let total = cluster.totalAllocatable[r]
                row.append(total > 0 ? CSVNumber.fixed(Double(s.allocated[r]) / Double(total)) : "")
            }
            table.append(row)
        }
        return table
    }
}

/// Failure reports (docs/reports.md, docs/failures.md).
extension RunReports {
    public static let eventColumns = ["time_s", "event", "task_id", "task", "node", "cause"]

    /// events.csv: every node failure and repair, task kill and re-creation, in time order.
    public static func events(_ log: FailureLog) -> CSVTable {
        var table = CSVTable(header: eventColumns)
        for e in log.entries {
            table.append([SimTime.decimalSeconds(e.micros), e.event, e.task >= 0 ? String(e.task) : "", e.taskName, e.node, e.cause])
        }
        return table
    }

    public static let serviceColumns = ["service", "replicas", "start_s", "availability_frac", "missing_replica_s",
                                        "min_available", "min_available_frac", "recoveries", "recovery_s_p50", "recovery_s_p95",
                                        "recovery_s_max", "restarts", "backoff_s"]

    /// services.csv: one row per service workload.
    public static func services(_ availability: ServiceAvailability, endMicros: Int64) -> CSVTable {
        var table = CSVTable(header: serviceColumns)
        for (i, s) in availability.services.enumerated() {
            table.append([s.name, String(s.initialReplicas), SimTime.decimalSeconds(s.startMicros),
                          CSVNumber.fixed(availability.availability(i, end: endMicros)),
                          CSVNumber.fixed(availability.missingReplicaSeconds(i, end: endMicros)),
                          s.initialMinAvailable.map(String.init) ?? "", CSVNumber.fixed(availability.minAvailableFraction(i, end: endMicros)),
                          String(availability.recoveries(i).count), CSVNumber.fixed(availability.recoveries(i).p50),
                          CSVNumber.fixed(availability.recoveries(i).p95), CSVNumber.fixed(availability.recoveries(i).max),
                          String(availability.restarts(i)), SimTime.decimalSeconds(availability.backoffMicros(i, end: endMicros))])
        }
        return table
    }
}
