import BerthFailures
import BerthWorkloads

/// Container failures per workload: `crash_probability` / `crash_rate_per_hour`
/// and `restart_policy` (docs/failures.md).
extension ScenarioDecoder {
    static let crashKeys = ["crash_probability", "crash_rate_per_hour", "restart_policy", "crash_exit_code"]

    /// The crash settings of each workload that has any, by workload index.
    func decodeCrashes(_ drafts: [WorkloadDraft], hasHorizon: Bool) -> [Int32: CrashSpec] {
        var result: [Int32: CrashSpec] = [:]
        for (index, draft) in drafts.enumerated() {
            let field = draft.field
            let (p, rate, policyField) = (field.lookup("crash_probability"), field.lookup("crash_rate_per_hour"), field.lookup("restart_policy"))
            let exitField = field.lookup("crash_exit_code")
            guard p != nil || rate != nil || policyField != nil || exitField != nil else { continue }
            let kind = draft.spec.kind
            if kind == .workflow { continue }  // per task, decoded with the DAG (ScenarioDecoder+Workflow.swift)
            guard kind == .service || kind == .batch else {
                (p ?? rate ?? policyField ?? exitField ?? field).error("container failures apply to service and batch workloads only")
                continue
            }
            var hazard: CrashSpec.Hazard?
            switch (p, rate) {
            case (let p?, nil):
                guard let value = p.double() else { continue }
                guard value >= 0, value <= 1 else { p.error("must be between 0 and 1, got \(value)"); continue }
                guard kind == .batch else {
                    p.error("a service runs forever, so a per-run probability has no time to happen in",
                            hint: "use crash_rate_per_hour")
                    continue
                }
                hazard = .probability(value)
            case (nil, let r?):
                guard let value = r.double() else { continue }
                guard value > 0 else { r.error("must be greater than 0, got \(value)"); continue }
                if kind == .service && !hasHorizon {
                    r.error("a service that keeps crashing never stops, so the scenario needs a horizon", hint: "add e.g. horizon: 1d at the top level")
                    continue
                }
                hazard = .ratePerHour(value)
            case (_?, _?):
                field.error("give either \"crash_probability\" or \"crash_rate_per_hour\", not both")
                continue
            case (nil, nil):
                hazard = nil
            }
            // Upstream validation: ReplicaSet pods must be Always; Job pods OnFailure or Never.
            let allowed: [RestartPolicy] = kind == .service ? [.always] : [.onFailure, .never]
            var policy = allowed[allowed.count - 1]
            if let f = policyField, let chosen = f.oneOf(RestartPolicy.allCases.map { ($0.rawValue, $0) }, what: "restart policy") {
                guard allowed.contains(chosen) else {
                    f.error("a \(kind.rawValue) workload cannot use restart policy \(chosen.rawValue)",
                            hint: "supported: \(allowed.map(\.rawValue).joined(separator: ", ")) (as Kubernetes validates \(kind == .service ? "ReplicaSet" : "Job") pods)")
                    continue
                }
                policy = chosen
            }
            // A crash is a non-zero exit (1…255; 0 would be a success).
            let exitCode = exitField?.int(min: 1, max: 255).map(Int32.init) ?? 1
            if let exitField, p == nil && rate == nil {
                exitField.error("crash_exit_code needs crash_probability or crash_rate_per_hour: without them nothing crashes")
            }
            result[Int32(index)] = CrashSpec(hazard: hazard, restartPolicy: policy, exitCode: exitCode)
        }
        return result
    }
}
