import BerthPlacement
import BerthSchedulers
import Foundation
import Yams

/// Reads the subset of a `KubeSchedulerConfiguration` (kubescheduler.config.k8s.io/v1)
/// that Berth models into a profile: one profile's score plugins (enabled with
/// weights, disabled, `"*"`), `percentageOfNodesToScore` (top level or per profile),
/// and `pluginConfig` for NodeResourcesFit's `scoringStrategy` (type, resources
/// with weights, requestedToCapacityRatio shape). Errors carry the config file's
/// own `file:line:column`. Settings that do not affect placement (leader
/// election, client connection, …) are accepted and ignored.
extension ScenarioDecoder {
    static let kubeConfigKeys = ["apiVersion", "kind", "profiles", "percentageOfNodesToScore", "parallelism",
                                 "clientConnection", "leaderElection", "healthzBindAddress", "metricsBindAddress",
                                 "enableProfiling", "enableContentionProfiling", "podInitialBackoffSeconds",
                                 "podMaxBackoffSeconds", "extenders", "delayCacheUntilActive"]
    static let kubeProfileFileKeys = ["schedulerName", "plugins", "pluginConfig", "percentageOfNodesToScore"]
    static let extensionPoints = ["multiPoint", "queueSort", "preEnqueue", "preFilter", "filter", "postFilter", "preScore",
                                  "score", "reserve", "permit", "preBind", "bind", "postBind"]
    static let pluginSetKeys = ["enabled", "disabled"]
    static let pluginKeys = ["name", "weight"]
    static let pluginConfigKeys = ["name", "args"]

    func readKubeConfig(_ path: String, at pathField: Field, into kube: inout KubeProfileSpec) {
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
        if let p = map["percentageOfNodesToScore"]?.int(min: 0, max: 100) { kube.percentageOfNodesToScore = p == 0 ? nil : Int32(p) }
        guard let profiles = map["profiles"]?.sequence(), !profiles.isEmpty else { return }
        if profiles.count > 1 { map["profiles"]?.error("Berth models one scheduler profile; this file has \(profiles.count)") }
        guard let profile = profiles.first?.mapping(allowed: Self.kubeProfileFileKeys) else { return }
        if let name = profile["schedulerName"]?.nonEmptyString() { kube.name = name }
        if let p = profile["percentageOfNodesToScore"]?.int(min: 0, max: 100) { kube.percentageOfNodesToScore = p == 0 ? nil : Int32(p) }
        if let plugins = profile["plugins"] { readPluginSets(plugins, into: &kube) }
        for entry in profile["pluginConfig"]?.sequence() ?? [] { readPluginConfig(entry, into: &kube) }
    }

    private func readPluginSets(_ field: Field, into kube: inout KubeProfileSpec) {
        guard let points = field.mapping(allowed: Self.extensionPoints) else { return }
        let scorePlugins = KubernetesProfiles.defaultWeights.keys.sorted()
        for (point, setField) in points.sorted(by: { $0.key < $1.key }) {
            guard let set = setField.mapping(allowed: Self.pluginSetKeys) else { continue }
            let scoring = point == "score" || point == "multiPoint"
            for f in set["enabled"]?.sequence() ?? [] {
                guard let p = f.mapping(allowed: Self.pluginKeys), let name = p.required("name", in: f)?.nonEmptyString() else { continue }
                if scoring, scorePlugins.contains(name) {
                    kube.disabledScores.remove(name)
                    if let w = p["weight"]?.int(min: 0, max: 100), w > 0 { kube.weights[name] = Int64(w) }
                } else if !KubernetesProfiles.defaultPlugins.contains(name) {
                    f.error("plugin \"\(name)\" is not modelled by Berth", hint: "modelled: \(KubernetesProfiles.defaultPlugins.joined(separator: ", "))")
                }
            }
            for f in set["disabled"]?.sequence() ?? [] {
                guard let p = f.mapping(allowed: Self.pluginKeys), let name = p.required("name", in: f)?.nonEmptyString() else { continue }
                if point == "score" || point == "preScore" {
                    if name == "*" || scorePlugins.contains(name) { kube.disabledScores.insert(name) }
                    else if !KubernetesProfiles.defaultPlugins.contains(name) { f.error("plugin \"\(name)\" is not modelled by Berth") }
                } else {
                    f.error("disabling \(point) plugins is not modelled (only score and preScore)")
                }
            }
        }
    }

    private func readPluginConfig(_ field: Field, into kube: inout KubeProfileSpec) {
        guard let entry = field.mapping(allowed: Self.pluginConfigKeys),
              let name = entry.required("name", in: field)?.nonEmptyString() else { return }
        guard name == "NodeResourcesFit" else { return }  // other plugins' args keep their defaults (docs/kubernetes.md)
        guard let args = entry["args"]?.mapping(allowed: ["scoringStrategy", "ignoredResources", "ignoredResourceGroups"]),
              let strategyField = args["scoringStrategy"],
              let strategy = strategyField.mapping(allowed: ["type", "resources", "requestedToCapacityRatio"]) else { return }
        let type = strategy["type"]?.oneOf([("LeastAllocated", "LeastAllocated"), ("MostAllocated", "MostAllocated"),
                                            ("RequestedToCapacityRatio", "RequestedToCapacityRatio")], what: "scoringStrategy.type") ?? "LeastAllocated"
        var resources = ResourceSpec.defaults
        if let list = strategy["resources"]?.sequence() {
            resources = list.compactMap { f in
                guard let r = f.mapping(allowed: ["name", "weight"]), let n = r.required("name", in: f)?.nonEmptyString() else { return nil }
                return ResourceSpec(name: n, weight: Int64(r["weight"]?.int(min: 1, max: 100) ?? 1))
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
        default: kube.strategy = .leastAllocated(resources: resources)
        }
        for problem in kube.strategy?.validate() ?? [] { strategyField.error(problem) }
    }
}
