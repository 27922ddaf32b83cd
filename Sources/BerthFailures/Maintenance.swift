/// Planned maintenance: a node is cordoned and drained (its pods evicted as
/// their disruption budgets allow), then down for `durationMicros`, then back
/// and uncordoned.
public struct MaintenanceSpec: Sendable, Equatable {
    /// One drain: `node` (an index into the scenario's nodes) at `micros`.
    public struct Drain: Sendable, Equatable {
        public var node: Int32
        public var micros: Int64
        public init(node: Int32, micros: Int64) {
            self.node = node
            self.micros = micros
        }
    }
    public var drains: [Drain]
    public var durationMicros: Int64

    public init(drains: [Drain], durationMicros: Int64) {
        self.drains = drains
        self.durationMicros = durationMicros
    }
}

/// A PodDisruptionBudget for a service (policy/v1): `minAvailable` or
/// `maxUnavailable`, as a count of replicas.
public enum DisruptionBudget: Sendable, Equatable {
    case minAvailable(Int)
    case maxUnavailable(Int)

    /// Upstream disruption controller: `desiredHealthy` is `minAvailable`, or
    /// `expectedCount − maxUnavailable`; an eviction is allowed while
    /// `currentHealthy − desiredHealthy ≥ 1` (`disruptionsAllowed`).
    public func allowsEviction(healthy: Int, expected: Int) -> Bool {
        healthy - desiredHealthy(expected: expected) >= 1
    }

    /// Upstream `desiredHealthy` for `expected` replicas.
    public func desiredHealthy(expected: Int) -> Int {
        switch self {
        case .minAvailable(let n): n
        case .maxUnavailable(let n): expected - n
        }
    }
}

/// kubectl drain retries an eviction refused by a budget (HTTP 429) every 5 s.
public let drainRetryMicros: Int64 = 5_000_000
