/// Well-known node label keys Berth sets on every node.
public enum NodeLabel {
    public static let hostname = "kubernetes.io/hostname"
    public static let zone = "topology.kubernetes.io/zone"
    /// Not a Kubernetes label: Berth's rack topology key.
    public static let rack = "topology.berth.io/rack"
    public static let pool = "berth.io/pool"
}

/// A node as configured: identity, topology, capacity and price.
public struct NodeSpec: Hashable, Sendable {
    public var name: String
    public var pool: String
    /// Raw capacity per resource (catalog order).
    public var capacity: [Int64]
    /// What the scheduler may hand out (≤ capacity), per resource.
    public var allocatable: [Int64]
    public var labels: [String: String]
    public var taints: [Taint]
    public var zone: String
    public var rack: String
    public var pricePerHour: Double
    public var unschedulable: Bool
    /// Container images already on the node (ImageLocality).
    public var images: [NodeImage]

    public init(name: String, pool: String, capacity: [Int64], allocatable: [Int64]? = nil,
                labels: [String: String] = [:], taints: [Taint] = [], zone: String = "", rack: String = "",
                pricePerHour: Double = 0, unschedulable: Bool = false, images: [NodeImage] = []) {
        self.images = images
        self.name = name
        self.pool = pool
        self.capacity = capacity
        self.allocatable = allocatable ?? capacity
        self.labels = labels
        self.taints = taints
        self.zone = zone
        self.rack = rack
        self.pricePerHour = pricePerHour
        self.unschedulable = unschedulable
    }
}

/// Whether a pod may preempt lower-priority pods (core/v1 `PreemptionPolicy`,
/// set from its PriorityClass by the Priority admission plugin).
public enum PreemptionPolicy: String, Sendable, CaseIterable, Hashable {
    case preemptLowerPriority = "PreemptLowerPriority"
    case never = "Never"
}

/// What a task is: requests and constraints. Immutable once submitted.
public struct TaskSpec: Sendable {
    public var name: String
    /// Index of the workload (in scenario order) this task belongs to.
    public var workload: Int32
    /// Job number within the workload (0 for services).
    public var job: Int32
    /// Requests per resource in catalog order (`pods` is normally 1).
    public var requests: [Int64]
    public var priority: Int32
    public var labels: [String: String]
    public var nodeSelector: [String: String]
    public var tolerations: [Toleration]
    /// Run time once started; nil means it runs until the end of the simulation.
    public var durationMicros: Int64?
    /// Tasks with the same shape have identical requests and constraints, so a
    /// scheduling pass that finds no node for one shape skips its twins.
    public var shape: Int32
    /// Kubernetes pod details (containers, affinity, ports), when written as a pod.
    public var pod: PodDetails?
    /// Nomad job details (constraints, affinities, spread, job type), when written in Nomad vocabulary.
    public var nomad: NomadDetails?
    /// Docker Swarm / Amazon ECS placement details, when written in their vocabulary.
    public var placement: PlacementDetails? = nil
    /// Mesos framework, role and Marathon constraints (docs/mesos.md).
    public var mesos: MesosTaskDetails? = nil
    /// CPU (millicores) and memory (bytes) with kube-scheduler's non-zero
    /// defaults (100m, 200Mi) in place of *unset* requests — used by the
    /// scoring plugins exactly where upstream uses `NonZeroRequested`.
    public var nonZeroCPU: Int64
    public var nonZeroMemory: Int64
    /// `spec.preemptionPolicy`: with `.never` the pod is scheduled ahead of
    /// lower-priority pods but never preempts (it may still be preempted).
    public var preemptionPolicy: PreemptionPolicy = .preemptLowerPriority

    public static let defaultNonZeroCPU: Int64 = 100
    public static let defaultNonZeroMemory: Int64 = 200 * 1024 * 1024

    public init(name: String, workload: Int32 = 0, job: Int32 = 0, requests: [Int64], priority: Int32 = 0,
                labels: [String: String] = [:], nodeSelector: [String: String] = [:], tolerations: [Toleration] = [],
                durationMicros: Int64? = nil, shape: Int32 = -1, pod: PodDetails? = nil,
                nonZeroCPU: Int64? = nil, nonZeroMemory: Int64? = nil) {
        self.pod = pod
        // Without presence information a 0 request is taken as unset.
        self.nonZeroCPU = nonZeroCPU ?? (requests.count > ResourceCatalog.cpu && requests[ResourceCatalog.cpu] > 0 ? requests[ResourceCatalog.cpu] : TaskSpec.defaultNonZeroCPU)
        self.nonZeroMemory = nonZeroMemory ?? (requests.count > ResourceCatalog.memory && requests[ResourceCatalog.memory] > 0 ? requests[ResourceCatalog.memory] : TaskSpec.defaultNonZeroMemory)
        self.name = name
        self.workload = workload
        self.job = job
        self.requests = requests
        self.priority = priority
        self.labels = labels
        self.nodeSelector = nodeSelector
        self.tolerations = tolerations
        self.durationMicros = durationMicros
        self.shape = shape
    }

    /// Whether this task may run on `node` ignoring resources: its node selector
    /// matches the node's labels and it tolerates every `NoSchedule`/`NoExecute` taint.
    /// (`PreferNoSchedule` is a scoring preference, not a filter.)
    public func isAllowed(on node: NodeSpec) -> Bool {
        if node.unschedulable { return false }
        for (key, value) in nodeSelector where node.labels[key] != value { return false }
        for taint in node.taints where taint.effect != .preferNoSchedule {
            if !tolerations.contains(where: { $0.tolerates(taint) }) { return false }
        }
        return true
    }
}

/// Where a task is in its life. Every submitted task is in exactly one state.
public enum TaskState: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case pending, running, finished, failed, killed
    public var description: String {
        switch self {
        case .pending: "pending"
        case .running: "running"
        case .finished: "finished"
        case .failed: "failed"
        case .killed: "killed"
        }
    }
}

/// A task's ledger entry: spec plus lifecycle timestamps (µs; -1 when not yet reached).
public struct TaskRecord: Sendable {
    public var spec: TaskSpec
    public var state: TaskState = .pending
    public var node: Int32 = -1
    public var submitMicros: Int64
    public var startMicros: Int64 = -1
    public var endMicros: Int64 = -1
    /// Seconds from submission to start; nil for a task that never started.
    public var waitSeconds: Double? { startMicros >= 0 ? Double(startMicros - submitMicros) / 1_000_000 : nil }
    /// Scheduling attempts: placement tries (failed or not) for this task.
    public var attempts: Int32 = 0

    public init(spec: TaskSpec, submitMicros: Int64) {
        self.spec = spec
        self.submitMicros = submitMicros
    }
}
