import BerthCluster

/// A second-level scheduler: it holds its own queue and answers the offers the
/// allocator makes to it (docs/mesos.md). Berth's two kinds share this class;
/// `options.kind` decides how an offer is packed.
public final class MesosFramework {
    public let name: String
    public let role: String
    public let options: MesosFrameworkOptions
    /// Tasks waiting for an offer, in submission order.
    var queue: [Int32] = []
    var suppressed = false
    /// Refused-offer filters by agent: (refused resources, expiry).
    var filters: [Int32: [(resources: [Int64], expires: Int64)]] = [:]
    /// Distinct shapes in the queue, counted once per allocation cycle (nil: stale).
    var queuedShapes: Int? = nil
    /// Counters for reports.
    public internal(set) var offersReceived = 0
    public internal(set) var offersDeclined = 0
    public internal(set) var offersRescinded = 0
    public internal(set) var tasksLaunched = 0
    public internal(set) var offeredUnusedCoreSeconds = 0.0
    private var regexCache: [String: Regex<AnyRegexOutput>?] = [:]

    init(name: String, role: String, options: MesosFrameworkOptions) {
        self.name = name
        self.role = role
        self.options = options
    }

    /// Whether a refused-offer filter blocks `resources` on `node`: a filter
    /// blocks an offer no larger than what was refused (upstream
    /// `RefusedOfferFilter::filter`: refused resources contain the offer).
    func isFiltered(node: Int32, _ resources: [Int64], skip: Int) -> Bool {
        guard let list = filters[node] else { return false }
        return list.contains { f in resources.indices.allSatisfy { $0 == skip || resources[$0] <= f.resources[$0] } }
    }

    func addFilter(node: Int32, _ resources: [Int64], expires: Int64) {
        filters[node, default: []].append((resources, expires))
        earliestExpiry = min(earliestExpiry ?? .max, expires)
    }

    func expireFilters(at now: Int64) {
        guard !filters.isEmpty, let e = earliestExpiry, e <= now else { return }
        defer { earliestExpiry = filters.values.lazy.flatMap { $0 }.map(\.expires).min() }
        for node in Array(filters.keys) {
            filters[node]?.removeAll { $0.expires <= now }
            if filters[node]?.isEmpty == true { filters[node] = nil }
        }
    }

    /// The earliest filter expiry, if any.
    private(set) var earliestExpiry: Int64? = nil
    var earliestFilterExpiry: Int64? { filters.isEmpty ? nil : earliestExpiry }

    static func shapeKey(_ task: Int32, _ spec: TaskSpec) -> Int64 { spec.shape >= 0 ? Int64(spec.shape) : -1 - Int64(task) }

    /// Which queued tasks go into an offer of `resources` on `node`, in launch order.
    /// Marathon: queued tasks in order whose constraints the agent meets, at most
    /// `max_tasks_per_offer`; batch: first fit of the queue. Both skip a task that
    /// does not fit and go on with the next.
    func plan(offer resources: [Int64], on node: Int32, cluster: Cluster, placed: MesosAppCounts,
              exclude: Set<Int32> = []) -> [Int32] {
        var left = resources
        var chosen: [Int32] = []
        var extra = MesosAppCounts()  // tasks planned in this offer, per app and node
        let limit = options.maxTasksPerOffer ?? Int.max
        // Within one offer resources only shrink: a shape that did not fit never
        // fits later, and once every queued shape is blocked the scan stops.
        if queuedShapes == nil {
            queuedShapes = Set(queue.map { Self.shapeKey($0, cluster.tasks[Int($0)].spec) }).count
        }
        var blocked = Set<Int64>()
        for task in queue where chosen.count < limit {
            if blocked.count >= queuedShapes ?? .max { break }
            let spec = cluster.tasks[Int(task)].spec
            guard cluster.tasks[Int(task)].state == .pending, !exclude.contains(task) else { continue }
            let key = Self.shapeKey(task, spec)
            if blocked.contains(key) { continue }
            guard spec.requests.indices.allSatisfy({ spec.requests[$0] <= left[$0] }) else {
                blocked.insert(key)
                continue
            }
            // Node selectors and taints are fixed for the agent; Marathon constraints
            // only get stricter as tasks of the app join this agent within the offer
            // (UNIQUE, MAX_PER, CLUSTER, GROUP_BY count this agent's value up): a
            // shape rejected here stays rejected for the rest of the offer.
            guard spec.isAllowed(on: cluster.nodes[Int(node)]) else { blocked.insert(key); continue }
            if options.kind == .marathon, let constraints = spec.mesos?.constraints, !constraints.isEmpty {
                let ok = constraints.allSatisfy {
                    meets($0, app: spec.workload, node: node, cluster: cluster, placed: placed, extra: extra)
                }
                guard ok else { blocked.insert(key); continue }
            }
            for r in left.indices { left[r] -= spec.requests[r] }
            chosen.append(task)
            extra.add(app: spec.workload, node: node)
        }
        return chosen
    }

    /// The value of a Marathon constraint field on an agent (docs/mesos.md):
    /// `hostname`/`@hostname` → node name, `@zone` → zone, `@region` → the
    /// `topology.kubernetes.io/region` label, anything else → the node label of that name
    /// (`rack` falls back to Berth's rack).
    static func value(of field: String, on node: NodeSpec) -> String? {
        switch field {
        case "hostname", "@hostname": return node.name
        case "@zone": return node.zone.isEmpty ? nil : node.zone
        case "@region": return node.labels["topology.kubernetes.io/region"]
        default:
            if let v = node.labels[field] { return v }
            if field == "rack", !node.rack.isEmpty { return node.rack }
            return nil
        }
    }

    /// marathon `mesosphere.mesos.Constraints.meetsConstraint` for one agent.
    func meets(_ c: MarathonConstraint, app: Int32, node: Int32, cluster: Cluster, placed: MesosAppCounts,
               extra: MesosAppCounts) -> Bool {
        guard let offered = Self.value(of: c.field, on: cluster.nodes[Int(node)]) else {
            // An agent without the attribute meets only UNLIKE.
            return c.op == .unlike
        }
        // Tasks of the app already placed, grouped by the field's value (tasks on
        // agents without the attribute form a group of their own, as Scala's groupBy on None).
        func groups() -> [String?: Int] {
            var g: [String?: Int] = [:]
            for (n, count) in placed.nodes(of: app).merging(extra.nodes(of: app), uniquingKeysWith: +) where count > 0 {
                g[Self.value(of: c.field, on: cluster.nodes[Int(n)]), default: 0] += count
            }
            return g
        }
        switch c.op {
        case .unique:
            return groups()[offered] == nil
        case .cluster:
            // The value (if any) must match, and every running task must share the offer's value.
            if let v = c.value, !v.isEmpty, v != offered { return false }
            let g = groups()
            return g.isEmpty || (g.count == 1 && g[offered] != nil)
        case .groupBy:
            let minimum = c.value == "inf" ? Int.max : c.value.flatMap { Int($0) } ?? 0
            let g = groups()
            guard let mine = g[offered] else { return true }
            return g.count >= minimum && mine == (g.values.min() ?? 0)
        case .maxPer:
            guard let n = c.value.flatMap({ Int($0) }) else { return false }
            return groups()[offered, default: 0] < n
        case .like, .unlike:
            guard let pattern = c.value, let regex = compiled(pattern) else { return false }
            let matches = (try? regex.wholeMatch(in: offered)) != nil
            return c.op == .like ? matches : !matches
        case .isOp:
            return offered == (c.value ?? "")
        }
    }

    private func compiled(_ pattern: String) -> Regex<AnyRegexOutput>? {
        if let cached = regexCache[pattern] { return cached }
        let r = try? Regex(pattern)
        regexCache[pattern] = r
        return r
    }
}

/// Running (and planned) tasks per app (workload) and agent, for Marathon constraints.
public struct MesosAppCounts {
    private var counts: [Int32: [Int32: Int]] = [:]
    public init() {}
    mutating func add(app: Int32, node: Int32, _ delta: Int = 1) {
        counts[app, default: [:]][node, default: 0] += delta
        if counts[app]?[node] == 0 { counts[app]?[node] = nil }
    }
    func nodes(of app: Int32) -> [Int32: Int] { counts[app] ?? [:] }
}
