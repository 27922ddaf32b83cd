/// apache/mesos `src/master/allocator/mesos/sorter/drf/sorter.cpp`, one level
/// deep (Berth's roles are flat, so the allocator keeps one sorter for roles
/// and one per role for its frameworks, as upstream does).
///
/// A client's share is the maximum over resources of allocated / total
/// (resources whose total is 0 and those in `excluded` are skipped), divided
/// by the client's weight. `sort()` lists the active clients by share, then by
/// how many times they were allocated to (`Allocation::count`, never
/// decremented), then by name (`compareDRF`). Inactive clients are left out.
public final class DRFSorter {
    struct Client {
        var name: String
        var allocation: [Double]
        var count: UInt64 = 0
        var active = true
    }
    /// Clients in insertion order (the sort makes the order irrelevant).
    private var clients: [Client] = []
    private var indexOf: [String: Int] = [:]
    public private(set) var total: [Double] { didSet { sorted = nil } }
    /// Weights by client name (upstream: by role path; default 1).
    public var weights: [String: Double] = [:] { didSet { sorted = nil } }
    /// The last `sort()` until something changes (upstream: the `dirty` flag).
    private var sorted: [String]? = nil
    /// Resource indexes left out of the share (upstream `fairnessExcludeResourceNames`).
    public let excluded: Set<Int>

    public init(resourceCount: Int, excluded: Set<Int> = []) {
        total = Array(repeating: 0, count: resourceCount)
        self.excluded = excluded
    }

    public func add(_ client: String) {
        sorted = nil
        guard indexOf[client] == nil else { return }
        indexOf[client] = clients.count
        clients.append(Client(name: client, allocation: Array(repeating: 0, count: total.count)))
    }

    public func remove(_ client: String) {
        sorted = nil
        guard let i = indexOf[client] else { return }
        clients.remove(at: i)
        indexOf = Dictionary(uniqueKeysWithValues: clients.enumerated().map { ($0.element.name, $0.offset) })
    }

    public func contains(_ client: String) -> Bool { indexOf[client] != nil }
    public var count: Int { clients.count }

    public func activate(_ client: String) {
        if let i = indexOf[client], !clients[i].active { clients[i].active = true; sorted = nil }
    }
    public func deactivate(_ client: String) {
        if let i = indexOf[client], clients[i].active { clients[i].active = false; sorted = nil }
    }
    /// Whether any client is active.
    public var hasActive: Bool { clients.contains { $0.active } }
    public func isActive(_ client: String) -> Bool { indexOf[client].map { clients[$0].active } ?? false }

    /// Resources join the pool (an agent was added or grew).
    public func addTotal(_ resources: [Double]) { for r in total.indices { total[r] += resources[r] } }
    public func removeTotal(_ resources: [Double]) { for r in total.indices { total[r] -= resources[r] } }

    /// `resources` were allocated (offered or launched) to `client`; counts one allocation.
    public func allocated(_ client: String, _ resources: [Double]) {
        guard let i = indexOf[client] else { return }
        for r in total.indices { clients[i].allocation[r] += resources[r] }
        clients[i].count += 1
        sorted = nil
    }

    /// `resources` came back from `client` (declined, rescinded, task finished).
    public func unallocated(_ client: String, _ resources: [Double]) {
        guard let i = indexOf[client] else { return }
        for r in total.indices { clients[i].allocation[r] = max(0, clients[i].allocation[r] - resources[r]) }
        sorted = nil
    }

    public func allocation(_ client: String) -> [Double]? { indexOf[client].map { clients[$0].allocation } }
    public func allocationCount(_ client: String) -> UInt64 { indexOf[client].map { clients[$0].count } ?? 0 }

    /// The weighted dominant share (`calculateShare`).
    public func share(_ client: String) -> Double {
        guard let i = indexOf[client] else { return 0 }
        return share(of: clients[i])
    }

    /// The unweighted dominant share: max over resources of allocated / total.
    public func dominantShare(_ client: String) -> Double {
        guard let i = indexOf[client] else { return 0 }
        return dominant(clients[i].allocation)
    }

    private func dominant(_ allocation: [Double]) -> Double {
        var s = 0.0
        for r in total.indices where !excluded.contains(r) && total[r] > 0 { s = max(s, allocation[r] / total[r]) }
        return s
    }

    private func share(of c: Client) -> Double { dominant(c.allocation) / (weights[c.name] ?? 1) }

    /// Active clients in DRF order.
    public func sort() -> [String] {
        if let sorted { return sorted }
        let result = clients.filter(\.active).map { (share(of: $0), $0.count, $0.name) }
            .sorted { a, b in
                if a.0 != b.0 { return a.0 < b.0 }
                if a.1 != b.1 { return a.1 < b.1 }
                return a.2 < b.2
            }
            .map(\.2)
        sorted = result
        return result
    }
}
