import BerthCluster
import BerthSchedulers

/// Scheduler keys of the Mesos presets (`scheduler.mesos`) and the workload
/// keys `framework`, `role` and `marathon_constraints` (docs/mesos.md).
extension ScenarioDecoder {
    static let mesosKeys = ["allocation_interval", "offer_timeout", "min_allocatable_resources", "weights", "reservations",
                            "frameworks"]
    static let mesosFrameworkKeys = ["type", "role", "decline_refuse_seconds", "accept_refuse_seconds", "max_tasks_per_offer",
                                     "t_job", "t_task", "suppress_when_idle"]

    func decodeMesosOptions(_ field: Field, into spec: inout SchedulerSpec) {
        guard spec.architecture == .mesos else {
            field.error("\"mesos\" applies only to Mesos presets", hint: "e.g. name: mesos-drf")
            return
        }
        guard let map = field.mapping(allowed: Self.mesosKeys) else { return }
        var o = spec.mesos
        if let f = map["allocation_interval"], let d = f.duration() {
            if d <= 0 { f.error("must be longer than 0s") } else { o.allocationIntervalMicros = d }
        }
        if let f = map["offer_timeout"], let d = f.duration() {
            if d <= 0 { f.error("must be longer than 0s") } else { o.offerTimeoutMicros = d }
        }
        if let f = map["min_allocatable_resources"], let sets = f.sequence() {
            o.minAllocatable = sets.compactMap { s in decodeResources(s) }
        }
        for (role, f) in map["weights"]?.entries() ?? [] {
            guard let w = f.double() else { continue }
            if w <= 0 { f.error("a role weight must be greater than 0, got \(w)") } else { o.roleWeights[role] = w }
        }
        for (role, f) in map["reservations"]?.entries() ?? [] {
            o.reservations[role] = (f.sequence() ?? []).compactMap { $0.nonEmptyString() }
        }
        for (name, f) in map["frameworks"]?.entries() ?? [] {
            guard let fm = f.mapping(allowed: Self.mesosFrameworkKeys) else { continue }
            let kind = fm["type"]?.oneOf(MesosFrameworkKind.allCases.map { ($0.rawValue, $0) }, what: "framework type")
                ?? (name == "marathon" ? .marathon : .batch)
            var fo = MesosFrameworkOptions(kind: kind)
            fo.role = fm["role"]?.nonEmptyString()
            if let s = fm["decline_refuse_seconds"]?.seconds() { fo.declineRefuseMicros = Int64(max(0, s) * 1e6) }
            if let s = fm["accept_refuse_seconds"]?.seconds() { fo.acceptRefuseMicros = Int64(max(0, s) * 1e6) }
            if let f = fm["max_tasks_per_offer"] {
                if case .scalar(let s) = f.node, s.string == "unlimited" { fo.maxTasksPerOffer = nil }
                else if let n = f.int(min: 1, max: 1_000_000) { fo.maxTasksPerOffer = n }
            }
            if let d = fm["t_job"]?.duration() { fo.tJobMicros = d }
            if let d = fm["t_task"]?.duration() { fo.tTaskMicros = d }
            if let b = fm["suppress_when_idle"]?.bool() { fo.suppressWhenIdle = b }
            o.frameworks[name] = fo
        }
        spec.mesos = o
    }

    /// The workload's Mesos keys, or nil when it has none.
    func decodeMesosDetails(_ map: [String: Field]) -> MesosTaskDetails? {
        let framework = map["framework"]?.nonEmptyString()
        let role = map["role"]?.nonEmptyString()
        var constraints: [MarathonConstraint] = []
        for f in map["marathon_constraints"]?.sequence() ?? [] {
            guard let parts = f.sequence() else { continue }
            guard parts.count == 2 || parts.count == 3 else {
                f.error("expected [field, OPERATOR] or [field, OPERATOR, value], got \(parts.count) items",
                        hint: "e.g. [hostname, UNIQUE] or [\"@zone\", GROUP_BY, \"3\"]")
                continue
            }
            guard let field = parts[0].nonEmptyString(),
                  let op = parts[1].oneOf(MarathonConstraint.Operator.allCases.map { ($0.rawValue, $0) }, what: "constraint operator")
            else { continue }
            let value = parts.count == 3 ? parts[2].string() : nil
            if parts.count == 3 && value == nil { continue }
            switch op {
            case .maxPer where value.flatMap({ Int($0) }) == nil:
                (parts.count == 3 ? parts[2] : f).error("MAX_PER needs a whole number value", hint: "e.g. [rack, MAX_PER, \"2\"]")
                continue
            case .groupBy where value != nil && Int(value ?? "") == nil:
                parts[2].error("GROUP_BY takes an optional whole number of groups", hint: "e.g. [\"@zone\", GROUP_BY, \"3\"]")
                continue
            case .like, .unlike, .isOp:
                guard let v = value else {
                    f.error("\(op.rawValue) needs a value", hint: "e.g. [rack, LIKE, \"rack-[12]\"]")
                    continue
                }
                if op != .isOp, (try? Regex(v)) == nil { parts[2].error("invalid regular expression \"\(v)\""); continue }
            default:
                break
            }
            constraints.append(MarathonConstraint(field: field, op: op, value: value))
        }
        if framework == nil && role == nil && constraints.isEmpty { return nil }
        return MesosTaskDetails(framework: framework, role: role, constraints: constraints)
    }
}

extension ScenarioDecoder {
    /// Cross-field checks of the Mesos keys: a framework has one role (the
    /// workloads naming it and `scheduler.mesos.frameworks` must agree), and a
    /// reservation names existing nodes or pools.
    /// A role given at a workload becomes the framework's role (recorded in
    /// `scheduler.mesos.frameworks`), so the framework's other workloads need not repeat it.
    func checkMesos(_ scenario: inout Scenario, workloads: [WorkloadDraft], schedulerField: Field?) {
        var roleOf: [String: String] = [:]
        for (name, options) in scenario.scheduler.mesos.frameworks { if let r = options.role { roleOf[name] = r } }
        for draft in workloads {
            guard let details = draft.spec.template.mesos else { continue }
            let framework = details.framework ?? (draft.spec.kind == .service || draft.spec.kind == .daemonset ? "marathon" : "batch")
            let configured = scenario.scheduler.mesos.frameworks[framework]?.kind
            let kind = configured ?? (framework == "marathon" ? .marathon : framework == "batch" ? .batch
                : draft.spec.kind == .service || draft.spec.kind == .daemonset ? .marathon : .batch)
            if !details.constraints.isEmpty, kind != .marathon, let f = draft.field.lookup("marathon_constraints") {
                f.error("framework \"\(framework)\" is a batch framework: only Marathon frameworks check marathon_constraints",
                        hint: "run the workload on a Marathon framework, e.g. framework: marathon")
            }
            guard let role = details.role else { continue }
            if let other = roleOf[framework], other != role {
                (draft.field.lookup("role") ?? draft.field).error(
                    "framework \"\(framework)\" already has role \"\(other)\"; a framework subscribes with one role",
                    hint: "use role: \(other), or name another framework")
            } else if roleOf[framework] == nil {
                roleOf[framework] = role
                let runsToEnd = draft.spec.kind == .service || draft.spec.kind == .daemonset
                var options = scenario.scheduler.mesos.frameworks[framework] ?? MesosFrameworkOptions(
                    kind: framework == "marathon" ? .marathon : framework == "batch" ? .batch : runsToEnd ? .marathon : .batch)
                options.role = role
                scenario.scheduler.mesos.frameworks[framework] = options
            }
        }
        guard scenario.scheduler.architecture == .mesos, let schedulerField else { return }
        let known = Set(scenario.nodes.map(\.name)).union(scenario.nodes.map(\.pool))
        for (role, names) in scenario.scheduler.mesos.reservations.sorted(by: { $0.key < $1.key }) {
            for name in names where !known.contains(name) {
                let at = schedulerField.lookup("mesos")?.lookup("reservations")?.lookup(role) ?? schedulerField
                at.error("reservation for \"\(role)\" names \"\(name)\", which is neither a node nor a pool",
                         hint: suggestion(for: name, among: known.sorted()).map { "did you mean \"\($0)\"?" })
            }
        }
    }
}
