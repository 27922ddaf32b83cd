extension Cluster {
    /// Marks `node` down (failed, unreachable) or back up.
    ///
    /// A down node takes no new tasks under any policy: ``ClusterView/isUnschedulable(_:)``
    /// is true for it, and ``ClusterView/isDown(_:)`` lets a policy that lets some
    /// pods onto cordoned nodes (Kubernetes `NodeUnschedulable` with a toleration)
    /// still reject it. The caller ends the node's running tasks *before* marking
    /// it down: a down node running a task is an invariant violation.
    /// Bumps ``version`` and the node's stamp, so caches keyed on them see the change.
    public func setNode(_ node: Int32, down: Bool) throws(ClusterError) {
        guard node >= 0, Int(node) < nodes.count else { throw .unknownNode(node) }
        guard nodeDown[Int(node)] != down else { return }
        nodeDown[Int(node)] = down
        downNodeCount += down ? 1 : -1
        noteChange(Int(node))
    }

    /// Cordons `node` (no new tasks; Kubernetes pods that tolerate
    /// `node.kubernetes.io/unschedulable` still may) or uncordons it.
    public func setNode(_ node: Int32, cordoned: Bool) throws(ClusterError) {
        guard node >= 0, Int(node) < nodes.count else { throw .unknownNode(node) }
        guard nodeCordoned[Int(node)] != cordoned else { return }
        nodeCordoned[Int(node)] = cordoned
        noteChange(Int(node))
    }

    /// Marks `node` unreachable (a network partition: the control plane sees it
    /// NotReady, no new task goes there, its tasks keep running) or reachable again.
    public func setNode(_ node: Int32, unreachable: Bool) throws(ClusterError) {
        guard node >= 0, Int(node) < nodes.count else { throw .unknownNode(node) }
        guard nodeUnreachable[Int(node)] != unreachable else { return }
        nodeUnreachable[Int(node)] = unreachable
        noteChange(Int(node))
    }

    /// Whether `node` is down (see ``setNode(_:down:)``).
    @inline(__always) public func isDown(_ node: Int) -> Bool { nodeDown[node] }
}
