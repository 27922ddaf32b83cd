import BerthFailures

/// `failures.recovery` (docs/failures.md "Recovery in Berth, per system").
extension ScenarioDecoder {
    static let recoverySystems: [(String, RecoverySystem?)] = [("auto", nil)] + RecoverySystem.allCases.map { ($0.rawValue, $0) }
    static let nomadRecoveryKeys = ["restart", "reschedule"]
    static let marathonRecoveryKeys = ["backoff_s", "backoff_factor", "max_launch_delay_s"]
    static let swarmRecoveryKeys = ["restart_delay_s", "max_attempts", "window_s"]
    static let ecsRecoveryKeys = ["replacement_delay_s"]
    static let recoveryKeys = ["system", "node_lost_after_s"] + nomadRecoveryKeys + marathonRecoveryKeys + swarmRecoveryKeys + ecsRecoveryKeys
    static let nomadRestartKeys = ["attempts", "interval_s", "delay_s", "mode", "jitter_frac"]
    static let nomadRescheduleKeys = ["attempts", "interval_s", "delay_s", "delay_function", "max_delay_s", "unlimited"]

    /// `recovery: nomad` or `recovery: {system: nomad, …overrides}`.
    func decodeRecovery(_ field: Field) -> RecoverySpec? {
        if field.scalar != nil {
            guard let system = field.oneOf(Self.recoverySystems, what: "recovery system") else { return nil }
            return RecoverySpec(system: system)
        }
        guard let map = field.mapping(allowed: Self.recoveryKeys, what: "a recovery system name or a mapping") else { return nil }
        var spec = RecoverySpec()
        if let s = map["system"] {
            guard let system = s.oneOf(Self.recoverySystems, what: "recovery system") else { return nil }
            spec.system = system
        }
        // Keys of one system are refused under another (auto accepts them all: they apply if the preset's family matches).
        let owned: [(RecoverySystem, [String])] = [(.nomad, Self.nomadRecoveryKeys), (.marathon, Self.marathonRecoveryKeys),
                                                   (.swarm, Self.swarmRecoveryKeys), (.ecs, Self.ecsRecoveryKeys)]
        if let system = spec.system {
            for (owner, keys) in owned where owner != system {
                for key in keys where map[key] != nil {
                    (field.keyField(key) ?? map[key])?.error("\"\(key)\" is a \(owner.rawValue) setting, but the recovery system is \(system.rawValue)",
                                                   hint: "remove it, or set system: \(owner.rawValue) (or auto)")
                }
            }
        }
        if let n = map["node_lost_after_s"] {
            if n.scalar?.string == "instant" {
                spec.nodeLost = .instant
            } else if let text = n.scalar?.string, !(text.first?.isNumber ?? false) {
                n.error("expected a number of seconds, a duration or \"instant\", got \(n.got)")
            } else if let us = nonNegativeMicros(n) {
                spec.nodeLost = us == 0 ? .instant : .after(us)
            }
        }
        if let r = map["restart"], let m = r.mapping(allowed: Self.nomadRestartKeys) {
            spec.nomadRestart.attempts = m["attempts"]?.int(min: 0)
            spec.nomadRestart.intervalMicros = m["interval_s"].flatMap { nonNegativeMicros($0) }
            spec.nomadRestart.delayMicros = m["delay_s"].flatMap { nonNegativeMicros($0) }
            spec.nomadRestart.mode = m["mode"]?.oneOf(NomadRestartPolicy.Mode.allCases.map { ($0.rawValue, $0) }, what: "restart mode")
            if let j = m["jitter_frac"], let x = j.double() {
                if x < 0 || x > 1 { j.error("must be between 0 and 1, got \(x)") } else { spec.nomadRestart.jitterFraction = x }
            }
        }
        if let r = map["reschedule"], let m = r.mapping(allowed: Self.nomadRescheduleKeys) {
            var o = RecoverySpec.NomadRescheduleOverride()
            o.attempts = m["attempts"]?.int(min: 0)
            o.intervalMicros = m["interval_s"].flatMap { nonNegativeMicros($0) }
            o.delayMicros = m["delay_s"].flatMap { nonNegativeMicros($0) }
            o.delayFunction = m["delay_function"]?.oneOf(NomadReschedulePolicy.DelayFunction.allCases.map { ($0.rawValue, $0) },
                                                          what: "delay function")
            o.maxDelayMicros = m["max_delay_s"].flatMap { nonNegativeMicros($0) }
            o.unlimited = m["unlimited"]?.bool()
            // Upstream ReschedulePolicy.Validate: a growing delay needs max_delay ≥ delay.
            for kind in [NomadReschedulePolicy.service, .batch] {
                let p = o.applied(to: kind)
                if p.delayFunction != .constant && p.maxDelayMicros < p.delayMicros {
                    r.error("max_delay_s (\(Double(p.maxDelayMicros) / 1e6)) must not be less than delay_s (\(Double(p.delayMicros) / 1e6)) with a \(p.delayFunction.rawValue) delay",
                            hint: "raise max_delay_s or lower delay_s")
                    break
                }
            }
            spec.nomadReschedule = o
        }
        if map["backoff_s"] != nil || map["backoff_factor"] != nil || map["max_launch_delay_s"] != nil {
            var b = MarathonBackoff.defaults
            if let x = map["backoff_s"].flatMap({ nonNegativeMicros($0) }) { b.backoffMicros = x }
            if let f = map["backoff_factor"], let x = f.double() {
                // Marathon's AppDefinition validation: backoffFactor ≥ 1.0.
                if x < 1 { f.error("must be at least 1.0 (Marathon's backoffFactor), got \(x)") } else { b.factor = x }
            }
            if let x = map["max_launch_delay_s"].flatMap({ nonNegativeMicros($0) }) { b.maxLaunchDelayMicros = x }
            spec.marathon = b
        }
        if map["restart_delay_s"] != nil || map["max_attempts"] != nil || map["window_s"] != nil {
            var s = SwarmRestartPolicy.defaults
            if let x = map["restart_delay_s"].flatMap({ nonNegativeMicros($0) }) { s.delayMicros = x }
            if let x = map["max_attempts"]?.int(min: 0) { s.maxAttempts = x }
            if let x = map["window_s"].flatMap({ nonNegativeMicros($0) }) { s.windowMicros = x }
            spec.swarm = s
        }
        if let x = map["replacement_delay_s"].flatMap({ nonNegativeMicros($0) }) { spec.ecsReplacementDelayMicros = x }
        return spec
    }

    private func nonNegativeMicros(_ f: Field) -> Int64? {
        guard let s = f.seconds() else { return nil }
        guard s >= 0 else { f.error("must not be negative, got \(s)"); return nil }
        return Int64((s * 1_000_000).rounded())
    }
}
