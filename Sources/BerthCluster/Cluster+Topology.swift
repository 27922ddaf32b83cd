/// Nodes grouped by the value of one label (a topology key such as
/// `topology.kubernetes.io/zone`): `domain[node]` indexes `names`, -1 when the
/// node lacks the label. Node labels do not change during a run, so each key is
/// computed once and cached.
public struct TopologyDomains: Sendable {
    public let key: String
    public let domain: [Int32]
    public let names: [String]
}

extension Cluster {
    /// The domains of `key`, computed on first use. - Complexity: O(nodes) once, then O(1).
    public func topologyDomains(_ key: String) -> TopologyDomains {
        if let known = topologyDomainCache[key] { return known }
        var index: [String: Int32] = [:]
        var names: [String] = []
        let domain = nodes.map { node -> Int32 in
            guard let value = node.labels[key] else { return -1 }
            if let i = index[value] { return i }
            let i = Int32(names.count)
            names.append(value)
            index[value] = i
            return i
        }
        let result = TopologyDomains(key: key, domain: domain, names: names)
        topologyDomainCache[key] = result
        return result
    }
}

extension Cluster {
    /// How many nodes list image `name` (a node listing it twice counts once).
    /// Node images do not change during a run, so this is computed once.
    public func imageNodeCount(_ name: String) -> Int {
        if imageNodeCountCache == nil {
            var counts: [String: Int] = [:]
            for node in nodes where !node.images.isEmpty {
                var seen = Set<String>()
                for image in node.images { for n in image.names { seen.insert(n) } }
                for n in seen { counts[n, default: 0] += 1 }
            }
            imageNodeCountCache = counts
        }
        return imageNodeCountCache?[name] ?? 0
    }
}
