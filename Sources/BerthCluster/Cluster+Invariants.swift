extension Cluster {
    /// Every violated invariant, as a sentence; empty when all hold.
    ///
    /// - No node is over-allocated on any resource (free ≥ 0), and free equals
    ///   allocatable minus the requests of the tasks running there.
    /// - Every submitted task is in exactly one state and the per-state counters add up.
    /// - A down node runs nothing.
    /// - The first-fit tree and ordered indexes agree with the free vectors.
    ///
    /// With `recomputeLedger: false` the task ledger is not re-added (that part
    /// is O(tasks)); tests then compare against an independent shadow ledger kept
    /// by an observer after every event, and recompute in full at the end.
    /// - Complexity: O(nodes × resources + tasks), or O(nodes × resources) without the ledger.
    public func invariantViolations(recomputeLedger: Bool = true) -> [String] {
        var problems: [String] = []
        let r = catalog.count
        var expectedFree = recomputeLedger ? allocatableFlat : []
        var counts = Array(repeating: 0, count: TaskState.allCases.count)
        var running = recomputeLedger ? Array(repeating: Int32(0), count: nodes.count) : []
        var nonZero = recomputeLedger ? Array(repeating: Int64(0), count: nodes.count * 2) : []
        if recomputeLedger {
            for (id, task) in tasks.enumerated() {
                counts[Int(task.state.rawValue)] += 1
                guard task.state == .running else { continue }
                let node = Int(task.node)
                guard node >= 0, node < nodes.count else {
                    problems.append("task #\(id) is running on unknown node #\(node)")
                    continue
                }
                running[node] += 1
            nonZero[node * 2] += task.spec.nonZeroCPU
            nonZero[node * 2 + 1] += task.spec.nonZeroMemory
            if !tasksOnNode[node].contains(Int32(id)) { problems.append("task #\(id) missing from node \(nodes[node].name)'s task list") }
                for i in 0..<r { expectedFree[node * r + i] -= task.spec.requests[i] }
            }
        }
        for n in 0..<nodes.count {
            if nodeDown[n] && runningCount[n] > 0 { problems.append("node \(nodes[n].name) is down but runs \(runningCount[n]) task(s)") }
            if labelSetCounts[n].reduce(0, { $0 + Int($1.count) }) != Int(runningCount[n]) {
                problems.append("node \(nodes[n].name): label-set counts disagree with running count")
            }
            if tasksOnNode[n].count != Int(runningCount[n]) { problems.append("node \(nodes[n].name): task list has \(tasksOnNode[n].count) entries, running count \(runningCount[n])") }
            if recomputeLedger && (nonZero[n * 2] != nonZeroRequested[n * 2] || nonZero[n * 2 + 1] != nonZeroRequested[n * 2 + 1]) {
                problems.append("node \(nodes[n].name): non-zero requested ≠ ledger")
            }
            if recomputeLedger && running[n] != runningCount[n] { problems.append("node \(nodes[n].name): running count \(runningCount[n]) ≠ \(running[n])") }
            for i in 0..<r {
                let f = free[n * r + i]
                if f < 0 { problems.append("node \(nodes[n].name) over-allocated on \(catalog.names[i]) by \(-f)") }
                if recomputeLedger && f != expectedFree[n * r + i] { problems.append("node \(nodes[n].name): free \(catalog.names[i]) \(f) ≠ \(expectedFree[n * r + i])") }
                if fitTree.free(of: n, dimension: i) != f { problems.append("fit tree stale for node \(nodes[n].name)") }
            }
        }
        if recomputeLedger && counts != stateCounts { problems.append("state counters \(stateCounts) ≠ ledger \(counts)") }
        if stateCounts.reduce(0, +) != tasks.count { problems.append("tasks lost: counters sum \(stateCounts.reduce(0, +)) ≠ \(tasks.count) submitted") }
        for (resource, index) in zip(indexedResources, orderedIndexes) {
            if index.count != nodes.count { problems.append("ordered index on \(catalog.names[resource]) has \(index.count) entries") }
            var seen = 0
            index.forEachAscending(from: Int64.min) { key, node in
                if key != free(Int(node), resource) { seen += 1 }
                return true
            }
            if seen > 0 { problems.append("ordered index on \(catalog.names[resource]) has \(seen) stale keys") }
        }
        return problems
    }
}
