import BerthCluster
import BerthSimulation
import CGSL

/// Order statistics of a sample, via GSL (`gsl_stats_quantile_from_sorted_data`:
/// linear interpolation between order statistics, as R's type 7).
public struct SampleStatistics: Sendable, Equatable {
    public var count: Int
    public var mean: Double?
    public var p50: Double?
    public var p95: Double?
    public var p99: Double?
    public var max: Double?

    public init(_ values: [Double]) {
        count = values.count
        guard !values.isEmpty else { return }
        var sorted = values.sorted()
        mean = sorted.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, $0.count) }
        func q(_ f: Double) -> Double { sorted.withUnsafeMutableBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, f) } }
        p50 = q(0.50)
        p95 = q(0.95)
        p99 = q(0.99)
        max = sorted.last
    }

    /// The quantiles of `values` at each of `fractions` (in [0, 1]), by the
    /// same GSL interpolation as the summary statistics; empty for no values.
    public static func quantiles(_ values: [Double], at fractions: [Double]) -> [Double] {
        guard !values.isEmpty else { return [] }
        var sorted = values.sorted()
        return fractions.map { f in
            sorted.withUnsafeMutableBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, Swift.min(1, Swift.max(0, f))) }
        }
    }
}

/// The one-row result of a run (summary.csv); see docs/reports.md.
public struct RunSummary: Sendable {
    public var scenario: String
    public var scheduler: String
    public var seed: UInt64
    public var endMicros: Int64
    public var nodes: Int
    public var submitted: Int
    /// Tasks that ever started.
    public var scheduled: Int
    public var finished: Int
    public var running: Int
    public var pending: Int
    public var failed: Int
    public var killed: Int
    /// Wait (start − submit) of every task that started, in seconds.
    public var wait: SampleStatistics
    /// Longest wait so far among tasks still pending at the end (censored waits).
    public var pendingWaitMaxSeconds: Double?
    /// First batch submission to last batch completion, if any batch task finished.
    public var makespanSeconds: Double?
    public var nodeHours: Double
    public var cost: Double
    /// Time-weighted allocated/allocatable per resource (catalog order).
    public var allocationFraction: [Double?]
    public var events: Int64
    /// Tasks evicted by preemption, and the CPU core-seconds of work they had done.
    public var preempted: Int
    public var preemptedCoreSeconds: Double
    /// Batch jobs that failed because their failed pods exceeded `backoff_limit`.
    public var jobsFailed: Int
    /// Failures (docs/failures.md): node down transitions, node-seconds down,
    /// tasks killed by node failures and the CPU work they lost, and the
    /// lowest service availability (nil without services).
    public var nodeFailures = 0
    public var nodeDownSeconds = 0.0
    public var killedByNodeFailure = 0
    public var nodeFailureLostCoreSeconds = 0.0
    public var availabilityMin: Double?
    /// Container crashes, in-place restarts, and CPU core-seconds the crashed runs lost.
    public var containerCrashes = 0
    public var containerRestarts = 0
    public var crashLostCoreSeconds = 0.0
    /// Containers ended by the OOM killer, and the CPU work they lost.
    public var oomKills = 0
    public var oomLostCoreSeconds = 0.0
    public var catalog: ResourceCatalog

    public init(scenario: String, scheduler: String, seed: UInt64, cluster: Cluster, tracker: AllocationTracker,
                endMicros: Int64, events: Int64, batchWorkloads: Set<Int32>, preempted: Int = 0, preemptedCoreSeconds: Double = 0, jobsFailed: Int = 0) {
        self.jobsFailed = jobsFailed
        self.preempted = preempted
        self.preemptedCoreSeconds = preemptedCoreSeconds
        self.scenario = scenario
        self.scheduler = scheduler
        self.seed = seed
        self.endMicros = endMicros
        self.events = events
        catalog = cluster.catalog
        nodes = cluster.nodes.count
        submitted = cluster.tasks.count
        finished = cluster.count(.finished)
        running = cluster.count(.running)
        pending = cluster.count(.pending)
        failed = cluster.count(.failed)
        killed = cluster.count(.killed)
        var waits: [Double] = []
        var pendingMax: Int64 = -1
        var batchStart = Int64.max, batchEnd = Int64.min
        for task in cluster.tasks {
            if let wait = task.waitSeconds {
                waits.append(wait)
            } else if task.state == .pending {
                pendingMax = Swift.max(pendingMax, endMicros - task.submitMicros)
            }
            if batchWorkloads.contains(task.spec.workload) {
                batchStart = Swift.min(batchStart, task.submitMicros)
                if task.state == .finished { batchEnd = Swift.max(batchEnd, task.endMicros) }
            }
        }
        scheduled = waits.count
        wait = SampleStatistics(waits)
        pendingWaitMaxSeconds = pendingMax >= 0 ? Double(pendingMax) / 1_000_000 : nil
        makespanSeconds = batchEnd >= batchStart ? Double(batchEnd - batchStart) / 1_000_000 : nil
        let hours = Double(endMicros) / 3_600_000_000
        nodeHours = hours * Double(cluster.nodes.count)
        cost = cluster.nodes.reduce(0) { $0 + $1.pricePerHour * hours }
        tracker.close(at: endMicros)
        allocationFraction = (0..<cluster.catalog.count).map {
            tracker.clusterFraction($0, allocatable: cluster.totalAllocatable[$0], durationMicros: endMicros)
        }
    }
}
