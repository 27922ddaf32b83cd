extension Cluster {
    /// The ordered index of nodes by free amount of resource `r`, built on first
    /// use and maintained by every later mutation.
    /// - Complexity: O(n log n) the first time, O(1) afterwards.
    public func orderedIndex(on r: Int) -> OrderedNodeIndex {
        if let index = orderedIndexes[r] { return index }
        let entries = (0..<nodes.count).map { (key: free($0, r), node: Int32($0)) }
        let index = OrderedNodeIndex(entries: entries)
        orderedIndexes[r] = index
        return index
    }

    /// The keys a node has in each ordered index before a mutation.
    func indexedKeys(node: Int) -> [Int64] {
        orderedIndexes.isEmpty ? [] : orderedIndexes.keys.sorted().map { free(node, $0) }
    }

    /// Repairs the first-fit tree and ordered indexes after `node`'s free vector changed.
    func reindex(node: Int, previousKeys: [Int64]) {
        let r = catalog.count
        free.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[(node * r)..<(node * r + r)])
            fitTree.update(node: node, free: slice)
        }
        guard !orderedIndexes.isEmpty else { return }
        for (i, resource) in orderedIndexes.keys.sorted().enumerated() {
            let old = previousKeys[i]
            let new = free(node, resource)
            if old == new { continue }
            orderedIndexes[resource]?.remove(key: old, node: Int32(node))
            orderedIndexes[resource]?.insert(key: new, node: Int32(node))
        }
    }
}
