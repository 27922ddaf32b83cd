import BerthCluster

/// Why a running or pending task was killed.
public enum KillCause: String, Sendable, CaseIterable {
    /// Its node failed (or its zone/rack went down).
    case nodeFailure = "node_failure"
    /// A scheduler evicted it to make room (preemption).
    case preemption
    /// Its Job failed (`BackoffLimitExceeded`) and deleted its active pods.
    case backoffLimitExceeded = "backoff_limit_exceeded"
    /// Its container crashed (restarted in place, or the pod failed under `Never`).
    case crash
    /// Evicted by a drain (planned maintenance), as its disruption budget allowed.
    case eviction
    /// Still on a drained node when it went down for maintenance (DaemonSet pods, which drains skip).
    case maintenance
    /// Evicted from a node behind a network partition after its toleration (300 s by default).
    case nodeUnreachable = "node_unreachable"
    /// Its container's memory usage exceeded its limit (Kubernetes `OOMKilled`).
    case oom
    /// Its Job failed by a `podFailurePolicy` rule with action `FailJob` and deleted its active pods.
    case podFailurePolicy = "pod_failure_policy"
    /// Its service was scaled down and its ReplicaSet deleted it.
    case scaleDown = "scale_down"
}

/// Records every failure, kill and re-creation of a run (events.csv) and the
/// totals derived from them: kills and CPU work lost per cause, node down time.
public struct FailureLog: Sendable {
    public struct Entry: Sendable, Equatable {
        public var micros: Int64
        /// `node_down`, `node_up`, `task_killed` or `task_recreated`.
        public var event: String
        public var task: Int32
        public var taskName: String
        public var node: String
        public var cause: String
    }

    public private(set) var entries: [Entry] = []
    /// Tasks killed, per cause.
    public private(set) var killed: [KillCause: Int] = [:]
    /// CPU core-seconds of work the killed tasks had done (lost: a re-created task restarts from zero), per cause.
    public private(set) var lostCoreSeconds: [KillCause: Double] = [:]
    /// Per node, total µs down so far (closed intervals) and when the open one began (-1: up).
    public private(set) var downMicros: [Int64] = []
    var downSince: [Int64] = []

    public init() {}

    public mutating func prepare(nodeCount: Int) {
        downMicros = Array(repeating: 0, count: nodeCount)
        downSince = Array(repeating: -1, count: nodeCount)
    }

    /// `task` is killed (call before or after `Cluster.end`; its start time is
    /// kept). Returns the CPU core-seconds of work it loses (0 if it never ran).
    @discardableResult
    public mutating func killed(_ task: Int32, cause: KillCause, in cluster: Cluster, at micros: Int64, lostMicros: Int64? = nil) -> Double {
        let record = cluster.tasks[Int(task)]
        let ran = lostMicros ?? (record.startMicros >= 0 ? micros - record.startMicros : 0)
        let lost = Double(record.spec.requests[ResourceCatalog.cpu]) / 1000 * Double(ran) / 1_000_000
        killed[cause, default: 0] += 1
        lostCoreSeconds[cause, default: 0] += lost
        lastCause[task] = cause
        entries.append(Entry(micros: micros, event: "task_killed", task: task, taskName: record.spec.name,
                             node: record.node >= 0 ? cluster.nodes[Int(record.node)].name : "", cause: cause.rawValue))
        return lost
    }

    /// Why each killed or failed task ended, the last time it did (a Job's
    /// `podFailurePolicy` reads it to see the pod's exit code and conditions).
    public private(set) var lastCause: [Int32: KillCause] = [:]

    /// Container crashes and in-place restarts (CrashLoopBackOff).
    public private(set) var crashes = 0
    public private(set) var restarts = 0

    /// `task`'s container crashed after running since `runStartMicros`: its work
    /// in this run is lost. `podFailed`: the pod failed (restart policy `Never`).
    /// `cause` `.oom`: the OOM killer ended it (event `container_oom_killed`).
    /// `lostMicros`: run time whose work is lost (default: all of this run; less with checkpoints).
    public mutating func crashed(_ task: Int32, runStartMicros: Int64, podFailed: Bool, in cluster: Cluster, at micros: Int64,
                                 cause: KillCause = .crash, lostMicros: Int64? = nil) {
        let record = cluster.tasks[Int(task)]
        if cause == .oom { oomKills += 1 } else { crashes += 1 }
        if podFailed { lastCause[task] = cause }
        let lost = lostMicros ?? (micros - runStartMicros)
        lostCoreSeconds[cause, default: 0] += Double(record.spec.requests[ResourceCatalog.cpu]) / 1000 * Double(lost) / 1_000_000
        let node = record.node >= 0 ? cluster.nodes[Int(record.node)].name : ""
        entries.append(Entry(micros: micros, event: cause == .oom ? "container_oom_killed" : "container_crashed", task: task,
                             taskName: record.spec.name, node: node, cause: cause.rawValue))
        if podFailed {
            killed[cause, default: 0] += 1
            entries.append(Entry(micros: micros, event: "task_failed", task: task, taskName: record.spec.name, node: node, cause: cause.rawValue))
        }
    }

    /// Containers ended by the OOM killer (restarted in place or failing their pod).
    public private(set) var oomKills = 0

    /// The kubelet restarted `task`'s container after its back-off.
    public mutating func restarted(_ task: Int32, in cluster: Cluster, at micros: Int64, cause: String = "CrashLoopBackOff") {
        restarts += 1
        let record = cluster.tasks[Int(task)]
        entries.append(Entry(micros: micros, event: "container_restarted", task: task, taskName: record.spec.name,
                             node: record.node >= 0 ? cluster.nodes[Int(record.node)].name : "", cause: cause))
    }

    /// Any other event (workflows: `task_up_for_retry`, `task_retried`, `task_upstream_failed`).
    public mutating func note(_ event: String, task: Int32, taskName: String, node: String = "", cause: String, at micros: Int64) {
        entries.append(Entry(micros: micros, event: event, task: task, taskName: taskName, node: node, cause: cause))
    }

    /// A controller created `task` to replace a lost one.
    public mutating func recreated(_ task: Int32, in cluster: Cluster, at micros: Int64) {
        entries.append(Entry(micros: micros, event: "task_recreated", task: task, taskName: cluster.tasks[Int(task)].spec.name,
                             node: "", cause: "replacement"))
    }

    public mutating func nodeDown(_ node: Int32, cause: KillCause = .nodeFailure, in cluster: Cluster, at micros: Int64) {
        if downSince.isEmpty { prepare(nodeCount: cluster.nodes.count) }
        downSince[Int(node)] = micros
        entries.append(Entry(micros: micros, event: "node_down", task: -1, taskName: "", node: cluster.nodes[Int(node)].name,
                             cause: cause.rawValue))
    }

    /// A partition made `node` unreachable (`node_unreachable`) or it is reachable again (`node_reachable`).
    public mutating func reachability(_ node: Int32, _ unreachable: Bool, in cluster: Cluster, at micros: Int64) {
        entries.append(Entry(micros: micros, event: unreachable ? "node_unreachable" : "node_reachable", task: -1, taskName: "",
                             node: cluster.nodes[Int(node)].name, cause: "partition"))
    }

    /// A drain cordoned `node` (`node_cordoned`) or maintenance ended and uncordoned it (`node_uncordoned`).
    public mutating func cordon(_ node: Int32, _ cordoned: Bool, in cluster: Cluster, at micros: Int64) {
        entries.append(Entry(micros: micros, event: cordoned ? "node_cordoned" : "node_uncordoned", task: -1, taskName: "",
                             node: cluster.nodes[Int(node)].name, cause: "maintenance"))
    }

    public mutating func nodeUp(_ node: Int32, in cluster: Cluster, at micros: Int64) {
        if downSince[Int(node)] >= 0 { downMicros[Int(node)] += micros - downSince[Int(node)] }
        downSince[Int(node)] = -1
        entries.append(Entry(micros: micros, event: "node_up", task: -1, taskName: "", node: cluster.nodes[Int(node)].name,
                             cause: "repair"))
    }

    /// Node `node`'s down time up to `end` (µs), counting an outage still open then.
    public func downMicros(of node: Int, until end: Int64) -> Int64 {
        guard node < downMicros.count else { return 0 }
        let open = downSince[node] >= 0 && downSince[node] < end ? end - downSince[node] : 0
        return downMicros[node] + open
    }
}

extension RunSummary {
    /// Fills the failure columns of summary.csv.
    public mutating func addFailures(_ log: FailureLog, downMicros: [Int64], availability: ServiceAvailability, end: Int64) {
        nodeFailures = log.entries.lazy.filter { $0.event == "node_down" }.count
        nodeDownSeconds = Double(downMicros.reduce(0, +)) / 1_000_000
        killedByNodeFailure = log.killed[.nodeFailure] ?? 0
        nodeFailureLostCoreSeconds = log.lostCoreSeconds[.nodeFailure] ?? 0
        containerCrashes = log.crashes
        containerRestarts = log.restarts
        crashLostCoreSeconds = log.lostCoreSeconds[.crash] ?? 0
        oomKills = log.oomKills
        oomLostCoreSeconds = log.lostCoreSeconds[.oom] ?? 0
        availabilityMin = availability.services.indices.compactMap { availability.availability($0, end: end) }.min()
    }
}
