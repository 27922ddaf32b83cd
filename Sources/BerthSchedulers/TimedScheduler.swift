/// An architecture with timers of its own (backoff, periodic flushes). After
/// each pass the simulator asks when to run the next one.
public protocol TimedScheduler: SchedulerArchitecture {
    /// The next time (µs, > `micros`) this architecture needs a scheduling
    /// pass, and whether that pass can change anything by itself (`live`):
    /// a pass that only retries pods that already failed on an unchanged
    /// cluster is not live, so it does not keep a run without horizon going.
    func nextWakeup(after micros: Int64) -> (micros: Int64, live: Bool)?
}

/// An architecture that evicts running tasks (preemption). After each pass the
/// simulator collects the evicted tasks so their controllers can re-create them.
public protocol EvictingScheduler: SchedulerArchitecture {
    /// Tasks evicted since the last call (already ended as `.killed` in the cluster).
    func drainEvictions() -> [Int32]
}
