import BerthCluster
@testable import BerthPlacement
import BerthTestSupport
import Testing

extension Spread {
    /// PreScore over `candidates` (all nodes = candidates + failed), then Score
    /// and NormalizeScore (upstream TestPodTopologySpreadScore loop).
    static func score(_ pod: TaskBuilder, _ candidates: [NodeBuilder], failed: [NodeBuilder] = [], _ pods: [SpreadPod],
                      plugin: PodTopologySpread = PodTopologySpread(defaultingType: .system))
        -> (preScore: Status, scores: [String: Int64], state: SpreadPreScoreState?) {
        let view = ClusterView(makeSpreadCluster(candidates + failed, pods))
        let state = CycleState()
        let info = PodInfo(spec: pod.spec)
        let infos = (0..<candidates.count).map { NodeInfo(index: $0, view: view) }
        let pre = plugin.preScore(state, pod: info, nodes: NodeSet(infos))
        var result: [String: Int64] = [:]
        if pre.isSuccess {
            var list = infos.map { NodeScore(node: $0.index, score: plugin.score(state, pod: info, node: $0).0) }
            _ = plugin.normalizeScore(state, pod: info, scores: &list)
            for s in list { result[view.nodeName(s.node)] = s.score }
        }
        return (pre, result, state.read(PodTopologySpread.preScoreStateKey, as: SpreadPreScoreState.self))
    }
}

@Suite struct PodTopologySpreadScoringTests {
    typealias S = Spread
    static let h = S.hostname

    struct ScoreRow: CustomTestStringConvertible, Sendable {
        let name: String
        let pod: @Sendable () -> TaskBuilder
        let nodes: @Sendable () -> [NodeBuilder]
        var failed: @Sendable () -> [NodeBuilder] = { [] }
        var pods: [SpreadPod] = []
        let want: [String: Int64]
        var testDescription: String { name }
    }

    static let hosts4: @Sendable () -> [NodeBuilder] = { ["node-a", "node-b", "node-c", "node-d"].map(S.h) }
    static let spread2103 = S.foos("node-a", 2) + S.foos("node-b", 1) + S.foos("node-d", 3)
    static let spread4321 = S.foos("node-a", 4) + S.foos("node-b", 3) + S.foos("node-c", 2) + S.foos("node-d", 1)
    static let spread4213 = S.foos("node-a", 4) + S.foos("node-b", 2) + S.foos("node-x", 1) + S.foos("node-y", 3)
    static let zh4: @Sendable () -> [NodeBuilder] = { [S.zh("node-a", "zone1"), S.zh("node-b", "zone1"), S.zh("node-x", "zone2"), S.zh("node-y", "zone2")] }
    static let inclusionPods = S.foos("node-a", 2) + S.foos("node-b", 1) + S.foos("node-c", 1)
    static let affinityNodes: @Sendable () -> [NodeBuilder] = {
        [S.node("node-a", ["node": "node-a", "foo": ""]), S.node("node-b", ["node": "node-b", "foo": ""]), S.node("node-c", ["node": "node-c"])]
    }
    static let taintNodes: @Sendable () -> [NodeBuilder] = {
        [S.node("node-a", ["node": "node-a"]), S.node("node-b", ["node": "node-b"]), S.node("node-c", ["node": "node-c"]).taint(S.unschedulableTaint)]
    }
    static let zh4abcd: @Sendable () -> [NodeBuilder] = { [S.zh("node-a", "zone1"), S.zh("node-b", "zone1"), S.zh("node-c", "zone2"), S.zh("node-d", "zone2")] }

    /// Upstream TestPodTopologySpreadScore (SystemDefaulting), all rows but
    /// "two Constraints on zone, 2 out of 4 nodes are candidates" (two
    /// ScheduleAnyway constraints on one key: rejected by the API server) and
    /// "matchLabelKeys ignored when feature gate disabled".
    static let rows: [ScoreRow] = [
        ScoreRow(name: "one constraint on node, no existing pods",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, h, .scheduleAnyway, S.foo) },
                 nodes: { ["node-a", "node-b"].map(S.h) }, want: ["node-a": 100, "node-b": 100]),
        ScoreRow(name: "one constraint on node, only one node is candidate",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, h, .scheduleAnyway, S.foo) },
                 nodes: { [S.h("node-a")] }, failed: { [S.h("node-b")] }, pods: S.foos("node-a", 2) + S.foos("node-b", 1),
                 want: ["node-a": 100]),
        ScoreRow(name: "one constraint on node, all nodes have the same number of matching pods",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, h, .scheduleAnyway, S.foo) },
                 nodes: { ["node-a", "node-b"].map(S.h) }, pods: S.foos("node-a", 1) + S.foos("node-b", 1),
                 want: ["node-a": 100, "node-b": 100]),
        ScoreRow(name: "one constraint on node, all 4 nodes are candidates",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, h, .scheduleAnyway, S.foo) },
                 nodes: hosts4, pods: spread2103, want: ["node-a": 20, "node-b": 60, "node-c": 100, "node-d": 0]),
        ScoreRow(name: "one constraint on node, null selector",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, h, .scheduleAnyway, nil) },
                 nodes: hosts4, pods: spread2103, want: ["node-a": 100, "node-b": 100, "node-c": 100, "node-d": 100]),
        ScoreRow(name: "one constraint on node, all 4 nodes are candidates, maxSkew=2",
                 pod: { S.pod().withLabel("foo").spreadConstraint(2, h, .scheduleAnyway, S.foo) },
                 nodes: hosts4, pods: spread2103, want: ["node-a": 33, "node-b": 66, "node-c": 100, "node-d": 16]),
        ScoreRow(name: "one constraint on node, all 4 nodes are candidates, maxSkew=3",
                 pod: { S.pod().withLabel("foo").spreadConstraint(3, h, .scheduleAnyway, S.foo) },
                 nodes: hosts4, pods: spread4321, want: ["node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100]),
        // Upstream's Service selects foo=""; Berth's default selector is the pod's labels, the same here.
        ScoreRow(name: "system defaulting, nodes don't have zone, pods match service",
                 pod: { S.pod().withLabel("foo") },
                 nodes: hosts4, pods: spread4321, want: ["node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100]),
        ScoreRow(name: "one constraint on node, 3 out of 4 nodes are candidates",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, h, .scheduleAnyway, S.foo) },
                 nodes: { ["node-a", "node-b", "node-x"].map(S.h) }, failed: { [S.h("node-y")] }, pods: spread4213,
                 want: ["node-a": 33, "node-b": 83, "node-x": 100]),
        ScoreRow(name: "one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, h, .scheduleAnyway, S.foo) },
                 nodes: { [S.h("node-a"), S.node("node-b", ["n": "node-b"]), S.h("node-x")] }, failed: { [S.h("node-y")] }, pods: spread4213,
                 want: ["node-a": 16, "node-b": 0, "node-x": 100]),
        ScoreRow(name: "one constraint on zone, 3 out of 4 nodes are candidates",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .scheduleAnyway, S.foo) },
                 nodes: { [S.zh("node-a", "zone1"), S.zh("node-b", "zone1"), S.zh("node-x", "zone2")] }, failed: { [S.zh("node-y", "zone2")] },
                 pods: spread4213, want: ["node-a": 75, "node-b": 75, "node-x": 100]),
        ScoreRow(name: "two Constraints on zone and node, 2 out of 4 nodes are candidates",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .scheduleAnyway, S.foo).spreadConstraint(1, h, .scheduleAnyway, S.foo) },
                 nodes: { [S.zh("node-a", "zone1"), S.zh("node-x", "zone2")] }, failed: { [S.zh("node-b", "zone1"), S.zh("node-y", "zone2")] },
                 pods: S.foos("node-a", 2) + S.foos("node-b", 1) + S.foos("node-x", 2) + S.foos("node-y", 4),
                 want: ["node-a": 100, "node-x": 63]),
        ScoreRow(name: "two Constraints on zone and node, with different labelSelectors",
                 pod: { S.pod().withLabel("foo").withLabel("bar").spreadConstraint(1, "zone", .scheduleAnyway, S.foo).spreadConstraint(1, h, .scheduleAnyway, S.bar) },
                 nodes: zh4, pods: [S.p("node-a", ["foo": ""]), S.p("node-b", ["foo": "", "bar": ""]), S.p("node-y", ["foo": ""]), S.p("node-y", ["bar": ""])],
                 want: ["node-a": 60, "node-b": 20, "node-x": 100, "node-y": 60]),
        ScoreRow(name: "two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods",
                 pod: { S.pod().withLabel("foo").withLabel("bar").spreadConstraint(1, "zone", .scheduleAnyway, S.foo).spreadConstraint(1, h, .scheduleAnyway, S.bar) },
                 nodes: zh4, pods: [S.p("node-b", ["bar": ""]), S.p("node-x", ["foo": ""]), S.p("node-y", ["foo": "", "bar": ""])],
                 want: ["node-a": 100, "node-b": 60, "node-x": 40, "node-y": 0]),
        ScoreRow(name: "two Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates",
                 pod: { S.pod().withLabel("foo").withLabel("bar").spreadConstraint(1, "zone", .scheduleAnyway, S.foo).spreadConstraint(1, h, .scheduleAnyway, S.bar) },
                 nodes: { [S.zh("node-a", "zone1"), S.zh("node-b", "zone1"), S.zh("node-x", "zone2")] }, failed: { [S.zh("node-y", "zone2")] },
                 pods: [S.p("node-a", ["foo": ""]), S.p("node-b", ["foo": "", "bar": ""]), S.p("node-y", ["foo": ""]), S.p("node-y", ["bar": ""])],
                 want: ["node-a": 50, "node-b": 25, "node-x": 100]),
        // One namespace in Berth: upstream's ns1 pod is left out.
        ScoreRow(name: "existing pods in a different namespace do not count",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, h, .scheduleAnyway, S.foo) },
                 nodes: { ["node-a", "node-b"].map(S.h) }, pods: S.foos("node-a", 1) + S.foos("node-b", 2),
                 want: ["node-a": 100, "node-b": 33]),
        // No terminating pods in Berth: upstream's terminating p-a is left out.
        ScoreRow(name: "terminating Pods should be excluded",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, h, .scheduleAnyway, S.foo) },
                 nodes: { ["node-a", "node-b"].map(S.h) }, pods: S.foos("node-b", 1), want: ["node-a": 100, "node-b": 0]),
        ScoreRow(name: "minDomains has no effect when ScheduleAnyway",
                 pod: { S.pod().withLabel("foo").spreadConstraint(2, "node", .scheduleAnyway, S.foo, minDomains: 10) },
                 nodes: { ["node-a", "node-b", "node-c"].map { S.node($0, ["node": $0]) } },
                 pods: S.foos("node-a", 2) + S.foos("node-b", 2) + S.foos("node-c", 1),
                 want: ["node-a": 75, "node-b": 75, "node-c": 100]),
        ScoreRow(name: "NodeAffinityPolicy honoed with labelSelectors",
                 pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "node", .scheduleAnyway, S.foo) },
                 nodes: affinityNodes, pods: inclusionPods, want: ["node-a": 0, "node-b": 33, "node-c": 100]),
        ScoreRow(name: "NodeAffinityPolicy ignored with labelSelectors",
                 pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "node", .scheduleAnyway, S.foo, nodeAffinityPolicy: .ignore) },
                 nodes: affinityNodes, pods: inclusionPods, want: ["node-a": 66, "node-b": 100, "node-c": 100]),
        ScoreRow(name: "NodeAffinityPolicy honoed with nodeAffinity",
                 pod: { S.pod().withLabel("foo").spreadNodeAffinityIn("foo", [""]).spreadConstraint(1, "node", .scheduleAnyway, S.foo) },
                 nodes: affinityNodes, pods: inclusionPods, want: ["node-a": 0, "node-b": 33, "node-c": 100]),
        ScoreRow(name: "NodeAffinityPolicy ignored with nodeAffinity",
                 pod: { S.pod().withLabel("foo").spreadNodeAffinityIn("foo", [""]).spreadConstraint(1, "node", .scheduleAnyway, S.foo, nodeAffinityPolicy: .ignore) },
                 nodes: affinityNodes, pods: inclusionPods, want: ["node-a": 66, "node-b": 100, "node-c": 100]),
        ScoreRow(name: "NodeTaintsPolicy honored",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, "node", .scheduleAnyway, S.foo, nodeTaintsPolicy: .honor) },
                 nodes: taintNodes, pods: inclusionPods, want: ["node-a": 0, "node-b": 33, "node-c": 100]),
        ScoreRow(name: "NodeTaintsPolicy ignored",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, "node", .scheduleAnyway, S.foo) },
                 nodes: taintNodes, pods: inclusionPods, want: ["node-a": 66, "node-b": 100, "node-c": 100]),
        ScoreRow(name: "matchLabelKeys ANDed with LabelSelector when LabelSelector is empty",
                 pod: { S.pod().withLabel("foo").withLabel("bar").spreadConstraint(1, "zone", .scheduleAnyway, LabelSelector(), matchLabelKeys: ["foo"])
                     .spreadConstraint(1, h, .scheduleAnyway, LabelSelector(), matchLabelKeys: ["bar"]) },
                 nodes: zh4abcd, pods: [S.p("node-a", ["foo": ""]), S.p("node-b", ["foo": "", "bar": ""]), S.p("node-c", ["foo": ""]), S.p("node-c", ["bar": ""])],
                 want: ["node-a": 60, "node-b": 20, "node-c": 60, "node-d": 100]),
        ScoreRow(name: "matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty",
                 pod: { S.pod().withLabel("foo").withLabel("bar").withLabel("baz").spreadConstraint(1, "zone", .scheduleAnyway, S.foo)
                     .spreadConstraint(1, h, .scheduleAnyway, S.bar, matchLabelKeys: ["baz"]) },
                 nodes: zh4abcd,
                 pods: [S.p("node-a", ["foo": ""]), S.p("node-b", ["foo": "", "bar": "", "baz": ""]), S.p("node-c", ["foo": ""]),
                        S.p("node-c", ["bar": ""]), S.p("node-c", ["bar": "", "baz": ""])],
                 want: ["node-a": 60, "node-b": 20, "node-c": 60, "node-d": 100]),
    ]

    @Test("TestPodTopologySpreadScore", arguments: rows)
    func scores(_ row: ScoreRow) {
        let r = Spread.score(row.pod(), row.nodes(), failed: row.failed(), row.pods)
        #expect(r.preScore.isSuccess)
        #expect(r.scores == row.want)
    }

    struct StateRow: CustomTestStringConvertible, Sendable {
        let name: String
        let pod: @Sendable () -> TaskBuilder
        let nodes: @Sendable () -> [NodeBuilder]
        var defaulting: PodTopologySpread.DefaultingType = .list
        var defaults: [TopologySpreadConstraint] = []
        /// (topologyKey, maxSkew) of the soft constraints.
        let constraints: [String]
        let ignored: Set<String>
        let podCounts: [[String: Int64]]
        /// Sizes passed to topologyNormalizingWeight.
        let sizes: [Int]
        var testDescription: String { name }
    }

    static let zh3: @Sendable () -> [NodeBuilder] = { [S.zh("node-a", "zone1"), S.zh("node-b", "zone1"), S.zh("node-x", "zone2")] }
    static let zh3foo: @Sendable () -> [NodeBuilder] = {
        [S.node("node-a", ["zone": "zone1", "foo": "", h: "node-a"]), S.node("node-b", ["zone": "zone1", "foo": "", h: "node-b"]), S.zh("node-x", "zone2")]
    }

    /// Upstream TestPreScoreStateEmptyNodes. The default-constraint rows use
    /// Berth's default selector (the pod's labels) instead of the ReplicaSet's;
    /// with no pods the counts are the same.
    static let stateRows: [StateRow] = [
        StateRow(name: "normal case",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .scheduleAnyway, S.foo).spreadConstraint(1, h, .scheduleAnyway, S.foo) },
                 nodes: zh3, constraints: ["zone/1", "\(h)/1"], ignored: [], podCounts: [["zone1": 0, "zone2": 0], [:]], sizes: [2, 3]),
        StateRow(name: "null selector",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .scheduleAnyway, nil) },
                 nodes: zh3, constraints: ["zone/1"], ignored: [], podCounts: [["zone1": 0, "zone2": 0]], sizes: [2]),
        StateRow(name: "node-x doesn't have label zone",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .scheduleAnyway, S.foo).spreadConstraint(1, h, .scheduleAnyway, S.bar) },
                 nodes: { [S.zh("node-a", "zone1"), S.zh("node-b", "zone1"), S.h("node-x")] },
                 constraints: ["zone/1", "\(h)/1"], ignored: ["node-x"], podCounts: [["zone1": 0], [:]], sizes: [1, 2]),
        StateRow(name: "system default constraints and a replicaset",
                 pod: { S.pod().withLabel("foo", "tar").withLabel("baz", "sup") },
                 nodes: { [S.node("node-a", [h: "node-a", NodeLabel.zone: "mars"]), S.node("node-b", [h: "node-b", NodeLabel.zone: "mars"]),
                           S.h("node-c"), S.h("node-d")] },
                 defaulting: .system, constraints: ["\(h)/3", "\(NodeLabel.zone)/5"], ignored: [],
                 podCounts: [[:], ["mars": 0, "": 0]], sizes: [4, 2]),
        StateRow(name: "default constraints and a replicaset",
                 pod: { S.pod().withLabel("foo", "tar").withLabel("baz", "sup") },
                 nodes: { [S.node("node-a", ["rack": "rack1", h: "node-a", "planet": "mars"])] },
                 defaults: [TopologySpreadConstraint(maxSkew: 1, topologyKey: h, whenUnsatisfiable: .scheduleAnyway),
                            TopologySpreadConstraint(maxSkew: 2, topologyKey: "rack", whenUnsatisfiable: .doNotSchedule),
                            TopologySpreadConstraint(maxSkew: 2, topologyKey: "planet", whenUnsatisfiable: .scheduleAnyway)],
                 constraints: ["\(h)/1", "planet/2"], ignored: [], podCounts: [[:], ["mars": 0]], sizes: [1, 1]),
        StateRow(name: "default constraints and a replicaset, but pod has constraints",
                 pod: { S.pod().withLabel("foo", "bar").withLabel("baz", "sup")
                     .spreadConstraint(1, "zone", .doNotSchedule, S.bar)
                     .spreadConstraint(2, "planet", .scheduleAnyway, LabelSelector(matchLabels: ["baz": "sup"])) },
                 nodes: { [S.node("node-a", ["planet": "mars", "galaxy": "andromeda"])] },
                 defaults: [TopologySpreadConstraint(maxSkew: 2, topologyKey: "galaxy", whenUnsatisfiable: .scheduleAnyway)],
                 constraints: ["planet/2"], ignored: [], podCounts: [["mars": 0]], sizes: [1]),
        StateRow(name: "NodeAffinityPolicy honored with labelSelectors",
                 pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "zone", .scheduleAnyway, S.bar) },
                 nodes: zh3foo, constraints: ["zone/1"], ignored: [], podCounts: [["zone1": 0, "zone2": 0]], sizes: [2]),
        StateRow(name: "NodeAffinityPolicy ignored with labelSelectors",
                 pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "zone", .scheduleAnyway, S.bar, nodeAffinityPolicy: .ignore) },
                 nodes: zh3foo, constraints: ["zone/1"], ignored: [], podCounts: [["zone1": 0, "zone2": 0]], sizes: [2]),
        StateRow(name: "NodeAffinityPolicy honored with nodeAffinity",
                 pod: { S.pod().withLabel("foo").spreadNodeAffinityIn("foo", [""]).spreadConstraint(1, "zone", .scheduleAnyway, S.bar) },
                 nodes: zh3foo, constraints: ["zone/1"], ignored: [], podCounts: [["zone1": 0, "zone2": 0]], sizes: [2]),
        StateRow(name: "NodeAffinityPolicy ignored with nodeAffinity",
                 pod: { S.pod().withLabel("foo").spreadNodeAffinityIn("foo", [""]).spreadConstraint(1, "zone", .scheduleAnyway, S.bar, nodeAffinityPolicy: .ignore) },
                 nodes: zh3foo, constraints: ["zone/1"], ignored: [], podCounts: [["zone1": 0, "zone2": 0]], sizes: [2]),
        StateRow(name: "NodeTaintsPolicy honored",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .scheduleAnyway, S.bar, nodeTaintsPolicy: .honor) },
                 nodes: { [S.node("node-a", ["zone": "zone1", "foo": "", h: "node-a"]), S.node("node-b", ["zone": "zone1", "foo": "", h: "node-b"]),
                           S.zh("node-x", "zone2").taint(S.unschedulableTaint)] },
                 constraints: ["zone/1"], ignored: [], podCounts: [["zone1": 0, "zone2": 0]], sizes: [2]),
        StateRow(name: "NodeTaintsPolicy ignored",
                 pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .scheduleAnyway, S.bar) },
                 nodes: { [S.node("node-a", ["zone": "zone1", "foo": "", h: "node-a"]), S.node("node-b", ["zone": "zone1", "foo": "", h: "node-b"]),
                           S.zh("node-x", "zone2").taint(S.unschedulableTaint)] },
                 constraints: ["zone/1"], ignored: [], podCounts: [["zone1": 0, "zone2": 0]], sizes: [2]),
    ]

    @Test("TestPreScoreStateEmptyNodes", arguments: stateRows)
    func preScoreState(_ row: StateRow) throws {
        let nodes = row.nodes()
        let plugin = PodTopologySpread(defaultingType: row.defaulting, defaultConstraints: row.defaults)
        let r = Spread.score(row.pod(), nodes, [], plugin: plugin)
        #expect(r.preScore.isSuccess)
        let s = try #require(r.state)
        #expect(s.constraints.map { "\($0.topologyKey)/\($0.maxSkew)" } == row.constraints)
        #expect(Set(s.ignoredNodes.map { nodes[$0].spec.name }) == row.ignored)
        #expect(s.podCounts == row.podCounts)
        #expect(s.normalizingWeights == row.sizes.map(PodTopologySpread.topologyNormalizingWeight))
    }

    /// Upstream TestPreScoreSkip, plus Berth's version of "default constraints
    /// and a replicaset that doesn't match": a pod without labels.
    @Test func preScoreSkips() {
        let noSoft = Spread.score(S.pod(), ["node-a", "node-b"].map(S.h), [], plugin: PodTopologySpread(defaultingType: .list))
        #expect(noSoft.preScore.code == .skip)
        let unlabelled = Spread.score(S.pod(), [S.node("node-a", ["planet": "mars"])], [],
                                      plugin: PodTopologySpread(defaultingType: .list, defaultConstraints: [
                                          TopologySpreadConstraint(maxSkew: 2, topologyKey: "planet", whenUnsatisfiable: .scheduleAnyway)]))
        #expect(unlabelled.preScore.code == .skip)
        let hardOnly = Spread.score(S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo), [S.zh("node-a", "z")], [])
        #expect(hardOnly.preScore.code == .skip)
    }

    @Test func systemDefaultsAreHostnameThreeAndZoneFive() {
        let d = PodTopologySpread().defaultConstraints
        #expect(d.map(\.topologyKey) == [NodeLabel.hostname, NodeLabel.zone])
        #expect(d.map(\.maxSkew) == [3, 5])
        #expect(d.allSatisfy { $0.whenUnsatisfiable == .scheduleAnyway })
    }
}
