import BerthCluster
import BerthPlacement
import BerthSchedulers
import Foundation
import Yams

/// Reads the subset of a `KubeSchedulerConfiguration` (kubescheduler.config.k8s.io/v1)
/// that Berth models (docs/kubernetes.md): several profiles with their `plugins`
/// (every extension point, enabled with weights, disabled, `"*"`, merged with
/// the defaults as upstream), `percentageOfNodesToScore` (top level or per
/// profile), `pluginConfig` for NodeResourcesFit, PodTopologySpread,
/// NodeAffinity, InterPodAffinity, NodeResourcesBalancedAllocation and
/// DefaultPreemption, and the
/// queue's `podInitialBackoffSeconds` / `podMaxBackoffSeconds`. Validation
/// follows pkg/scheduler/apis/config/validation (validation.go,
/// validation_pluginargs.go) and the framework's plugin checks. Errors carry
/// the config file's own `file:line:column`. Settings that do not affect
/// placement (leader election, client connection, …) are accepted and ignored.
extension ScenarioDecoder {
    static let kubeConfigKeys = ["apiVersion", "kind", "profiles", "percentageOfNodesToScore", "parallelism",
                                 "clientConnection", "leaderElection", "healthzBindAddress", "metricsBindAddress",
                                 "enableProfiling", "enableContentionProfiling", "podInitialBackoffSeconds",
                                 "podMaxBackoffSeconds", "extenders", "delayCacheUntilActive"]
    static let kubeProfileFileKeys = ["schedulerName", "plugins", "pluginConfig", "percentageOfNodesToScore"]
    static let extensionPoints = KubeExtensionPoint.allCases.map(\.rawValue)
    static let pluginSetKeys = ["enabled", "disabled"]
    static let pluginKeys = ["name", "weight"]
    static let pluginConfigKeys = ["name", "args"]
    static let argsHeader = ["apiVersion", "kind"]
    static let spreadArgsKeys = argsHeader + ["defaultConstraints", "defaultingType"]
    static let defaultConstraintKeys = ["maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector", "minDomains",
                                        "nodeAffinityPolicy", "nodeTaintsPolicy", "matchLabelKeys"]

    /// Reads the file into `spec`: its profiles (each refining the preset's
    /// profile) become `spec.kube` and `spec.kubeScheduler.moreProfiles`.
    func readKubeConfig(_ path: String, at pathField: Field, into spec: inout SchedulerSpec) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            pathField.error("cannot read the KubeSchedulerConfiguration file \(path)")
            return
        }
        let fileBag = DiagnosticBag(file: path)
        defer { bag.absorb(fileBag) }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                fileBag.add(line: 1, column: 1, path: "", "the file is empty: expected a KubeSchedulerConfiguration")
                return
            }
            root = node
        } catch {
            fileBag.add(ScenarioLoader.syntaxDiagnostic(error, file: path, text: text))
            return
        }
        let top = Field(node: root, path: "", bag: fileBag)
        guard let map = top.mapping(allowed: Self.kubeConfigKeys, what: "a KubeSchedulerConfiguration mapping") else { return }
        if let kind = map["kind"]?.string(), kind != "KubeSchedulerConfiguration" {
            map["kind"]?.error("expected KubeSchedulerConfiguration, got \"\(kind)\"")
        }
        readBackoff(map, into: &spec.kubeScheduler)
        let global = map["percentageOfNodesToScore"]?.int(min: 0, max: 100)
        let base = spec.kube
        let fields = map["profiles"]?.sequence() ?? []
        var profiles: [KubeProfileSpec] = []
        var seen: [String: Int] = [:]
        var firstQueueSort: KubePluginSet?
        for (i, field) in fields.enumerated() {
            var profile = base
            if let global { profile.percentageOfNodesToScore = global == 0 ? nil : Int32(global) }
            guard let pm = field.mapping(allowed: Self.kubeProfileFileKeys) else { continue }
            if let nameField = pm["schedulerName"] {
                if let name = nameField.nonEmptyString() {
                    profile.name = name
                    if let j = seen[name] {
                        nameField.error("Duplicate value: \"\(name)\"", hint: "profiles[\(j)] has this schedulerName; each profile needs its own")
                    }
                    seen[name] = i
                }
            } else if fields.count > 1 {
                field.error("missing required key \"schedulerName\"", hint: "with several profiles every profile needs a unique schedulerName")
            } else {
                profile.name = PodDetails.defaultSchedulerName
            }
            if let p = pm["percentageOfNodesToScore"]?.int(min: 0, max: 100) { profile.percentageOfNodesToScore = p == 0 ? nil : Int32(p) }
            if let plugins = pm["plugins"] { readPluginSets(plugins, into: &profile) }
            readPluginConfigs(pm["pluginConfig"]?.sequence() ?? [], into: &profile)
            for problem in KubernetesProfiles.resolve(profile).problems { (pm["plugins"] ?? pm["pluginConfig"] ?? field).error(problem) }
            // Upstream validateCommonQueueSort.
            let queueSort = profile.plugins[.queueSort] ?? KubePluginSet()
            if let first = firstQueueSort, first != queueSort {
                (pm["plugins"]?.lookup("queueSort") ?? field).error("must be the same for all profiles",
                                                                     hint: "one scheduling queue serves every profile")
            }
            if firstQueueSort == nil { firstQueueSort = queueSort }
            profiles.append(profile)
        }
        if profiles.isEmpty {  // upstream defaulting: one profile named default-scheduler
            var profile = base
            if let global { profile.percentageOfNodesToScore = global == 0 ? nil : Int32(global) }
            profiles = [profile]
        }
        spec.kube = profiles[0]
        spec.kubeScheduler.moreProfiles = Array(profiles.dropFirst())
    }

    /// `podInitialBackoffSeconds` (> 0) and `podMaxBackoffSeconds` (≥ initial), as upstream validation.go.
    private func readBackoff(_ map: [String: Field], into settings: inout KubeSchedulerSettings) {
        var initial = settings.podInitialBackoffSeconds
        var maximum = settings.podMaxBackoffSeconds
        if let f = map["podInitialBackoffSeconds"], let v = f.int() {
            if v <= 0 { f.error("must be greater than 0, got \(v)") } else { initial = Int64(v) }
        }
        if let f = map["podMaxBackoffSeconds"], let v = f.int() { maximum = Int64(v) }
        if maximum < initial {
            (map["podMaxBackoffSeconds"] ?? map["podInitialBackoffSeconds"])?.error(
                "podMaxBackoffSeconds (\(maximum)) must be greater than or equal to PodInitialBackoffSeconds (\(initial))")
            return
        }
        settings.podInitialBackoffSeconds = initial
        settings.podMaxBackoffSeconds = maximum
    }

    private func pluginName(_ field: Field, allowStar: Bool) -> String? {
        guard let name = field.nonEmptyString() else { return nil }
        let known = KubePluginConfig.knownPlugins
        if known.contains(name) || (allowStar && name == "*") { return name }
        let hint = suggestion(for: name, among: known).map { "did you mean \"\($0)\"?" } ?? "in-tree plugins: \(known.joined(separator: ", "))"
        field.error("unknown plugin \"\(name)\"", hint: hint)
        return nil
    }

    private func readPluginSets(_ field: Field, into kube: inout KubeProfileSpec) {
        guard let points = field.mapping(allowed: Self.extensionPoints) else { return }
        for point in KubeExtensionPoint.allCases {
            guard let set = points[point.rawValue]?.mapping(allowed: Self.pluginSetKeys) else { continue }
            var result = KubePluginSet()
            for f in set["enabled"]?.sequence() ?? [] {
                guard let p = f.mapping(allowed: Self.pluginKeys), let name = p.required("name", in: f).flatMap({ pluginName($0, allowStar: false) })
                else { continue }
                result.enabled.append(KubePlugin(name, weight: p["weight"]?.int(min: 0, max: Int(Int32.max)).map(Int32.init)))
            }
            for f in set["disabled"]?.sequence() ?? [] {
                guard let p = f.mapping(allowed: Self.pluginKeys), let name = p.required("name", in: f).flatMap({ pluginName($0, allowStar: true) })
                else { continue }
                result.disabled.append(name)
            }
            kube.plugins[point] = result
        }
    }

    private func readPluginConfigs(_ entries: [Field], into kube: inout KubeProfileSpec) {
        var seen = Set<String>()
        for field in entries {
            guard let entry = field.mapping(allowed: Self.pluginConfigKeys),
                  let nameField = entry.required("name", in: field), let name = pluginName(nameField, allowStar: false) else { continue }
            if !seen.insert(name).inserted {
                nameField.error("Duplicate value: \"\(name)\"", hint: "give each plugin's args once per profile")
                continue
            }
            guard let args = entry["args"] else { continue }
            switch name {
            case "NodeResourcesFit": readFitArgs(args, into: &kube)
            case "PodTopologySpread": readSpreadArgs(args, into: &kube)
            case "NodeAffinity": readNodeAffinityArgs(args, into: &kube)
            case "InterPodAffinity":
                guard let m = args.mapping(allowed: Self.argsHeader + ["hardPodAffinityWeight", "ignorePreferredTermsOfExistingPods"]) else { continue }
                if let w = m["hardPodAffinityWeight"]?.int(min: 0, max: 100) { kube.hardPodAffinityWeight = Int32(w) }
                if let b = m["ignorePreferredTermsOfExistingPods"]?.bool() { kube.ignorePreferredTermsOfExistingPods = b }
            case "NodeResourcesBalancedAllocation":
                guard let m = args.mapping(allowed: Self.argsHeader + ["resources"]), let list = m["resources"]?.sequence() else { continue }
                var names = Set<String>()
                let resources = list.compactMap { f -> ResourceSpec? in
                    guard let r = f.mapping(allowed: ["name", "weight"]), let nf = r.required("name", in: f), let n = nf.nonEmptyString() else { return nil }
                    if !names.insert(n).inserted { nf.error("Duplicate value: \"\(n)\"") }
                    // Upstream defaulting turns an unset or 0 weight into 1; validation then requires 1.
                    let w = r["weight"]?.int() ?? 0
                    if w != 0 && w != 1 { r["weight"]?.error("must be 1, got \(w)") }
                    return ResourceSpec(name: n, weight: 1)
                }
                if !resources.isEmpty { kube.balancedResources = resources }
            case "DefaultPreemption":
                // Upstream ValidateDefaultPreemptionArgs.
                guard let m = args.mapping(allowed: Self.argsHeader + ["minCandidateNodesPercentage", "minCandidateNodesAbsolute"]) else { continue }
                let percentage = m["minCandidateNodesPercentage"].map { $0.int(min: 0, max: 100) } ?? kube.preemptionMinCandidateNodesPercentage
                let absolute = m["minCandidateNodesAbsolute"].map { $0.int(min: 0) } ?? kube.preemptionMinCandidateNodesAbsolute
                guard let percentage, let absolute else { continue }
                if percentage == 0 && absolute == 0 {
                    (m["minCandidateNodesPercentage"] ?? args).error("cannot be zero at the same time as minCandidateNodesAbsolute")
                    continue
                }
                kube.preemptionMinCandidateNodesPercentage = percentage
                kube.preemptionMinCandidateNodesAbsolute = absolute
            default:
                break  // the volume plugins: args accepted, defaults kept (docs/kubernetes.md)
            }
        }
    }

    private func readFitArgs(_ args: Field, into kube: inout KubeProfileSpec) {
        guard let m = args.mapping(allowed: Self.argsHeader + ["scoringStrategy", "ignoredResources", "ignoredResourceGroups"]) else { return }
        for f in m["ignoredResources"]?.sequence() ?? [] { if let r = f.nonEmptyString() { kube.fitIgnoredResources.insert(r) } }
        for f in m["ignoredResourceGroups"]?.sequence() ?? [] {
            guard let g = f.nonEmptyString() else { continue }
            if g.contains("/") { f.error("resource group name can't contain '/'") } else { kube.fitIgnoredResourceGroups.insert(g) }
        }
        guard let strategyField = m["scoringStrategy"],
              let strategy = strategyField.mapping(allowed: ["type", "resources", "requestedToCapacityRatio"]) else { return }
        let type = strategy["type"]?.oneOf([("LeastAllocated", "LeastAllocated"), ("MostAllocated", "MostAllocated"),
                                            ("RequestedToCapacityRatio", "RequestedToCapacityRatio")], what: "scoringStrategy.type") ?? "LeastAllocated"
        var resources = ResourceSpec.defaults
        if let list = strategy["resources"]?.sequence(), !list.isEmpty {
            resources = list.compactMap { f in
                guard let r = f.mapping(allowed: ["name", "weight"]), let n = r.required("name", in: f)?.nonEmptyString() else { return nil }
                let w = r["weight"]?.int(min: 0, max: 100) ?? 0
                return ResourceSpec(name: n, weight: Int64(w == 0 ? 1 : w))  // upstream defaulting: 0 → 1
            }
        }
        switch type {
        case "MostAllocated": kube.strategy = .mostAllocated(resources: resources)
        case "RequestedToCapacityRatio":
            let shape = (strategy["requestedToCapacityRatio"]?.mapping(allowed: ["shape"])?["shape"]?.sequence() ?? []).compactMap { f -> UtilizationShapePoint? in
                guard let p = f.mapping(allowed: ["utilization", "score"]),
                      let u = p.required("utilization", in: f)?.int(min: 0, max: 100),
                      let s = p.required("score", in: f)?.int(min: 0, max: 10) else { return nil }
                return UtilizationShapePoint(utilization: Int32(u), score: Int32(s))
            }
            if shape.isEmpty { strategyField.error("RequestedToCapacityRatio needs requestedToCapacityRatio.shape points") }
            kube.strategy = .requestedToCapacityRatio(resources: resources, shape: shape)
        default:
            if let r = strategy["requestedToCapacityRatio"] { r.error("must be nil when type is not RequestedToCapacityRatio") }
            kube.strategy = .leastAllocated(resources: resources)
        }
        for problem in kube.strategy?.validate() ?? [] { strategyField.error(problem) }
    }

    /// `PodTopologySpreadArgs`, validated as upstream `ValidatePodTopologySpreadArgs`.
    private func readSpreadArgs(_ args: Field, into kube: inout KubeProfileSpec) {
        guard let m = args.mapping(allowed: Self.spreadArgsKeys) else { return }
        let type = m["defaultingType"]?.oneOf(PodTopologySpread.DefaultingType.allCases.map { ($0.rawValue, $0) }, what: "defaultingType")
            ?? .system
        let list = m["defaultConstraints"]?.sequence() ?? []
        var constraints: [TopologySpreadConstraint] = []
        var seen: [String: Int] = [:]
        for (i, f) in list.enumerated() {
            guard let c = f.mapping(allowed: Self.defaultConstraintKeys) else { continue }
            let skew = c.required("maxSkew", in: f)?.int()
            if let skew, skew <= 0 { c["maxSkew"]?.error("not in valid range (0, inf), got \(skew)") }
            let key = c.required("topologyKey", in: f)?.string()
            if let key, key.isEmpty { c["topologyKey"]?.error("can not be empty") }
            if let key, !key.isEmpty, !NodeAffinity.isValidLabelKey(key) { c["topologyKey"]?.error("\"\(key)\" is not a valid label key") }
            let action = c.required("whenUnsatisfiable", in: f)?.oneOf(UnsatisfiableConstraintAction.allCases.map { ($0.rawValue, $0) },
                                                                       what: "whenUnsatisfiable")
            if let selector = c["labelSelector"] { selector.error("constraint must not define a selector, as they deduced for each pod") }
            let policies = NodeInclusionPolicy.allCases.map { ($0.rawValue, $0) }
            let minDomains = c["minDomains"]?.int(min: 1, max: Int(Int32.max)).map(Int32.init)
            let affinityPolicy = c["nodeAffinityPolicy"]?.oneOf(policies, what: "node inclusion policy")
            let taintsPolicy = c["nodeTaintsPolicy"]?.oneOf(policies, what: "node inclusion policy")
            let matchLabelKeys = (c["matchLabelKeys"]?.sequence() ?? []).compactMap { $0.nonEmptyString() }
            guard let skew, skew > 0, let key, !key.isEmpty, let action else { continue }
            if let j = seen["\(key)\u{0}\(action.rawValue)"] {
                f.error("Duplicate value: \"{\(key), \(action.rawValue)}\"", hint: "defaultConstraints[\(j)] has the same topologyKey and whenUnsatisfiable")
                continue
            }
            seen["\(key)\u{0}\(action.rawValue)"] = i
            if minDomains != nil && action != .doNotSchedule { c["minDomains"]?.error("can only use minDomains if whenUnsatisfiable is DoNotSchedule") }
            constraints.append(TopologySpreadConstraint(maxSkew: Int32(skew), topologyKey: key, whenUnsatisfiable: action, minDomains: minDomains,
                                                        nodeAffinityPolicy: affinityPolicy, nodeTaintsPolicy: taintsPolicy,
                                                        matchLabelKeys: matchLabelKeys))
        }
        if type == .system && !list.isEmpty {
            (m["defaultingType"] ?? m["defaultConstraints"])?.error("Invalid value: \"System\": when .defaultConstraints are not empty",
                                                                    hint: "set defaultingType: List to use these constraints")
            return
        }
        kube.spreadDefaulting = type
        kube.spreadDefaultConstraints = constraints
    }

    /// `NodeAffinityArgs.addedAffinity` in the core/v1 `NodeAffinity` shape.
    private func readNodeAffinityArgs(_ args: Field, into kube: inout KubeProfileSpec) {
        let requiredKey = "requiredDuringSchedulingIgnoredDuringExecution"
        let preferredKey = "preferredDuringSchedulingIgnoredDuringExecution"
        guard let m = args.mapping(allowed: Self.argsHeader + ["addedAffinity"]), let addedField = m["addedAffinity"],
              let added = addedField.mapping(allowed: [requiredKey, preferredKey]) else { return }
        func term(_ f: Field) -> NodeSelectorTerm? {
            guard let t = f.mapping(allowed: ["matchExpressions", "matchFields"]) else { return nil }
            let ops = NodeSelectorOperator.allCases.map { ($0.rawValue, $0) }
            func requirements(_ list: Field?) -> [NodeSelectorRequirement] {
                (list?.sequence() ?? []).compactMap { rf in
                    guard let r = rf.mapping(allowed: ["key", "operator", "values"]),
                          let key = r.required("key", in: rf)?.string(),
                          let op = r.required("operator", in: rf)?.oneOf(ops, what: "node selector operator") else { return nil }
                    return NodeSelectorRequirement(key: key, op: op, values: (r["values"]?.sequence() ?? []).compactMap { $0.string() })
                }
            }
            return NodeSelectorTerm(matchExpressions: requirements(t["matchExpressions"]), matchFields: requirements(t["matchFields"]))
        }
        var spec = NodeAffinitySpec()
        if let req = added[requiredKey]?.mapping(allowed: ["nodeSelectorTerms"]) {
            spec.required = (req["nodeSelectorTerms"]?.sequence() ?? []).compactMap(term)
        }
        spec.preferred = (added[preferredKey]?.sequence() ?? []).compactMap { f in
            guard let p = f.mapping(allowed: ["weight", "preference"]),
                  let w = p.required("weight", in: f)?.int(min: 1, max: 100),
                  let t = p.required("preference", in: f).flatMap(term) else { return nil }
            return PreferredSchedulingTerm(weight: Int32(w), preference: t)
        }
        do {
            _ = try NodeAffinity(addedAffinity: spec)
            kube.addedAffinity = spec
        } catch {
            addedField.error(error.message)
        }
    }
}
