import BerthCluster

/// The tree swarmkit builds from a service's placement preferences: one level
/// per `spread` preference, one branch per label value (a node without the
/// label goes to the "" branch, so the shape does not depend on which nodes
/// carry it), and at each leaf the best feasible nodes in `nodeLess` order,
/// at most as many as there are tasks to place. `tasks` counts the service's
/// active tasks under a branch — on *every* node, feasible or not, as upstream.
///
/// Branches are kept in label-value order; upstream keeps them in a Go map, so
/// its visiting order (which decides where a remainder task goes) is
/// unspecified. Preferences other than `node.labels.*` / `engine.labels.*`
/// add no level (upstream: "only spread over labels is supported").
/// Upstream: swarmkit `manager/scheduler/nodeset.go` `tree`,
/// `decision_tree.go` `orderedNodes`.
final class DecisionTree {
    var tasks = 0
    var branches: [(value: String, tree: DecisionTree)] = []
    var nodes: [Int] = []
    /// Whether `orderedNodes` already handed the leaf out (upstream: the heap was collapsed).
    var visited = false

    var isLeaf: Bool { branches.isEmpty }

    /// upstream `nodeSet.tree`.
    static func build(preferences: [String], maxAssignments: Int, state: SwarmNodeState,
                      pipeline: inout SwarmPipeline, view: ClusterView) -> DecisionTree {
        let root = DecisionTree()
        if maxAssignments == 0 { return root }
        let labels = preferences.compactMap(SwarmNodeAttributes.labelName)
        var index: [ObjectIdentifier: [String: DecisionTree]] = [:]
        for node in 0..<view.nodeCount {
            var tree = root
            let spec = view.node(node)
            for label in labels {
                tree.tasks += Int(state.serviceTasks[node])
                let value = spec.labels[label] ?? ""
                if let next = index[ObjectIdentifier(tree)]?[value] {
                    tree = next
                } else {
                    let next = DecisionTree()
                    index[ObjectIdentifier(tree), default: [:]][value] = next
                    tree.branches.append((value, next))
                    tree = next
                }
            }
            tree.tasks += Int(state.serviceTasks[node])
            if pipeline.process(node, state: state, in: view) { tree.nodes.append(node) }
        }
        root.finish(maxAssignments: maxAssignments, state: state)
        return root
    }

    /// Sorts branches by value and keeps each leaf's best `maxAssignments` nodes
    /// (upstream keeps them in a bounded max-heap while building).
    private func finish(maxAssignments: Int, state: SwarmNodeState) {
        branches.sort { $0.value < $1.value }
        for b in branches { b.tree.finish(maxAssignments: maxAssignments, state: state) }
        nodes.sort { state.less($0, $1) }
        if nodes.count > maxAssignments { nodes.removeLast(nodes.count - maxAssignments) }
    }

    /// upstream `orderedNodes`: the leaf's nodes best first; on a second visit
    /// the nodes are filtered again (assignments may have filled them) and re-sorted.
    func orderedNodes(state: SwarmNodeState, pipeline: inout SwarmPipeline, view: ClusterView) -> [Int] {
        if visited {
            nodes = nodes.filter { pipeline.process($0, state: state, in: view) }
            nodes.sort { state.less($0, $1) }
        }
        visited = true
        return nodes
    }
}
