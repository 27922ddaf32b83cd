import BerthFailures
import BerthWorkloads

/// OOM kills (`memory_usage`, `memory_limit`) and checkpointed batch work
/// (`checkpoint_interval_s`) per workload (docs/failures.md).
extension ScenarioDecoder {
    static let memoryKeys = ["memory_usage", "memory_limit", "checkpoint_interval_s"]
    static let rampKeys = ["from", "to", "over_s"]

    func decodeMemory(_ drafts: [WorkloadDraft]) -> ([Int32: MemorySpec], [Int32: Int64]) {
        var memory: [Int32: MemorySpec] = [:]
        var checkpoints: [Int32: Int64] = [:]
        for (index, draft) in drafts.enumerated() {
            let field = draft.field
            let kind = draft.spec.kind
            if let f = field.lookup("checkpoint_interval_s") {
                if kind != .batch {
                    f.error("checkpoints apply to batch workloads only (their tasks have a finite amount of work)")
                } else if let s = f.seconds() {
                    if s > 0 { checkpoints[Int32(index)] = Int64((s * 1_000_000).rounded()) } else { f.error("must be greater than 0") }
                }
            }
            let (usageField, limitField) = (field.lookup("memory_usage"), field.lookup("memory_limit"))
            guard usageField != nil || limitField != nil else { continue }
            guard kind == .service || kind == .batch else {
                (usageField ?? limitField ?? field).error("memory usage models apply to service and batch workloads only")
                continue
            }
            guard let usageField else { limitField?.error("memory_limit needs a memory_usage model to compare with"); continue }
            // Without memory_limit, a pod's containers' limits.memory (all of them must set one; their sum bounds the pod).
            let containers = draft.spec.template.pod?.containers ?? []
            let podLimit: Int64? = !containers.isEmpty && containers.allSatisfy({ $0.limits["memory"] != nil })
                ? containers.reduce(0) { $0 + ($1.limits["memory"] ?? 0) } : nil
            if limitField != nil && podLimit != nil {
                limitField?.error("give the limit once: memory_limit, or limits.memory on the pod's containers, not both")
                continue
            }
            guard limitField != nil || podLimit != nil else {
                usageField.error("a memory usage model needs a memory_limit",
                                 hint: "e.g. memory_limit: 2Gi, or limits.memory on every container of the pod")
                continue
            }
            let limit = limitField.map { $0.quantity(.whole) } ?? podLimit
            let usage: MemorySpec.Usage?
            switch usageField.node {
            case .scalar:
                usage = usageField.quantity(.whole).map { .constant($0) }
            case .mapping where usageField.lookup("dist") != nil:
                usage = decodeDistribution(usageField, timed: false).map { .distribution($0) }
            case .mapping:
                guard let map = usageField.mapping(allowed: Self.rampKeys, what: "a ramp {from, to, over_s} or a distribution") else { usage = nil; break }
                let from = map.required("from", in: usageField)?.quantity(.whole)
                let to = map.required("to", in: usageField)?.quantity(.whole)
                let over = map["over_s"].flatMap { f -> Int64? in
                    guard let s = f.seconds() else { return nil }
                    guard s > 0 else { f.error("must be greater than 0"); return nil }
                    return Int64((s * 1_000_000).rounded())
                }
                if map["over_s"] == nil && kind == .service {
                    usageField.error("a service runs until stopped, so its ramp needs over_s", hint: "e.g. {from: 512Mi, to: 4Gi, over_s: 6h}")
                }
                guard let from, let to, map["over_s"] == nil || over != nil else { usage = nil; break }
                usage = .ramp(from: from, to: to, overMicros: over)
            default:
                usageField.error("expected a quantity (1Gi), a ramp {from: 512Mi, to: 3Gi} or a distribution in MiB, got \(usageField.got)")
                usage = nil
            }
            guard let usage, let limit else { continue }
            if limit == 0 { (limitField ?? usageField).error("the memory limit must be greater than 0"); continue }
            memory[Int32(index)] = MemorySpec(usage: usage, limitBytes: limit)
        }
        return (memory, checkpoints)
    }
}
