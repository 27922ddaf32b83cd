import BerthCluster

/// One task → node claim of a plan, with the node's stamp
/// (``Cluster/nodeStamp``) in the snapshot the plan was made on.
public struct Claim: Sendable, Equatable {
    public var task: Int32
    public var node: Int32
    public var stamp: UInt64
    public init(task: Int32, node: Int32, stamp: UInt64) {
        self.task = task
        self.node = node
        self.stamp = stamp
    }
}

/// The commit of a plan (a transaction) to the shared cluster state. Every
/// decision-time architecture commits through ``commit(_:to:at:conflictMode:transactionMode:)``,
/// and it binds only through ``Cluster/bind(_:to:at:)`` — the one bind path
/// every architecture uses — so invariants are checked in one place.
public enum ClusterCommit {
    public struct Result: Sendable, Equatable {
        /// Claims bound, in plan order.
        public var committed: [Int32] = []
        /// Claims that conflicted (all-or-nothing: the first conflict only,
        /// as the Omega simulator stops there and rolls back).
        public var conflicted: [Int32] = []
    }

    /// Whether `claim` conflicts with the cluster now.
    /// - sequence-numbers: the node changed since the snapshot (its stamp differs), or
    /// - resource-fit: the task no longer fits (given `extra`, what earlier claims of
    ///   this transaction took on that node).
    /// Either way a node that went down or was cordoned since is a conflict.
    static func conflicts(_ claim: Claim, _ cluster: Cluster, mode: ConflictMode, extra: [Int64]?) -> Bool {
        let node = Int(claim.node)
        let view = ClusterView(cluster)
        if view.isUnschedulable(node) { return true }
        switch mode {
        case .sequenceNumbers:
            return cluster.nodeStamp[node] != claim.stamp
        case .resourceFit:
            let req = cluster.tasks[Int(claim.task)].spec.requests
            let r = cluster.resourceCount
            for i in 0..<r where req[i] + (extra?[i] ?? 0) > cluster.free(node, i) { return true }
            return false
        }
    }

    /// Commits `claims` at `micros`. Conflicts are detected against the cluster
    /// as it was when the commit started (a transaction's own claims never
    /// conflict with each other under sequence numbers; under resource-fit they
    /// consume resources in plan order). Claims of tasks no longer pending are dropped.
    public static func commit(_ claims: [Claim], to cluster: Cluster, at micros: Int64,
                              conflictMode: ConflictMode, transactionMode: TransactionMode) -> Result {
        var result = Result()
        let live = claims.filter { cluster.tasks[Int($0.task)].state == .pending }
        let r = cluster.resourceCount
        // Detect first (before anything binds), tracking what this transaction takes per node.
        var taken: [Int32: [Int64]] = [:]
        var ok: [Claim] = []
        for claim in live {
            if conflicts(claim, cluster, mode: conflictMode, extra: taken[claim.node]) {
                result.conflicted.append(claim.task)
                if transactionMode == .allOrNothing { return result }
                continue
            }
            let req = cluster.tasks[Int(claim.task)].spec.requests
            var t = taken[claim.node] ?? Array(repeating: 0, count: r)
            for i in 0..<r { t[i] += req[i] }
            taken[claim.node] = t
            ok.append(claim)
        }
        for claim in ok {
            if (try? cluster.bind(claim.task, to: claim.node, at: micros)) != nil {
                result.committed.append(claim.task)
            } else {  // cannot happen after the checks above; counted as a conflict, never lost
                result.conflicted.append(claim.task)
            }
        }
        return result
    }
}
