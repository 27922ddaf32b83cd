/// Recovery as the seed systems do it (`failures.recovery`, docs/failures.md
/// "Recovery in Berth, per system"): how long before a crashed node's tasks
/// are treated as lost, what a container crash leads to (an in-place restart
/// or a replacement placed by the scheduler) and after what delay.
public enum RecoverySystem: String, Sendable, CaseIterable {
    case kubernetes, nomad, marathon, swarm, ecs

    /// The recovery of a scheduler preset's family (`recovery: auto`):
    /// `nomad*` → Nomad, `mesos*`/`marathon*` → Marathon, `swarm*` → Swarm,
    /// `ecs*` → ECS; every other preset (kubernetes, the generic policies,
    /// the decision-time monolithic and Omega presets) → Kubernetes.
    public static func family(ofPreset preset: String) -> RecoverySystem {
        if preset.hasPrefix("nomad") { return .nomad }
        if preset.hasPrefix("mesos") || preset.hasPrefix("marathon") { return .marathon }
        if preset.hasPrefix("swarm") { return .swarm }
        if preset.hasPrefix("ecs") { return .ecs }
        return .kubernetes
    }
}

/// Nomad's `restart` block (nomad/structs/structs.go `RestartPolicy`).
public struct NomadRestartPolicy: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable { case fail, delay }
    public var attempts: Int
    public var intervalMicros: Int64
    public var delayMicros: Int64
    public var mode: Mode
    /// Fraction of `delay` added as uniform jitter (client restarts.go `jitter = 0.25`).
    public var jitterFraction: Double

    public init(attempts: Int, intervalMicros: Int64, delayMicros: Int64, mode: Mode, jitterFraction: Double = 0.25) {
        self.attempts = attempts
        self.intervalMicros = intervalMicros
        self.delayMicros = delayMicros
        self.mode = mode
        self.jitterFraction = jitterFraction
    }

    /// `DefaultServiceJobRestartPolicy`: 2 attempts in 30 min, 15 s delay, mode fail.
    public static let service = NomadRestartPolicy(attempts: 2, intervalMicros: 1_800_000_000, delayMicros: 15_000_000, mode: .fail)
    /// `DefaultBatchJobRestartPolicy`: 3 attempts in 24 h, 15 s delay, mode fail.
    public static let batch = NomadRestartPolicy(attempts: 3, intervalMicros: 86_400_000_000, delayMicros: 15_000_000, mode: .fail)
}

/// Nomad's client restart tracker (client/allocrunner/taskrunner/restarts
/// `RestartTracker.GetState`) for task failures, ported step by step.
public struct NomadRestartTracker: Sendable, Equatable {
    public var count = 0
    /// When the current interval began (the tracker's creation: the task's first start).
    public var startMicros: Int64

    public init(startMicros: Int64) { self.startMicros = startMicros }

    public enum Decision: Sendable, Equatable {
        /// Restart after this delay (`jitterDraw` in [0, delay) gave the jitter).
        case restart(afterMicros: Int64)
        /// Attempts exhausted under mode fail: the allocation fails.
        case fail
    }

    /// The task failed at `now`. `jitterDraw(d)` returns a uniform integer in [0, d)
    /// (upstream `rand.Int63n(delay)`).
    public mutating func taskFailed(at now: Int64, policy: NomadRestartPolicy, jitterDraw: (Int64) -> Int64) -> Decision {
        if policy.attempts == 0 { return .fail }
        count += 1
        // "Check if we have entered a new interval."
        if now > startMicros &+ policy.intervalMicros {
            count = 0
            startMicros = now
        }
        if count > policy.attempts {
            switch policy.mode {
            case .fail: return .fail
            case .delay: return .restart(afterMicros: startMicros &+ policy.intervalMicros - now)
            }
        }
        let d = max(policy.delayMicros, 1)
        let j = Int64((Double(jitterDraw(d)) * policy.jitterFraction).rounded(.towardZero))
        return .restart(afterMicros: d + j)
    }
}

/// Nomad's `reschedule` block (nomad/structs/structs.go `ReschedulePolicy`).
public struct NomadReschedulePolicy: Sendable, Equatable {
    public enum DelayFunction: String, Sendable, CaseIterable { case constant, exponential, fibonacci }
    public var attempts: Int
    public var intervalMicros: Int64
    public var delayMicros: Int64
    public var delayFunction: DelayFunction
    /// 0: no ceiling.
    public var maxDelayMicros: Int64
    public var unlimited: Bool

    public init(attempts: Int, intervalMicros: Int64, delayMicros: Int64, delayFunction: DelayFunction, maxDelayMicros: Int64,
                unlimited: Bool) {
        self.attempts = attempts
        self.intervalMicros = intervalMicros
        self.delayMicros = delayMicros
        self.delayFunction = delayFunction
        self.maxDelayMicros = maxDelayMicros
        self.unlimited = unlimited
    }

    /// `DefaultServiceJobReschedulePolicy`: 30 s exponential, at most 1 h, unlimited.
    public static let service = NomadReschedulePolicy(attempts: 0, intervalMicros: 0, delayMicros: 30_000_000,
                                                      delayFunction: .exponential, maxDelayMicros: 3_600_000_000, unlimited: true)
    /// `DefaultBatchJobReschedulePolicy`: 1 attempt in 24 h, 5 s constant.
    public static let batch = NomadReschedulePolicy(attempts: 1, intervalMicros: 86_400_000_000, delayMicros: 5_000_000,
                                                    delayFunction: .constant, maxDelayMicros: 0, unlimited: false)

    /// One past reschedule of an allocation chain (`RescheduleEvent`).
    public struct Event: Sendable, Equatable {
        public var rescheduleMicros: Int64
        public var delayMicros: Int64
        public init(rescheduleMicros: Int64, delayMicros: Int64) {
            self.rescheduleMicros = rescheduleMicros
            self.delayMicros = delayMicros
        }
    }

    /// `RescheduleTracker.RescheduleEligible` / `rescheduleInfo`: whether an
    /// allocation that failed at `failMicros` with these past events may be rescheduled.
    public func eligible(events: [Event], failMicros: Int64) -> Bool {
        guard attempts > 0 || unlimited else { return false }
        if unlimited { return true }
        if events.isEmpty { return true }
        let attempted = events.filter { failMicros - $0.rescheduleMicros < intervalMicros }.count
        return attempted < attempts
    }

    /// `Allocation.NextDelay`: the delay before the next reschedule, from the
    /// policy and the allocation's past reschedule events.
    public func nextDelay(events: [Event], failMicros: Int64) -> Int64 {
        var delay = delayMicros
        guard let last = events.last else { return delay }
        switch delayFunction {
        case .exponential:
            delay = last.delayMicros * 2
        case .fibonacci:
            if events.count >= 2 {
                let n1 = last.delayMicros, n2 = events[events.count - 2].delayMicros
                // "Handle reset of delay ceiling which should cause a new series to start"
                delay = (n2 == maxDelayMicros && n1 == delayMicros) ? n1 : n1 + n2
            }
        case .constant:
            return delay
        }
        if maxDelayMicros > 0 && delay > maxDelayMicros {
            delay = maxDelayMicros
            // "check if delay needs to be reset"
            if failMicros - last.rescheduleMicros > delay { delay = delayMicros }
        }
        return delay
    }
}

/// Marathon's launch back-off (`BackoffStrategy`; `RateLimiter` `Delay.increased`):
/// the first failure delays the app's next launch by `backoff`, each further
/// one multiplies the delay by `factor`, capped at `maxLaunchDelay`.
public struct MarathonBackoff: Sendable, Equatable {
    public var backoffMicros: Int64
    public var factor: Double
    public var maxLaunchDelayMicros: Int64

    /// `AppDefinition.DefaultBackoff` 1 s, `DefaultBackoffFactor` 1.15, `DefaultMaxLaunchDelay` 1 h.
    public static let defaults = MarathonBackoff(backoffMicros: 1_000_000, factor: 1.15, maxLaunchDelayMicros: 3_600_000_000)

    public init(backoffMicros: Int64, factor: Double, maxLaunchDelayMicros: Int64) {
        self.backoffMicros = backoffMicros
        self.factor = factor
        self.maxLaunchDelayMicros = maxLaunchDelayMicros
    }

    /// The delay after a failure, in nanoseconds as upstream keeps it
    /// (`(delay.toNanos * factor).toLong`), given the app's current delay (nil: none yet).
    public func nextNanos(after current: Int64?) -> Int64 {
        let cap = maxLaunchDelayMicros &* 1000
        guard let current else { return min(backoffMicros &* 1000, cap) }
        let grown = (Double(current) * factor).rounded(.towardZero)
        return grown >= Double(cap) ? cap : Int64(grown)
    }

    /// The same in µs (truncated), for a chain of `failures` failures (1-based).
    public func delayMicros(failures: Int) -> Int64 {
        var d: Int64? = nil
        for _ in 0..<max(1, failures) { d = nextNanos(after: d) }
        return (d ?? 0) / 1000
    }
}

/// Swarmkit's `RestartPolicy` (api/specs.proto; orchestrator/restart):
/// condition `any`, `delay` 5 s (`orchestrator.DefaultRestartDelay`),
/// `max_attempts` 0 (unlimited), `window` 0 (all restarts count).
public struct SwarmRestartPolicy: Sendable, Equatable {
    public var delayMicros: Int64
    public var maxAttempts: Int
    public var windowMicros: Int64

    public static let defaults = SwarmRestartPolicy(delayMicros: 5_000_000, maxAttempts: 0, windowMicros: 0)

    public init(delayMicros: Int64, maxAttempts: Int, windowMicros: Int64) {
        self.delayMicros = delayMicros
        self.maxAttempts = maxAttempts
        self.windowMicros = windowMicros
    }

    /// Whether a slot that restarted at `past` may restart again at `now`.
    public func mayRestart(past: [Int64], at now: Int64) -> Bool {
        guard maxAttempts > 0 else { return true }
        let counted = windowMicros > 0 ? past.filter { now - $0 < windowMicros }.count : past.count
        return counted < maxAttempts
    }
}

/// How long after a node crash the control plane treats its tasks as lost.
public enum NodeLossDetection: Sendable, Equatable {
    /// At the crash (Berth's behaviour before recovery presets).
    case instant
    /// After this many µs (for Kubernetes, plus each pod's toleration).
    case after(Int64)
}

/// `failures.recovery` as written: a system (or `auto`) and overrides.
public struct RecoverySpec: Sendable, Equatable {
    /// nil: `auto` (by the scheduler preset's family).
    public var system: RecoverySystem?
    public var nodeLost: NodeLossDetection?
    public var nomadRestart = NomadRestartOverride()
    public var nomadReschedule = NomadRescheduleOverride()
    public var marathon: MarathonBackoff?
    public var swarm: SwarmRestartPolicy?
    /// ECS: delay before the service scheduler launches a replacement.
    public var ecsReplacementDelayMicros: Int64?

    public init(system: RecoverySystem? = nil) { self.system = system }

    public struct NomadRestartOverride: Sendable, Equatable {
        public var attempts: Int?
        public var intervalMicros: Int64?
        public var delayMicros: Int64?
        public var mode: NomadRestartPolicy.Mode?
        public var jitterFraction: Double?
        public init() {}
        public func applied(to p: NomadRestartPolicy) -> NomadRestartPolicy {
            NomadRestartPolicy(attempts: attempts ?? p.attempts, intervalMicros: intervalMicros ?? p.intervalMicros,
                               delayMicros: delayMicros ?? p.delayMicros, mode: mode ?? p.mode,
                               jitterFraction: jitterFraction ?? p.jitterFraction)
        }
    }

    public struct NomadRescheduleOverride: Sendable, Equatable {
        public var attempts: Int?
        public var intervalMicros: Int64?
        public var delayMicros: Int64?
        public var delayFunction: NomadReschedulePolicy.DelayFunction?
        public var maxDelayMicros: Int64?
        public var unlimited: Bool?
        public init() {}
        public func applied(to p: NomadReschedulePolicy) -> NomadReschedulePolicy {
            NomadReschedulePolicy(attempts: attempts ?? p.attempts, intervalMicros: intervalMicros ?? p.intervalMicros,
                                  delayMicros: delayMicros ?? p.delayMicros, delayFunction: delayFunction ?? p.delayFunction,
                                  maxDelayMicros: maxDelayMicros ?? p.maxDelayMicros, unlimited: unlimited ?? p.unlimited)
        }
    }
}

/// The recovery a run applies: `RecoverySpec` resolved against the preset, defaults filled in.
public struct RecoveryModel: Sendable, Equatable {
    public var system: RecoverySystem
    public var nodeLost: NodeLossDetection
    public var nomadRestartService: NomadRestartPolicy
    public var nomadRestartBatch: NomadRestartPolicy
    public var nomadRescheduleService: NomadReschedulePolicy
    public var nomadRescheduleBatch: NomadReschedulePolicy
    public var marathon: MarathonBackoff
    public var swarm: SwarmRestartPolicy
    public var ecsReplacementDelayMicros: Int64

    /// Kubernetes v1.28 `node-monitor-grace-period` (kube-controller-manager): 40 s.
    public static let kubernetesNodeMonitorGraceMicros: Int64 = 40_000_000
    /// Nomad server `min_heartbeat_ttl` 10 s + `heartbeat_grace` 10 s (nomad/config.go DefaultConfig).
    public static let nomadHeartbeatMicros: Int64 = 20_000_000
    /// Mesos master `agent_ping_timeout` 15 s × `max_agent_ping_timeouts` 5, then Marathon
    /// `unreachableStrategy.inactiveAfterSeconds` 0 (UnreachableEnabled.DefaultInactiveAfter).
    public static let mesosAgentRemovalMicros: Int64 = 75_000_000
    /// Swarmkit dispatcher `DefaultHeartBeatPeriod` 5 s × `GracePeriodMultiplierNormal` 3.
    public static let swarmHeartbeatMicros: Int64 = 15_000_000

    /// What runs got before recovery presets existed (and still get without
    /// `failures.recovery`): Kubernetes controllers, instant detection.
    public static let legacy = RecoveryModel(RecoverySpec(system: .kubernetes), preset: "kubernetes", instant: true)

    public init(_ spec: RecoverySpec, preset: String, instant: Bool = false) {
        system = spec.system ?? RecoverySystem.family(ofPreset: preset)
        let defaultDetection: NodeLossDetection = switch system {
        case _ where instant: .instant
        case .kubernetes: .after(Self.kubernetesNodeMonitorGraceMicros)
        case .nomad: .after(Self.nomadHeartbeatMicros)
        case .marathon: .after(Self.mesosAgentRemovalMicros)
        case .swarm: .after(Self.swarmHeartbeatMicros)
        case .ecs: .instant
        }
        nodeLost = spec.nodeLost ?? defaultDetection
        nomadRestartService = spec.nomadRestart.applied(to: .service)
        nomadRestartBatch = spec.nomadRestart.applied(to: .batch)
        nomadRescheduleService = spec.nomadReschedule.applied(to: .service)
        nomadRescheduleBatch = spec.nomadReschedule.applied(to: .batch)
        marathon = spec.marathon ?? .defaults
        swarm = spec.swarm ?? .defaults
        ecsReplacementDelayMicros = spec.ecsReplacementDelayMicros ?? 0
    }

    /// Whether this is exactly Berth's pre-preset behaviour (no new events, no delays).
    public var isLegacy: Bool { system == .kubernetes && nodeLost == .instant }
}
