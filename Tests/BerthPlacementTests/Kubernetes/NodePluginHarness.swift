import BerthCluster
import BerthPlacement
import BerthSimulation
import BerthTestSupport

/// Runs the node plugins the way upstream's unit tests do, against real clusters.
enum NodePluginHarness {
    /// PreFilter (when `runPreFilter` and the plugin has one) then Filter on
    /// node 0 of a one-node cluster holding `existing` pods. Like upstream's
    /// tests, Filter runs even after a PreFilter `Skip` unless `stopAfterSkip`.
    static func filter(_ plugin: any FilterPlugin, pod: TaskBuilder, node: NodeBuilder, existing: [TaskBuilder] = [],
                       runPreFilter: Bool = true, stopAfterSkip: Bool = false) -> (preFilter: Status?, filter: Status?) {
        let cluster = makeCluster([node], existing: existing.map { ($0, 0) })
        let view = ClusterView(cluster)
        let state = CycleState()
        let info = PodInfo(spec: pod.spec)
        var pre: Status?
        if runPreFilter, let p = plugin as? any PreFilterPlugin {
            let status = p.preFilter(state, pod: info, nodes: NodeList(view: view))
            pre = status
            if status.isSkip && stopAfterSkip { return (pre, nil) }
        }
        return (pre, plugin.filter(state, pod: info, node: NodeInfo(index: 0, view: view)))
    }

    /// PreScore (when asked and the plugin has one), Score on every node, then
    /// NormalizeScore when the plugin has one. A PreScore `Skip` gives every
    /// node 0, as the framework does.
    static func scores(_ plugin: any ScorePlugin, pod: TaskBuilder, nodes: [NodeBuilder],
                       runPreScore: Bool = true) -> (preScore: Status?, scores: [Int64]) {
        let cluster = makeCluster(nodes)
        let view = ClusterView(cluster)
        let state = CycleState()
        let info = PodInfo(spec: pod.spec)
        let infos = (0..<nodes.count).map { NodeInfo(index: $0, view: view) }
        var pre: Status?
        if runPreScore, let p = plugin as? any PreScorePlugin {
            let status = p.preScore(state, pod: info, nodes: NodeSet(infos))
            pre = status
            if status.isSkip { return (pre, Array(repeating: 0, count: nodes.count)) }
        }
        var list = infos.map { NodeScore(node: $0.index, score: plugin.score(state, pod: info, node: $0).0) }
        if let n = plugin as? any ScoreNormalizing { _ = n.normalizeScore(state, pod: info, scores: &list) }
        return (pre, list.map(\.score))
    }

    /// One full scheduling cycle with `explain: true`: per node, the normalised
    /// score of the profile's only score plugin (nil when the node was filtered out).
    static func frameworkScores(_ profile: KubernetesProfile, pod: TaskBuilder, nodes: [NodeBuilder]) -> (result: CycleResult, normalized: [Int64?]) {
        let cluster = makeCluster(nodes)
        let framework = KubernetesFramework(profile: profile)
        let result = framework.schedule(PodInfo(spec: pod.spec), in: ClusterView(cluster),
                                        random: RandomStream(name: "tie-break", seed: 7), explain: true)
        return (result, result.evaluations.map { $0.feasible ? $0.normalized.first : nil })
    }
}
