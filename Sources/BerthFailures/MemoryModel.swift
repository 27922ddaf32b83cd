import BerthSimulation

/// A workload's memory *usage* over a container run and its memory limit
/// (`memory_usage`, `memory_limit`; docs/failures.md#oom-kills). When usage
/// exceeds the limit the kernel's OOM killer ends the container (Kubernetes
/// reason `OOMKilled`), and the pod's restart policy decides what follows, as
/// for a crash.
public struct MemorySpec: Sendable, Equatable {
    public enum Usage: Sendable, Equatable {
        /// The same usage throughout every run (bytes).
        case constant(Int64)
        /// A constant usage per run, drawn at each (re)start (the distribution is in MiB).
        case distribution(DistributionSpec)
        /// Linear from `from` to `to` bytes over `overMicros` of running (nil: over
        /// the run's remaining duration, batch only), then flat at `to`.
        case ramp(from: Int64, to: Int64, overMicros: Int64?)
    }
    public var usage: Usage
    public var limitBytes: Int64

    public init(usage: Usage, limitBytes: Int64) {
        self.usage = usage
        self.limitBytes = limitBytes
    }

    /// How long into a run the usage first exceeds the limit (µs), or nil if it
    /// never does. `runMicros` is the run's length (nil: runs until stopped);
    /// an OOM at or after it does not happen (the run completes first).
    /// `draw` gives a usage in MiB for a distribution.
    public func oomOffset(runMicros: Int64?, draw: () -> Double) -> Int64? {
        let offset: Int64?
        switch usage {
        case .constant(let bytes):
            offset = bytes > limitBytes ? 0 : nil
        case .distribution:
            offset = draw() * 1_048_576 > Double(limitBytes) ? 0 : nil
        case .ramp(let from, let to, let over):
            if from > limitBytes {
                offset = 0
            } else if to <= limitBytes {
                offset = nil
            } else if let span = over ?? runMicros {
                // usage(t) = from + (to − from) · t / span crosses the limit at
                // t* = span · (limit − from) / (to − from); rounded up to a whole µs.
                let t = Double(span) * Double(limitBytes - from) / Double(to - from)
                offset = Int64(t.rounded(.up))
            } else {
                offset = nil
            }
        }
        guard let offset else { return nil }
        if let runMicros, offset >= runMicros { return nil }
        return offset
    }
}
