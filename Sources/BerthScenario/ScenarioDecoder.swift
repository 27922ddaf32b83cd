import BerthCluster
import BerthSchedulers
import BerthSimulation
import BerthWorkloads
import Yams

/// Turns a YAML node tree into a ``Scenario``, recording every problem in the bag.
struct ScenarioDecoder {
    let bag: DiagnosticBag
    /// The scenario's PriorityClasses (`priority_classes:`), read before the
    /// workloads so that their pods' priorities can be resolved.
    var priorityClasses: PriorityClassTable? = nil

    func decode(_ root: Field, file: String) -> Scenario? {
        guard let top = root.mapping(allowed: ScenarioLoader.topLevelKeys, what: "a scenario mapping") else { return nil }
        let name = top.required("name", in: root)?.nonEmptyString()
        let description = top["description"]?.string() ?? ""
        let seed = top["seed"].flatMap { $0.int(min: 0) }.map(UInt64.init) ?? 1
        let horizon = top["horizon"].flatMap { f in f.duration().flatMap { v in v > 0 ? v : { f.error("must be greater than 0s"); return nil }() } }
        let sample = top["sample_interval"].flatMap { f in f.duration().flatMap { v in v > 0 ? v : { f.error("must be greater than 0s"); return nil }() } }
        let scheduler = top["scheduler"].map(decodeScheduler) ?? SchedulerRegistry.preset(named: "best-fit")?.spec
        let pools = top.required("cluster", in: root).flatMap(decodeCluster) ?? []
        var withClasses = self
        if let f = top["priority_classes"] { withClasses.priorityClasses = decodePriorityClasses(f) }
        let decoder = withClasses
        let workloads = top["workloads"].map { decoder.decodeWorkloads($0) } ?? []
        let initial = top["initial"].map { decoder.decodeInitial($0) } ?? []
        let expectations = top["expect"].map(decodeExpectations) ?? []

        var names = Set<String>()
        for w in workloads { names.formUnion(w.spec.resourceNames) }
        for p in pools { names.formUnion(p.capacityNames) }
        for i in initial { names.formUnion(i.spec.template.requests.keys) }
        let catalog = ResourceCatalog(extended: names)
        let nodes = expandPools(pools, catalog: catalog, clusterField: top["cluster"] ?? root)

        guard let name, let scheduler else { return nil }
        var scenario = Scenario(name: name, description: description, seed: seed, horizonMicros: horizon,
                                sampleIntervalMicros: sample ?? 60_000_000, scheduler: scheduler, catalog: catalog,
                                nodes: nodes, workloads: workloads.map(\.spec), initial: initial.map(\.spec), source: file,
                                expectations: expectations)
        if let schedulerField = top["scheduler"], catalog.index(of: scheduler.keyResource) == nil {
            schedulerField.error("key_resource \"\(scheduler.keyResource)\" is not a resource of this cluster",
                                 hint: "one of: \(catalog.names.joined(separator: ", "))")
        }
        scenario.crashes = decodeCrashes(workloads, hasHorizon: horizon != nil)
        checkPodFailurePolicies(workloads, crashes: scenario.crashes)
        (scenario.memory, scenario.checkpoints) = decodeMemory(workloads)
        for draft in workloads where horizon == nil {  // a schedule without an end never stops creating DAG runs
            if let s = draft.spec.workflow?.schedule, s.endMicros == nil, s.limit == nil {
                (draft.field.lookup("schedule") ?? draft.field).error("a schedule with neither end nor limit never stops, so the scenario needs a horizon",
                                                                       hint: "add e.g. horizon: 3d at the top level, or limit: / end: to the schedule")
            }
        }
        if let f = top["failures"] {
            scenario.failures = decodeFailures(f, nodes: nodes, hasHorizon: horizon != nil)
        }
        scenario.failures.budgets = decodeBudgets(workloads)
        scenario.failures.gracePeriods = decodeGracePeriods(workloads)
        validate(&scenario, workloads: workloads, initial: initial)
        checkMesos(&scenario, workloads: workloads, schedulerField: top["scheduler"])
        return scenario
    }

    // MARK: Scheduler

    static let schedulerKeys = ["name", "key_resource", "backfill", "config", "scoring_strategy", "score_weights",
                                "disabled_score_plugins", "percentage_of_nodes_to_score", "placement_strategy", "mesos",
                                "architecture"]
        + nomadSchedulerKeys
    /// The keys that change a kube-scheduler profile (KubeSchedulerConfiguration's subset).
    static let kubeProfileKeys = ["config", "scoring_strategy", "score_weights", "disabled_score_plugins", "percentage_of_nodes_to_score"]

    func decodeScheduler(_ field: Field) -> SchedulerSpec? {
        let names = SchedulerRegistry.names
        func preset(_ f: Field) -> SchedulerSpec? {
            guard let name = f.nonEmptyString() else { return nil }
            if let p = SchedulerRegistry.preset(named: name) { return p.spec }
            let hint = suggestion(for: name, among: names).map { "did you mean \"\($0)\"?" } ?? "known schedulers: \(names.joined(separator: ", "))"
            f.error("unknown scheduler \"\(name)\"", hint: hint)
            return nil
        }
        if case .scalar = field.node { return preset(field) }
        guard let map = field.mapping(allowed: Self.schedulerKeys, what: "a scheduler name or a mapping") else { return nil }
        guard var spec = map.required("name", in: field).flatMap(preset) else { return nil }
        if let key = map["key_resource"]?.nonEmptyString() { spec.keyResource = key }
        if let backfill = map["backfill"]?.bool() { spec.backfill = backfill }
        decodeKubeProfile(map, into: &spec)
        decodeNomadScheduler(map, into: &spec)
        if let f = map["placement_strategy"] {
            if spec.architecture != .ecs {
                f.error("\"placement_strategy\" applies only to ECS presets", hint: "e.g. name: ecs-spread")
            } else if let chain = decodeECSStrategy(f) {
                spec.ecs.strategy = chain
            }
        }
        if let f = map["mesos"] { decodeMesosOptions(f, into: &spec) }
        if let f = map["architecture"] { decodeArchitectureOptions(f, into: &spec) }
        return spec
    }

    /// Profile changes for Kubernetes presets (upstream `KubeSchedulerConfiguration`:
    /// `pluginConfig` NodeResourcesFit `scoringStrategy.type`, score plugin weights,
    /// disabled score plugins, `percentageOfNodesToScore`).
    func decodeKubeProfile(_ map: [String: Field], into spec: inout SchedulerSpec) {
        guard spec.architecture == .kubernetes else {
            for key in Self.kubeProfileKeys {
                map[key]?.error("\"\(key)\" applies only to Kubernetes presets", hint: "e.g. name: kubernetes")
            }
            return
        }
        // A KubeSchedulerConfiguration file first; the keys below refine it.
        if let configField = map["config"], let path = configField.nonEmptyString() {
            readKubeConfig(resolvePath(path), at: configField, into: &spec)
        }
        let plugins = KubernetesProfiles.defaultWeights.keys.sorted()
        func known(_ name: String, at f: Field, allowStar: Bool) -> Bool {
            if plugins.contains(name) || (allowStar && name == "*") { return true }
            let hint = suggestion(for: name, among: plugins).map { "did you mean \"\($0)\"?" } ?? "score plugins: \(plugins.joined(separator: ", "))"
            f.error("unknown score plugin \"\(name)\"", hint: hint)
            return false
        }
        if let strategy = map["scoring_strategy"]?.oneOf(KubeProfileSpec.Scoring.allCases.map { ($0.rawValue, $0) }, what: "scoring strategy") {
            spec.kube.scoring = strategy
        }
        for (name, f) in map["score_weights"]?.entries() ?? [] {
            guard known(name, at: f, allowStar: false) else { continue }
            if let w = f.int(min: 1, max: 100) { spec.kube.weights[name] = Int64(w) }
        }
        for f in map["disabled_score_plugins"]?.sequence() ?? [] {
            if let name = f.nonEmptyString(), known(name, at: f, allowStar: true) { spec.kube.disabledScores.insert(name) }
        }
        if let p = map["percentage_of_nodes_to_score"]?.int(min: 0, max: 100) {
            spec.kube.percentageOfNodesToScore = p == 0 ? nil : Int32(p)
        }
    }

    // MARK: Shared pieces

    /// Requests or capacities by resource name.
    func decodeResources(_ field: Field) -> [String: Int64]? {
        guard let entries = field.entries() else { return nil }
        var result: [String: Int64] = [:]
        for (name, f) in entries {
            guard ResourceCatalog.isValidName(name) else {
                let hint = suggestion(for: name, among: ResourceCatalog.standardNames).map { "did you mean \"\($0)\"?" }
                    ?? "use cpu, memory, ephemeral-storage, pods, or an extended resource like nvidia.com/gpu"
                (field.keyField(name) ?? f).error("unknown resource \"\(name)\"", hint: hint)
                continue
            }
            if let value = f.quantity(name == "cpu" ? .milli : .whole) { result[name] = value }
        }
        return result
    }

    static let taintKeys = ["key", "value", "effect"]
    static let effects = TaintEffect.allCases.map { ($0.rawValue, $0) }

    func decodeTaints(_ field: Field) -> [Taint] {
        (field.sequence() ?? []).compactMap { f in
            guard let map = f.mapping(allowed: Self.taintKeys) else { return nil }
            let key = map.required("key", in: f)?.nonEmptyString()
            let value = map["value"]?.string() ?? ""
            let effect = map.required("effect", in: f)?.oneOf(Self.effects, what: "taint effect")
            guard let key, let effect else { return nil }
            return Taint(key: key, value: value, effect: effect)
        }
    }

    static let tolerationKeys = ["key", "operator", "value", "effect", "toleration_seconds"]

    func decodeTolerations(_ field: Field) -> [Toleration] {
        (field.sequence() ?? []).compactMap { f in
            guard let map = f.mapping(allowed: Self.tolerationKeys) else { return nil }
            let op = map["operator"]?.oneOf(Toleration.Operator.allCases.map { ($0.rawValue, $0) }, what: "toleration operator") ?? .equal
            let key = map["key"]?.string() ?? ""
            let value = map["value"]?.string() ?? ""
            let effect = map["effect"]?.oneOf(Self.effects, what: "taint effect")
            let seconds = map["toleration_seconds"]?.int(min: 0).map(Int64.init)
            // Upstream validation (core/v1 ValidateTolerations): Exists takes no value; Equal needs a key.
            if op == .exists && !value.isEmpty { map["value"]?.error("must be empty when operator is Exists") }
            if op == .equal && key.isEmpty { f.error("operator Equal needs a key", hint: "use operator: Exists to match every taint") }
            if seconds != nil && effect != .noExecute { map["toleration_seconds"]?.error("only applies to effect NoExecute") }
            return Toleration(key: key, op: op, value: value, effect: effect, tolerationSeconds: seconds)
        }
    }

    /// Decodes a list, reporting duplicate `name`s.
    func uniqueNames<T>(_ items: [(T, Field)], name: (T) -> String, what: String) {
        var seen: [String: Int] = [:]
        for (index, (item, field)) in items.enumerated() {
            let n = name(item)
            if let first = seen[n] {
                (field.lookup("name") ?? field).error("duplicate \(what) name \"\(n)\"", hint: "first used at \(items[first].1.path)")
            } else {
                seen[n] = index
            }
        }
    }
}
