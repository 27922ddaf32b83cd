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
    /// `kubectl drain --grace-period`: overrides each evicted pod's own
    /// grace period (nil: the pod's own, kubectl's default -1).
    public var gracePeriodMicros: Int64?

    public init(drains: [Drain], durationMicros: Int64, gracePeriodMicros: Int64? = nil) {
        self.drains = drains
        self.durationMicros = durationMicros
        self.gracePeriodMicros = gracePeriodMicros
    }
}

/// A PodDisruptionBudget for a service (policy/v1): `minAvailable` or
/// `maxUnavailable`, as a count of replicas or a percentage of the
/// controller's scale (`"50%"`).
public enum DisruptionBudget: Sendable, Equatable {
    case minAvailable(Int)
    case maxUnavailable(Int)
    /// `minAvailable: "N%"` (0…100).
    case minAvailablePercent(Int)
    /// `maxUnavailable: "N%"` (0…100).
    case maxUnavailablePercent(Int)

    /// Upstream disruption controller (`updatePdbStatus`): an eviction is
    /// allowed while `disruptionsAllowed = currentHealthy − desiredHealthy ≥ 1`,
    /// and never while the expected count is 0.
    public func allowsEviction(healthy: Int, expected: Int) -> Bool {
        disruptionsAllowed(healthy: healthy, expected: expected) >= 1
    }

    /// Upstream `status.disruptionsAllowed`: `currentHealthy − desiredHealthy`,
    /// 0 when negative or when the expected count is 0.
    public func disruptionsAllowed(healthy: Int, expected: Int) -> Int {
        guard expected > 0 else { return 0 }
        return max(0, healthy - desiredHealthy(expected: expected))
    }

    /// Upstream `getExpectedPodCount` for `expected` replicas (the
    /// controller's scale): `minAvailable`, or `expected − maxUnavailable`
    /// (at least 0); a percentage is scaled by
    /// `intstr.GetScaledValueFromIntOrPercent(…, expected, roundUp: true)`,
    /// i.e. ⌈p × expected / 100⌉ — so `minAvailable: 50%` of 3 is 2 and
    /// `maxUnavailable: 25%` of 3 is 1 (desiredHealthy 2).
    public func desiredHealthy(expected: Int) -> Int {
        switch self {
        case .minAvailable(let n): n
        case .maxUnavailable(let n): max(0, expected - n)
        case .minAvailablePercent(let p): Self.scaledRoundingUp(p, of: expected)
        case .maxUnavailablePercent(let p): max(0, expected - Self.scaledRoundingUp(p, of: expected))
        }
    }

    /// ⌈percent × total / 100⌉ (upstream computes `math.Ceil(float64(v) * float64(total) / 100)`).
    /// Percentages are 0…100 and counts non-negative (validated by the scenario reader).
    public static func scaledRoundingUp(_ percent: Int, of total: Int) -> Int {
        (max(0, percent) * max(0, total) + 99) / 100
    }
}

/// Pod `terminationGracePeriodSeconds` default (core/v1 defaulting): 30 s.
public let defaultTerminationGracePeriodMicros: Int64 = 30_000_000

/// kubectl drain retries an eviction refused by a budget (HTTP 429) every 5 s.
public let drainRetryMicros: Int64 = 5_000_000
