extension Cluster {
    /// The ordered index of nodes by free amount of resource `r`, built on first
    /// use and maintained by every later mutation.
    /// - Complexity: O(n log n) the first time, O(1) afterwards.
    public func orderedIndex(on r: Int) -> OrderedNodeIndex {
        if let i = indexedResources.firstIndex(of: r) { return orderedIndexes[i] }
        let entries = (0..<nodes.count).map { (key: free($0, r), node: Int32($0)) }
        let index = OrderedNodeIndex(entries: entries)
        orderedIndexes.append(index)
        indexedResources.append(r)
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
        for i in indexedResources.indices {
            let resource = indexedResources[i]
            let new = free(node, resource)
            let old = bound ? new + requests[resource] : new - requests[resource]
            if old == new { continue }
            orderedIndexes[i].remove(key: old, node: Int32(node))
            orderedIndexes[i].insert(key: new, node: Int32(node))
        }
    }
}
