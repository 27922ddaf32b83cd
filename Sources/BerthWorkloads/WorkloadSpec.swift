import BerthCluster
import BerthSimulation

/// Requests and constraints shared by every task of a workload.
public struct TaskTemplate: Sendable, Equatable {
    /// Requests by resource name, in the resource's unit (cpu: millicores; memory: bytes).
    /// `pods` defaults to 1 when absent: every task occupies one pod slot.
    public var requests: [String: Int64]
    public var priority: Int32
    public var labels: [String: String]
    public var nodeSelector: [String: String]
    public var tolerations: [Toleration]
    /// Kubernetes pod details when the workload is written as a pod; `requests`
    /// is then the pod's effective request (upstream `PodRequests`).
    public var pod: PodDetails?
    /// Nomad job details when the workload is written in Nomad vocabulary (`nomad:`).
    public var nomad: NomadDetails?
    /// Docker Swarm / Amazon ECS placement details (`placement`, `placement_strategy`, `placement_constraints`).
    public var placement: PlacementDetails? = nil
    /// Mesos framework, role and Marathon constraints (`framework`, `role`, `marathon_constraints`).
    public var mesos: MesosTaskDetails? = nil
    /// `spec.preemptionPolicy` of the workload's pods (from their PriorityClass).
    public var preemptionPolicy: PreemptionPolicy = .preemptLowerPriority

    public init(requests: [String: Int64], priority: Int32 = 0, labels: [String: String] = [:],
                nodeSelector: [String: String] = [:], tolerations: [Toleration] = [], pod: PodDetails? = nil) {
        self.pod = pod
        self.requests = requests
        self.priority = priority
        self.labels = labels
        self.nodeSelector = nodeSelector
        self.tolerations = tolerations
    }

    /// CPU and memory with kube-scheduler's non-zero defaults for *unset* requests
    /// (an explicit 0 stays 0).
    public var nonZeroRequests: (cpu: Int64, memory: Int64) {
        if let pod {  // per container, as upstream: unset → 100m / 200Mi, explicit 0 stays 0
            let r = pod.requests(nonMissing: ["cpu": TaskSpec.defaultNonZeroCPU, "memory": TaskSpec.defaultNonZeroMemory])
            return (r["cpu"] ?? 0, r["memory"] ?? 0)
        }
        return (requests["cpu"] ?? TaskSpec.defaultNonZeroCPU, requests["memory"] ?? TaskSpec.defaultNonZeroMemory)
    }

    public static func == (a: TaskTemplate, b: TaskTemplate) -> Bool {
        a.requests == b.requests && a.priority == b.priority && a.labels == b.labels
            && a.nodeSelector == b.nodeSelector && a.tolerations == b.tolerations && a.pod === b.pod
            && a.placement === b.placement && a.nomad === b.nomad && a.mesos === b.mesos
            && a.preemptionPolicy == b.preemptionPolicy
    }

    /// The request vector in `catalog` order.
    public func requestVector(_ catalog: ResourceCatalog) -> [Int64] {
        var vector = catalog.zeros()
        vector[ResourceCatalog.pods] = 1
        for (name, value) in requests { if let i = catalog.index(of: name) { vector[i] = value } }
        return vector
    }
}

/// When work arrives.
public enum ArrivalProcess: Sendable, Equatable {
    /// At these absolute times (µs), in any order.
    case fixed([Int64])
    /// A Poisson process: exponential inter-arrival times with mean 1/rate.
    case poisson(ratePerSecond: Double)
    /// Any inter-arrival distribution (seconds).
    case interarrival(DistributionSpec)
}

public struct ArrivalSpec: Sendable, Equatable {
    public var process: ArrivalProcess
    /// Jobs arriving together at each arrival instant.
    public var burst: Int
    /// The process starts here (µs); the first random arrival is one inter-arrival later.
    public var startMicros: Int64
    /// No arrivals after this time (µs), if set.
    public var endMicros: Int64?
    /// At most this many arrival instants, if set.
    public var limit: Int?

    public init(process: ArrivalProcess, burst: Int = 1, startMicros: Int64 = 0, endMicros: Int64? = nil, limit: Int? = nil) {
        self.process = process
        self.burst = burst
        self.startMicros = startMicros
        self.endMicros = endMicros
        self.limit = limit
    }
}

/// A whole number that is either fixed or drawn from a distribution (rounded, at least 1).
public enum CountSpec: Sendable, Equatable {
    case fixed(Int)
    case distribution(DistributionSpec)
}

public enum WorkloadKind: String, Sendable, CaseIterable {
    /// N long-running replicas submitted at `start`, running until the end.
    case service
    /// Jobs of finite tasks arriving over time.
    case batch
    /// Tasks replayed from a recorded trace, each with its own requests and duration.
    case trace
    /// One long-running pod per eligible node (a Kubernetes DaemonSet), submitted at `start`.
    case daemonset
    /// A DAG of tasks run on a schedule, Airflow-style (docs/workflows.md).
    case workflow
}

public struct WorkloadSpec: Sendable, Equatable {
    public var name: String
    public var kind: WorkloadKind
    public var template: TaskTemplate
    /// Services: how many replicas.
    public var replicas: Int
    /// Services: when the replicas are submitted (µs).
    public var startMicros: Int64
    /// Batch: when jobs arrive.
    public var arrival: ArrivalSpec?
    /// Batch: tasks in each job.
    public var tasksPerJob: CountSpec
    /// Batch: how long each task runs once started (seconds).
    public var duration: DistributionSpec?
    /// Batch: at most this many tasks of one job exist at once (Kubernetes Job
    /// `parallelism`); the rest are created as earlier ones finish. nil: all at once.
    public var parallelism: Int?
    /// Batch: failed pods a job tolerates before it fails (Kubernetes Job
    /// `backoffLimit`, default 6); replacements wait for the pod-failure back-off.
    public var backoffLimit: Int = 6
    /// Batch only: the Job's `podFailurePolicy` (nil: every failure counts).
    public var podFailurePolicy: PodFailurePolicy? = nil
    /// Services: changes of the desired replica count during the run
    /// (`kubectl scale`), in time order, each after `startMicros`.
    public var scale: [ScaleStep] = []
    /// Trace: the pre-loaded, selected rows to replay. The template's requests are
    /// unused; its node selector and tolerations apply to every task, its labels are
    /// added to each task's own (the trace's value wins on a clash).
    public var trace: TraceWorkload?
    /// Workflow: the DAG and its schedule.
    public var workflow: WorkflowSpec? = nil

    public init(name: String, kind: WorkloadKind, template: TaskTemplate, replicas: Int = 0, startMicros: Int64 = 0,
                arrival: ArrivalSpec? = nil, tasksPerJob: CountSpec = .fixed(1), duration: DistributionSpec? = nil,
                trace: TraceWorkload? = nil) {
        self.name = name
        self.kind = kind
        self.template = template
        self.replicas = replicas
        self.startMicros = startMicros
        self.arrival = arrival
        self.tasksPerJob = tasksPerJob
        self.duration = duration
        self.trace = trace
    }

    /// How many distinct task shapes this workload makes (see `TaskSpec.shape`):
    /// one for services and batch workloads, one per distinct request set for a trace.
    public var shapeCount: Int {
        switch kind {
        case .trace: trace?.shapeCount ?? 0
        case .workflow: max(1, workflow?.tasks.count ?? 0)  // one shape per DAG task
        default: 1
        }
    }

    /// Every resource this workload's tasks may request.
    public var resourceNames: Set<String> {
        Set(template.requests.keys).union(trace?.resourceNames ?? []).union((workflow?.tasks ?? []).flatMap(\.requests.keys))
    }
}

/// A service's desired replica count changes to `replicas` at `atMicros`.
public struct ScaleStep: Sendable, Equatable {
    public var atMicros: Int64
    public var replicas: Int
    public init(atMicros: Int64, replicas: Int) {
        self.atMicros = atMicros
        self.replicas = replicas
    }
}

/// A task already bound to a named node at time zero (a cluster snapshot).
public struct InitialTaskSpec: Sendable, Equatable {
    public var name: String
    public var node: String
    public var template: TaskTemplate
    /// Remaining run time; nil runs until the end.
    public var durationMicros: Int64?

    public init(name: String, node: String, template: TaskTemplate, durationMicros: Int64? = nil) {
        self.name = name
        self.node = node
        self.template = template
        self.durationMicros = durationMicros
    }
}
