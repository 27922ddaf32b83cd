import BerthCluster
import BerthPlacement
import BerthSimulation

/// kube-scheduler's scheduling queue and cycle (v1.28 `PriorityQueue`):
///
/// - **activeQ** ordered by `PrioritySort`: priority (higher first), then the
///   time the pod was added to the queue, then submission order;
/// - **backoffQ**: a pod that failed waits `initial · 2^(attempts−1)`, capped
///   at the maximum (`podInitialBackoffSeconds` 1 s, `podMaxBackoffSeconds`
///   10 s by default), from its last attempt; the queue is flushed into activeQ every
///   second (so a pod leaves backoff at the first whole second ≥ its expiry);
/// - **unschedulablePods**: failed pods are parked here and moved back (to
///   backoffQ if still backing off, else activeQ) by a cluster event that one
///   of the plugins that rejected them registered for (``ClusterEvent``), or by
///   the flush that runs every 30 s and moves pods parked for ≥ 5 minutes.
///
/// One queue serves every profile: each pod runs through the framework of the
/// profile its `schedulerName` names (upstream `Scheduler.Profiles`,
/// `frameworkForPod`); a pod naming no profile is ignored and stays pending
/// (upstream: the scheduler's informer filter `responsibleForPod` drops it).
/// A task without pod details (a plain Berth workload) goes to the first profile.
/// The rotating start index is the scheduler's, shared by every profile
/// (upstream `Scheduler.nextStartNodeIndex`).
///
/// Each pod is tried individually, in queue order, at zero decision time.
/// Upstream: pkg/scheduler/internal/queue/scheduling_queue.go,
/// pkg/scheduler/schedule_one.go. A pod that preempted is *nominated* to the
/// node it made room on: it tries that node first, and pods of lower or equal
/// priority see the room as taken (upstream `PodNominator`). Berth
/// simplifies: no QueueingHints (v1.28 has them behind a gate, off).
public final class KubernetesScheduler: SchedulerArchitecture, TimedScheduler, EvictingScheduler, NodeEventAware, DisruptionBudgetAware {
    public static let initialBackoffMicros: Int64 = 1_000_000
    public static let maxBackoffMicros: Int64 = 10_000_000
    public static let maxUnschedulableMicros: Int64 = 300_000_000
    public static let unschedulableFlushMicros: Int64 = 30_000_000
    public static let backoffFlushMicros: Int64 = 1_000_000

    /// One framework per profile, the first being the default.
    public let frameworks: [KubernetesFramework]
    /// The first profile's framework.
    public var framework: KubernetesFramework { frameworks[0] }
    public var name: String { "kubernetes/\(framework.name)" }
    /// Profile index by `schedulerName`.
    private let profileIndex: [String: Int]
    /// Backoff bounds (`podInitialBackoffSeconds`, `podMaxBackoffSeconds`).
    public let podInitialBackoffMicros: Int64
    public let podMaxBackoffMicros: Int64
    /// Upstream `Scheduler.nextStartNodeIndex`, shared by the profiles.
    private var nextStartNodeIndex = 0
    /// Pods whose `schedulerName` names no profile: never queued.
    public private(set) var ignoredPods = 0

    struct PodState {
        var attempts: Int = 0
        /// When the pod was (re)added to the queue: PrioritySort's tie-break.
        var timestamp: Int64
        /// Last failed attempt (backoff counts from here).
        var lastFailure: Int64 = -1
        var parkedSince: Int64 = -1
        var rejectedBy: Set<String> = []
        /// Index of the pod's profile.
        var profile: Int
    }

    struct ActiveKey: Comparable {
        var negPriority: Int32
        var timestamp: Int64
        var task: Int32
        static func < (a: ActiveKey, b: ActiveKey) -> Bool {
            (a.negPriority, a.timestamp, a.task) < (b.negPriority, b.timestamp, b.task)
        }
    }

    struct BackoffKey: Comparable {
        var expiry: Int64
        var task: Int32
        static func < (a: BackoffKey, b: BackoffKey) -> Bool { (a.expiry, a.task) < (b.expiry, b.task) }
    }

    private var pods: [Int32: PodState] = [:]
    private var active = MinHeap<ActiveKey>()
    private var backoff = MinHeap<BackoffKey>()
    /// Parked pods in the order they were parked.
    private var unschedulable: [Int32] = []
    private var pendingEvents: Set<ClusterEvent> = []
    /// Shapes whose pod found no feasible node at a cluster version. A twin
    /// (same shape: identical spec) on the same version would fail identically,
    /// and a cycle without feasible nodes has no side effects (the start index
    /// advances by all n nodes, no random draw), so the cycle is skipped.
    private var noFitAtVersion: [Int32: (version: UInt64, rejectedBy: Set<String>)] = [:]
    public var queuedCount: Int { pods.count }
    /// DefaultPreemption (PostFilter) per profile; nil when the profile disables it.
    public let preemptions: [DefaultPreemption?]
    public var preemption: DefaultPreemption? { preemptions[0] }
    private var evicted: [Int32] = []
    /// Pending pods nominated to a node by their preemption (upstream
    /// `pod.Status.NominatedNodeName`, kept by the queue's `PodNominator`).
    private var nominated: [Int32: Int] = [:]
    /// Victims still terminating (graceful evictions), by the node they are on.
    private var terminatingVictims: [Int32: Int] = [:]
    /// With `true`, preemption victims are not ended here: ``drainEvictions()``
    /// hands them over still running, and the harness deletes them with their
    /// grace period (upstream: the victims are deleted through the API and
    /// terminate gracefully). The simulator sets it; a bare scheduler ends them at once.
    public var gracefulEvictions = false
    /// The node `task` is nominated to, if any.
    public func nominatedNode(of task: Int32) -> Int? { nominated[task] }
    /// Preemption counters for the reports.
    public private(set) var preemptionCount = 0
    public private(set) var victims = 0

    public convenience init(framework: KubernetesFramework, preemption: DefaultPreemption? = DefaultPreemption()) {
        self.init(profiles: [(framework, preemption)])
    }

    /// - Parameter profiles: one framework per profile (distinct names, the
    ///   first is the default) with its PostFilter.
    public init(profiles: [(framework: KubernetesFramework, preemption: DefaultPreemption?)],
                podInitialBackoffSeconds: Int64 = 1, podMaxBackoffSeconds: Int64 = 10) {
        precondition(!profiles.isEmpty, "a kube-scheduler needs a profile") // trap-ok: programming error, the loader builds at least one
        frameworks = profiles.map(\.framework)
        preemptions = profiles.map(\.preemption)
        var index: [String: Int] = [:]
        for (i, p) in profiles.enumerated() where index[p.framework.name] == nil { index[p.framework.name] = i }
        profileIndex = index
        podInitialBackoffMicros = podInitialBackoffSeconds * 1_000_000
        podMaxBackoffMicros = podMaxBackoffSeconds * 1_000_000
    }

    /// The PodDisruptionBudgets DefaultPreemption respects (``DisruptionBudgetAware``); nil: none.
    public private(set) var disruptionBudgets: (any DisruptionBudgetLister)?

    public func useDisruptionBudgets(_ budgets: any DisruptionBudgetLister) { disruptionBudgets = budgets }

    public func drainEvictions() -> [Int32] {
        defer { evicted.removeAll() }
        return evicted
    }

    /// PostFilter: evict the chosen victims and send the pod straight back to
    /// activeQ, nominated to the node (upstream nominates the node and requeues
    /// the pod; its victims' deletion events make it schedulable). Returns the
    /// node when something was evicted.
    /// - Parameter reservations: the cycle's nominated pods per node (see ``reservations(for:priority:in:)``).
    private func preempt(_ task: Int32, _ spec: TaskSpec, profile: Int, reservations: [Int: [Int32]], in cluster: Cluster,
                         at micros: Int64, random: RandomStream) -> Int? {
        guard let preemption = preemptions[profile],
              let candidate = preemption.findCandidate(for: PodInfo(id: task, spec: spec), in: ClusterView(cluster),
                                                       profile: frameworks[profile].profile, random: random,
                                                       budgets: disruptionBudgets, reservations: reservations),
              !candidate.victims.isEmpty else { return nil }
        for victim in candidate.victims {
            if gracefulEvictions {
                guard cluster.tasks[Int(victim)].state == .running, terminatingVictims[victim] == nil else { continue }
                terminatingVictims[victim] = candidate.node
            } else {
                guard (try? cluster.end(victim, as: .killed, at: micros)) != nil else { continue }
            }
            evicted.append(victim)
            victims += 1
        }
        preemptionCount += 1
        pendingEvents.insert(.assignedPodDelete)
        return candidate.node
    }

    /// Upstream `calculateBackoffDuration`.
    public static func backoffMicros(attempts: Int, initial: Int64 = initialBackoffMicros, max: Int64 = maxBackoffMicros) -> Int64 {
        var d = initial
        var i = 1
        while i < attempts {
            if d > max - d { return max }
            d += d
            i += 1
        }
        return d
    }

    public func enqueue(_ task: Int32, in cluster: Cluster) {
        let record = cluster.tasks[Int(task)]
        // A task written without pod details (a plain workload) goes to the first profile.
        let profile: Int? = if let pod = record.spec.pod { profileIndex[pod.schedulerName] } else { 0 }
        guard let profile else {
            ignoredPods += 1
            return
        }
        pods[task] = PodState(timestamp: record.submitMicros, profile: profile)
        active.insert(ActiveKey(negPriority: -record.spec.priority, timestamp: record.submitMicros, task: task))
    }

    public func resourcesFreed(in cluster: Cluster) { pendingEvents.insert(.assignedPodDelete) }

    /// A node went down or came back (``NodeEventAware``): upstream a `Node`
    /// update (the unreachable taint added or removed), which moves pods parked by node filters.
    public func nodeChanged(in cluster: Cluster) { pendingEvents.insert(.nodeChange) }

    public func schedule(in cluster: Cluster, at micros: Int64, random: RandomStream) -> [Int32] {
        flushBackoff(at: micros, in: cluster)
        flushUnschedulable(at: micros, in: cluster)
        applyEvents(at: micros, in: cluster)
        var bound: [Int32] = []
        let view = ClusterView(cluster)
        while let next = active.popMin() {
            let task = next.task
            guard var state = pods[task], cluster.tasks[Int(task)].state == .pending else {
                pods[task] = nil
                nominated[task] = nil
                continue
            }
            cluster.recordAttempt(task)
            state.attempts += 1
            let spec = cluster.tasks[Int(task)].spec
            // The no-fit shortcut holds only while no nomination reserves room.
            if nominated.isEmpty, spec.shape >= 0, let known = noFitAtVersion[spec.shape], known.version == cluster.version {
                park(task, &state, rejectedBy: known.rejectedBy, at: micros)
                continue
            }
            let framework = frameworks[state.profile]
            framework.nextStartNodeIndex = nextStartNodeIndex
            let reservations = nominated.isEmpty ? [:] : reservations(for: task, priority: spec.priority, in: cluster)
            let result = framework.schedule(PodInfo(id: task, spec: spec), in: view, random: random,
                                            nominatedNode: nominated[task], reservations: reservations)
            nextStartNodeIndex = framework.nextStartNodeIndex
            if nominated.isEmpty && result.selected == nil && result.feasibleNodes == 0 && spec.shape >= 0 {
                noFitAtVersion[spec.shape] = (cluster.version, result.rejectingPlugins)
            }
            if let node = result.selected, (try? cluster.bind(task, to: Int32(node), at: micros)) != nil {
                pods[task] = nil
                nominated[task] = nil
                bound.append(task)
                pendingEvents.insert(.assignedPodAdd)
                applyEvents(at: micros, in: cluster)
                continue
            }
            // Upstream PodEligibleToPreemptOthers: a pod with preemptionPolicy
            // Never does not preempt (PostFilter returns Unschedulable, no
            // nomination change); a pod whose nominated node still has a
            // lower-priority victim terminating waits for it, keeping its nomination.
            if result.preemptionMightHelp, spec.preemptionPolicy == .never
                || !eligibleToPreempt(task, priority: spec.priority, nominatedNodeUnresolvable: result.nominatedNodeUnresolvable,
                                      in: cluster) {
                park(task, &state, rejectedBy: result.rejectingPlugins, at: micros)
                continue
            }
            if result.preemptionMightHelp, let node = preempt(task, spec, profile: state.profile, reservations: reservations,
                                                                      in: cluster, at: micros, random: random) {
                // Upstream prepareCandidate: lower-priority pods nominated to the node lose their nomination.
                for (other, n) in nominated where n == node && cluster.tasks[Int(other)].spec.priority < spec.priority {
                    nominated[other] = nil
                }
                nominated[task] = node
                pods[task] = state
                active.insert(ActiveKey(negPriority: -spec.priority, timestamp: micros, task: task))
                continue
            }
            // Upstream: a failed PostFilter clears the nomination (clearNominatedNode).
            nominated[task] = nil
            park(task, &state, rejectedBy: result.rejectingPlugins, at: micros)
        }
        return bound
    }

    /// False while `task`'s nominated node holds a victim of lower priority
    /// that is still terminating (upstream `PodEligibleToPreemptOthers`),
    /// unless this cycle's filters found the nominated node
    /// `UnschedulableAndUnresolvable` (cordoned, tainted, …): then waiting for
    /// it is pointless and the pod may preempt elsewhere.
    private func eligibleToPreempt(_ task: Int32, priority: Int32, nominatedNodeUnresolvable: Bool, in cluster: Cluster) -> Bool {
        guard let node = nominated[task], !terminatingVictims.isEmpty, !nominatedNodeUnresolvable else { return true }
        var eligible = true  // order-independent: no need to sort
        for (victim, n) in terminatingVictims {
            let record = cluster.tasks[Int(victim)]
            guard record.state == .running else {
                terminatingVictims[victim] = nil
                continue
            }
            if n == node && record.spec.priority < priority { eligible = false }
        }
        return eligible
    }

    /// Per node, the pending pods nominated there with priority ≥ `priority`
    /// (other than `task`): the room a cycle for `task` must leave them
    /// (upstream `addNominatedPods`). Drops nominations of pods no longer pending.
    private func reservations(for task: Int32, priority: Int32, in cluster: Cluster) -> [Int: [Int32]] {
        var out: [Int: [Int32]] = [:]
        for (other, node) in nominated.sorted(by: { $0.key < $1.key }) where other != task {
            let record = cluster.tasks[Int(other)]
            guard record.state == .pending else {
                nominated[other] = nil
                continue
            }
            if record.spec.priority >= priority { out[node, default: []].append(other) }
        }
        return out
    }

    private func park(_ task: Int32, _ state: inout PodState, rejectedBy: Set<String>, at micros: Int64) {
        state.lastFailure = micros
        state.parkedSince = micros
        state.rejectedBy = rejectedBy
        pods[task] = state
        unschedulable.append(task)
    }

    /// Moves parked pods whose rejecting plugins care about the pending events.
    private func applyEvents(at micros: Int64, in cluster: Cluster) {
        guard !pendingEvents.isEmpty, !unschedulable.isEmpty else {
            pendingEvents.removeAll()
            return
        }
        let events = pendingEvents
        pendingEvents.removeAll()
        unschedulable.removeAll { task in
            guard let state = pods[task] else { return true }
            let interested = state.rejectedBy.isEmpty
                || state.rejectedBy.contains { !ClusterEvent.interested(in: $0).isDisjoint(with: events) }
            if interested { requeue(task, at: micros, in: cluster) }
            return interested
        }
    }

    /// Upstream `flushBackoffQCompleted` (every second).
    private func flushBackoff(at micros: Int64, in cluster: Cluster) {
        while let head = backoff.min, Self.tick(head.expiry, Self.backoffFlushMicros) <= micros {
            _ = backoff.popMin()
            activate(head.task, at: micros, in: cluster)
        }
    }

    /// Upstream `flushUnschedulablePodsLeftover` (every 30 s, pods parked ≥ 5 min).
    private func flushUnschedulable(at micros: Int64, in cluster: Cluster) {
        unschedulable.removeAll { task in
            guard let state = pods[task] else { return true }
            let due = Self.tick(state.parkedSince + Self.maxUnschedulableMicros, Self.unschedulableFlushMicros) <= micros
            if due { requeue(task, at: micros, in: cluster) }
            return due
        }
    }

    /// To backoffQ if the pod is still backing off, else to activeQ.
    private func requeue(_ task: Int32, at micros: Int64, in cluster: Cluster) {
        guard let state = pods[task] else { return }
        let expiry = state.lastFailure + Self.backoffMicros(attempts: state.attempts, initial: podInitialBackoffMicros,
                                                            max: podMaxBackoffMicros)
        if expiry > micros {
            backoff.insert(BackoffKey(expiry: expiry, task: task))
        } else {
            activate(task, at: micros, in: cluster)
        }
    }

    private func activate(_ task: Int32, at micros: Int64, in cluster: Cluster) {
        guard var state = pods[task] else { return }
        state.timestamp = micros
        pods[task] = state
        active.insert(ActiveKey(negPriority: -cluster.tasks[Int(task)].spec.priority, timestamp: micros, task: task))
    }

    /// The first multiple of `period` at or after `micros`.
    static func tick(_ micros: Int64, _ period: Int64) -> Int64 {
        let (q, r) = micros.quotientAndRemainder(dividingBy: period)
        return r == 0 ? micros : (q + 1) * period
    }

    public func nextWakeup(after micros: Int64) -> (micros: Int64, live: Bool)? {
        let backoffDue = backoff.min.map { max(micros + 1, Self.tick($0.expiry, Self.backoffFlushMicros)) }
        let flushDue = unschedulable.compactMap { pods[$0] }.map {
            max(micros + 1, Self.tick($0.parkedSince + Self.maxUnschedulableMicros, Self.unschedulableFlushMicros))
        }.min()
        switch (backoffDue, flushDue) {
        case let (b?, f?): return b <= f ? (b, true) : (f, false)
        case let (b?, nil): return (b, true)
        case let (nil, f?): return (f, false)
        default: return nil
        }
    }
}
