import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

/// Port of upstream tainttoleration/taint_toleration_test.go (v1.28):
/// `TestTaintTolerationScore` and `TestTaintTolerationFilter`. The `Gt`/`Lt`
/// toleration rows of later releases are not part of v1.28 and are not ported.
@Suite struct TaintTolerationTests {
    struct ScoreRow: Sendable, CustomTestStringConvertible {
        let name: String
        let tolerations: [Toleration]
        let taints: [[Taint]]
        let want: [Int64]
        var testDescription: String { name }
    }

    static let pref = TaintEffect.preferNoSchedule

    static let scoreRows: [ScoreRow] = [
        // Intolerable PreferNoSchedule counts: A 0, B 1 → reversed: 100 − 100·0/1 = 100, 100 − 100·1/1 = 0.
        ScoreRow(name: "node with taints tolerated by the pod, gets a higher score than those node with intolerable taints",
                 tolerations: [Toleration(key: "foo", op: .equal, value: "bar", effect: pref)],
                 taints: [[Taint(key: "foo", value: "bar", effect: pref)], [Taint(key: "foo", value: "blah", effect: pref)]],
                 want: [100, 0]),
        // Counts 0, 0, 0 → max 0 → all 100.
        ScoreRow(name: "the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has",
                 tolerations: [Toleration(key: "cpu-type", op: .equal, value: "arm64", effect: pref),
                               Toleration(key: "disk-type", op: .equal, value: "ssd", effect: pref)],
                 taints: [[], [Taint(key: "cpu-type", value: "arm64", effect: pref)],
                          [Taint(key: "cpu-type", value: "arm64", effect: pref), Taint(key: "disk-type", value: "ssd", effect: pref)]],
                 want: [100, 100, 100]),
        // Counts 0, 1, 2 → 100 − 0, 100 − 100·1/2 = 50, 100 − 100·2/2 = 0.
        ScoreRow(name: "the more intolerable taints a node has, the lower score it gets.",
                 tolerations: [Toleration(key: "foo", op: .equal, value: "bar", effect: pref)],
                 taints: [[], [Taint(key: "cpu-type", value: "arm64", effect: pref)],
                          [Taint(key: "cpu-type", value: "arm64", effect: pref), Taint(key: "disk-type", value: "ssd", effect: pref)]],
                 want: [100, 50, 0]),
        // NoSchedule tolerations are ignored for scoring and NoSchedule taints are not counted:
        // counts 0, 0, 2 → 100, 100, 0.
        ScoreRow(name: "only taints and tolerations that have effect PreferNoSchedule are checked by taints-tolerations priority function",
                 tolerations: [Toleration(key: "cpu-type", op: .equal, value: "arm64", effect: .noSchedule),
                               Toleration(key: "disk-type", op: .equal, value: "ssd", effect: .noSchedule)],
                 taints: [[], [Taint(key: "cpu-type", value: "arm64", effect: .noSchedule)],
                          [Taint(key: "cpu-type", value: "arm64", effect: pref), Taint(key: "disk-type", value: "ssd", effect: pref)]],
                 want: [100, 100, 0]),
        // Counts 0, 1 → 100, 0.
        ScoreRow(name: "Default behaviour No taints and tolerations, lands on node with no taints",
                 tolerations: [], taints: [[], [Taint(key: "cpu-type", value: "arm64", effect: pref)]],
                 want: [100, 0]),
    ]

    static func nodes(_ row: ScoreRow) -> [NodeBuilder] {
        row.taints.enumerated().map { NodeBuilder("node\(["A", "B", "C"][$0.offset])").withTaints($0.element) }
    }

    @Test(arguments: scoreRows)
    func score(_ row: ScoreRow) {
        let got = NodePluginHarness.scores(TaintToleration(), pod: TaskBuilder("pod1").withTolerations(row.tolerations), nodes: Self.nodes(row))
        #expect(got.preScore == .success)
        #expect(got.scores == row.want)
    }

    /// The same table through the framework runner: normalised scores as upstream's.
    @Test(arguments: scoreRows)
    func scoreThroughFramework(_ row: ScoreRow) {
        let plugin = TaintToleration()
        let profile = KubernetesProfile(name: "taints", filters: [plugin], preScores: [plugin], scores: [(plugin, 1)])
        let got = NodePluginHarness.frameworkScores(profile, pod: TaskBuilder("pod1").withTolerations(row.tolerations), nodes: Self.nodes(row))
        #expect(got.normalized == row.want.map(Optional.some))
        let best = row.want.max() ?? 0
        #expect(got.result.selected.map { row.want[$0] } == best)
    }

    @Test func scoreWithoutPreScoreIsAnError() {
        let got = NodePluginHarness.scores(TaintToleration(), pod: TaskBuilder("p"), nodes: [NodeBuilder("n")], runPreScore: false)
        #expect(got.scores == [100]) // raw 0 (error), normalised reversed with max 0 → 100
        let cluster = makeCluster([NodeBuilder("n")])
        let (_, status) = TaintToleration().score(CycleState(), pod: PodInfo(spec: TaskBuilder("p").spec),
                                                  node: NodeInfo(index: 0, view: ClusterView(cluster)))
        #expect(status == Status(.error, [TaintToleration.reasonNoPreScoreState]))
    }

    struct FilterRow: Sendable, CustomTestStringConvertible {
        let name: String
        let tolerations: [Toleration]
        let taints: [Taint]
        var want: Status = .success
        var testDescription: String { name }
    }

    static func untolerated(_ key: String, _ value: String) -> Status {
        Status(.unschedulableAndUnresolvable, ["node(s) had untolerated taint {\(key): \(value)}"])
    }

    static let filterRows: [FilterRow] = [
        FilterRow(name: "A pod having no tolerations can't be scheduled onto a node with nonempty taints",
                  tolerations: [], taints: [Taint(key: "dedicated", value: "user1", effect: .noSchedule)],
                  want: untolerated("dedicated", "user1")),
        FilterRow(name: "A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule",
                  tolerations: [Toleration(key: "dedicated", value: "user1", effect: .noSchedule)],
                  taints: [Taint(key: "dedicated", value: "user1", effect: .noSchedule)]),
        FilterRow(name: "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
                  tolerations: [Toleration(key: "dedicated", op: .equal, value: "user2", effect: .noSchedule)],
                  taints: [Taint(key: "dedicated", value: "user1", effect: .noSchedule)],
                  want: untolerated("dedicated", "user1")),
        FilterRow(name: "A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node",
                  tolerations: [Toleration(key: "foo", op: .exists, effect: .noSchedule)],
                  taints: [Taint(key: "foo", value: "bar", effect: .noSchedule)]),
        FilterRow(name: "A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node",
                  tolerations: [Toleration(key: "dedicated", op: .equal, value: "user2", effect: .noSchedule),
                                Toleration(key: "foo", op: .exists, effect: .noSchedule)],
                  taints: [Taint(key: "dedicated", value: "user2", effect: .noSchedule), Taint(key: "foo", value: "bar", effect: .noSchedule)]),
        FilterRow(name: "A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node",
                  tolerations: [Toleration(key: "foo", op: .equal, value: "bar", effect: .preferNoSchedule)],
                  taints: [Taint(key: "foo", value: "bar", effect: .noSchedule)],
                  want: untolerated("foo", "bar")),
        FilterRow(name: "The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node",
                  tolerations: [Toleration(key: "foo", op: .equal, value: "bar")],
                  taints: [Taint(key: "foo", value: "bar", effect: .noSchedule)]),
        FilterRow(name: "The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
                  tolerations: [Toleration(key: "dedicated", op: .equal, value: "user2", effect: .noSchedule)],
                  taints: [Taint(key: "dedicated", value: "user1", effect: .preferNoSchedule)]),
        FilterRow(name: "The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
                  tolerations: [], taints: [Taint(key: "dedicated", value: "user1", effect: .preferNoSchedule)]),
    ]

    @Test(arguments: filterRows)
    func filter(_ row: FilterRow) {
        let got = NodePluginHarness.filter(TaintToleration(), pod: TaskBuilder("pod1").withTolerations(row.tolerations),
                                           node: NodeBuilder("nodeA").withTaints(row.taints))
        #expect(got.filter == row.want)
    }

    /// NoExecute taints filter too; the first untolerated taint (node order) is reported.
    @Test func noExecuteAndFirstUntoleratedTaint() {
        let node = NodeBuilder("n").withTaints([Taint(key: "a", value: "1", effect: .preferNoSchedule),
                                                Taint(key: "b", value: "2", effect: .noExecute),
                                                Taint(key: "c", value: "3", effect: .noSchedule)])
        let got = NodePluginHarness.filter(TaintToleration(), pod: TaskBuilder("p"), node: node)
        #expect(got.filter == Self.untolerated("b", "2"))
        let tolerant = TaskBuilder("p").withTolerations([Toleration(op: .exists)])
        #expect(NodePluginHarness.filter(TaintToleration(), pod: tolerant, node: node).filter == .success)
    }
}
