import BerthCluster
import BerthPlacement
import BerthSchedulers

/// Amazon ECS's placement vocabulary: `placement_strategy` (workload or
/// scheduler) and `placement_constraints` (workload), as in a service
/// definition's `placementStrategy` / `placementConstraints` (docs/ecs.md).
extension ScenarioDecoder {
    static let ecsStrategyKeys = ["type", "field"]
    static let ecsConstraintKeys = ["type", "expression"]
    /// ECS limits: 5 strategies per service, 10 constraints per task.
    static let maxECSConstraints = 10

    func decodeECSStrategy(_ field: Field) -> [ECSPlacementStrategy]? {
        guard let items = field.sequence() else { return nil }
        if items.count > ECSPlacement.maxStrategies {
            field.error("ECS allows at most \(ECSPlacement.maxStrategies) placement strategies, got \(items.count)")
        }
        var chain: [ECSPlacementStrategy] = []
        for f in items {
            guard let map = f.mapping(allowed: Self.ecsStrategyKeys) else { continue }
            let type = map.required("type", in: f)?.oneOf([("binpack", "binpack"), ("spread", "spread"), ("random", "random")],
                                                          what: "placement strategy type")
            switch type {
            case "binpack":
                guard let name = map.required("field", in: f, what: "cpu or memory")?.oneOf([("cpu", "cpu"), ("memory", "memory")],
                                                                                          what: "binpack field") else { continue }
                chain.append(.binpack(resource: name))
            case "spread":
                guard let ff = map.required("field", in: f, what: "instanceId, host or attribute:NAME"), let name = ff.nonEmptyString() else { continue }
                guard ["instanceId", "host"].contains(name) || (name.hasPrefix(ECSAttributes.attributePrefix) && name.count > ECSAttributes.attributePrefix.count) else {
                    ff.error("invalid spread field \"\(name)\"", hint: "instanceId, host, or an attribute such as attribute:ecs.availability-zone")
                    continue
                }
                chain.append(.spread(field: name))
            case "random":
                map["field"]?.error("\"field\" does not apply to the random strategy")
                chain.append(.random)
            default: continue
            }
        }
        return chain
    }

    func decodeECSConstraints(_ field: Field) -> [ECSPlacementConstraint] {
        guard let items = field.sequence() else { return [] }
        if items.count > Self.maxECSConstraints {
            field.error("ECS allows at most \(Self.maxECSConstraints) placement constraints per task, got \(items.count)")
        }
        return items.compactMap { f -> ECSPlacementConstraint? in
            guard let map = f.mapping(allowed: Self.ecsConstraintKeys) else { return nil }
            let type = map.required("type", in: f)?.oneOf([("distinctInstance", "distinctInstance"), ("memberOf", "memberOf")],
                                                          what: "placement constraint type")
            if type == "distinctInstance" {
                map["expression"]?.error("distinctInstance takes no expression")
                return .distinctInstance
            }
            guard type == "memberOf", let ef = map.required("expression", in: f, what: "a cluster query expression"),
                  let text = ef.nonEmptyString() else { return nil }
            switch ClusterQueryParser.parse(text) {
            case .success(let q):
                if let bad = Self.invalidRegex(in: q) {
                    ef.error("invalid regular expression \"\(bad)\" in the expression")
                    return nil
                }
                return .memberOf(q, source: text)
            case .failure(let e):
                errorInside(ef, offset: e.offset, "invalid cluster query: \(e.message)",
                            hint: "e.g. attribute:ecs.instance-type =~ t3.* and attribute:ecs.availability-zone in [us-east-1a, us-east-1b]")
                return nil
            }
        }
    }

    static func invalidRegex(in q: ECSQuery) -> String? {
        switch q {
        case .and(let a, let b), .or(let a, let b): return invalidRegex(in: a) ?? invalidRegex(in: b)
        case .not(let a): return invalidRegex(in: a)
        case .compare(_, let op, let args):
            guard op == .matches || op == .notMatches, let p = args.first else { return nil }
            return ClusterQueryEvaluator.isValidRegex(p) ? nil : p
        }
    }

    /// An error at a character inside a one-line scalar (its column plus the offset, after an opening quote).
    func errorInside(_ field: Field, offset: Int, _ message: String, hint: String? = nil) {
        let quoted = field.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
        bag.add(line: field.line, column: field.column + offset + (quoted ? 1 : 0), path: field.path, message, hint: hint)
    }

    /// The workload's Swarm and ECS placement keys, or nil when it has none.
    func decodePlacementDetails(_ map: [String: Field]) -> PlacementDetails? {
        let swarm = map["placement"].flatMap(decodeSwarmPlacement)
        let strategy = map["placement_strategy"].flatMap(decodeECSStrategy)
        let constraints = map["placement_constraints"].map(decodeECSConstraints) ?? []
        let ecs = strategy != nil || !constraints.isEmpty ? ECSPlacementSpec(strategy: strategy, constraints: constraints) : nil
        return swarm == nil && ecs == nil ? nil : PlacementDetails(swarm: swarm, ecs: ecs)
    }
}
