import BerthCluster
import BerthSimulation
import BerthWorkloads

/// A pool as written, before expansion into nodes.
struct PoolDraft {
    var name: String
    var count: Int
    var prefix: String
    var capacity: [String: Int64]
    var allocatable: [String: Int64]?
    var labels: [String: String]
    var taints: [Taint]
    var zones: [String]
    var racksPerZone: Int
    var pricePerHour: Double
    var unschedulable: Bool
    var field: Field
    /// `from_trace`: one node per entry, named and sized by the trace (count, capacity are unused).
    var traceNodes: [TraceNode]? = nil
    /// Container images present on every node of the pool (ImageLocality).
    var images: [NodeImage] = []
    var capacityNames: Set<String> {
        Set(capacity.keys).union(allocatable?.keys ?? [:].keys).union((traceNodes ?? []).flatMap(\.capacity.keys))
    }
}

extension ScenarioDecoder {
    static let clusterKeys = ["pools"]
    static let poolKeys = ["name", "count", "name_prefix", "capacity", "allocatable", "labels", "taints", "zones",
                           "racks_per_zone", "price_per_hour", "unschedulable", "from_trace", "images"]
    static let imageKeys = ["names", "size"]
    /// Keys a `from_trace` pool does not take: the trace names and sizes its nodes.
    static let notWithFromTrace = ["count", "name_prefix", "capacity", "allocatable"]

    func decodeCluster(_ field: Field) -> [PoolDraft]? {
        guard let map = field.mapping(allowed: Self.clusterKeys) else { return nil }
        guard let poolsField = map.required("pools", in: field), let list = poolsField.sequence() else { return nil }
        let drafts = list.compactMap(decodePool)
        uniqueNames(drafts.map { ($0, $0.field) }, name: \.name, what: "pool")
        if list.isEmpty || (drafts.count == list.count && drafts.allSatisfy { $0.count == 0 }) {
            poolsField.error("the cluster has no nodes: add a pool with count of at least 1")
        }
        return drafts
    }

    func decodePool(_ field: Field) -> PoolDraft? {
        guard let map = field.mapping(allowed: Self.poolKeys) else { return nil }
        let name = map.required("name", in: field)?.nonEmptyString()
        // Keys every pool takes, with or without from_trace.
        let labels = map["labels"]?.stringMap() ?? [:]
        let taints = map["taints"].map(decodeTaints) ?? []
        let zones = (map["zones"]?.sequence() ?? []).compactMap { $0.nonEmptyString() }
        let racks = map["racks_per_zone"]?.int(min: 1, max: 100_000) ?? 1
        var price = map["price_per_hour"]?.double() ?? 0
        if price < 0, let f = map["price_per_hour"] { f.error("must not be negative"); price = 0 }
        let unschedulable = map["unschedulable"]?.bool() ?? false
        let images = map["images"].map(decodeImages) ?? []
        var draft: PoolDraft
        if let traceField = map["from_trace"] {
            for key in Self.notWithFromTrace { map[key]?.error("\"\(key)\" does not apply to a pool with from_trace: the trace gives its nodes") }
            let nodes = decodeFromTrace(traceField)
            guard let name, let nodes else { return nil }
            draft = PoolDraft(name: name, count: nodes.count, prefix: "", capacity: [:], allocatable: nil, labels: labels,
                              taints: taints, zones: zones, racksPerZone: racks, pricePerHour: price,
                              unschedulable: unschedulable, field: field, traceNodes: nodes)
        } else {
            let count = map.required("count", in: field)?.int(min: 0, max: 1_000_000)
            let capacity = map.required("capacity", in: field).flatMap(decodeResources)
            let allocatable = map["allocatable"].flatMap(decodeResources)
            if let capacity, let allocatable, let f = map["allocatable"] { checkAllocatable(allocatable, within: capacity, at: f) }
            guard let name, let count, let capacity else { return nil }
            draft = PoolDraft(name: name, count: count, prefix: map["name_prefix"]?.string() ?? "\(name)-", capacity: capacity,
                              allocatable: allocatable, labels: labels, taints: taints, zones: zones, racksPerZone: racks,
                              pricePerHour: price, unschedulable: unschedulable, field: field)
        }
        draft.images = images
        return draft
    }

    /// Allocatable may not exceed capacity; capacity `pods` defaults to 110 (see expandPools).
    func checkAllocatable(_ allocatable: [String: Int64], within capacity: [String: Int64], at f: Field) {
        let capacityOf = { (resource: String) -> Int64 in capacity[resource] ?? (resource == "pods" ? 110 : 0) }
        for (resource, value) in allocatable.sorted(by: { $0.key < $1.key }) where value > capacityOf(resource) {
            let unit: QuantityUnit = resource == "cpu" ? .milli : .whole
            (f.lookup(resource) ?? f).error("allocatable \(resource) (\(Quantity.format(value, unit: unit))) exceeds capacity (\(Quantity.format(capacityOf(resource), unit: unit)))")
        }
    }

    /// `images: [{names: [nginx:1.25, docker.io/library/nginx:1.25], size: 70Mi}]`.
    func decodeImages(_ field: Field) -> [NodeImage] {
        (field.sequence() ?? []).compactMap { f in
            guard let map = f.mapping(allowed: Self.imageKeys) else { return nil }
            let names = map.required("names", in: f)?.sequence()?.compactMap { $0.nonEmptyString() }
            let size = map.required("size", in: f)?.quantity(.whole)
            if let names, names.isEmpty { map["names"]?.error("must list at least one name") }
            guard let names, !names.isEmpty, let size else { return nil }
            return NodeImage(names: names, sizeBytes: size)
        }
    }

    /// Expands pools into nodes: zones round-robin, racks within a zone, Kubernetes
    /// well-known labels, `pods` defaulting to 110 (the kubelet's default `maxPods`).
    func expandPools(_ pools: [PoolDraft], catalog: ResourceCatalog, clusterField: Field) -> [NodeSpec] {
        var nodes: [NodeSpec] = []
        var firstUse: [String: String] = [:]
        for pool in pools {
            var capacity = catalog.zeros()
            for (name, value) in pool.capacity { if let i = catalog.index(of: name) { capacity[i] = value } }
            if pool.capacity["pods"] == nil { capacity[ResourceCatalog.pods] = 110 }
            var allocatable = capacity
            for (name, value) in pool.allocatable ?? [:] { if let i = catalog.index(of: name) { allocatable[i] = value } }
            for i in 0..<pool.count {
                var name = "\(pool.prefix)\(i)"
                var traceLabels: [String: String] = [:]
                if let node = pool.traceNodes?[i] {
                    name = node.name
                    traceLabels = node.labels
                    capacity = catalog.zeros()
                    for (resource, value) in node.capacity { if let r = catalog.index(of: resource) { capacity[r] = value } }
                    capacity[ResourceCatalog.pods] = node.capacity["pods"] ?? 110
                    allocatable = capacity
                }
                if let other = firstUse[name] {
                    let hint = pool.traceNodes == nil ? "give the pools different name_prefix values" : "the trace's node names must not repeat another pool's"
                    (pool.field.lookup("from_trace") ?? pool.field.lookup("name_prefix") ?? pool.field.lookup("name") ?? pool.field).error("node name \"\(name)\" is also produced by pool \"\(other)\"", hint: hint)
                    break
                }
                firstUse[name] = pool.name
                // Zones come from `zones` (round-robin) or else from a zone label the pool sets itself.
                let zone = pool.zones.isEmpty ? (pool.labels[NodeLabel.zone] ?? "") : pool.zones[i % pool.zones.count]
                let rackIndex = (pool.zones.isEmpty ? i : i / pool.zones.count) % pool.racksPerZone
                let rack = (zone.isEmpty ? pool.name : zone) + "-r\(rackIndex)"
                var labels = pool.labels.merging(traceLabels) { _, trace in trace }
                labels[NodeLabel.hostname] = name
                labels[NodeLabel.pool] = pool.name
                labels[NodeLabel.rack] = rack
                if !zone.isEmpty { labels[NodeLabel.zone] = zone }
                nodes.append(NodeSpec(name: name, pool: pool.name, capacity: capacity, allocatable: allocatable,
                                      labels: labels, taints: pool.taints, zone: zone, rack: rack,
                                      pricePerHour: pool.pricePerHour, unschedulable: pool.unschedulable, images: pool.images))
            }
        }
        return nodes
    }
}
