import BerthCluster
import BerthSimulation

/// Schedulers that take time to decide (docs/architectures.md), after the
/// Omega paper (Schwarzkopf et al., EuroSys 2013, §4) and its simulator
/// (google/cluster-scheduler-simulator):
///
/// - **single-path / multi-path monolithic**: one scheduler, one FIFO queue of
///   jobs. Deciding a job takes `t_job + t_task × tasks` (one decision time
///   for every job, or one per workload class); while busy the scheduler starts
///   nothing else. At the end of the busy period it places the job's tasks on
///   the cluster as it is then and commits them.
/// - **shared state (Omega)**: one scheduler per workload class, each with its
///   own queue. A decision starts from a snapshot of the cluster, is planned on
///   it, and at the end of the decision time the plan is committed as a
///   transaction (``ClusterCommit``), which conflicts per `conflict_mode` and
///   `transaction_mode`.
///
/// A *job* is the tasks of one workload submission (same workload and job
/// number, submitted at the same instant): a batch job's tasks, or a service's
/// replicas — the unit the Mesos frameworks' `t_job + t_task × tasks` also
/// charges per decision. A job not fully scheduled goes back to the end of its
/// queue after `retry_delay`; after more than `max_attempts` decisions (or
/// `max_attempts_without_progress` with no task placed) it is abandoned and its
/// unbound tasks end as `failed`.
///
/// Placement is the simulator's randomized first fit (stream `architecture/placement`):
/// pick a random candidate node; if the task fits, claim it there, else drop
/// the node from the candidates. Candidates are the nodes the task may run on
/// (node selector, taints, not cordoned or down); pod affinity, spread and
/// host ports are not considered.
public final class DecisionTimeScheduler: SchedulerArchitecture, TimedScheduler, SchedulerReporting {
    public let options: DecisionTimeOptions
    public var name: String {
        switch options.kind {
        case .singlePath: "monolithic"
        case .multiPath: "monolithic-multipath"
        case .sharedState: "omega"
        }
    }

    struct Job {
        var key: Int64
        var submitMicros: Int64
        var cls: WorkloadClass
        var agent: Int
        var tasks: [Int32]
        var attempts = 0
        var placedAny = false
        /// Tasks of this job bound so far.
        var bound = 0
        var started = false
        var done = false
    }

    struct Decision {
        var job: Int
        var start: Int64
        var end: Int64
        /// Shared state: the plan made on the snapshot at `start`.
        var plan: [Claim]
    }

    final class Agent {
        let name: String
        var queue: [Int] = []
        var head = 0
        var current: Decision?
        var counters: [WorkloadClass: SchedulerCounters]
        let classes: [WorkloadClass]
        init(name: String, classes: [WorkloadClass]) {
            self.name = name
            self.classes = classes
            counters = Dictionary(uniqueKeysWithValues: classes.map { ($0, SchedulerCounters(scheduler: name, workloadClass: $0.rawValue)) })
        }
        var hasQueued: Bool { head < queue.count }
        func pop() -> Int? {
            guard hasQueued else { return nil }
            let j = queue[head]
            head += 1
            if head > 1024 && head * 2 > queue.count { queue.removeFirst(head); head = 0 }
            return j
        }
    }

    private var jobs: [Job] = []
    /// Jobs still gathering tasks: key → job, while not started and of the same submission instant.
    private var openJob: [Int64: Int] = [:]
    private let agents: [Agent]
    /// Jobs waiting for their retry: (due, job), kept sorted.
    private var retries: [(at: Int64, job: Int)] = []
    private var placement: RandomStream?

    public init(options: DecisionTimeOptions) {
        self.options = options
        switch options.kind {
        case .singlePath, .multiPath:
            agents = [Agent(name: "monolithic", classes: [.batch, .service])]
        case .sharedState:
            agents = [Agent(name: "batch", classes: [.batch]), Agent(name: "service", classes: [.service])]
        }
    }

    /// Tasks of jobs waiting, being decided or waiting for a retry, not bound
    /// yet (a task killed meanwhile counts until its job is next looked at).
    public private(set) var queuedCount = 0

    private func markDone(_ j: Int) {
        guard !jobs[j].done else { return }
        jobs[j].done = true
        queuedCount -= jobs[j].tasks.count - jobs[j].bound
    }

    static func workloadClass(_ spec: TaskSpec) -> WorkloadClass { spec.durationMicros == nil ? .service : .batch }

    // MARK: SchedulerArchitecture

    public func enqueue(_ task: Int32, in cluster: Cluster) {
        let record = cluster.tasks[Int(task)]
        let key = Int64(record.spec.workload) << 32 | Int64(UInt32(bitPattern: record.spec.job))
        queuedCount += 1
        if let j = openJob[key], !jobs[j].started, jobs[j].submitMicros == record.submitMicros {
            jobs[j].tasks.append(task)
            return
        }
        let cls = Self.workloadClass(record.spec)
        let agent = options.kind == .sharedState ? (cls == .batch ? 0 : 1) : 0
        jobs.append(Job(key: key, submitMicros: record.submitMicros, cls: cls, agent: agent, tasks: [task]))
        let j = jobs.count - 1
        openJob[key] = j
        agents[agent].queue.append(j)
        agents[agent].counters[cls]?.jobsSubmitted += 1
    }

    public func resourcesFreed(in cluster: Cluster) {}

    public func schedule(in cluster: Cluster, at micros: Int64, random: RandomStream) -> [Int32] {
        if placement == nil {
            placement = RandomStream(name: "architecture/placement",
                                     seed: RandomStreams.derive(seed: random.seed, name: "architecture/placement"))
        }
        var bound: [Int32] = []
        var changed = true
        while changed {
            changed = false
            // 1. Decisions that end now commit, in scheduler order.
            for a in agents.indices {
                if let d = agents[a].current, d.end <= micros {
                    agents[a].current = nil
                    finish(d, agent: a, cluster: cluster, at: micros, bound: &bound)
                    changed = true
                }
            }
            // 2. Jobs whose retry delay is over go back to the end of their queue.
            while let first = retries.first, first.at <= micros {
                retries.removeFirst()
                agents[jobs[first.job].agent].queue.append(first.job)
                changed = true
            }
            // 3. Idle schedulers start their next job.
            for a in agents.indices where agents[a].current == nil {
                while agents[a].current == nil, let j = agents[a].pop() {
                    if start(j, agent: a, cluster: cluster, at: micros) { changed = true }
                }
            }
        }
        return bound
    }

    public func nextWakeup(after micros: Int64) -> (micros: Int64, live: Bool)? {
        var best: Int64? = nil
        for agent in agents { if let d = agent.current, d.end > micros { best = min(best ?? .max, d.end) } }
        if let r = retries.first(where: { $0.at > micros }) { best = min(best ?? .max, r.at) }
        return best.map { ($0, true) }
    }

    // MARK: Decisions

    private func pendingTasks(_ j: Int, _ cluster: Cluster) -> [Int32] {
        jobs[j].tasks.filter { cluster.tasks[Int($0)].state == .pending }
    }

    /// Starts deciding job `j`; false when the job has nothing left to place (dropped).
    private func start(_ j: Int, agent a: Int, cluster: Cluster, at now: Int64) -> Bool {
        if openJob[jobs[j].key] == j { openJob[jobs[j].key] = nil }
        jobs[j].started = true
        let pending = pendingTasks(j, cluster)
        guard !pending.isEmpty else {  // every task ended (killed) while queued
            markDone(j)
            return false
        }
        let cls = jobs[j].cls
        if jobs[j].attempts == 0 { agents[a].counters[cls]?.queueWaitFirstAttemptMicros.append(now - jobs[j].submitMicros) }
        let duration = max(0, options.decisionTime(cls).micros(tasks: pending.count))
        // Shared state: the plan is made on the snapshot taken now (nobody else
        // commits in between, so planning now on the live cluster is planning on it).
        let plan = options.kind == .sharedState ? place(pending, cluster) : []
        agents[a].current = Decision(job: j, start: now, end: now + duration, plan: plan)
        return true
    }

    private func finish(_ d: Decision, agent a: Int, cluster: Cluster, at now: Int64, bound: inout [Int32]) {
        let j = d.job
        let cls = jobs[j].cls
        jobs[j].attempts += 1
        for t in pendingTasks(j, cluster) { cluster.recordAttempt(t) }
        // Monolithic: decided on the cluster as it is at the end of the busy period; never conflicts.
        let plan = options.kind == .sharedState ? d.plan : place(pendingTasks(j, cluster), cluster)
        let result = options.kind == .sharedState
            ? ClusterCommit.commit(plan, to: cluster, at: now, conflictMode: options.conflictMode, transactionMode: options.transactionMode)
            : ClusterCommit.commit(plan, to: cluster, at: now, conflictMode: .resourceFit, transactionMode: .incremental)
        var c = agents[a].counters[cls] ?? SchedulerCounters(scheduler: agents[a].name, workloadClass: cls.rawValue)
        c.decisions += 1
        c.busyMicros += d.end - d.start
        if plan.isEmpty {
            c.noFitDecisions += 1
        } else if result.conflicted.isEmpty {
            c.transactionsCommitted += 1
        } else {
            c.transactionsConflicted += 1
        }
        c.tasksCommitted += result.committed.count
        c.tasksConflicted += result.conflicted.count
        if !result.committed.isEmpty {
            if !jobs[j].placedAny { c.waitFirstTaskMicros.append(now - jobs[j].submitMicros) }
            jobs[j].placedAny = true
            jobs[j].bound += result.committed.count
            queuedCount -= result.committed.count
            bound.append(contentsOf: result.committed)
        }
        let remaining = pendingTasks(j, cluster)
        if remaining.isEmpty {
            markDone(j)
            // A job some of whose tasks were killed while queued counts as scheduled when the rest are.
            if jobs[j].placedAny {
                c.jobsFullyScheduled += 1
                c.waitAllTasksMicros.append(now - jobs[j].submitMicros)
            }
        } else if (jobs[j].attempts > options.maxAttemptsWithoutProgress && !jobs[j].placedAny) || jobs[j].attempts > options.maxAttempts {
            markDone(j)
            c.jobsAbandoned += 1
            c.tasksAbandoned += remaining.count
            for t in remaining { try? cluster.end(t, as: .failed, at: now) }  // pending → failed; cannot throw for a pending task
        } else {
            let due = now + max(0, options.retryDelayMicros)
            let i = retries.firstIndex { ($0.at, $0.job) > (due, j) } ?? retries.count
            retries.insert((due, j), at: i)
        }
        agents[a].counters[cls] = c
    }

    /// Randomized first fit (the Omega simulator's `scheduleJob`): per task, a
    /// random candidate node; if the task fits there (after this plan's earlier
    /// claims) it is claimed, else the node leaves the candidates. Tasks of one
    /// shape share their candidate pool, as the simulator's job does.
    func place(_ tasks: [Int32], _ cluster: Cluster) -> [Claim] {
        guard let rng = placement, !tasks.isEmpty else { return [] }
        let view = ClusterView(cluster)
        let r = cluster.resourceCount
        var taken: [Int32: [Int64]] = [:]
        var pools: [Int64: [Int32]] = [:]
        var claims: [Claim] = []
        for task in tasks {
            let spec = cluster.tasks[Int(task)].spec
            let key = spec.shape >= 0 ? Int64(spec.shape) : -1 - Int64(task)
            var pool = pools[key] ?? (0..<cluster.nodes.count).compactMap { n in
                !view.isUnschedulable(n) && spec.isAllowed(on: cluster.nodes[n]) ? Int32(n) : nil
            }
            while !pool.isEmpty {
                let i = rng.index(below: pool.count)
                let node = pool[i]
                let used = taken[node]
                let fits = (0..<r).allSatisfy { spec.requests[$0] + (used?[$0] ?? 0) <= cluster.free(Int(node), $0) }
                if fits {
                    var t = used ?? Array(repeating: 0, count: r)
                    for k in 0..<r { t[k] += spec.requests[k] }
                    taken[node] = t
                    claims.append(Claim(task: task, node: node, stamp: cluster.nodeStamp[Int(node)]))
                    break
                }
                pool.swapAt(i, pool.count - 1)
                pool.removeLast()
            }
            pools[key] = pool
        }
        return claims
    }

    // MARK: Reporting

    public func schedulerCounters(until endMicros: Int64) -> [SchedulerCounters] {
        var rows: [SchedulerCounters] = []
        for agent in agents {
            for cls in agent.classes {
                guard var c = agent.counters[cls] else { continue }
                if let d = agent.current, jobs[d.job].cls == cls, d.start < endMicros {
                    c.busyMicros += min(endMicros, d.end) - d.start
                }
                rows.append(c)
            }
        }
        return rows
    }
}
