import BerthCluster
import BerthPlacement
import BerthSchedulers
import BerthWorkloads

/// Nomad vocabulary: the scheduler keys of the `nomad` presets and a workload's
/// `nomad:` block (job type, task group count, datacenters, node pool,
/// resources in MHz/MB, constraints, affinities, spread). docs/nomad.md.
extension ScenarioDecoder {
    static let nomadSchedulerKeys = ["scheduler_algorithm", "memory_oversubscription", "node_limit_for_feasibility_checks",
                                     "num_schedulers", "preemption_config"]
    static let nomadPreemptionKeys = ["system_scheduler_enabled", "sysbatch_scheduler_enabled", "batch_scheduler_enabled",
                                      "service_scheduler_enabled"]
    static let nomadKeys = ["type", "count", "datacenters", "node_pool", "resources", "constraints", "affinities", "spread"]
    static let nomadResourceKeys = ["cpu", "memory", "memory_max", "disk"]
    static let nomadConstraintKeys = ["attribute", "operator", "value"]
    static let nomadAffinityKeys = ["attribute", "operator", "value", "weight"]
    static let nomadSpreadKeys = ["attribute", "weight", "target"]
    static let nomadTargetKeys = ["value", "percent"]
    /// Nomad's defaults when a task gives no `resources` (structs `DefaultResources`: 100 MHz, 300 MB).
    static let nomadDefaultCPU: Int64 = 100
    static let nomadDefaultMemoryMB: Int64 = 300
    static let mib: Int64 = 1024 * 1024

    /// `scheduler_algorithm`, `memory_oversubscription`, `node_limit_for_feasibility_checks`.
    func decodeNomadScheduler(_ map: [String: Field], into spec: inout SchedulerSpec) {
        guard spec.architecture == .nomad else {
            for key in Self.nomadSchedulerKeys {
                map[key]?.error("\"\(key)\" applies only to Nomad presets", hint: "e.g. name: nomad")
            }
            return
        }
        if let a = map["scheduler_algorithm"]?.oneOf(NomadConfig.Algorithm.allCases.map { ($0.rawValue, $0) }, what: "scheduler algorithm") {
            spec.nomad.algorithm = a
        }
        if let m = map["memory_oversubscription"]?.bool() { spec.nomad.memoryOversubscription = m }
        if let n = map["node_limit_for_feasibility_checks"]?.int(min: 1, max: 1_000_000) { spec.nomad.nodeLimitForFeasibilityChecks = n }
        if let n = map["num_schedulers"]?.int(min: 0, max: 1024) { spec.nomad.numSchedulers = n == 0 ? nil : n }
        if let f = map["preemption_config"], let p = f.mapping(allowed: Self.nomadPreemptionKeys) {
            if let v = p["system_scheduler_enabled"]?.bool() { spec.nomad.preemption.systemSchedulerEnabled = v }
            if let v = p["sysbatch_scheduler_enabled"]?.bool() { spec.nomad.preemption.sysbatchSchedulerEnabled = v }
            if let v = p["batch_scheduler_enabled"]?.bool() { spec.nomad.preemption.batchSchedulerEnabled = v }
            if let v = p["service_scheduler_enabled"]?.bool() { spec.nomad.preemption.serviceSchedulerEnabled = v }
            if spec.nomad.numSchedulers == nil {
                f.error("preemption needs Nomad's evaluation/plan model, whose plan applier evicts", hint: "num_schedulers must not be 0")
            }
        }
    }

    /// The `nomad:` block: details plus requests in Berth units (cpu MHz → millicores
    /// 1:1, memory/disk MB → MiB bytes), Nomad's defaults when `resources` is absent.
    func decodeNomad(_ field: Field, kind: WorkloadKind?) -> (NomadDetails, [String: Int64]?)? {
        guard let map = field.mapping(allowed: Self.nomadKeys) else { return nil }
        let allowedTypes: [NomadDetails.JobType] = switch kind {
        case .service?: [.service]
        case .batch?, .trace?, .workflow?: [.batch]
        case .daemonset?: [.system, .sysbatch]
        case nil: NomadDetails.JobType.allCases
        }
        var type = allowedTypes[0]
        if let f = map["type"], let t = f.oneOf(NomadDetails.JobType.allCases.map { ($0.rawValue, $0) }, what: "Nomad job type") {
            if allowedTypes.contains(t) {
                type = t
            } else {
                f.error("job type \(t.rawValue) does not fit a \(kind?.rawValue ?? "") workload",
                        hint: "service → kind service; batch → kind batch; system/sysbatch (one allocation per node) → kind daemonset")
            }
        }
        let count = map["count"]?.int(min: 0, max: 10_000_000)
        if let f = map["count"], type == .system || type == .sysbatch {
            f.error("\"count\" does not apply to a \(type.rawValue) job: it runs one allocation on every feasible node")
        }
        let datacenters = map["datacenters"].map { f in (f.sequence() ?? []).compactMap { $0.nonEmptyString() } } ?? ["*"]
        if let f = map["datacenters"], datacenters.isEmpty { f.error("must list at least one datacenter", hint: "use [\"*\"] for all") }
        let pool = map["node_pool"]?.nonEmptyString()
        let constraints = (map["constraints"]?.sequence() ?? []).compactMap(decodeNomadConstraint)
        let affinities = (map["affinities"]?.sequence() ?? []).compactMap(decodeNomadAffinity)
        let spreads = (map["spread"]?.sequence() ?? []).compactMap(decodeNomadSpread)
        let resources = map["resources"].flatMap(decodeNomadResources)
        let details = NomadDetails(type: type, count: count, datacenters: datacenters.isEmpty ? ["*"] : datacenters, nodePool: pool,
                                   constraints: constraints, affinities: affinities, spreads: spreads, memoryMaxBytes: resources?.memoryMax)
        let defaults = ["cpu": Self.nomadDefaultCPU, "memory": Self.nomadDefaultMemoryMB * Self.mib]
        return (details, map["resources"] == nil ? defaults : resources?.requests)
    }

    func decodeNomadResources(_ field: Field) -> (requests: [String: Int64], memoryMax: Int64?)? {
        guard let map = field.mapping(allowed: Self.nomadResourceKeys) else { return nil }
        let cpu = map["cpu"]?.int(min: 1, max: 100_000_000).map(Int64.init) ?? Self.nomadDefaultCPU
        let memory = map["memory"]?.int(min: 1, max: 100_000_000).map(Int64.init) ?? Self.nomadDefaultMemoryMB
        let memoryMax = map["memory_max"]?.int(min: 1, max: 100_000_000).map(Int64.init)
        if let memoryMax, memoryMax < memory, let f = map["memory_max"] {
            f.error("memory_max (\(memoryMax) MB) must be at least memory (\(memory) MB)")
        }
        var requests = ["cpu": cpu, "memory": memory * Self.mib]
        if let disk = map["disk"]?.int(min: 1, max: 100_000_000) { requests["ephemeral-storage"] = Int64(disk) * Self.mib }
        return (requests, memoryMax.map { $0 * Self.mib })
    }

    func decodeNomadOperator(_ map: [String: Field], allowed: [NomadOperator]) -> NomadOperator? {
        guard let f = map["operator"] else { return .equal }
        return f.oneOf(allowed.map { ($0.rawValue, $0) }, what: "operator")
    }

    /// Upstream `Constraint.Validate`: regexp and version values must parse,
    /// set operators need a value, is_set/is_not_set take none, distinct_property
    /// needs an attribute and a whole-number value if any.
    func decodeNomadConstraint(_ field: Field) -> NomadConstraint? {
        guard let map = field.mapping(allowed: Self.nomadConstraintKeys) else { return nil }
        let attribute = map["attribute"]?.string() ?? ""
        let value = map["value"]?.string() ?? ""
        guard let op = decodeNomadOperator(map, allowed: NomadOperator.allCases) else { return nil }
        guard validateNomadTargets(op, attribute: attribute, value: value, map: map, owner: field) else { return nil }
        return NomadConstraint(attribute, op, value)
    }

    func validateNomadTargets(_ op: NomadOperator, attribute: String, value: String, map: [String: Field], owner: Field) -> Bool {
        let valueField = map["value"] ?? owner
        switch op {
        case .distinctHosts:
            if !value.isEmpty, Bool(value.lowercased()) == nil { valueField.error("distinct_hosts takes true or false, got \"\(value)\"") ; return false }
            return true
        case .distinctProperty:
            if attribute.isEmpty { owner.error("distinct_property needs an attribute, e.g. ${meta.rack}"); return false }
            if !value.isEmpty, UInt64(value) == nil { valueField.error("distinct_property's value is the allowed count, a whole number; got \"\(value)\""); return false }
            return true
        case .isSet, .isNotSet:
            if map["value"] != nil { valueField.error("\(op.rawValue) takes no value") ; return false }
        default:
            if map["value"] == nil { owner.error("operator \(op.rawValue) needs a value") ; return false }
        }
        if attribute.isEmpty { owner.error("operator \(op.rawValue) needs an attribute, e.g. ${attr.kernel.name}"); return false }
        if op == .regexp, (try? Regex(value)) == nil { valueField.error("not a valid regular expression: \"\(value)\"") ; return false }
        if op == .version || op == .semver, !value.hasPrefix("${"), !NomadVersion.isValidConstraint(value) {
            valueField.error("not a version constraint: \"\(value)\"", hint: "e.g. \">= 1.2, < 2.0\" or \"~> 1.4\"")
            return false
        }
        return true
    }

    /// Upstream `Affinity.Validate`: weight in −100…100 and not 0; no distinct_* or is_set operators.
    func decodeNomadAffinity(_ field: Field) -> NomadAffinity? {
        guard let map = field.mapping(allowed: Self.nomadAffinityKeys) else { return nil }
        let attribute = map["attribute"]?.string() ?? ""
        let value = map["value"]?.string() ?? ""
        let allowed = NomadOperator.allCases.filter { !$0.isDistinct && $0 != .isSet && $0 != .isNotSet }
        let weight = map.required("weight", in: field, what: "a weight from -100 to 100")?.int(min: -100, max: 100)
        if weight == 0, let f = map["weight"] { f.error("an affinity weight cannot be 0") }
        guard let op = decodeNomadOperator(map, allowed: allowed),
              validateNomadTargets(op, attribute: attribute, value: value, map: map, owner: field),
              let weight, weight != 0 else { return nil }
        return NomadAffinity(attribute, op, value, weight: Int8(weight))
    }

    /// Upstream `Spread.Validate`: weight 1…100 (default 50), percents 0…100
    /// summing to at most 100, no duplicate target values.
    func decodeNomadSpread(_ field: Field) -> NomadSpread? {
        guard let map = field.mapping(allowed: Self.nomadSpreadKeys) else { return nil }
        let attribute = map.required("attribute", in: field, what: "e.g. ${node.datacenter}")?.nonEmptyString()
        let weight = map["weight"]?.int(min: 1, max: 100) ?? 50
        var targets: [NomadSpread.Target] = []
        var sum = 0
        for f in map["target"]?.sequence() ?? [] {
            guard let t = f.mapping(allowed: Self.nomadTargetKeys) else { continue }
            guard let value = t.required("value", in: f)?.string(), let percent = t.required("percent", in: f)?.int(min: 0, max: 100) else { continue }
            if targets.contains(where: { $0.value == value }) { f.error("duplicate spread target \"\(value)\"") ; continue }
            sum += percent
            targets.append(.init(value, percent: UInt8(percent)))
        }
        if sum > 100, let f = map["target"] { f.error("spread target percentages add up to \(sum), more than 100") }
        guard let attribute else { return nil }
        return NomadSpread(attribute: attribute, weight: Int8(weight), targets: targets)
    }
}
