import BerthCluster

/// One sample of the cluster's state.
public struct TimeseriesSample: Sendable, Equatable {
    public var micros: Int64
    public var running: Int
    public var pending: Int
    /// Allocated per resource, cluster-wide (catalog order).
    public var allocated: [Int64]
}

/// Samples running/pending counts and allocation at fixed intervals.
public final class TimeseriesRecorder {
    public private(set) var samples: [TimeseriesSample] = []
    public init() {}

    public func sample(_ cluster: Cluster, at micros: Int64) {
        if let last = samples.last, last.micros == micros { samples.removeLast() }
        samples.append(TimeseriesSample(micros: micros, running: cluster.count(.running),
                                        pending: cluster.count(.pending), allocated: cluster.totalAllocated))
    }
}
