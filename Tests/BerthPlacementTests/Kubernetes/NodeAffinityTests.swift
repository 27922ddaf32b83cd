import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

private func expr(_ key: String, _ op: NodeSelectorOperator, _ values: [String] = []) -> NodeSelectorRequirement {
    NodeSelectorRequirement(key: key, op: op, values: values)
}

private func nameIn(_ names: String...) -> NodeSelectorRequirement {
    NodeSelectorRequirement(key: "metadata.name", op: .in, values: names)
}

private func required(_ terms: NodeSelectorTerm...) -> NodeAffinitySpec { NodeAffinitySpec(required: terms) }

/// Port of upstream nodeaffinity/node_affinity_test.go (v1.28): `TestNodeAffinity`
/// (PreFilter + Filter) and `TestNodeAffinityPriority` (PreScore + Score + NormalizeScore).
@Suite struct NodeAffinityTests {
    struct FilterRow: Sendable, CustomTestStringConvertible {
        let name: String
        var nodeSelector: [String: String] = [:]
        var affinity: NodeAffinitySpec?
        var labels: [String: String] = [:]
        var nodeName = ""
        var added: NodeAffinitySpec?
        var runPreFilter = true
        var wantPreFilter: Status = .success
        var wantNodeNames: Set<String>?
        var want: Status = .success
        var testDescription: String { name }
    }

    static let noMatch = Status(.unschedulableAndUnresolvable, [NodeAffinity.reasonPod])

    static let filterRows: [FilterRow] = [
        FilterRow(name: "missing labels", nodeSelector: ["foo": "bar"], want: noMatch),
        FilterRow(name: "same labels", nodeSelector: ["foo": "bar"], labels: ["foo": "bar"]),
        FilterRow(name: "node labels are superset", nodeSelector: ["foo": "bar"], labels: ["foo": "bar", "baz": "blah"]),
        FilterRow(name: "node labels are subset", nodeSelector: ["foo": "bar", "baz": "blah"], labels: ["foo": "bar"], want: noMatch),
        FilterRow(name: "Pod with matchExpressions using In operator that matches the existing node",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("foo", .in, ["bar", "value2"])])),
                  labels: ["foo": "bar"]),
        // 0206 > 0204 as integers.
        FilterRow(name: "Pod with matchExpressions using Gt operator that matches the existing node",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("kernel-version", .gt, ["0204"])])),
                  labels: ["kernel-version": "0206"]),
        FilterRow(name: "Pod with matchExpressions using NotIn operator that matches the existing node",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("mem-type", .notIn, ["DDR", "DDR2"])])),
                  labels: ["mem-type": "DDR3"]),
        FilterRow(name: "Pod with matchExpressions using Exists operator that matches the existing node",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("GPU", .exists)])),
                  labels: ["GPU": "NVIDIA-GRID-K1"]),
        FilterRow(name: "Pod with affinity that don't match node's labels won't schedule onto the node",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("foo", .in, ["value1", "value2"])])),
                  labels: ["foo": "bar"], want: noMatch),
        // An empty term selects nothing.
        FilterRow(name: "Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node",
                  affinity: required(NodeSelectorTerm()), labels: ["foo": "bar"], want: noMatch),
        FilterRow(name: "Pod with no Affinity will schedule onto a node", labels: ["foo": "bar"], wantPreFilter: Status(.skip)),
        FilterRow(name: "Pod with Affinity but nil NodeSelector will schedule onto a node",
                  affinity: NodeAffinitySpec(required: nil), labels: ["foo": "bar"], wantPreFilter: Status(.skip)),
        FilterRow(name: "Pod with multiple matchExpressions ANDed that matches the existing node",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("GPU", .exists), expr("GPU", .notIn, ["AMD", "INTER"])])),
                  labels: ["GPU": "NVIDIA-GRID-K1"]),
        FilterRow(name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("GPU", .exists), expr("GPU", .in, ["AMD", "INTER"])])),
                  labels: ["GPU": "NVIDIA-GRID-K1"], want: noMatch),
        FilterRow(name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("foo", .in, ["bar", "value2"])]),
                                     NodeSelectorTerm(matchExpressions: [expr("diffkey", .in, ["wrong", "value2"])])),
                  labels: ["foo": "bar"]),
        FilterRow(name: "Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node",
                  nodeSelector: ["foo": "bar"], affinity: required(NodeSelectorTerm(matchExpressions: [expr("foo", .exists)])),
                  labels: ["foo": "bar"]),
        FilterRow(name: "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node",
                  nodeSelector: ["foo": "bar"], affinity: required(NodeSelectorTerm(matchExpressions: [expr("foo", .exists)])),
                  labels: ["foo": "barrrrrr"], want: noMatch),
        // NotIn would match semantically, but the value is not a valid label value: the term does not parse.
        FilterRow(name: "Pod with an invalid value in Affinity term won't be scheduled onto the node",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("foo", .notIn, ["invalid value: ___@#$%^"])])),
                  labels: ["foo": "bar"], want: noMatch),
        FilterRow(name: "Pod with matchFields using In operator that matches the existing node",
                  affinity: required(NodeSelectorTerm(matchFields: [nameIn("node1")])),
                  nodeName: "node1", wantNodeNames: ["node1"]),
        FilterRow(name: "Pod with matchFields using In operator that does not match the existing node",
                  affinity: required(NodeSelectorTerm(matchFields: [nameIn("node1")])),
                  nodeName: "node2", wantNodeNames: ["node1"], want: noMatch),
        FilterRow(name: "Pod with two terms: matchFields does not match, but matchExpressions matches",
                  affinity: required(NodeSelectorTerm(matchFields: [nameIn("node1"), nameIn("node2")]),
                                     NodeSelectorTerm(matchExpressions: [expr("foo", .in, ["bar"])])),
                  labels: ["foo": "bar"], nodeName: "node2"),
        FilterRow(name: "Pod with one term: matchFields does not match, but matchExpressions matches",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("foo", .in, ["bar"])], matchFields: [nameIn("node1")])),
                  labels: ["foo": "bar"], nodeName: "node2", wantNodeNames: ["node1"], want: noMatch),
        FilterRow(name: "Pod with one term: both matchFields and matchExpressions match",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("foo", .in, ["bar"])], matchFields: [nameIn("node1")])),
                  labels: ["foo": "bar"], nodeName: "node1", wantNodeNames: ["node1"]),
        FilterRow(name: "Pod with two terms: both matchFields and matchExpressions do not match",
                  affinity: required(NodeSelectorTerm(matchFields: [nameIn("node1")]),
                                     NodeSelectorTerm(matchExpressions: [expr("foo", .in, ["not-match-to-bar"])])),
                  labels: ["foo": "bar"], nodeName: "node2", want: noMatch),
        // Union over the terms: {node1} ∪ {node2}.
        FilterRow(name: "Pod with two terms of node.Name affinity",
                  affinity: required(NodeSelectorTerm(matchFields: [nameIn("node1")]), NodeSelectorTerm(matchFields: [nameIn("node2")])),
                  nodeName: "node2", wantNodeNames: ["node1", "node2"]),
        // Intersection within the term: {node1} ∩ {node2} = ∅.
        FilterRow(name: "Pod with two conflicting mach field requirements",
                  affinity: required(NodeSelectorTerm(matchFields: [nameIn("node1"), nameIn("node2")])),
                  labels: ["foo": "bar"], nodeName: "node2",
                  wantPreFilter: Status(.unschedulableAndUnresolvable, [NodeAffinity.reasonConflict]), want: noMatch),
        FilterRow(name: "Matches added affinity and Pod's node affinity",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("zone", .in, ["foo"])])),
                  labels: ["zone": "foo"], nodeName: "node2",
                  added: required(NodeSelectorTerm(matchFields: [nameIn("node2")]))),
        FilterRow(name: "Matches added affinity but not Pod's node affinity",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("zone", .in, ["bar"])])),
                  labels: ["zone": "foo"], nodeName: "node2",
                  added: required(NodeSelectorTerm(matchFields: [nameIn("node2")])), want: noMatch),
        FilterRow(name: "Doesn't match added affinity",
                  labels: ["zone": "foo"], nodeName: "node2",
                  added: required(NodeSelectorTerm(matchExpressions: [expr("zone", .in, ["bar"])])),
                  want: Status(.unschedulableAndUnresolvable, [NodeAffinity.reasonEnforced])),
        FilterRow(name: "Matches node selector correctly even if PreFilter is not called",
                  nodeSelector: ["foo": "bar"], labels: ["foo": "bar", "baz": "blah"], runPreFilter: false),
        FilterRow(name: "Matches node affinity correctly even if PreFilter is not called",
                  affinity: required(NodeSelectorTerm(matchExpressions: [expr("GPU", .exists), expr("GPU", .notIn, ["AMD", "INTER"])])),
                  labels: ["GPU": "NVIDIA-GRID-K1"], runPreFilter: false),
    ]

    static func plugin(added: NodeAffinitySpec?) throws -> NodeAffinity {
        added == nil ? NodeAffinity() : try NodeAffinity(addedAffinity: added)
    }

    static func pod(nodeSelector: [String: String], affinity: NodeAffinitySpec?) -> TaskBuilder {
        var pod = TaskBuilder("pod").nodeSelector(nodeSelector)
        if let affinity { pod = pod.withNodeAffinity(affinity) }
        return pod
    }

    @Test(arguments: filterRows)
    func filter(_ row: FilterRow) throws {
        let plugin = try Self.plugin(added: row.added)
        let pod = Self.pod(nodeSelector: row.nodeSelector, affinity: row.affinity)
        let got = NodePluginHarness.filter(plugin, pod: pod, node: NodeBuilder(row.nodeName).labels(row.labels),
                                           runPreFilter: row.runPreFilter)
        if row.runPreFilter {
            #expect(got.preFilter == row.wantPreFilter)
            #expect(plugin.preFilterResult(PodInfo(spec: pod.spec)).nodeNames == row.wantNodeNames)
        }
        #expect(got.filter == row.want)
    }

    struct ScoreRow: Sendable, CustomTestStringConvertible {
        let name: String
        var affinity: NodeAffinitySpec?
        let nodes: [(name: String, labels: [String: String])]
        let want: [Int64]
        var added: NodeAffinitySpec?
        var runPreScore = true
        var wantPreScore: Status = .success
        var testDescription: String { name }
    }

    static let label1 = ["foo": "bar"]
    static let label2 = ["key": "value"]
    static let label3 = ["az": "az1"]
    static let label4 = ["abc": "az11", "def": "az22"]
    static let label5 = ["foo": "bar", "key": "value", "az": "az1"]

    /// foo=bar, weight 2.
    static let affinity1 = NodeAffinitySpec(preferred: [
        PreferredSchedulingTerm(weight: 2, preference: NodeSelectorTerm(matchExpressions: [expr("foo", .in, ["bar"])])),
    ])
    /// foo=bar (2), key=value (4), foo=bar ∧ key=value ∧ az=az1 (5).
    static let affinity2 = NodeAffinitySpec(preferred: [
        PreferredSchedulingTerm(weight: 2, preference: NodeSelectorTerm(matchExpressions: [expr("foo", .in, ["bar"])])),
        PreferredSchedulingTerm(weight: 4, preference: NodeSelectorTerm(matchExpressions: [expr("key", .in, ["value"])])),
        PreferredSchedulingTerm(weight: 5, preference: NodeSelectorTerm(matchExpressions: [
            expr("foo", .in, ["bar"]), expr("key", .in, ["value"]), expr("az", .in, ["az1"]),
        ])),
    ])

    static let scoreRows: [ScoreRow] = [
        // No preferred terms, no added ones: PreScore skips (v1.28), every node scores 0.
        ScoreRow(name: "all nodes are same priority as NodeAffinity is nil",
                 nodes: [("node1", label1), ("node2", label2), ("node3", label3)], want: [0, 0, 0], wantPreScore: Status(.skip)),
        // Raw 0, 0, 0 → max 0 → stays 0.
        ScoreRow(name: "no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero",
                 affinity: affinity1, nodes: [("node1", label4), ("node2", label2), ("node3", label3)], want: [0, 0, 0]),
        // Raw 2, 0, 0 → 100·2/2 = 100, 0, 0.
        ScoreRow(name: "only node1 matches the preferred scheduling requirements of pod",
                 affinity: affinity1, nodes: [("node1", label1), ("node2", label2), ("node3", label3)], want: [100, 0, 0]),
        // Raw node1 2, node5 2+4+5 = 11, node2 4 → 100·2/11 = 18, 100, 100·4/11 = 36.
        ScoreRow(name: "all nodes matches the preferred scheduling requirements of pod but with different priorities ",
                 affinity: affinity2, nodes: [("node1", label1), ("node5", label5), ("node2", label2)], want: [18, 100, 36]),
        // Added foo=bar (2) only: raw 2, 0 → 100, 0.
        ScoreRow(name: "added affinity", nodes: [("node1", label1), ("node2", label2)], want: [100, 0], added: affinity1),
        // Pod foo=bar (2) + added key=value (3): raw 2, 3, 5 → 100·2/5 = 40, 100·3/5 = 60, 100.
        ScoreRow(name: "added affinity and pod has default affinity", affinity: affinity1,
                 nodes: [("node1", label1), ("node2", label2), ("node3", label5)], want: [40, 60, 100],
                 added: NodeAffinitySpec(preferred: [
                     PreferredSchedulingTerm(weight: 3, preference: NodeSelectorTerm(matchExpressions: [expr("key", .in, ["value"])])),
                 ])),
        // As the fourth row, with Score computing the terms itself.
        ScoreRow(name: "calculate the priorities correctly even if PreScore is not called",
                 affinity: affinity2, nodes: [("node1", label1), ("node5", label5), ("node2", label2)], want: [18, 100, 36],
                 runPreScore: false),
    ]

    static func nodes(_ row: ScoreRow) -> [NodeBuilder] { row.nodes.map { NodeBuilder($0.name).labels($0.labels) } }

    @Test(arguments: scoreRows)
    func score(_ row: ScoreRow) throws {
        let plugin = try Self.plugin(added: row.added)
        let got = NodePluginHarness.scores(plugin, pod: Self.pod(nodeSelector: [:], affinity: row.affinity),
                                           nodes: Self.nodes(row), runPreScore: row.runPreScore)
        if row.runPreScore { #expect(got.preScore == row.wantPreScore) }
        #expect(got.scores == row.want)
    }

    /// The priority table through the framework runner (filters included, so
    /// every node must pass them): normalised scores as upstream's.
    @Test(arguments: scoreRows.filter(\.runPreScore))
    func scoreThroughFramework(_ row: ScoreRow) throws {
        let plugin = try Self.plugin(added: row.added)
        let profile = KubernetesProfile(name: "affinity", preFilters: [plugin], filters: [plugin], preScores: [plugin],
                                        scores: [(plugin, 2)])
        let got = NodePluginHarness.frameworkScores(profile, pod: Self.pod(nodeSelector: [:], affinity: row.affinity), nodes: Self.nodes(row))
        #expect(got.normalized == row.want.map(Optional.some))
        #expect(got.result.evaluations.map(\.total) == row.want.map { $0 * 2 })
    }

    @Test func invalidPreferredTermIsAnError() {
        let bad = NodeAffinitySpec(preferred: [
            PreferredSchedulingTerm(weight: 1, preference: NodeSelectorTerm(matchExpressions: [expr("foo", .in, [])])),
        ])
        let got = NodePluginHarness.scores(NodeAffinity(), pod: Self.pod(nodeSelector: [:], affinity: bad), nodes: [NodeBuilder("n")])
        #expect(got.preScore?.code == .error)
        #expect(throws: NodeAffinityArgumentError.self) { try NodeAffinity(addedAffinity: bad) }
    }

    /// Zero-weight and empty preferred terms are ignored (component-helpers).
    @Test func zeroWeightAndEmptyPreferredTermsIgnored() {
        let affinity = NodeAffinitySpec(preferred: [
            PreferredSchedulingTerm(weight: 0, preference: NodeSelectorTerm(matchExpressions: [expr("foo", .in, ["bar"])])),
            PreferredSchedulingTerm(weight: 7, preference: NodeSelectorTerm()),
            PreferredSchedulingTerm(weight: 3, preference: NodeSelectorTerm(matchFields: [nameIn("b")])),
        ])
        let got = NodePluginHarness.scores(NodeAffinity(), pod: Self.pod(nodeSelector: [:], affinity: affinity),
                                           nodes: [NodeBuilder("a").labels(Self.label1), NodeBuilder("b")])
        #expect(got.scores == [0, 100])
    }

    @Test func reasonTextsAreUpstreams() {
        #expect(NodeAffinity.reasonPod == "node(s) didn't match Pod's node affinity/selector")
        #expect(NodeAffinity.reasonEnforced == "node(s) didn't match scheduler-enforced node affinity")
        #expect(NodeAffinity.reasonConflict == "pod affinity terms conflict")
    }
}
