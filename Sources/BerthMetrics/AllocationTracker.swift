import BerthCluster

/// Integrates allocation over simulated time, per resource for the whole
/// cluster and per node, exactly (`Int128` sums of amount × µs), so
/// time-weighted utilisation is byte-stable run to run.
///
/// Keeps its own copy of allocation, updated by the deltas it observes, so
/// it does not depend on whether it is told before or after a change.
public final class AllocationTracker: ClusterObserver {
    public let resourceCount: Int
    private var clusterAllocated: [Int64]
    private var clusterIntegral: [Int128]
    private var clusterLast: Int64 = 0
    private var nodeAllocated: [Int64]
    private var nodeIntegral: [Int128]
    private var nodeLast: [Int64]
    /// Tasks ever bound to each node.
    public private(set) var tasksPlaced: [Int]

    public init(cluster: Cluster) {
        resourceCount = cluster.catalog.count
        let n = cluster.nodes.count
        clusterAllocated = cluster.totalAllocated
        clusterIntegral = Array(repeating: 0, count: resourceCount)
        nodeAllocated = (0..<n).flatMap { node in (0..<cluster.catalog.count).map { cluster.allocated(node, $0) } }
        nodeIntegral = Array(repeating: 0, count: n * resourceCount)
        nodeLast = Array(repeating: 0, count: n)
        tasksPlaced = cluster.runningCount.map(Int.init)
    }

    public func taskSubmitted(_ task: Int32, in cluster: Cluster, at micros: Int64) {}

    public func taskBound(_ task: Int32, to node: Int32, in cluster: Cluster, at micros: Int64) {
        apply(cluster.tasks[Int(task)].spec.requests, sign: 1, node: Int(node), at: micros)
        tasksPlaced[Int(node)] += 1
    }

    public func taskEnding(_ task: Int32, as state: TaskState, in cluster: Cluster, at micros: Int64) {
        let record = cluster.tasks[Int(task)]
        guard record.state == .running else { return }
        apply(record.spec.requests, sign: -1, node: Int(record.node), at: micros)
    }

    private func apply(_ requests: [Int64], sign: Int64, node: Int, at micros: Int64) {
        advanceCluster(to: micros)
        advanceNode(node, to: micros)
        let base = node * resourceCount
        for r in 0..<resourceCount {
            clusterAllocated[r] += sign * requests[r]
            nodeAllocated[base + r] += sign * requests[r]
        }
    }

    private func advanceCluster(to micros: Int64) {
        let dt = Int128(micros - clusterLast)
        if dt > 0 { for r in 0..<resourceCount { clusterIntegral[r] += Int128(clusterAllocated[r]) * dt } }
        clusterLast = max(clusterLast, micros)
    }

    private func advanceNode(_ node: Int, to micros: Int64) {
        let dt = Int128(micros - nodeLast[node])
        let base = node * resourceCount
        if dt > 0 { for r in 0..<resourceCount { nodeIntegral[base + r] += Int128(nodeAllocated[base + r]) * dt } }
        nodeLast[node] = max(nodeLast[node], micros)
    }

    /// Brings every integral up to `micros` (call once at the end of a run).
    public func close(at micros: Int64) {
        advanceCluster(to: micros)
        for node in 0..<nodeLast.count { advanceNode(node, to: micros) }
    }

    /// ∫ allocated dt / (allocatable × duration) for the whole cluster; nil if undefined.
    public func clusterFraction(_ r: Int, allocatable: Int64, durationMicros: Int64) -> Double? {
        Self.fraction(clusterIntegral[r], allocatable, durationMicros)
    }

    public func nodeFraction(_ node: Int, _ r: Int, allocatable: Int64, durationMicros: Int64) -> Double? {
        Self.fraction(nodeIntegral[node * resourceCount + r], allocatable, durationMicros)
    }

    static func fraction(_ integral: Int128, _ allocatable: Int64, _ duration: Int64) -> Double? {
        guard allocatable > 0, duration > 0 else { return nil }
        let denominator = Int128(allocatable) * Int128(duration)
        // Exact to ~1e-12: integer part and remainder are converted separately.
        let whole = integral / denominator
        let remainder = integral % denominator
        return Double(whole) + Double(remainder) / Double(denominator)
    }
}
