import BerthCluster

/// Per service, how long all its replicas were running: availability =
/// (time with running replicas ≥ `replicas`) / (end − the service's start).
/// A replica lost to a failure and re-created on another node at the same
/// instant costs no availability; one that waits for capacity or for its node
/// to come back does. Also integrates replica-seconds missing (Σ over time of
/// `replicas − running`, when positive).
public final class ServiceAvailability: ClusterObserver {
    public struct Service: Sendable {
        public var workload: Int32
        public var name: String
        public var replicas: Int
        public var startMicros: Int64
        /// The disruption budget's desired healthy count (`minAvailable`, or
        /// `replicas − maxUnavailable`), when the service has a budget.
        public var minAvailable: Int?
        /// `replicas` and `minAvailable` as the scenario gives them (before any scale; services.csv).
        public let initialReplicas: Int
        public let initialMinAvailable: Int?
        public init(workload: Int32, name: String, replicas: Int, startMicros: Int64, minAvailable: Int? = nil) {
            self.workload = workload
            self.name = name
            self.replicas = replicas
            self.startMicros = startMicros
            self.minAvailable = minAvailable
            initialReplicas = replicas
            initialMinAvailable = minAvailable
        }
    }

    public private(set) var services: [Service]
    /// Index into `services` per workload (-1: not a service).
    private var slot: [Int32: Int] = [:]
    private var running: [Int]
    private var since: [Int64]
    private var fullMicros: [Int64]
    private var missingReplicaMicros: [Int64]
    private var quorumMicros: [Int64]
    /// When each service last fell below its replica count after having reached
    /// it (-1: at full count, or never full yet), and how long each such dip lasted.
    private var belowSince: [Int64]
    private var reachedFull: [Bool]
    public private(set) var recoveryMicros: [[Int64]]
    /// Bound tasks whose container is down (crashed, waiting to restart) or
    /// that are Terminating: not counted as running.
    private var containerDown: Set<Int32> = []
    /// Per service, in-place container restarts and µs spent in CrashLoopBackOff
    /// (crash to restart) by backoffs that ended; open backoffs by task: (service, since).
    private var restartCounts: [Int]
    private var backoffMicros: [Int64]
    private var backoffSince: [Int32: (slot: Int, since: Int64)] = [:]

    public init(services: [Service]) {
        self.services = services
        for (i, s) in services.enumerated() { slot[s.workload] = i }
        running = Array(repeating: 0, count: services.count)
        since = services.map(\.startMicros)
        fullMicros = Array(repeating: 0, count: services.count)
        missingReplicaMicros = Array(repeating: 0, count: services.count)
        quorumMicros = Array(repeating: 0, count: services.count)
        belowSince = Array(repeating: -1, count: services.count)
        reachedFull = Array(repeating: false, count: services.count)
        recoveryMicros = Array(repeating: [], count: services.count)
        restartCounts = Array(repeating: 0, count: services.count)
        backoffMicros = Array(repeating: 0, count: services.count)
    }

    /// A backoff of `task` ends now (restart, pod end, or Terminating).
    private func closeBackoff(_ task: Int32, at micros: Int64) {
        guard let open = backoffSince.removeValue(forKey: task) else { return }
        backoffMicros[open.slot] += max(0, micros - open.since)
    }

    public func taskSubmitted(_ task: Int32, in cluster: Cluster, at micros: Int64) {}

    public func taskBound(_ task: Int32, to node: Int32, in cluster: Cluster, at micros: Int64) {
        guard let i = slot[cluster.tasks[Int(task)].spec.workload] else { return }
        advance(i, to: micros)
        running[i] += 1
        noteCount(i, at: micros)
    }

    /// Records dips below the replica count and their recoveries.
    private func noteCount(_ i: Int, at micros: Int64) {
        if running[i] >= services[i].replicas {
            if belowSince[i] >= 0 { recoveryMicros[i].append(micros - belowSince[i]) }
            belowSince[i] = -1
            reachedFull[i] = true
        } else if reachedFull[i] && belowSince[i] < 0 {
            belowSince[i] = micros
        }
    }

    public func taskEnding(_ task: Int32, as state: TaskState, in cluster: Cluster, at micros: Int64) {
        let record = cluster.tasks[Int(task)]
        guard record.state == .running, let i = slot[record.spec.workload] else { return }
        if containerDown.remove(task) != nil {
            closeBackoff(task, at: micros)
            return
        }
        advance(i, to: micros)
        running[i] -= 1
        noteCount(i, at: micros)
    }

    /// Replicas of `workload` running now (bound, container up): the
    /// disruption controller's `currentHealthy`. 0 for a workload that is not a service.
    public func runningReplicas(of workload: Int32) -> Int { slot[workload].map { running[$0] } ?? 0 }

    /// `task`'s container crashed and waits to be restarted in place (its CrashLoopBackOff starts).
    public func containerStopped(_ task: Int32, in cluster: Cluster, at micros: Int64) {
        guard let i = slot[cluster.tasks[Int(task)].spec.workload], containerDown.insert(task).inserted else { return }
        backoffSince[task] = (i, micros)
        advance(i, to: micros)
        running[i] -= 1
        noteCount(i, at: micros)
    }

    /// `task` is Terminating (evicted, within its grace period): no longer a
    /// healthy replica; a backoff in progress ends (the kubelet will not restart it).
    public func podTerminating(_ task: Int32, in cluster: Cluster, at micros: Int64) {
        guard let i = slot[cluster.tasks[Int(task)].spec.workload] else { return }
        closeBackoff(task, at: micros)
        guard containerDown.insert(task).inserted else { return }
        advance(i, to: micros)
        running[i] -= 1
        noteCount(i, at: micros)
    }

    /// Service `workload`'s desired replica count (and its budget's
    /// `minAvailable`, which may be a percentage of it) changes now (a scale).
    public func setDesired(_ workload: Int32, replicas: Int, minAvailable: Int?, at micros: Int64) {
        guard let i = slot[workload] else { return }
        advance(i, to: micros)
        services[i].replicas = replicas
        services[i].minAvailable = minAvailable
        noteCount(i, at: micros)
    }

    /// Service `workload`'s desired replica count now (nil: not a service).
    public func desiredReplicas(of workload: Int32) -> Int? { slot[workload].map { services[$0].replicas } }

    /// Whether bound `task`'s container is down (backing off) or it is Terminating: not a ready replica.
    public func isDown(_ task: Int32) -> Bool { containerDown.contains(task) }

    /// `task`'s container was restarted.
    public func containerRestarted(_ task: Int32, in cluster: Cluster, at micros: Int64) {
        guard let i = slot[cluster.tasks[Int(task)].spec.workload], containerDown.remove(task) != nil else { return }
        restartCounts[i] += 1
        closeBackoff(task, at: micros)
        advance(i, to: micros)
        running[i] += 1
        noteCount(i, at: micros)
    }

    private func advance(_ i: Int, to micros: Int64) {
        guard micros > since[i] else { return }
        let span = micros - since[i]
        if running[i] >= services[i].replicas { fullMicros[i] += span }
        if let m = services[i].minAvailable, running[i] >= m { quorumMicros[i] += span }
        missingReplicaMicros[i] += span * Int64(max(0, services[i].replicas - running[i]))
        since[i] = micros
    }

    /// Availability of service `i` over [start, `end`] (nil when the run ends before it starts).
    public func availability(_ i: Int, end: Int64) -> Double? {
        advance(i, to: end)
        let total = end - services[i].startMicros
        return total > 0 ? Double(fullMicros[i]) / Double(total) : nil
    }

    /// Fraction of [start, `end`] with at least `minAvailable` replicas running
    /// (nil without a budget, or when the run ends before the service starts).
    public func minAvailableFraction(_ i: Int, end: Int64) -> Double? {
        advance(i, to: end)
        let total = end - services[i].startMicros
        return services[i].minAvailable != nil && total > 0 ? Double(quorumMicros[i]) / Double(total) : nil
    }

    /// Times (s) from falling below the replica count to being back at it, for
    /// the dips that ended (a replica replaced in the same instant counts 0).
    public func recoveries(_ i: Int) -> SampleStatistics {
        SampleStatistics(recoveryMicros[i].map { Double($0) / 1_000_000 })
    }

    /// In-place container restarts of service `i`'s pods.
    public func restarts(_ i: Int) -> Int { restartCounts[i] }

    /// µs service `i`'s containers spent in CrashLoopBackOff (from a crash to
    /// its restart, or to the pod's end, or to `end` while still backing off).
    public func backoffMicros(_ i: Int, end: Int64) -> Int64 {
        backoffMicros[i] + backoffSince.values.filter { $0.slot == i }.reduce(0) { $0 + max(0, end - $1.since) }
    }

    /// Replica-seconds missing for service `i` up to `end`.
    public func missingReplicaSeconds(_ i: Int, end: Int64) -> Double {
        advance(i, to: end)
        return Double(missingReplicaMicros[i]) / 1_000_000
    }
}
