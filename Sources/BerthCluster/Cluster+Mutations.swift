extension Cluster {
    /// Adds a pending task to the ledger and returns its id.
    @discardableResult
    public func submit(_ spec: TaskSpec, at micros: Int64) -> Int32 {
        let id = Int32(tasks.count)
        tasks.append(TaskRecord(spec: spec, submitMicros: micros))
        if let known = labelSetIndex[spec.labels] {
            labelSetOfTask.append(known)
        } else {
            let new = Int32(labelSets.count)
            labelSets.append(spec.labels)
            labelSetIndex[spec.labels] = new
            labelSetOfTask.append(new)
        }
        stateCounts[Int(TaskState.pending.rawValue)] += 1
        for observer in observers { observer.taskSubmitted(id, in: self, at: micros) }
        return id
    }

    /// Records one placement attempt for a pending task (successful or not).
    public func recordAttempt(_ task: Int32) {
        guard task >= 0, Int(task) < tasks.count else { return }
        tasks[Int(task)].attempts += 1
    }

    /// Binds a pending task to a node, allocating its requests.
    /// - Throws: ``ClusterError`` if the task is not pending or does not fit; nothing changes then.
    public func bind(_ task: Int32, to node: Int32, at micros: Int64) throws(ClusterError) {
        guard task >= 0, Int(task) < tasks.count else { throw .unknownTask(task) }
        guard node >= 0, Int(node) < nodes.count else { throw .unknownNode(node) }
        let record = tasks[Int(task)]
        guard record.state == .pending else { throw .wrongState(task: task, expected: .pending, actual: record.state) }
        let r = catalog.count
        let base = Int(node) * r
        for i in 0..<r where record.spec.requests[i] > free[base + i] {
            throw .doesNotFit(task: task, node: node, resource: catalog.names[i],
                              requested: record.spec.requests[i], free: free[base + i])
        }
        for i in 0..<r {
            free[base + i] -= record.spec.requests[i]
            totalAllocated[i] += record.spec.requests[i]
        }
        runningCount[Int(node)] += 1
        nonZeroRequested[Int(node) * 2] += record.spec.nonZeroCPU
        nonZeroRequested[Int(node) * 2 + 1] += record.spec.nonZeroMemory
        tasksOnNode[Int(node)].append(task)
        adjustLabelSet(labelSetOfTask[Int(task)], on: Int(node), by: 1)
        if record.spec.pod?.podAffinity.map({ !$0.isEmpty }) == true { runningWithPodAffinity += 1 }
        noteChange(Int(node))
        if let ports = record.spec.pod?.hostPorts, !ports.isEmpty { usedPorts[Int(node)].append(contentsOf: ports) }
        tasks[Int(task)].state = .running
        tasks[Int(task)].node = node
        tasks[Int(task)].startMicros = micros
        moveState(from: .pending, to: .running)
        reindex(node: Int(node), changedBy: record.spec.requests, bound: true)
        for observer in observers { observer.taskBound(task, to: node, in: self, at: micros) }
    }

    /// Ends a task: a running task releases its resources; a pending one simply leaves the queue.
    /// - Parameter state: `.finished`, `.failed` or `.killed`.
    public func end(_ task: Int32, as state: TaskState, at micros: Int64) throws(ClusterError) {
        guard task >= 0, Int(task) < tasks.count else { throw .unknownTask(task) }
        let record = tasks[Int(task)]
        guard record.state == .running || record.state == .pending else {
            throw .wrongState(task: task, expected: .running, actual: record.state)
        }
        precondition(state == .finished || state == .failed || state == .killed) // trap-ok: callers pass a terminal state
        for observer in observers { observer.taskEnding(task, as: state, in: self, at: micros) }
        if record.state == .running {
            let node = Int(record.node)
            let r = catalog.count
            let base = node * r
            for i in 0..<r {
                free[base + i] += record.spec.requests[i]
                totalAllocated[i] -= record.spec.requests[i]
            }
            runningCount[node] -= 1
            nonZeroRequested[node * 2] -= record.spec.nonZeroCPU
            nonZeroRequested[node * 2 + 1] -= record.spec.nonZeroMemory
            if let i = tasksOnNode[node].lastIndex(of: task) { tasksOnNode[node].remove(at: i) }
            adjustLabelSet(labelSetOfTask[Int(task)], on: node, by: -1)
            if record.spec.pod?.podAffinity.map({ !$0.isEmpty }) == true { runningWithPodAffinity -= 1 }
            noteChange(node)
            for port in record.spec.pod?.hostPorts ?? [] {
                if let i = usedPorts[node].firstIndex(of: port) { usedPorts[node].remove(at: i) }
            }
            reindex(node: node, changedBy: record.spec.requests, bound: false)
        }
        tasks[Int(task)].state = state
        tasks[Int(task)].endMicros = micros
        moveState(from: record.state, to: state)
    }

    private func adjustLabelSet(_ set: Int32, on node: Int, by delta: Int32) {
        if let i = labelSetCounts[node].firstIndex(where: { $0.set == set }) {
            labelSetCounts[node][i].count += delta
            if labelSetCounts[node][i].count == 0 { labelSetCounts[node].remove(at: i) }
        } else if delta > 0 {
            labelSetCounts[node].append((set, delta))
        }
    }

    private func moveState(from old: TaskState, to new: TaskState) {
        stateCounts[Int(old.rawValue)] -= 1
        stateCounts[Int(new.rawValue)] += 1
    }
}
