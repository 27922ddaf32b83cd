import BerthCluster
import BerthFailures
import BerthSimulation

/// The `failures:` section (docs/failures.md, docs/scenario-format.md).
extension ScenarioDecoder {
    static let failuresKeys = ["node_failures", "outages", "maintenance", "recovery"]
    static let maintenanceKeys = ["pool", "node", "at_s", "start_s", "interval_s", "duration_s", "grace_period_s"]
    static let budgetKeys = ["min_available", "max_unavailable"]
    static let nodeFailureKeys = ["pool", "node", "time_to_failure_s", "at_s", "time_to_repair_s", "effect", "hazard_multipliers"]
    static let outageKeys = ["label", "value", "zone", "rack", "pool", "time_between_s", "at_s", "time_to_repair_s", "effect", "intensity"]
    static let failureEffects = FailureEffect.allCases.map { ($0.rawValue, $0) }

    func decodeFailures(_ field: Field, nodes: [NodeSpec], hasHorizon: Bool) -> FailureModel {
        guard let map = field.mapping(allowed: Self.failuresKeys) else { return FailureModel() }
        var model = FailureModel()
        var seenTargets: [String: Field] = [:]
        for f in map["node_failures"]?.sequence() ?? [] {
            guard let entry = decodeNodeFailure(f, nodes: nodes) else { continue }
            let target = switch entry.target { case .pool(let p): "pool \"\(p)\""; case .node(let n): "node \"\(n)\"" }
            let key = target + (entry.effect == .crash ? "" : " (partition)")
            if let first = seenTargets[key] {
                f.error("a second node_failures entry for \(key)", hint: "first given at \(first.path); one entry per pool or node")
                continue
            }
            seenTargets[key] = f
            model.nodeFailures.append(entry)
        }
        var seenOutages: [String: Field] = [:]
        for f in map["outages"]?.sequence() ?? [] {
            guard let outage = decodeOutage(f, nodes: nodes) else { continue }
            let key = "\(outage.label)=\(outage.value)" + (outage.effect == .crash ? "" : " (partition)")
            if let first = seenOutages[key] {
                f.error("a second outage of \(key)", hint: "first given at \(first.path); list all its times in one at_s")
                continue
            }
            seenOutages[key] = f
            model.outages.append(outage)
        }
        for f in map["maintenance"]?.sequence() ?? [] {
            if let m = decodeMaintenance(f, nodes: nodes) { model.maintenance.append(m) }
        }
        if !model.maintenance.isEmpty && !hasHorizon, let m = map["maintenance"] {
            m.error("a drain blocked by a disruption budget retries forever, so maintenance needs a horizon",
                    hint: "add e.g. horizon: 1d at the top level")
        }
        if let r = map["recovery"] { model.recovery = decodeRecovery(r) }
        if model.hasRandomProcess && !hasHorizon {
            field.error("random failures never stop, so the scenario needs a horizon",
                        hint: "add e.g. horizon: 30d at the top level, or script the failures with at_s")
        }
        return model
    }

    private func decodeNodeFailure(_ f: Field, nodes: [NodeSpec]) -> NodeFailureSpec? {
        guard let map = f.mapping(allowed: Self.nodeFailureKeys) else { return nil }
        let target: NodeFailureSpec.Target?
        switch (map["pool"], map["node"]) {
        case (let p?, nil):
            target = p.nonEmptyString().flatMap { name in
                if nodes.contains(where: { $0.pool == name }) { return .pool(name) }
                let hint = suggestion(for: name, among: Array(Set(nodes.map(\.pool))).sorted()).map { "did you mean \"\($0)\"?" }
                p.error("no pool named \"\(name)\"", hint: hint)
                return nil
            }
        case (nil, let n?):
            target = n.nonEmptyString().flatMap { name in
                if nodes.contains(where: { $0.name == name }) { return .node(name) }
                let hint = suggestion(for: name, among: nodes.map(\.name)).map { "did you mean \"\($0)\"?" }
                n.error("no node named \"\(name)\"", hint: hint)
                return nil
            }
        case (_?, _?):
            f.error("give either \"pool\" or \"node\", not both")
            target = nil
        case (nil, nil):
            f.error("missing required key \"pool\" (or \"node\")")
            target = nil
        }
        let timing = decodeTiming(map, randomKey: "time_to_failure_s", owner: f)
        let repair = map.required("time_to_repair_s", in: f).flatMap(decodeSeconds)
        let effect = map["effect"].map { $0.oneOf(Self.failureEffects, what: "failure effect") } ?? .crash
        var multipliers: [String: Double] = [:]
        if let m = map["hazard_multipliers"] {
            if case .scripted? = timing { m.error("hazard multipliers scale random failures", hint: "use time_to_failure_s") }
            for (name, f) in m.entries() ?? [] {
                guard nodes.contains(where: { node in node.name == name && Self.selects(target, node) }) else {
                    (m.keyField(name) ?? f).error("\"\(name)\" is not a node of this entry")
                    continue
                }
                guard let x = f.double() else { continue }
                guard x > 0 else { f.error("must be greater than 0, got \(x)"); continue }
                multipliers[name] = x
            }
        }
        guard let target, let timing, let repair, let effect else { return nil }
        return NodeFailureSpec(target: target, timing: timing, timeToRepair: repair, effect: effect, hazardMultipliers: multipliers)
    }

    /// Whether a node_failures target (nil: unknown, so anything) covers `node`.
    static func selects(_ target: NodeFailureSpec.Target?, _ node: NodeSpec) -> Bool {
        switch target {
        case .pool(let p)?: node.pool == p
        case .node(let n)?: node.name == n
        case nil: true
        }
    }

    private func decodeOutage(_ f: Field, nodes: [NodeSpec]) -> OutageSpec? {
        guard let map = f.mapping(allowed: Self.outageKeys) else { return nil }
        var domain: (label: String, value: String, field: Field)?
        let given = [("zone", NodeLabel.zone), ("rack", NodeLabel.rack), ("pool", NodeLabel.pool)].filter { map[$0.0] != nil }
        if let (key, label) = given.first, given.count == 1, map["label"] == nil, map["value"] == nil, let vf = map[key] {
            if let v = vf.nonEmptyString() { domain = (label, v, vf) }
        } else if given.isEmpty, map["label"] != nil || map["value"] != nil {
            let label = map.required("label", in: f)?.nonEmptyString()
            let vf = map.required("value", in: f)
            if let label, let vf, let v = vf.string() { domain = (label, v, vf) }
        } else {
            f.error("name the failing domain with exactly one of \"zone\", \"rack\", \"pool\" or \"label\" + \"value\"")
        }
        if let d = domain, !nodes.contains(where: { $0.labels[d.label] == d.value }) {
            let values = Array(Set(nodes.compactMap { $0.labels[d.label] })).sorted()
            let hint = suggestion(for: d.value, among: values).map { "did you mean \"\($0)\"?" }
                ?? (values.isEmpty ? "no node has the label \(d.label)" : "values of \(d.label): \(values.prefix(8).joined(separator: ", "))")
            d.field.error("no node has \(d.label)=\(d.value)", hint: hint)
            domain = nil
        }
        let timing = decodeTiming(map, randomKey: "time_between_s", owner: f)
        let repair = map.required("time_to_repair_s", in: f).flatMap(decodeSeconds)
        let effect = map["effect"].map { $0.oneOf(Self.failureEffects, what: "failure effect") } ?? .crash
        var intensity: Double?
        if let i = map["intensity"] {
            guard let x = i.double() else { return nil }
            guard x > 0, x <= 1 else { i.error("must be greater than 0 and at most 1, got \(x)"); return nil }
            intensity = x
        }
        guard let domain, let timing, let repair, let effect else { return nil }
        return OutageSpec(label: domain.label, value: domain.value, timing: timing, timeToRepair: repair, effect: effect,
                          intensity: intensity)
    }

    /// `node` + `at_s`, or `pool` + `start_s` + `interval_s` (a rolling drain of
    /// the pool's nodes in order), and `duration_s`.
    private func decodeMaintenance(_ f: Field, nodes: [NodeSpec]) -> MaintenanceSpec? {
        guard let map = f.mapping(allowed: Self.maintenanceKeys) else { return nil }
        func instant(_ x: Field) -> Int64? {
            guard let s = x.seconds() else { return nil }
            guard s >= 0 else { x.error("must not be negative"); return nil }
            return Int64((s * 1_000_000).rounded())
        }
        let duration = map.required("duration_s", in: f).flatMap(instant)
        var drains: [MaintenanceSpec.Drain] = []
        switch (map["node"], map["pool"]) {
        case (let n?, nil):
            guard let name = n.nonEmptyString() else { return nil }
            guard let node = nodes.firstIndex(where: { $0.name == name }) else {
                n.error("no node named \"\(name)\"", hint: suggestion(for: name, among: nodes.map(\.name)).map { "did you mean \"\($0)\"?" })
                return nil
            }
            for key in ["start_s", "interval_s"] where map[key] != nil { map[key]?.error("\"\(key)\" is for a rolling drain of a pool", hint: "give a node its times with at_s") }
            for x in map.required("at_s", in: f)?.sequence() ?? [] {
                guard let t = instant(x) else { return nil }
                drains.append(.init(node: Int32(node), micros: t))
            }
        case (nil, let p?):
            guard let name = p.nonEmptyString() else { return nil }
            let members = nodes.indices.filter { nodes[$0].pool == name }
            guard !members.isEmpty else { p.error("no pool named \"\(name)\""); return nil }
            if map["at_s"] != nil { map["at_s"]?.error("a pool is drained on a rolling schedule", hint: "use start_s and interval_s") }
            guard let start = map.required("start_s", in: f).flatMap(instant),
                  let interval = map.required("interval_s", in: f).flatMap(instant) else { return nil }
            for (k, node) in members.enumerated() { drains.append(.init(node: Int32(node), micros: start + Int64(k) * interval)) }
        default:
            f.error("give exactly one of \"node\" or \"pool\"")
            return nil
        }
        var grace: Int64?
        if let g = map["grace_period_s"] {
            guard let s = g.int(min: 0) else { return nil }
            grace = Int64(s) * 1_000_000
        }
        guard let duration else { return nil }
        return MaintenanceSpec(drains: drains, durationMicros: max(1, duration), gracePeriodMicros: grace)
    }

    /// `disruption_budget` of each service that has one (a PodDisruptionBudget selecting its pods).
    func decodeBudgets(_ drafts: [WorkloadDraft]) -> [Int32: DisruptionBudget] {
        var result: [Int32: DisruptionBudget] = [:]
        for (index, draft) in drafts.enumerated() {
            guard let f = draft.field.lookup("disruption_budget"), let map = f.mapping(allowed: Self.budgetKeys) else { continue }
            guard draft.spec.kind == .service else { f.error("disruption budgets apply to services only"); continue }
            switch (map["min_available"], map["max_unavailable"]) {
            case (let m?, nil):
                switch Self.countOrPercent(m) {
                case .count(let n)?: result[Int32(index)] = .minAvailable(n)
                case .percent(let p)?: result[Int32(index)] = .minAvailablePercent(p)
                case nil: break
                }
            case (nil, let m?):
                switch Self.countOrPercent(m) {
                case .count(let n)?: result[Int32(index)] = .maxUnavailable(n)
                case .percent(let p)?: result[Int32(index)] = .maxUnavailablePercent(p)
                case nil: break
                }
            default: f.error("give exactly one of \"min_available\" or \"max_unavailable\" (as PodDisruptionBudget does)")
            }
        }
        return result
    }

    /// `termination_grace_period_s` of each workload that sets it: whole
    /// seconds ≥ 0, as the pod field (an Int64 of seconds upstream).
    func decodeGracePeriods(_ drafts: [WorkloadDraft]) -> [Int32: Int64] {
        var result: [Int32: Int64] = [:]
        for (index, draft) in drafts.enumerated() {
            guard let f = draft.field.lookup("termination_grace_period_s"), let s = f.int(min: 0, max: 100 * 365 * 86_400) else { continue }
            result[Int32(index)] = Int64(s) * 1_000_000
        }
        return result
    }

    enum CountOrPercent { case count(Int), percent(Int) }

    /// An `IntOrString` as PodDisruptionBudget validates it: a whole number
    /// ≥ 0, or a percentage "N%" (upstream `IsValidPercent`: digits then `%`)
    /// of at most 100%.
    static func countOrPercent(_ f: Field) -> CountOrPercent? {
        if let s = f.scalar, s.string.hasSuffix("%") {
            let digits = s.string.dropLast()
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let p = Int(digits) else {
                f.error("expected a whole number or a percentage like \"50%\", got \"\(s.string)\"")
                return nil
            }
            guard p <= 100 else { f.error("must not be greater than 100%, got \"\(s.string)\""); return nil }
            return .percent(p)
        }
        if let s = f.scalar, s.style == .plain, Int(s.string) == nil, Double(s.string) == nil {
            f.error("expected a whole number or a percentage like \"50%\", got \"\(s.string)\"")
            return nil
        }
        return f.int(min: 0).map { .count($0) }
    }

    /// `randomKey` (a distribution of seconds) or `at_s` (scripted instants), exactly one.
    private func decodeTiming(_ map: [String: Field], randomKey: String, owner: Field) -> FailureTiming? {
        switch (map[randomKey], map["at_s"]) {
        case (let r?, nil):
            return decodeSeconds(r).map { .random($0) }
        case (nil, let a?):
            guard let items = a.sequence() else { return nil }
            var times: [Int64] = []
            for item in items {
                guard let s = item.seconds() else { return nil }
                guard s >= 0 else { item.error("must not be negative"); return nil }
                let micros = Int64((s * 1_000_000).rounded())
                if let last = times.last, micros <= last { item.error("times must be in increasing order"); return nil }
                times.append(micros)
            }
            return .scripted(times)
        case (_?, _?):
            owner.error("give either \"\(randomKey)\" or \"at_s\", not both")
        case (nil, nil):
            owner.error("missing \"\(randomKey)\" (a distribution) or \"at_s\" (a list of times)")
        }
        return nil
    }

    /// Seconds: a plain number, a duration ("30m"), or a distribution whose
    /// time parameters are seconds or durations.
    func decodeSeconds(_ field: Field) -> DistributionSpec? {
        if let s = field.scalar, s.style == .plain, let value = Double(s.string) {
            guard value.isFinite, value >= 0 else { field.error("must be a non-negative number of seconds"); return nil }
            return .constant(value)
        }
        return decodeDistribution(field, timed: true)
    }
}
