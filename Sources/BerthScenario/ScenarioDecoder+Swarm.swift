import BerthCluster
import BerthPlacement

/// Docker Swarm's placement vocabulary on a workload: `placement:` as in a
/// compose file's `deploy.placement` (docs/swarm.md).
extension ScenarioDecoder {
    static let swarmPlacementKeys = ["constraints", "preferences", "max_replicas_per_node", "platforms"]
    static let swarmPreferenceKeys = ["spread"]
    static let swarmPlatformKeys = ["os", "architecture"]

    func decodeSwarmPlacement(_ field: Field) -> SwarmPlacementSpec? {
        guard let map = field.mapping(allowed: Self.swarmPlacementKeys, what: "a placement mapping") else { return nil }
        var spec = SwarmPlacementSpec()
        for f in map["constraints"]?.sequence() ?? [] {
            guard let text = f.nonEmptyString() else { continue }
            switch SwarmConstraintParser.parse(text) {
            case .success(let c): spec.constraints.append(c)
            case .failure(let e):
                f.error("invalid constraint \"\(text)\": \(e.message)", hint: "e.g. node.labels.zone==eu-1, node.role!=manager, node.hostname==node-3")
            }
        }
        for f in map["preferences"]?.sequence() ?? [] {
            guard let pm = f.mapping(allowed: Self.swarmPreferenceKeys, what: "a preference like {spread: node.labels.rack}"),
                  let descriptor = pm.required("spread", in: f)?.nonEmptyString() else { continue }
            guard SwarmNodeAttributes.labelName(descriptor) != nil else {
                pm["spread"]?.error("cannot spread over \"\(descriptor)\": swarmkit spreads only over node.labels.NAME or engine.labels.NAME")
                continue
            }
            spec.preferences.append(descriptor)
        }
        if let n = map["max_replicas_per_node"]?.int(min: 0) { spec.maxReplicas = UInt64(n) }
        for f in map["platforms"]?.sequence() ?? [] {
            guard let pm = f.mapping(allowed: Self.swarmPlatformKeys) else { continue }
            spec.platforms.append(SwarmPlatform(os: pm["os"]?.string() ?? "", architecture: pm["architecture"]?.string() ?? ""))
        }
        return spec
    }
}
