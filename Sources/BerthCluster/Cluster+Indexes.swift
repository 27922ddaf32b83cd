extension Cluster {
    /// The ordered index of nodes by free amount of resource `r`, built on first
    /// use and maintained by every later mutation.
    /// - Complexity: O(n log n) the first time, O(1) afterwards.
    public func orderedIndex(on r: Int) -> OrderedNodeIndex {
        if let index = orderedIndexes[r] { return index }
        let entries = (0..<nodes.count).map { (key: free($0, r), node: Int32($0)) }
        let index = OrderedNodeIndex(entries: entries)
        orderedIndexes[r] = index
        indexedResources = orderedIndexes.keys.sorted()
        return index
    }

    /// Repairs the first-fit tree and ordered indexes after `node`'s free vector
    /// changed by `requests` (subtracted when `bound`, added back otherwise).
    /// The old keys are derived from the delta, so nothing is allocated.
    func reindex(node: Int, changedBy requests: [Int64], bound: Bool) {
        let r = catalog.count
        free.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[(node * r)..<(node * r + r)])
            fitTree.update(node: node, free: slice)
        }
        for resource in indexedResources {
            let new = free(node, resource)
            let old = bound ? new + requests[resource] : new - requests[resource]
            if old == new { continue }
            orderedIndexes[resource]?.remove(key: old, node: Int32(node))
            orderedIndexes[resource]?.insert(key: new, node: Int32(node))
        }
    }
}
