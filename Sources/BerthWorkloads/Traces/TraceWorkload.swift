/// The trace formats a `kind: trace` workload can replay.
public enum TraceFormat: String, Sendable, CaseIterable {
    /// Alibaba cluster-trace-gpu-v2023 pod list (`openb_pod_list_*.csv`).
    case alibabaGPU2023 = "alibaba-gpu-2023"
    /// Alibaba cluster-trace-v2017 `batch_task.csv`.
    case alibabaBatch2017 = "alibaba-batch-2017"
}

/// The node-list formats a pool's `from_trace` can read.
public enum NodeTraceFormat: String, Sendable, CaseIterable {
    /// Alibaba cluster-trace-gpu-v2023 node list (`openb_node_list_*.csv`).
    case alibabaGPU2023Nodes = "alibaba-gpu-2023-nodes"
}

/// One trace row ready to replay: `instances` identical tasks submitted together.
public struct TraceTask: Sendable, Equatable {
    /// The row's own name (a pod name, or `j<job>-t<task>`).
    public var name: String
    /// Submit time on the trace's clock, whole seconds (after any clamping the reader documents).
    public var traceSeconds: Int64
    /// Submit time in the simulation (µs); set by ``TraceSelection/apply(to:)``.
    public var submitMicros: Int64
    /// Job number reported for every instance.
    public var job: Int32
    /// Requests per instance by resource name (cpu: millicores; memory: bytes).
    public var requests: [String: Int64]
    /// Run time once started; nil runs until the end of the simulation.
    public var durationMicros: Int64?
    public var priority: Int32
    public var labels: [String: String]
    public var instances: Int
    /// Index of this row's shape among the workload's distinct (requests, priority,
    /// labels), set by ``TraceSelection/apply(to:)``. Rows with different requests never share one.
    public var shape: Int32

    public init(name: String, traceSeconds: Int64, job: Int32, requests: [String: Int64], durationMicros: Int64?,
                priority: Int32 = 0, labels: [String: String] = [:], instances: Int = 1) {
        self.name = name
        self.traceSeconds = traceSeconds
        submitMicros = traceSeconds &* 1_000_000
        self.job = job
        self.requests = requests
        self.durationMicros = durationMicros
        self.priority = priority
        self.labels = labels
        self.instances = instances
        shape = 0
    }
}

/// What a reader produced: the replayable rows in file order, how many data
/// rows the file had, and the rows left out, counted by reason.
public struct TraceRead: Sendable, Equatable {
    public var tasks: [TraceTask]
    public var rows: Int
    public var skipped: [String: Int]
    public var skippedCount: Int { skipped.values.reduce(0, +) }

    public init(tasks: [TraceTask], rows: Int, skipped: [String: Int] = [:]) {
        self.tasks = tasks
        self.rows = rows
        self.skipped = skipped
    }
}

/// Which rows of a trace to replay and how to map trace time onto simulated time.
///
/// A row is selected when `from ≤ trace time < to` (trace time before shifting).
/// Selected rows, ordered by trace time (ties in file order), are submitted at
/// `start + (trace time − from) / timeScale`: the window's start lands on
/// `start` and every gap is divided by `timeScale`. `limit` caps the number of
/// *tasks* (instances); the row that reaches it is cut to the instances left.
/// `instanceScale` (for traces whose rows are groups) shrinks each row to
/// max(1, round(instances × scale)) instances before the limit is applied: the
/// only way to replay hours of a trace that submits ~200 instances a second.
public struct TraceSelection: Sendable, Equatable {
    public var fromMicros: Int64
    public var toMicros: Int64?
    public var startMicros: Int64
    public var timeScale: Double
    public var limit: Int?
    public var instanceScale: Double

    public init(fromMicros: Int64 = 0, toMicros: Int64? = nil, startMicros: Int64 = 0, timeScale: Double = 1, limit: Int? = nil,
                instanceScale: Double = 1) {
        self.fromMicros = fromMicros
        self.toMicros = toMicros
        self.startMicros = startMicros
        self.timeScale = timeScale
        self.limit = limit
        self.instanceScale = instanceScale
    }

    private struct ShapeKey: Hashable {
        var requests: [String: Int64]
        var priority: Int32
        var labels: [String: String]
    }

    /// The selected rows, in submit order, with `submitMicros` and `shape` set.
    public func apply(to read: TraceRead) -> (tasks: [TraceTask], shapeCount: Int) {
        // Sort keys, not the (large) rows: trace time, then file order.
        let order = read.tasks.indices.sorted { a, b in
            let (x, y) = (read.tasks[a].traceSeconds, read.tasks[b].traceSeconds)
            return x != y ? x < y : a < b
        }
        var selected: [TraceTask] = []
        var shapes: [ShapeKey: Int32] = [:]
        var taskCount = 0
        for index in order {
            let row = read.tasks[index]
            let t = row.traceSeconds &* 1_000_000
            if t < fromMicros { continue }
            if let to = toMicros, t >= to { break }
            if let limit, taskCount >= limit { break }
            var task = row
            if instanceScale != 1 { task.instances = max(1, Int((Double(task.instances) * instanceScale).rounded())) }
            if let limit { task.instances = min(task.instances, limit - taskCount) }
            taskCount += task.instances
            let offset = t - fromMicros
            let scaled = timeScale == 1 ? offset : Int64((Double(offset) / timeScale).rounded())
            task.submitMicros = startMicros &+ scaled
            let key = ShapeKey(requests: task.requests, priority: task.priority, labels: task.labels)
            if let shape = shapes[key] {
                task.shape = shape
            } else {
                task.shape = Int32(shapes.count)
                shapes[key] = task.shape
            }
            selected.append(task)
        }
        return (selected, shapes.count)
    }
}

/// A trace loaded for one workload: the selected rows and where they came from.
public struct TraceWorkload: Sendable, Equatable {
    public var format: TraceFormat
    /// The trace file as resolved (for messages).
    public var path: String
    /// Selected rows in submit order (see ``TraceSelection``).
    public var tasks: [TraceTask]
    /// Distinct shapes among `tasks`.
    public var shapeCount: Int
    /// Data rows in the file, and rows the reader left out (by reason).
    public var rowsRead: Int
    public var rowsSkipped: [String: Int]
    /// Every resource the format can request (so the catalog has them even if no selected row uses one).
    public var resourceNames: Set<String>

    public init(format: TraceFormat, path: String, read: TraceRead, selection: TraceSelection, resourceNames: Set<String>) {
        self.format = format
        self.path = path
        let (tasks, shapes) = selection.apply(to: read)
        self.tasks = tasks
        shapeCount = shapes
        rowsRead = read.rows
        rowsSkipped = read.skipped
        self.resourceNames = resourceNames
    }

    /// Tasks the replay submits (instances of every selected row).
    public var taskCount: Int { tasks.reduce(0) { $0 + $1.instances } }
}

/// A node read from a node-list trace.
public struct TraceNode: Sendable, Equatable {
    public var name: String
    /// Capacity by resource name (cpu: millicores; memory: bytes).
    public var capacity: [String: Int64]
    public var labels: [String: String]

    public init(name: String, capacity: [String: Int64], labels: [String: String] = [:]) {
        self.name = name
        self.capacity = capacity
        self.labels = labels
    }
}
