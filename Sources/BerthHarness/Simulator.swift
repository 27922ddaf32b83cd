import BerthCluster
import BerthFailures
import BerthMetrics
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthSimulation
import BerthWorkloads

/// Options of one run that do not belong in the scenario file.
public struct RunOptions {
    /// Overrides the scenario's seed.
    public var seed: UInt64?
    /// Overrides the scenario's scheduler.
    public var scheduler: SchedulerSpec?
    /// Called after every event with the cluster and the time (tests check invariants here).
    public var afterEachEvent: ((Cluster, Int64) -> Void)?
    /// Extra cluster observers, attached before anything is bound (tests use
    /// them for shadow ledgers; future report writers for event logs).
    public var observers: [any ClusterObserver]

    public init(seed: UInt64? = nil, scheduler: SchedulerSpec? = nil, afterEachEvent: ((Cluster, Int64) -> Void)? = nil,
                observers: [any ClusterObserver] = []) {
        self.seed = seed
        self.scheduler = scheduler
        self.afterEachEvent = afterEachEvent
        self.observers = observers
    }
}

/// Everything a run produced.
public struct RunResult {
    public let scenario: Scenario
    public let schedulerName: String
    public let seed: UInt64
    public let cluster: Cluster
    public let tracker: AllocationTracker
    public let timeseries: [TimeseriesSample]
    public let summary: RunSummary
    public let endMicros: Int64
    /// Every failure, kill and re-creation (events.csv) and their totals.
    public let failureLog: FailureLog
    /// Per node, µs down during the run.
    public let nodeDownMicros: [Int64]
    /// Per service availability (services.csv).
    public let availability: ServiceAvailability
    /// Wall-clock seconds the run took (not deterministic; never in the CSVs compared for determinism).
    public let wallSeconds: Double
    /// Fairness between frameworks, under architectures with a second level (Mesos); nil otherwise.
    public var frameworks: FrameworkReport? = nil
    /// One row per DAG run of the workflow workloads (dag_runs.csv); empty without workflows.
    public var dagRuns: [DagRunRecord] = []
    /// Per scheduler and workload class, under decision-time architectures
    /// (monolithic with decision time, Omega); nil otherwise (schedulers.csv).
    public var schedulers: [SchedulerCounters]? = nil
}

public enum RunError: Error, CustomStringConvertible {
    case scheduler(String)
    case internalInconsistency(String)
    public var description: String {
        switch self {
        case .scheduler(let m): "cannot build the scheduler: \(m)"
        case .internalInconsistency(let m): "internal error (please report it with the scenario and seed): \(m)"
        }
    }
}

/// Wires one run together: engine + cluster + workloads + scheduler + metrics,
/// and dispatches events. The only place that knows every event kind.
public final class Simulator {
    /// Event payloads. Raw class values order events at one instant: completions
    /// free resources first, then node failures and repairs, then arrivals, then
    /// one scheduling pass, then the sample.
    enum Event {
        case taskEnd(Int32)
        case arrival(Int32)
        case schedulingPass
        /// A pass an architecture asked for (backoff expiry, periodic flush).
        /// Not `live` when it can only retry pods on an unchanged cluster.
        case timer(live: Bool)
        case sample
        /// Job pods whose pod-failure back-off ends now are created (see ``JobController``).
        case jobRetry
        /// A failure source goes down or comes back (``FailureInjector``; Simulator+Failures.swift).
        case failure(source: Int32, down: Bool)
        /// A container crashes, or restarts after its back-off (Simulator+Crashes.swift).
        case crash(Int32)
        case restart(Int32)
        /// A drain attempt, and the end of a node's maintenance (Simulator+Maintenance.swift).
        case drain(Int32)
        case maintenanceDone(Int32)
        /// A pod on an unreachable node reaches the end of its toleration (Simulator+Partitions.swift).
        case partitionEviction(Int32)
        /// An evicted pod's grace period ends: it is killed if still running (Failures/Simulator+Termination.swift).
        case terminated(Int32)
        /// A workflow's DAG run is due, and DAG task retries whose delay ends (Workflows/Simulator+Workflows.swift).
        case dagRun(Int32)
        case dagRetry
        /// A crashed node's task is noticed as lost, and replacements whose recovery delay ends (Failures/Simulator+Recovery.swift).
        case lostDetected(Int32)
        case replacementDue
        /// A service's desired replica count changes: workload, step (Simulator+Scaling.swift).
        case scale(Int32, Int32)

        /// Whether this event can change the cluster (samples and non-live timers cannot).
        var isLive: Bool {
            switch self {
            case .sample, .timer(live: false): false
            default: true
            }
        }

        var eventClass: UInt8 {
            switch self {
            case .taskEnd: 0
            case .failure, .crash, .restart, .drain, .maintenanceDone, .partitionEviction, .terminated: 1
            case .arrival, .jobRetry, .dagRun, .dagRetry, .lostDetected, .replacementDue, .scale: 2
            case .schedulingPass, .timer: 3
            case .sample: 4
            }
        }
    }

    let scenario: Scenario
    let options: RunOptions
    let seed: UInt64
    let schedulerSpec: SchedulerSpec
    let cluster: Cluster
    let scheduler: any SchedulerArchitecture
    let generators: [WorkloadGenerator]
    let tieBreaks: RandomStream
    let tracker: AllocationTracker
    let availability: ServiceAvailability
    let recorder = TimeseriesRecorder()
    /// Frameworks' dominant shares at each sample (Mesos).
    var fairness: [(micros: Int64, shares: [Double])] = []
    var engine = Engine<Event>()
    /// Queued events other than samples: when it reaches zero nothing can happen any more.
    var liveEvents = 0
    var passRequested = false
    /// Times at which a timer pass is already queued, and whether one of them is live.
    var timerTimes: [Int64: Bool] = [:]
    /// CPU core-seconds of work lost by evicted tasks (their run time so far).
    var preemptedCoreSeconds = 0.0
    var preemptedTasks = 0
    /// Tasks of parallelism-limited jobs not created yet, per (workload, job), in order.
    var heldBack: [Int64: [TaskSpec]] = [:]

    /// Failure handling of batch workloads' Jobs.
    var jobs = JobController()
    /// Replacement pods waiting for their Job's back-off, by creation time.
    var jobRetries: [Int64: [TaskSpec]] = [:]
    /// Tasks created for each batch job (to delete the active ones when the Job fails).
    var jobTasks: [Int64: [Int32]] = [:]

    /// Node failures and outages (nil when the scenario has none).
    var failureInjector: FailureInjector?
    /// What failures did: kills by cause, work lost, node down time, the event log.
    var failureLog = FailureLog()
    /// Container runs of workloads that crash.
    var containerRuns = ContainerRuns()
    /// Pods on unreachable nodes and when the taint manager evicts them.
    var partitionEvictions: [Int32: Int64] = [:]
    /// DAG runs of workflow workloads.
    var workflowRuns = WorkflowRuns()
    /// Terminating pods (evicted, within their grace period) and when it ends.
    var terminating: [Int32: Int64] = [:]
    /// Why each Terminating pod is going (eviction, or preemption).
    var terminatingCause: [Int32: KillCause] = [:]
    /// Pods being evicted with a grace period right now (their controllers are
    /// syncing): a Job that fails in that sync leaves them to terminate.
    var evictingNow: Set<Int32> = []
    /// Drains in progress per node (their indexes), and drains that are over.
    var activeDrains: [Int32: Set<Int32>] = [:]
    var finishedDrains: Set<Int32> = []
    /// How this run recovers from failures (`failures.recovery`), and its state.
    let recovery: RecoveryModel
    var recoveryState = RecoveryState()
    /// The next replica number of each service scaled up so far (Simulator+Scaling.swift).
    var nextReplicaIndex: [Int32: Int] = [:]

    static func jobKey(_ spec: TaskSpec) -> Int64 { Int64(spec.workload) << 32 | Int64(UInt32(bitPattern: spec.job)) }
    /// Time of the last event other than a sample.
    var lastLiveMicros: Int64 = 0

    public init(scenario: Scenario, options: RunOptions = RunOptions()) throws(RunError) {
        self.scenario = scenario
        self.options = options
        seed = options.seed ?? scenario.seed
        let chosen = options.scheduler ?? scenario.scheduler
        schedulerSpec = chosen
        recovery = scenario.failures.recovery.map { RecoveryModel($0, preset: chosen.preset) } ?? .legacy
        cluster = Cluster(catalog: scenario.catalog, nodes: scenario.nodes)
        do {
            scheduler = try SchedulerRegistry.make(schedulerSpec, catalog: scenario.catalog)
        } catch {
            throw .scheduler("\(error)")
        }
        // Preemption victims terminate gracefully, as evicted pods do (Simulator+Termination).
        (scheduler as? KubernetesScheduler)?.gracefulEvictions = true
        let streams = RandomStreams(seed: seed)
        tieBreaks = streams.stream(.tieBreaks)
        // Shapes are numbered across workloads: a trace workload takes one per distinct request set.
        var shapeBase: Int32 = 0
        generators = scenario.workloads.enumerated().map {
            let base = shapeBase
            shapeBase &+= Int32(clamping: $0.element.shapeCount)
            return WorkloadGenerator(spec: $0.element, index: Int32($0.offset), catalog: scenario.catalog, streams: streams,
                                     shapeBase: base, nodes: scenario.nodes)
        }
        tracker = AllocationTracker(cluster: cluster)
        cluster.addObserver(tracker)
        availability = ServiceAvailability(services: scenario.workloads.enumerated().filter { $0.element.kind == .service }.map {
            ServiceAvailability.Service(workload: Int32($0.offset), name: $0.element.name, replicas: $0.element.replicas,
                                        startMicros: $0.element.startMicros,
                                        minAvailable: scenario.failures.budgets[Int32($0.offset)]?.desiredHealthy(expected: $0.element.replicas))
        })
        cluster.addObserver(availability)
        for observer in options.observers { cluster.addObserver(observer) }
        connectDisruptionBudgets()
    }

    func schedule(_ event: Event, at micros: Int64) {
        if event.isLive { liveEvents += 1 }
        engine.schedule(event, afterMicros: micros - engine.now.micros, eventClass: event.eventClass)
    }

    /// Runs to the horizon (or until nothing is left to happen) and returns the result.
    public func run() throws(RunError) -> RunResult {
        let clock = ContinuousClock()
        let started = clock.now
        try bindInitialTasks()
        startFailures()
        startWorkflows()
        startScaling()
        for g in generators { if let t = g.firstArrival() { schedule(.arrival(g.index), at: t) } }
        schedule(.sample, at: 0)
        let horizon = scenario.horizonMicros.map { SimTime(micros: $0) } ?? .never
        while let event = engine.step(until: horizon) {
            try handle(event)
            options.afterEachEvent?(cluster, engine.now.micros)
        }
        let end = scenario.horizonMicros ?? lastLiveMicros
        engine.advance(to: SimTime(micros: end))
        recorder.sample(cluster, at: end)
        sampleFairness(at: end)
        let batch = Set(scenario.workloads.enumerated().filter { $0.element.kind == .batch || $0.element.kind == .trace || $0.element.kind == .workflow }.map { Int32($0.offset) })
        var summary = RunSummary(scenario: scenario.name, scheduler: schedulerSpec.preset, seed: seed, cluster: cluster,
                                 tracker: tracker, endMicros: end, events: engine.eventsProcessed, batchWorkloads: batch,
                                 preempted: preemptedTasks, preemptedCoreSeconds: preemptedCoreSeconds,
                                 jobsFailed: jobs.failedJobs)
        let downMicros = (0..<cluster.nodes.count).map { failureLog.downMicros(of: $0, until: end) }
        summary.addFailures(failureLog, downMicros: downMicros, availability: availability, end: end)
        let wall = clock.now - started
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        return RunResult(scenario: scenario, schedulerName: schedulerSpec.preset, seed: seed, cluster: cluster,
                         tracker: tracker, timeseries: recorder.samples, summary: summary, endMicros: end,
                         failureLog: failureLog, nodeDownMicros: downMicros, availability: availability, wallSeconds: seconds,
                         frameworks: frameworkReport(), dagRuns: dagRunRecords(),
                         schedulers: (scheduler as? any SchedulerReporting)?.schedulerCounters(until: end))
    }

    private func handle(_ event: Event) throws(RunError) {
        let now = engine.now.micros
        if event.isLive {
            liveEvents -= 1
            lastLiveMicros = now
        }
        switch event {
        case .taskEnd(let task):
            // A task evicted earlier (preemption) is no longer running: its completion never comes.
            guard cluster.tasks[Int(task)].state == .running, runCompletes(task, at: now) else { return }
            if terminating[task] != nil { return try terminatingPodFinished(task, at: now) }
            do { try cluster.end(task, as: .finished, at: now) } catch { throw .internalInconsistency("\(error)") }
            let key = Self.jobKey(cluster.tasks[Int(task)].spec)
            if isJob(cluster.tasks[Int(task)].spec) { jobs.podSucceeded(key) }
            workflowTaskSucceeded(task, at: now)
            if var waiting = heldBack[key], !waiting.isEmpty {
                submit(waiting.removeFirst(), at: now)
                heldBack[key] = waiting.isEmpty ? nil : waiting
            }
            scheduler.resourcesFreed(in: cluster)
            requestPass(at: now)
        case .arrival(let w):
            let generator = generators[Int(w)]
            let tasks = generator.makeTasks()
            if let parallelism = generator.spec.parallelism {
                // The Job controller creates at most `parallelism` pods of a job at once.
                var created: [Int32: Int] = [:]
                for spec in tasks {
                    if created[spec.job, default: 0] < parallelism {
                        created[spec.job, default: 0] += 1
                        submit(spec, at: now)
                    } else {
                        heldBack[Self.jobKey(spec), default: []].append(spec)
                    }
                }
            } else {
                for spec in tasks { submit(spec, at: now) }
            }
            if let next = generator.nextArrival(after: now) { schedule(.arrival(w), at: next) }
            requestPass(at: now)
        case .jobRetry:
            for spec in jobRetries.removeValue(forKey: now) ?? [] where !jobs.isFailed(Self.jobKey(spec)) {
                failureLog.recreated(submit(spec, at: now), in: cluster, at: now)
            }
            requestPass(at: now)
        case .failure(let source, let down):
            try handleFailure(source: source, down: down, at: now)
        case .crash(let task):
            // The kubelet neither restarts nor fails a terminating pod's containers: it is on its way out.
            if terminating[task] == nil { try handleCrash(task, at: now) }
        case .restart(let task):
            if terminating[task] == nil { try handleRestart(task, at: now) }
        case .terminated(let task):
            try handleTerminated(task, at: now)
        case .drain(let index):
            try handleDrain(index, at: now)
        case .maintenanceDone(let index):
            try handleMaintenanceDone(index, at: now)
        case .partitionEviction(let task):
            try handlePartitionEviction(task, at: now)
        case .dagRun(let w):
            handleDagRun(w, at: now)
        case .dagRetry:
            handleDagRetry(at: now)
        case .lostDetected(let task):
            try handleLostDetected(task, at: now)
        case .replacementDue:
            handleReplacementDue(at: now)
        case .scale(let w, let step):
            try handleScale(w, step: step, at: now)
        case .schedulingPass:
            passRequested = false
            try runPass(at: now)
        case .timer(let live):
            timerTimes[now] = nil
            // A retry-only timer on a run that has nothing else to do would
            // loop forever without a horizon: drop it.
            if !live && liveEvents == 0 && scenario.horizonMicros == nil { return }
            try runPass(at: now)
        case .sample:
            // Without a horizon the run ends with the last real event: a sample
            // after it would stretch the run, so it is dropped.
            if liveEvents == 0 && scenario.horizonMicros == nil { return }
            recorder.sample(cluster, at: now)
            sampleFairness(at: now)
            if liveEvents > 0 || scenario.horizonMicros != nil {
                schedule(.sample, at: now &+ scenario.sampleIntervalMicros)
            }
        }
    }

    private func sampleFairness(at now: Int64) {
        guard let reporting = scheduler as? any FrameworkReporting else { return }
        fairness.append((now, reporting.frameworkShares().map(\.share)))
    }

    private func frameworkReport() -> FrameworkReport? {
        guard let reporting = scheduler as? any FrameworkReporting else { return nil }
        let rows = reporting.frameworkCounters()
        return FrameworkReport(rows: rows, samples: fairness)
    }

    private func runPass(at now: Int64) throws(RunError) {
        for task in scheduler.schedule(in: cluster, at: now, random: tieBreaks) {
            if let d = cluster.tasks[Int(task)].spec.durationMicros { schedule(.taskEnd(task), at: now &+ d) }
            startRun(task, at: now)
            workflowTaskStarted(task, at: now)
        }
        try recreateEvicted(at: now)
        if let timed = scheduler as? any TimedScheduler, let wake = timed.nextWakeup(after: now) {
            let queuedLive = timerTimes[wake.micros]
            if queuedLive == nil || (wake.live && queuedLive == false) {
                timerTimes[wake.micros] = wake.live
                schedule(.timer(live: wake.live), at: wake.micros)
            }
        }
    }

    /// Whether `spec` is a pod of a Kubernetes-style Job (a batch workload).
    func isJob(_ spec: TaskSpec) -> Bool {
        spec.workload >= 0 && generators[Int(spec.workload)].spec.kind == .batch
    }

    /// Submits a new task and hands it to the scheduler.
    @discardableResult
    func submit(_ spec: TaskSpec, at now: Int64) -> Int32 {
        let id = cluster.submit(spec, at: now)
        if isJob(spec) { jobTasks[Self.jobKey(spec), default: []].append(id) }
        scheduler.enqueue(id, in: cluster)
        return id
    }

    /// Evicted (preempted) pods are counted, logged and handed to their controllers.
    private func recreateEvicted(at now: Int64) throws(RunError) {
        guard let evicting = scheduler as? any EvictingScheduler else { return }
        let evicted = evicting.drainEvictions()
        guard !evicted.isEmpty else { return }
        var ended: [Int32] = []
        var graceful: [(task: Int32, grace: Int64)] = []
        for task in evicted {
            let record = cluster.tasks[Int(task)]
            if record.state == .running {  // a victim to delete gracefully (KubernetesScheduler.gracefulEvictions)
                if terminating[task] != nil { continue }  // already Terminating: deleting it again changes nothing
                graceful.append((task, scenario.failures.gracePeriodMicros(of: record.spec.workload)))
                continue
            }
            countPreempted(task, at: now)
            ended.append(task)
        }
        try replaceLost(ended, at: now)
        try evictGracefully(graceful, cause: .preemption, at: now)
    }

    /// Logs a preempted pod as killed and adds it to the preemption totals.
    func countPreempted(_ task: Int32, at now: Int64) {
        preemptedTasks += 1
        preemptedCoreSeconds += failureLog.killed(task, cause: .preemption, in: cluster, at: now, lostMicros: checkpointLoss(task, at: now))
    }

    func requestPass(at now: Int64) {
        guard !passRequested else { return }
        passRequested = true
        schedule(.schedulingPass, at: now)
    }

    private func bindInitialTasks() throws(RunError) {
        for task in scenario.initial {
            guard let node = cluster.nodeIndex(named: task.node) else {
                throw .internalInconsistency("initial task \(task.name) names unknown node \(task.node)")
            }
            var spec = TaskSpec(name: task.name, workload: -1, requests: task.template.requestVector(scenario.catalog),
                                priority: task.template.priority, labels: task.template.labels,
                                durationMicros: task.durationMicros)
            spec.preemptionPolicy = task.template.preemptionPolicy
            let id = cluster.submit(spec, at: 0)
            do { try cluster.bind(id, to: Int32(node), at: 0) } catch { throw .internalInconsistency("\(error)") }
            if let d = task.durationMicros { schedule(.taskEnd(id), at: d) }
        }
    }
}
