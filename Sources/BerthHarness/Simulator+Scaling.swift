import BerthCluster
import BerthMetrics
import BerthWorkloads
import Foundation

/// Scaling a service during a run (`scale:` in the scenario; `kubectl scale`
/// on its Deployment): the ReplicaSet controller creates the missing pods at
/// once, or deletes the surplus, choosing them as upstream's `getPodsToDelete`
/// does (pkg/controller/replicaset/replica_set.go, v1.28) with the ranking of
/// `ActivePodsWithRanks` (pkg/controller/controller_utils.go). The same
/// controller model serves every preset (docs/scenario-format.md, "scale").
extension Simulator {
    /// Schedules every service's scale steps (at the start of the run).
    func startScaling() {
        for (w, workload) in scenario.workloads.enumerated() where workload.kind == .service {
            for (k, step) in workload.scale.enumerated() { schedule(.scale(Int32(w), Int32(k)), at: step.atMicros) }
        }
    }

    /// The service's desired replica count now (``ServiceAvailability`` keeps it).
    func desiredReplicas(_ workload: Int32) -> Int {
        availability.desiredReplicas(of: workload) ?? scenario.workloads[Int(workload)].replicas
    }

    func handleScale(_ workload: Int32, step: Int32, at now: Int64) throws(RunError) {
        let spec = scenario.workloads[Int(workload)]
        let old = desiredReplicas(workload), new = spec.scale[Int(step)].replicas
        guard new != old else { return }
        availability.setDesired(workload, replicas: new,
                                minAvailable: scenario.failures.budgets[workload]?.desiredHealthy(expected: new), at: now)
        if new > old {
            var next = nextReplicaIndex[workload] ?? spec.replicas
            for _ in old..<new {
                let id = submit(generators[Int(workload)].serviceTask(index: next), at: now)
                failureLog.note("task_created", task: id, taskName: cluster.tasks[Int(id)].spec.name, cause: "scale_up", at: now)
                next += 1
            }
            nextReplicaIndex[workload] = next
        } else {
            try scaleDown(workload, by: old - new, at: now)
        }
        requestPass(at: now)
    }

    /// Deletes `count` of the service's pods: replacements not yet created
    /// first (they are not running), then the active pods ranked as upstream.
    private func scaleDown(_ workload: Int32, by count: Int, at now: Int64) throws(RunError) {
        var left = count
        left -= cancelPendingReplacements(of: workload, upTo: left, at: now)
        guard left > 0 else { return }
        let active = cluster.tasks.indices.filter { i in
            let t = cluster.tasks[i]
            return t.spec.workload == workload && (t.state == .pending || t.state == .running) && terminating[Int32(i)] == nil
        }.map(Int32.init)
        let grace = scenario.failures.gracePeriodMicros(of: workload)
        var graceful: [(task: Int32, grace: Int64)] = []
        for task in rankedForDeletion(active, at: now).prefix(left) {
            // A pending pod holds nothing: it goes at once. evictGracefully frees what the others release.
            if cluster.tasks[Int(task)].state == .pending {
                try kill(task, cause: .scaleDown, at: now)
            } else {
                graceful.append((task, grace))
            }
        }
        try evictGracefully(graceful, cause: .scaleDown, replace: false, at: now)
    }

    /// Cancels up to `limit` replacements of `workload` that the recovery
    /// presets hold back (a lost pod not yet noticed, or a replacement
    /// waiting for its delay). Returns how many.
    private func cancelPendingReplacements(of workload: Int32, upTo limit: Int, at now: Int64) -> Int {
        var cancelled = 0
        for task in recoveryState.awaitingDetection.keys.sorted() where cancelled < limit {
            guard cluster.tasks[Int(task)].spec.workload == workload else { continue }
            recoveryState.awaitingDetection[task] = nil
            failureLog.note("task_not_rescheduled", task: task, taskName: cluster.tasks[Int(task)].spec.name, cause: "scale_down", at: now)
            cancelled += 1
        }
        for due in recoveryState.due.keys.sorted() where cancelled < limit {
            var specs = recoveryState.due[due] ?? []
            while cancelled < limit, let i = specs.lastIndex(where: { $0.workload == workload }) {
                let spec = specs.remove(at: i)
                failureLog.note("task_not_rescheduled", task: -1, taskName: spec.name, cause: "scale_down", at: now)
                cancelled += 1
            }
            recoveryState.due[due] = specs
        }
        return cancelled
    }

    /// `tasks` in the order the ReplicaSet controller deletes them (upstream
    /// `ActivePodsWithRanks.Less`, with the rank of `getPodsRankedByRelatedPodsOnSameNode`):
    /// 1. unassigned before assigned; 2. pending before running (the same in Berth);
    /// 3. not ready (container backing off) before ready; 4. pod-deletion-cost
    /// (always 0 in Berth); 5. more of the service's active pods on the same
    /// node first; 6. both ready: the more recently ready first, compared on
    /// the log₂ of the nanoseconds since (LogarithmicScaleDown, on by default);
    /// 7. more container restarts first; 8. newer first. Upstream breaks the
    /// last ties by pod UID (random); Berth by the higher task id (the later created).
    func rankedForDeletion(_ tasks: [Int32], at now: Int64) -> [Int32] {
        var onNode: [Int32: Int] = [:]
        for task in tasks { onNode[cluster.tasks[Int(task)].node, default: 0] += 1 }
        struct Key {
            var task: Int32
            var assigned: Bool
            var ready: Bool
            var rank: Int
            var readyMicros: Int64
            var restarts: Int
            var created: Int64
        }
        let keys = tasks.map { task -> Key in
            let record = cluster.tasks[Int(task)]
            let run = containerRuns.runs[task]
            let ready = record.state == .running && !availability.isDown(task)
            return Key(task: task, assigned: record.node >= 0, ready: ready, rank: onNode[record.node] ?? 0,
                       readyMicros: run?.startMicros ?? record.startMicros, restarts: run?.restarts ?? 0,
                       created: record.submitMicros)
        }
        func logRank(_ readyMicros: Int64) -> Int {
            let nanos = (now - readyMicros) * 1000
            return nanos > 0 ? Int(log2(Double(nanos))) : -1
        }
        let sorted = keys.sorted { a, b in
            if a.assigned != b.assigned { return !a.assigned }
            if a.ready != b.ready { return !a.ready }
            if a.rank != b.rank { return a.rank > b.rank }
            if a.ready && b.ready && a.readyMicros != b.readyMicros {
                let diff = logRank(a.readyMicros) - logRank(b.readyMicros)
                if diff != 0 { return diff < 0 }
                return a.task > b.task
            }
            if a.restarts != b.restarts { return a.restarts > b.restarts }
            if a.created != b.created { return a.created > b.created }
            return a.task > b.task
        }
        return sorted.map(\.task)
    }
}
