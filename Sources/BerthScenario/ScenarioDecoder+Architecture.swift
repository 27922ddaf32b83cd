import BerthSchedulers

/// Scheduler keys of the decision-time presets `monolithic`,
/// `monolithic-multipath` and `omega` (`scheduler.architecture`, docs/architectures.md).
extension ScenarioDecoder {
    static let architectureKeys = ["t_job", "t_task", "batch", "service", "conflict_mode", "transaction_mode", "max_attempts",
                                   "max_attempts_without_progress", "retry_delay"]
    static let decisionTimeKeys = ["t_job", "t_task"]

    func decodeArchitectureOptions(_ field: Field, into spec: inout SchedulerSpec) {
        guard spec.architecture == .decisionTime else {
            field.error("\"architecture\" applies only to the decision-time presets",
                        hint: "e.g. name: monolithic, monolithic-multipath or omega")
            return
        }
        guard let map = field.mapping(allowed: Self.architectureKeys) else { return }
        var o = spec.decision
        func decisionTime(_ m: [String: Field], into d: inout DecisionTime) {
            if let d1 = m["t_job"]?.duration() { d.tJobMicros = d1 }
            if let d2 = m["t_task"]?.duration() { d.tTaskMicros = d2 }
        }
        let single = o.kind == .singlePath
        for key in Self.decisionTimeKeys where !single {
            map[key]?.error("\"\(key)\" is the single-path decision time; \(spec.preset) has one per workload class",
                            hint: "use batch: {\(key): ...} and service: {\(key): ...}")
        }
        if single { decisionTime(map, into: &o.single) }
        for (key, path) in [("batch", \DecisionTimeOptions.batch), ("service", \DecisionTimeOptions.service)] {
            guard let f = map[key] else { continue }
            if single {
                f.error("\"\(key)\" decision times apply to monolithic-multipath and omega; single-path monolithic has one",
                        hint: "use t_job and t_task, or name: monolithic-multipath")
                continue
            }
            guard let m = f.mapping(allowed: Self.decisionTimeKeys) else { continue }
            decisionTime(m, into: &o[keyPath: path])
        }
        for key in ["conflict_mode", "transaction_mode"] where o.kind != .sharedState {
            map[key]?.error("\"\(key)\" applies only to omega (shared state)", hint: "e.g. name: omega")
        }
        if o.kind == .sharedState {
            if let m = map["conflict_mode"]?.oneOf(ConflictMode.allCases.map { ($0.rawValue, $0) }, what: "conflict mode") {
                o.conflictMode = m
            }
            if let m = map["transaction_mode"]?.oneOf(TransactionMode.allCases.map { ($0.rawValue, $0) }, what: "transaction mode") {
                o.transactionMode = m
            }
        }
        if let n = map["max_attempts"]?.int(min: 1, max: 1_000_000) { o.maxAttempts = n }
        if let n = map["max_attempts_without_progress"]?.int(min: 1, max: 1_000_000) { o.maxAttemptsWithoutProgress = n }
        if let d = map["retry_delay"]?.duration() { o.retryDelayMicros = d }
        spec.decision = o
    }
}
