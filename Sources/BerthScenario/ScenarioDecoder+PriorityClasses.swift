import BerthCluster
import BerthWorkloads

/// A `scheduling.k8s.io/v1` PriorityClass as a scenario declares it.
struct PriorityClassSpec: Sendable, Equatable {
    var name: String
    var value: Int32
    var preemptionPolicy: PreemptionPolicy
    var globalDefault: Bool
}

/// The PriorityClasses a scenario can name: the two built-in system classes
/// and the scenario's own `priority_classes:`. Resolves a pod's priority and
/// preemption policy as the Priority admission plugin does
/// (plugin/pkg/admission/priority/admission.go, v1.28).
struct PriorityClassTable: Sendable {
    /// Upstream `scheduling.SystemPriorityClasses()`: their value and the default policy.
    static let system: [PriorityClassSpec] = [
        PriorityClassSpec(name: "system-node-critical", value: 2_000_001_000, preemptionPolicy: .preemptLowerPriority, globalDefault: false),
        PriorityClassSpec(name: "system-cluster-critical", value: 2_000_000_000, preemptionPolicy: .preemptLowerPriority, globalDefault: false),
    ]
    /// Upstream `scheduling.HighestUserDefinablePriority`.
    static let highestUserDefinable = 1_000_000_000
    /// Upstream `scheduling.SystemPriorityClassPrefix`.
    static let systemPrefix = "system-"

    var classes: [String: PriorityClassSpec]
    /// Whether the scenario declared `priority_classes:` at all.
    var declared: Bool

    init(declared: [PriorityClassSpec] = [], isDeclared: Bool = false) {
        var all: [String: PriorityClassSpec] = [:]
        for c in Self.system + declared { all[c.name] = c }
        classes = all
        self.declared = isDeclared
    }

    /// Upstream `getDefaultPriorityClass`: of the classes marked global
    /// default, the one with the lowest value.
    var globalDefault: PriorityClassSpec? {
        classes.values.filter(\.globalDefault).min { ($0.value, $0.name) < ($1.value, $1.name) }
    }
}

extension ScenarioDecoder {
    static let priorityClassKeys = ["name", "value", "preemption_policy", "global_default", "description"]

    func decodePriorityClasses(_ field: Field) -> PriorityClassTable {
        var specs: [(PriorityClassSpec, Field)] = []
        for f in field.sequence() ?? [] {
            guard let map = f.mapping(allowed: Self.priorityClassKeys) else { continue }
            let name = map.required("name", in: f)?.nonEmptyString()
            let value = map.required("value", in: f, what: "the priority, a whole number up to 1000000000")?
                .int(min: Int(Int32.min), max: PriorityClassTable.highestUserDefinable)
            let policy = map["preemption_policy"]?.oneOf(PreemptionPolicy.allCases.map { ($0.rawValue, $0) },
                                                          what: "preemption policy") ?? .preemptLowerPriority
            let globalDefault = map["global_default"]?.bool() ?? false
            _ = map["description"]?.string()
            guard let name, let value else { continue }
            if name.hasPrefix(PriorityClassTable.systemPrefix) {
                map["name"]?.error("priority class names with the \"system-\" prefix are reserved for the built-in classes (system-node-critical, system-cluster-critical)")
                continue
            }
            specs.append((PriorityClassSpec(name: name, value: Int32(value), preemptionPolicy: policy, globalDefault: globalDefault), f))
        }
        uniqueNames(specs, name: \.name, what: "priority class")
        // Upstream admission refuses a second global default.
        let defaults = specs.filter { $0.0.globalDefault }
        for (spec, f) in defaults.dropFirst() {
            (f.lookup("global_default") ?? f).error("PriorityClass \(defaults[0].0.name) is already marked as default; only one default can exist (not \(spec.name) too)")
        }
        return PriorityClassTable(declared: specs.map(\.0), isDeclared: true)
    }

    /// The priority and preemption policy a workload's pods get, as the
    /// Priority admission plugin computes them: from the named class, else
    /// from the global default class. An explicit `priority` must agree with
    /// the class. Without a class name and without a global default, an
    /// explicit `priority` is kept (a difference from upstream, which would
    /// insist on 0; see docs/scenario-format.md, "Priority classes").
    func resolvePriority(_ map: [String: Field], classes: Bool = true) -> (Int32, PreemptionPolicy) {
        let explicitField = map["priority"]
        let explicit = explicitField?.int(min: Int(Int32.min), max: Int(Int32.max)).map(Int32.init)
        guard classes else { return (explicit ?? 0, .preemptLowerPriority) }
        let atWorkload = map["priority_class_name"]
        let inPod = map["pod"]?.lookup("priority_class_name")
        if let atWorkload, inPod != nil {
            atWorkload.error("give priority_class_name once: at the workload or in pod, not both")
        }
        let table = priorityClasses ?? PriorityClassTable()
        let chosen: PriorityClassSpec?
        if let classField = atWorkload ?? inPod {
            guard let name = classField.nonEmptyString() else { return (explicit ?? 0, .preemptLowerPriority) }
            guard let found = table.classes[name] else {
                let known = table.classes.keys.sorted()
                let hint = suggestion(for: name, among: known).map { "did you mean \"\($0)\"?" }
                    ?? "declare it under priority_classes: at the top level (known: \(known.joined(separator: ", ")))"
                classField.error("no PriorityClass with name \"\(name)\" was found", hint: hint)
                return (explicit ?? 0, .preemptLowerPriority)
            }
            chosen = found
        } else {
            chosen = table.globalDefault
        }
        guard let chosen else { return (explicit ?? 0, .preemptLowerPriority) }
        if let explicit, explicit != chosen.value, let explicitField {
            explicitField.error("priority \(explicit) contradicts PriorityClass \(chosen.name), which gives \(chosen.value)",
                                hint: "drop priority: the admission plugin computes it from the class")
        }
        return (chosen.value, chosen.preemptionPolicy)
    }
}
