import BerthCluster
import BerthFailures
import BerthMetrics
import BerthSchedulers
import BerthSimulation

/// Node failures and outages (docs/failures.md): the simulator's hooks.
extension Simulator {
    /// Builds the injector from the scenario and queues each source's first failure.
    func startFailures() {
        guard !scenario.failures.isEmpty else { return }
        let injector = FailureInjector(model: scenario.failures, nodes: scenario.nodes, streams: RandomStreams(seed: seed))
        failureInjector = injector
        failureLog.prepare(nodeCount: cluster.nodes.count)
        for t in injector.firstTransitions() { schedule(.failure(source: t.source, down: t.down), at: t.micros) }
        startMaintenance()
    }

    /// A source went down or came back: nodes whose state changed are taken
    /// down (their tasks killed, cause `node_failure`) or brought back, and the
    /// source's next transition is queued.
    func handleFailure(source: Int32, down: Bool, at now: Int64) throws(RunError) {
        guard let injector = failureInjector else { return }
        let (changed, next) = injector.fire(FailureInjector.Transition(micros: now, source: source, down: down))
        if let next { schedule(.failure(source: next.source, down: next.down), at: next.micros) }
        guard !changed.isEmpty else { return }
        if injector.sources[Int(source)].effect == .partition {
            try partition(changed, at: now)
            return
        }
        var lost: [(task: Int32, node: Int32)] = []
        var back: [Int32] = []
        for (node, isDown) in changed {
            if isDown {
                lost += try takeDown(node, at: now).map { ($0, node) }
            } else {
                try bringUp(node, at: now)
                back.append(node)
            }
        }
        scheduler.resourcesFreed(in: cluster)
        (scheduler as? any NodeEventAware)?.nodeChanged(in: cluster)
        try releaseAwaiting(back, at: now)
        try recoverLost(lost, at: now)
        requestPass(at: now)
    }

    /// Kills every task running on `node` (in the order they were bound) and marks it down.
    func takeDown(_ node: Int32, cause: KillCause = .nodeFailure, at now: Int64) throws(RunError) -> [Int32] {
        let victims = cluster.tasksOnNode[Int(node)]
        for task in victims { try kill(task, cause: cause, at: now) }
        do { try cluster.setNode(node, down: true) } catch { throw .internalInconsistency("\(error)") }
        failureLog.nodeDown(node, cause: cause, in: cluster, at: now)
        return victims
    }

    /// Ends a running task as killed, logging why.
    func kill(_ task: Int32, cause: KillCause, at now: Int64) throws(RunError) {
        failureLog.killed(task, cause: cause, in: cluster, at: now, lostMicros: checkpointLoss(task, at: now))
        do { try cluster.end(task, as: .killed, at: now) } catch { throw .internalInconsistency("\(error)") }
    }

    /// A node came back: it is up again and the log says so.
    func bringUp(_ node: Int32, at now: Int64) throws(RunError) {
        do { try cluster.setNode(node, down: false) } catch { throw .internalInconsistency("\(error)") }
        failureLog.nodeUp(node, in: cluster, at: now)
    }
}
