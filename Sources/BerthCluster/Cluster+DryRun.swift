/// Taking pods off one node hypothetically, as kube-scheduler's preemption does
/// on a copy of the node (upstream `SelectVictimsOnNode` removes the potential
/// victims from a `NodeInfo` clone, runs the filters, and adds pods back).
///
/// A dry run changes the per-node state the filters read — free resources,
/// pod count, non-zero requests, the pods on the node, their label sets, host
/// ports, and the cluster-wide counters derived from them — and restores all of
/// it exactly when it ends. Observers are not told, `version`, node stamps and
/// the change journal do not move, and the placement indexes (FitTree, ordered
/// indexes) are neither used nor updated inside the dry run.
public struct DryRunSession {
    let cluster: Cluster
    public let node: Int

    /// Takes running task `task` (on this session's node) off the node.
    public func remove(_ task: Int32) {
        cluster.dryRunApply(task, on: node, sign: -1)
    }

    /// Puts a task removed earlier in this dry run back on the node.
    public func add(_ task: Int32) {
        cluster.dryRunApply(task, on: node, sign: 1)
    }
}

extension Cluster {
    func dryRunApply(_ task: Int32, on node: Int, sign: Int64) {
        let spec = tasks[Int(task)].spec
        let r = catalog.count
        for i in 0..<r {
            free[node * r + i] -= sign * spec.requests[i]
            totalAllocated[i] += sign * spec.requests[i]
        }
        runningCount[node] += Int32(sign)
        nonZeroRequested[node * 2] += sign * spec.nonZeroCPU
        nonZeroRequested[node * 2 + 1] += sign * spec.nonZeroMemory
        let set = labelSetOfTask[Int(task)]
        if let i = labelSetCounts[node].firstIndex(where: { $0.set == set }) {
            labelSetCounts[node][i].count += Int32(sign)
            if labelSetCounts[node][i].count == 0 { labelSetCounts[node].remove(at: i) }
        } else if sign > 0 {
            labelSetCounts[node].append((set, 1))
        }
        if spec.pod?.podAffinity.map({ !$0.isEmpty }) == true { runningWithPodAffinity += Int(sign) }
        if sign < 0 {
            if let i = tasksOnNode[node].lastIndex(of: task) { tasksOnNode[node].remove(at: i) }
            for port in spec.pod?.hostPorts ?? [] {
                if let i = usedPorts[node].firstIndex(of: port) { usedPorts[node].remove(at: i) }
            }
        } else {
            tasksOnNode[node].append(task)
            usedPorts[node].append(contentsOf: spec.pod?.hostPorts ?? [])
        }
    }

    /// Runs `body` with a session that may take pods off `node` and put them
    /// back; everything is restored afterwards, whatever the session did.
    public func dryRun<T>(on node: Int, _ body: (DryRunSession) throws -> T) rethrows -> T {
        let r = catalog.count
        let savedFree = Array(free[(node * r)..<(node * r + r)])
        let savedTotal = totalAllocated
        let savedCount = runningCount[node]
        let savedNonZero = (nonZeroRequested[node * 2], nonZeroRequested[node * 2 + 1])
        let savedTasks = tasksOnNode[node]
        let savedPorts = usedPorts[node]
        let savedSets = labelSetCounts[node]
        let savedAffinity = runningWithPodAffinity
        defer {
            for i in 0..<r { free[node * r + i] = savedFree[i] }
            totalAllocated = savedTotal
            runningCount[node] = savedCount
            nonZeroRequested[node * 2] = savedNonZero.0
            nonZeroRequested[node * 2 + 1] = savedNonZero.1
            tasksOnNode[node] = savedTasks
            usedPorts[node] = savedPorts
            labelSetCounts[node] = savedSets
            runningWithPodAffinity = savedAffinity
        }
        return try body(DryRunSession(cluster: self, node: node))
    }
}

extension ClusterView {
    /// A dry run on `node` (see ``DryRunSession``): the view shows the
    /// session's changes inside `body` and the cluster as it was afterwards.
    public func dryRun<T>(on node: Int, _ body: (DryRunSession) throws -> T) rethrows -> T {
        try cluster.dryRun(on: node, body)
    }
}
