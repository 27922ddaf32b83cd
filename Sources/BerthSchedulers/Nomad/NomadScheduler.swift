import BerthCluster
import BerthPlacement
import BerthSimulation

/// Nomad's evaluation and plan model (upstream `nomad/eval_broker.go`,
/// `nomad/worker.go`, `scheduler/generic_sched.go`, `nomad/plan_apply.go`):
///
/// - **Evaluations.** Submitting the tasks of a job creates one evaluation;
///   tasks of the same job arriving while it waits join it. The broker hands
///   out ready evaluations by job priority, then age, never two of one job at once.
/// - **Workers.** `workers` scheduler workers each take one evaluation and
///   plan all its allocations with the Nomad stack against the same snapshot
///   (the cluster as it is when the round starts): a worker sees its own
///   planned allocations, not the other workers'.
/// - **Plan applier.** Plans are applied one at a time in the order the
///   workers finish (worker order). Per node, if the node can no longer hold
///   all of the plan's allocations on it (another plan got there first), every
///   allocation of this plan on that node is rejected (upstream
///   `evaluateNodePlan`); the rest of the plan is committed (partial commit).
/// - **Retries.** An evaluation whose plan was partly rejected is planned again
///   for the rejected allocations on a fresh snapshot in the next round, up to
///   5 attempts for service and system jobs and 2 for batch jobs (upstream
///   `maxServiceScheduleAttempts`, `maxBatchScheduleAttempts`), the count reset
///   whenever a plan committed something (upstream `retryMax`); allocations
///   that fit nowhere wait as a **blocked evaluation** until resources are
///   freed; those still rejected after the last attempt (`max-plan-attempts`)
///   are also released by the leader's periodic `UnblockFailed`, every minute
///   (upstream `failedEvalUnblockInterval`, ticks taken at whole minutes of
///   simulated time).
///
/// Everything happens at one simulated instant (Berth models no scheduling
/// latency), so workers matter only through plan conflicts.
/// Simplified from upstream: no nack/redelivery timeouts, no follow-up
/// evaluation delay after max attempts (the blocked evaluation waits for freed
/// resources instead), no per-node plan verification in parallel.
public final class NomadScheduler: SchedulerArchitecture, EvictingScheduler, TimedScheduler {
    public let engine: NomadPlacement
    public let workers: Int
    public var name: String { "nomad-evaluations/\(engine.name)" }

    struct JobKey: Hashable {
        var workload: Int32
        var job: Int32
    }

    struct Evaluation {
        var key: JobKey
        var tasks: [Int32]
        var priority: Int32
        var sequence: UInt64
        var attempts = 0
        var batch: Bool
    }

    /// Ready evaluations ordered by (−priority, sequence).
    private struct Ready: Comparable {
        var negPriority: Int32
        var sequence: UInt64
        static func < (a: Ready, b: Ready) -> Bool { (a.negPriority, a.sequence) < (b.negPriority, b.sequence) }
    }

    private var ready = MinHeap<Ready>()
    private var evaluations: [UInt64: Evaluation] = [:]
    /// The ready (not yet dequeued) evaluation of each job, which new tasks of the job join.
    private var readyByJob: [JobKey: UInt64] = [:]
    private var blocked: [Evaluation] = []
    /// Blocked after the last plan attempt (upstream `EvalTriggerMaxPlans`).
    private var failedBlocked: [Evaluation] = []
    /// The last periodic `UnblockFailed` tick handled (minutes of simulated time).
    private var lastUnblockTick: Int64 = 0
    public static let failedEvalUnblockIntervalMicros: Int64 = 60_000_000
    private var nextSequence: UInt64 = 0
    public private(set) var queuedCount = 0
    /// Allocations rejected by the plan applier so far (optimistic-concurrency conflicts).
    public private(set) var rejectedAllocations = 0
    /// Plans applied so far.
    public private(set) var plansApplied = 0
    private var evicted: [Int32] = []

    public func drainEvictions() -> [Int32] {
        defer { evicted.removeAll() }
        return evicted
    }

    public static let maxServiceScheduleAttempts = 5
    public static let maxBatchScheduleAttempts = 2

    public init(engine: NomadPlacement, workers: Int) {
        self.engine = engine
        self.workers = max(1, workers)
    }

    public func enqueue(_ task: Int32, in cluster: Cluster) {
        let spec = cluster.tasks[Int(task)].spec
        let key = JobKey(workload: spec.workload, job: spec.job)
        queuedCount += 1
        if let seq = readyByJob[key] {
            evaluations[seq]?.tasks.append(task)
            return
        }
        let type = spec.nomad?.type ?? (spec.durationMicros == nil ? .service : .batch)
        let batch = type == .batch || type == .sysbatch
        push(Evaluation(key: key, tasks: [task], priority: spec.priority, sequence: nextSequence, batch: batch))
        nextSequence += 1
    }

    private func push(_ ev: Evaluation) {
        evaluations[ev.sequence] = ev
        readyByJob[ev.key] = ev.sequence
        ready.insert(Ready(negPriority: -ev.priority, sequence: ev.sequence))
    }

    /// Blocked evaluations become ready again (upstream `BlockedEvals.Unblock` on capacity changes).
    public func resourcesFreed(in cluster: Cluster) {
        let unblocked = blocked + failedBlocked
        blocked.removeAll(keepingCapacity: true)
        failedBlocked.removeAll(keepingCapacity: true)
        unblock(unblocked)
    }

    private func unblock(_ list: [Evaluation]) {
        for var ev in list {
            ev.attempts = 0
            if let seq = readyByJob[ev.key] {  // merge with a newer ready evaluation of the job
                evaluations[seq]?.tasks.insert(contentsOf: ev.tasks, at: 0)
            } else {
                push(ev)
            }
        }
    }

    /// A pass at the next whole minute while evaluations wait after max plan attempts.
    public func nextWakeup(after micros: Int64) -> (micros: Int64, live: Bool)? {
        guard !failedBlocked.isEmpty else { return nil }
        let interval = Self.failedEvalUnblockIntervalMicros
        return ((micros / interval + 1) * interval, true)
    }

    public func schedule(in cluster: Cluster, at micros: Int64, random: RandomStream) -> [Int32] {
        let tick = micros / Self.failedEvalUnblockIntervalMicros
        if tick > lastUnblockTick {  // the leader's periodic UnblockFailed
            lastUnblockTick = tick
            let failed = failedBlocked
            failedBlocked.removeAll(keepingCapacity: true)
            unblock(failed)
        }
        var bound: [Int32] = []
        while true {
            var batch = dequeueRound()
            if batch.isEmpty { break }
            for i in batch.indices {  // tasks that ended while queued leave the queue
                let live = batch[i].tasks.filter { cluster.tasks[Int($0)].state == .pending }
                queuedCount -= batch[i].tasks.count - live.count
                batch[i].tasks = live
            }
            let view = ClusterView(cluster)
            // Every worker plans against the same snapshot: nothing is committed while they plan.
            let plans = batch.map { ev in engine.planWithPreemption(ev.tasks, in: view, random: random) }
            for (ev, plan) in zip(batch, plans) {
                apply(ev, plan, cluster, at: micros, bound: &bound)
            }
        }
        return bound
    }

    /// Up to `workers` ready evaluations, at most one per job.
    private func dequeueRound() -> [Evaluation] {
        var round: [Evaluation] = []
        var deferred: [Ready] = []
        var jobs = Set<JobKey>()
        while round.count < workers, let next = ready.popMin() {
            guard let ev = evaluations[next.sequence] else { continue }
            if jobs.contains(ev.key) {
                deferred.append(next)
                continue
            }
            jobs.insert(ev.key)
            evaluations[next.sequence] = nil
            if readyByJob[ev.key] == ev.sequence { readyByJob[ev.key] = nil }
            round.append(ev)
        }
        for d in deferred { ready.insert(d) }
        return round
    }

    /// The plan applier: per node, once the plan's preemptions there are taken
    /// out, all of this plan's allocations there fit or none is committed.
    private func apply(_ ev: Evaluation, _ plan: [NomadPlacement.Placement?], _ cluster: Cluster, at micros: Int64,
                       bound: inout [Int32]) {
        let tasks = ev.tasks
        plansApplied += 1
        var perNode: [Int32: [Int32]] = [:]
        var victimsOn: [Int32: [Int32]] = [:]
        var nodeOrder: [Int32] = []
        var unplaced: [Int32] = []
        for (task, placement) in zip(tasks, plan) {
            cluster.recordAttempt(task)
            guard let placement else { unplaced.append(task); continue }
            if perNode[placement.node] == nil { nodeOrder.append(placement.node) }
            perNode[placement.node, default: []].append(task)
            victimsOn[placement.node, default: []] += placement.preempted
        }
        var rejected: [Int32] = []
        var committed = 0
        for node in nodeOrder {
            let tasksOnNode = perNode[node] ?? []
            // Victims another plan already evicted free nothing more.
            let victims = (victimsOn[node] ?? []).filter { cluster.tasks[Int($0)].state == .running && cluster.tasks[Int($0)].node == node }
            guard fitsTogether(tasksOnNode, on: node, freeing: victims, cluster) else {
                rejected += tasksOnNode
                continue
            }
            for v in victims where (try? cluster.end(v, as: .killed, at: micros)) != nil { evicted.append(v) }
            for t in tasksOnNode where (try? cluster.bind(t, to: node, at: micros)) != nil {
                bound.append(t)
                queuedCount -= 1
                committed += 1
            }
        }
        rejectedAllocations += rejected.count
        var retry = ev
        // Upstream `retryMax`: attempts reset whenever a plan made progress.
        retry.attempts = committed > 0 ? 0 : ev.attempts + 1
        let maxAttempts = ev.batch ? Self.maxBatchScheduleAttempts : Self.maxServiceScheduleAttempts
        if !rejected.isEmpty && retry.attempts < maxAttempts {
            // Partial plan: the rejected allocations are planned again on a fresh snapshot.
            // The worker retries at once (upstream: within `Process`), so the retry keeps its place in the queue.
            retry.tasks = rejected + unplaced
            if let seq = readyByJob[ev.key] {
                evaluations[seq]?.tasks.insert(contentsOf: retry.tasks, at: 0)
            } else {
                push(retry)
            }
        } else if !rejected.isEmpty {
            retry.tasks = rejected + unplaced
            failedBlocked.append(retry)
        } else if !unplaced.isEmpty {
            retry.tasks = unplaced
            blocked.append(retry)
        }
    }

    private func fitsTogether(_ tasks: [Int32], on node: Int32, freeing victims: [Int32], _ cluster: Cluster) -> Bool {
        let width = cluster.catalog.count
        var total = [Int64](repeating: 0, count: width)
        for t in tasks {
            let requests = cluster.tasks[Int(t)].spec.requests
            for r in 0..<width { total[r] += requests[r] }
        }
        for v in victims {
            let requests = cluster.tasks[Int(v)].spec.requests
            for r in 0..<width { total[r] -= requests[r] }
        }
        return cluster.fits(total, on: Int(node))
    }
}
