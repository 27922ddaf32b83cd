import BerthCluster
import BerthSchedulers
import BerthSimulation
import BerthTestSupport
import Testing

/// Monolithic with decision time and Omega shared state (docs/architectures.md),
/// driven pass by pass: every expected time is worked out from
/// `t_job + t_task × tasks`, the retry delay and the abandonment rule.
@Suite struct DecisionTimeSchedulerTests {
    static let s: Int64 = 1_000_000

    final class Harness {
        let cluster: Cluster
        let scheduler: DecisionTimeScheduler
        let rng = RandomStreams(seed: 11).stream(.tieBreaks)
        var now: Int64 = 0
        init(_ nodes: [NodeBuilder], _ options: DecisionTimeOptions) {
            cluster = makeCluster(nodes)
            scheduler = DecisionTimeScheduler(options: options)
        }
        /// Submits a job of `tasks` identical tasks (workload, job) at `micros`.
        @discardableResult
        func job(_ workload: Int32, _ job: Int32, tasks: Int, cpu: String, service: Bool = false, at micros: Int64) -> [Int32] {
            (0..<tasks).map { _ in
                var b = TaskBuilder("w\(workload)-j\(job)").requests(cpu: cpu, memory: "1Gi")
                if !service { b = b.duration(seconds: 3600) }
                var spec = b.spec
                spec.workload = workload
                spec.job = job
                spec.shape = workload
                let id = cluster.submit(spec, at: micros)
                scheduler.enqueue(id, in: cluster)
                return id
            }
        }
        /// Runs passes at `micros` and at every wake-up up to `until`; returns (task, bind time) in bind order.
        @discardableResult
        func run(from micros: Int64, until: Int64) -> [(Int32, Int64)] {
            var bound: [(Int32, Int64)] = []
            var t: Int64? = micros
            while let at = t, at <= until {
                for id in scheduler.schedule(in: cluster, at: at, random: rng) { bound.append((id, at)) }
                t = scheduler.nextWakeup(after: at)?.micros
            }
            return bound
        }
        func counters(_ scheduler: String, _ cls: String) -> SchedulerCounters? {
            self.scheduler.schedulerCounters(until: Int64.max / 2).first { $0.scheduler == scheduler && $0.workloadClass == cls }
        }
    }

    static func options(_ kind: DecisionArchitecture, batch: (Int64, Int64) = (0, 0), service: (Int64, Int64) = (0, 0))
        -> DecisionTimeOptions {
        var o = DecisionTimeOptions(kind: kind)
        o.single = DecisionTime(tJobMicros: batch.0, tTaskMicros: batch.1)
        o.batch = o.single
        o.service = DecisionTime(tJobMicros: service.0, tTaskMicros: service.1)
        return o
    }

    /// Single-path: an idle scheduler binds a job of n tasks at
    /// t_submit + t_job + n × t_task; a second job submitted at the same time
    /// waits for the busy period: 10 s + (2 + 3 × 0.5) = 13.5 s, then
    /// 13.5 s + (2 + 2 × 0.5) = 16.5 s.
    @Test func decisionTimeArithmetic() {
        let h = Harness([NodeBuilder("n").capacity(cpu: "64", memory: "256Gi")],
                        Self.options(.singlePath, batch: (2 * Self.s, Self.s / 2)))
        let a = h.job(0, 0, tasks: 3, cpu: "1", at: 10 * Self.s)
        let b = h.job(0, 1, tasks: 2, cpu: "1", at: 10 * Self.s)
        #expect(h.scheduler.queuedCount == 5)
        let bound = h.run(from: 10 * Self.s, until: 100 * Self.s)
        #expect(h.scheduler.queuedCount == 0)
        #expect(bound.map(\.0) == a + b)
        #expect(bound.filter { a.contains($0.0) }.allSatisfy { $0.1 == 13_500_000 })
        #expect(bound.filter { b.contains($0.0) }.allSatisfy { $0.1 == 16_500_000 })
        #expect(a.allSatisfy { h.cluster.tasks[Int($0)].startMicros == 13_500_000 })
        let c = h.counters("monolithic", "batch")
        #expect(c?.busyMicros == 6_500_000 && c?.decisions == 2 && c?.jobsFullyScheduled == 2)
        #expect(c?.waitAllTasksMicros == [3_500_000, 6_500_000])
        #expect(c?.queueWaitFirstAttemptMicros == [0, 3_500_000])
    }

    /// Single-path charges the slow service decision time to batch jobs too;
    /// multi-path only to service jobs; under Omega a batch job does not even
    /// wait for the service scheduler. Service job (1 task) first, then a batch
    /// job (1 task), both at 0; batch (t_job 0.1 s), service (t_job 10 s), t_task 0.
    @Test func batchBehindService() {
        func batchBind(_ kind: DecisionArchitecture) -> Int64? {
            var o = Self.options(kind, batch: (Self.s / 10, 0), service: (10 * Self.s, 0))
            if kind == .singlePath { o.single = o.service }
            let h = Harness([NodeBuilder("n").capacity(cpu: "64", memory: "256Gi")], o)
            h.job(0, 0, tasks: 1, cpu: "1", service: true, at: 0)
            let batch = h.job(1, 0, tasks: 1, cpu: "1", at: 0)
            return h.run(from: 0, until: 100 * Self.s).first { $0.0 == batch[0] }?.1
        }
        #expect(batchBind(.singlePath) == 20 * Self.s)  // 10 s service + 10 s for itself
        #expect(batchBind(.multiPath) == 10 * Self.s + Self.s / 10)  // queued behind the service decision
        #expect(batchBind(.sharedState) == Self.s / 10)  // its own scheduler
    }

    /// Two Omega schedulers decide on the same (only) node. Batch (t_job 1 s)
    /// commits 1 task first; service (t_job 2 s) then commits a plan made on the
    /// snapshot at 0. With 1-cpu tasks on a 4-cpu node the service task still
    /// fits: sequence numbers conflict (the node changed), resource-fit does not.
    @Test(arguments: [ConflictMode.sequenceNumbers, .resourceFit]) func constructedRace(mode: ConflictMode) {
        var o = Self.options(.sharedState, batch: (Self.s, 0), service: (2 * Self.s, 0))
        o.conflictMode = mode
        let h = Harness([NodeBuilder("n").capacity(cpu: "4", memory: "16Gi")], o)
        let svc = h.job(0, 0, tasks: 1, cpu: "1", service: true, at: 0)
        _ = h.job(1, 0, tasks: 1, cpu: "1", at: 0)
        let bound = h.run(from: 0, until: 2 * Self.s)
        let service = h.counters("service", "service")
        if mode == .sequenceNumbers {
            #expect(!bound.contains { $0.0 == svc[0] })
            #expect(service?.transactionsConflicted == 1 && service?.tasksConflicted == 1 && service?.transactionsCommitted == 0)
            // Retried after 1 s on a new snapshot, decided for 2 s: bound at 2 + 1 + 2 = 5 s.
            let later = h.run(from: 3 * Self.s, until: 10 * Self.s)
            #expect(later.contains { $0.0 == svc[0] && $0.1 == 5 * Self.s })
            #expect(h.counters("service", "service")?.transactionsCommitted == 1)
        } else {
            #expect(bound.contains { $0.0 == svc[0] && $0.1 == 2 * Self.s })
            #expect(service?.transactionsConflicted == 0 && service?.transactionsCommitted == 1)
        }
        #expect(h.counters("batch", "batch")?.transactionsCommitted == 1)
    }

    /// Resource-fit conflicts when the task no longer fits: batch takes 2 of 4
    /// cpus first, the service task (3 cpus) planned on the old snapshot conflicts.
    @Test func resourceFitConflictWhenNoLongerFits() {
        var o = Self.options(.sharedState, batch: (Self.s, 0), service: (2 * Self.s, 0))
        o.conflictMode = .resourceFit
        let h = Harness([NodeBuilder("n").capacity(cpu: "4", memory: "16Gi")], o)
        let svc = h.job(0, 0, tasks: 1, cpu: "3", service: true, at: 0)
        _ = h.job(1, 0, tasks: 1, cpu: "2", at: 0)
        h.run(from: 0, until: 2 * Self.s)
        #expect(h.cluster.tasks[Int(svc[0])].state == .pending)
        #expect(h.counters("service", "service")?.tasksConflicted == 1)
    }

    /// A service job of 2 tasks (2 cpus each) on two 2-cpu nodes plans one per
    /// node; a batch task (2 cpus) commits first on one of them, so exactly one
    /// service claim conflicts. All-or-nothing commits none; incremental the other.
    @Test(arguments: [TransactionMode.allOrNothing, .incremental]) func gangVersusIncremental(mode: TransactionMode) {
        var o = Self.options(.sharedState, batch: (Self.s, 0), service: (2 * Self.s, 0))
        o.transactionMode = mode
        let h = Harness([NodeBuilder("a").capacity(cpu: "2", memory: "16Gi"), NodeBuilder("b").capacity(cpu: "2", memory: "16Gi")], o)
        let svc = h.job(0, 0, tasks: 2, cpu: "2", service: true, at: 0)
        _ = h.job(1, 0, tasks: 1, cpu: "2", at: 0)
        let bound = h.run(from: 0, until: 2 * Self.s)
        let committed = bound.filter { svc.contains($0.0) }.count
        let c = h.counters("service", "service")
        #expect(committed == (mode == .allOrNothing ? 0 : 1))
        #expect(c?.transactionsConflicted == 1 && c?.tasksConflicted == 1)
        #expect(c?.tasksCommitted == committed)
    }

    /// A task that fits nowhere: decisions end at 1, 3, 5 s (t_job 1 s, retry
    /// 1 s); with max_attempts_without_progress 2 the third (attempts > 2)
    /// abandons it, and it ends failed at 5 s.
    @Test func abandonmentWithoutProgress() {
        var o = Self.options(.singlePath, batch: (Self.s, 0))
        o.maxAttemptsWithoutProgress = 2
        let h = Harness([NodeBuilder("n").capacity(cpu: "4", memory: "16Gi")], o)
        let t = h.job(0, 0, tasks: 1, cpu: "100", at: 0)
        h.run(from: 0, until: 100 * Self.s)
        #expect(h.cluster.tasks[Int(t[0])].state == .failed && h.cluster.tasks[Int(t[0])].endMicros == 5 * Self.s)
        let c = h.counters("monolithic", "batch")
        #expect(c?.decisions == 3 && c?.noFitDecisions == 3 && c?.jobsAbandoned == 1 && c?.tasksAbandoned == 1)
        #expect(h.scheduler.nextWakeup(after: 5 * Self.s) == nil)
        #expect(h.scheduler.queuedCount == 0)
        #expect(h.cluster.count(.pending) == 0 && h.cluster.count(.failed) == 1)
    }

    /// A job that placed some tasks is abandoned only after more than
    /// `max_attempts` decisions: 2 tasks of 3 cpus, one 4-cpu node, max_attempts 2:
    /// the third decision (at 5 s) gives up on the second task.
    @Test func abandonmentAfterMaxAttempts() {
        var o = Self.options(.sharedState, batch: (Self.s, 0))
        o.maxAttempts = 2
        let h = Harness([NodeBuilder("n").capacity(cpu: "4", memory: "16Gi")], o)
        let t = h.job(0, 0, tasks: 2, cpu: "3", at: 0)
        let first = h.run(from: 0, until: 1 * Self.s)
        #expect(h.scheduler.queuedCount == 1, "one bound, one waiting for its retry")
        let bound = first + h.run(from: 2 * Self.s, until: 100 * Self.s)
        #expect(bound.count == 1 && bound[0].1 == Self.s)
        let states = t.map { h.cluster.tasks[Int($0)].state }
        #expect(states.filter { $0 == .running }.count == 1 && states.filter { $0 == .failed }.count == 1)
        #expect(t.contains { h.cluster.tasks[Int($0)].endMicros == 5 * Self.s })
        let c = h.counters("batch", "batch")
        #expect(c?.decisions == 3 && c?.jobsAbandoned == 1 && c?.tasksAbandoned == 1 && c?.waitFirstTaskMicros == [Self.s])
        #expect(c?.waitAllTasksMicros.isEmpty == true)
    }

    /// A node that goes down while a plan on it is being decided makes the
    /// claim conflict in either mode (it would still fit, and under resource-fit
    /// nothing else changed the node's resources).
    @Test(arguments: [ConflictMode.sequenceNumbers, .resourceFit]) func nodeDownDuringDecisionConflicts(mode: ConflictMode) throws {
        var o = Self.options(.sharedState, batch: (2 * Self.s, 0))
        o.conflictMode = mode
        let h = Harness([NodeBuilder("n").capacity(cpu: "4", memory: "16Gi")], o)
        let t = h.job(0, 0, tasks: 1, cpu: "1", at: 0)
        h.run(from: 0, until: Self.s)
        try h.cluster.setNode(0, down: true)
        h.run(from: 2 * Self.s, until: 2 * Self.s)
        #expect(h.cluster.tasks[Int(t[0])].state == .pending)
        #expect(h.counters("batch", "batch")?.tasksConflicted == 1)
        // Monolithic decides at the end on the live cluster: a down node is no candidate, nothing conflicts.
        let m = Harness([NodeBuilder("n").capacity(cpu: "4", memory: "16Gi")], Self.options(.singlePath, batch: (2 * Self.s, 0)))
        let u = m.job(0, 0, tasks: 1, cpu: "1", at: 0)
        m.run(from: 0, until: Self.s)
        try m.cluster.setNode(0, down: true)
        m.run(from: 2 * Self.s, until: 2 * Self.s)
        #expect(m.cluster.tasks[Int(u[0])].state == .pending)
        #expect(m.counters("monolithic", "batch")?.noFitDecisions == 1 && m.counters("monolithic", "batch")?.tasksConflicted == 0)
    }

    /// A job whose tasks were all killed while it waited is dropped without a decision.
    @Test func killedWhileQueuedIsDropped() throws {
        let h = Harness([NodeBuilder("n").capacity(cpu: "4", memory: "16Gi")], Self.options(.singlePath, batch: (Self.s, 0)))
        _ = h.job(0, 0, tasks: 1, cpu: "1", at: 0)
        let second = h.job(0, 1, tasks: 2, cpu: "1", at: 0)
        for t in second { try h.cluster.end(t, as: .killed, at: 0) }
        let bound = h.run(from: 0, until: 10 * Self.s)
        #expect(bound.count == 1 && bound[0].1 == Self.s)
        #expect(h.counters("monolithic", "batch")?.decisions == 1)
        #expect(h.scheduler.queuedCount == 0 && h.scheduler.nextWakeup(after: Self.s) == nil)
    }

    /// The commit operation by itself: under sequence numbers a transaction's
    /// own claims on one node do not conflict with each other.
    @Test func ownClaimsDoNotConflict() {
        let cluster = makeCluster([NodeBuilder("n").capacity(cpu: "4", memory: "16Gi")])
        let ids = (0..<2).map { _ in cluster.submit(TaskBuilder("t").requests(cpu: "1", memory: "1Gi").spec, at: 0) }
        let claims = ids.map { Claim(task: $0, node: 0, stamp: cluster.nodeStamp[0]) }
        let r = ClusterCommit.commit(claims, to: cluster, at: 0, conflictMode: .sequenceNumbers, transactionMode: .allOrNothing)
        #expect(r.committed == ids && r.conflicted.isEmpty)
    }
}
