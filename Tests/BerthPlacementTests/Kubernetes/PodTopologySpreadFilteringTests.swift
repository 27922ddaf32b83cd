import BerthCluster
@testable import BerthPlacement
import BerthTestSupport
import Testing

/// Shared fixtures for the PodTopologySpread tables (ports of upstream v1.28
/// filtering_test.go / scoring_test.go; each row keeps the upstream name).
enum Spread {
    static let foo = LabelSelector.exists("foo")
    static let bar = LabelSelector.exists("bar")
    /// Upstream `taints`: node.kubernetes.io/unschedulable:NoSchedule.
    static let unschedulableTaint = "node.kubernetes.io/unschedulable"
    static let hostname = NodeLabel.hostname

    /// `st.MakePod().Name("p")`.
    static func pod() -> TaskBuilder { TaskBuilder("p") }
    static func node(_ name: String, _ labels: [String: String]) -> NodeBuilder { NodeBuilder(name).labels(labels) }
    /// A node labelled zone=`zone`, node=`name` (the upstream filtering fixtures).
    static func zn(_ name: String, _ zone: String) -> NodeBuilder { node(name, ["zone": zone, "node": name]) }
    /// A node labelled zone=`zone`, kubernetes.io/hostname=`name` (the scoring fixtures).
    static func zh(_ name: String, _ zone: String) -> NodeBuilder { node(name, ["zone": zone, hostname: name]) }
    static func h(_ name: String) -> NodeBuilder { node(name, [hostname: name]) }
    static func p(_ node: String, _ labels: [String: String]) -> SpreadPod { SpreadPod(node, labels) }
    /// `count` pods labelled foo="" on `node`.
    static func foos(_ node: String, _ count: Int) -> [SpreadPod] { Array(repeating: p(node, ["foo": ""]), count: count) }

    /// Runs PreFilter then Filter on every node (upstream TestSingleConstraint loop).
    static func filter(_ pod: TaskBuilder, _ nodes: [NodeBuilder], _ pods: [SpreadPod],
                       plugin: PodTopologySpread = PodTopologySpread(defaultingType: .list))
        -> (preFilter: Status, codes: [String: StatusCode], state: SpreadPreFilterState?) {
        let view = ClusterView(makeSpreadCluster(nodes, pods))
        let state = CycleState()
        let info = PodInfo(spec: pod.spec)
        let pre = plugin.preFilter(state, pod: info, nodes: NodeList(view: view))
        var codes: [String: StatusCode] = [:]
        if pre.isSuccess {
            for i in 0..<view.nodeCount {
                let status = plugin.filter(state, pod: info, node: NodeInfo(index: i, view: view))
                codes[view.nodeName(i)] = status.code
            }
        }
        return (pre, codes, state.read(PodTopologySpread.preFilterStateKey, as: SpreadPreFilterState.self))
    }
}

@Suite struct PodTopologySpreadFilteringTests {
    typealias S = Spread

    struct FilterRow: CustomTestStringConvertible, Sendable {
        let name: String
        let pod: @Sendable () -> TaskBuilder
        let nodes: @Sendable () -> [NodeBuilder]
        let pods: [SpreadPod]
        let want: [String: StatusCode]
        var testDescription: String { name }
    }

    static let fourNodes: @Sendable () -> [NodeBuilder] = { [S.zn("node-a", "zone1"), S.zn("node-b", "zone1"), S.zn("node-x", "zone2"), S.zn("node-y", "zone2")] }
    static let spread2103 = S.foos("node-a", 2) + S.foos("node-b", 1) + S.foos("node-y", 3)
    static let ok = StatusCode.success, no = StatusCode.unschedulable, never = StatusCode.unschedulableAndUnresolvable
    static let inclusionNodes: @Sendable () -> [NodeBuilder] = {
        [S.node("node-a", ["node": "node-a", "foo": ""]), S.node("node-b", ["node": "node-b", "foo": ""]),
         S.node("node-x", ["node": "node-x", "foo": ""]), S.node("node-y", ["node": "node-y"])]
    }
    static let inclusionPods = [S.p("node-a", ["foo": ""]), S.p("node-b", ["foo": ""]), S.p("node-y", ["foo": ""])]

    /// Upstream TestSingleConstraint.
    static let single: [FilterRow] = [
        FilterRow(name: "no existing pods",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo) }, nodes: fourNodes, pods: [],
                  want: ["node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok]),
        FilterRow(name: "no existing pods, incoming pod doesn't match itself",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.bar) }, nodes: fourNodes, pods: [],
                  want: ["node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok]),
        // Berth has one namespace: upstream's pods in ns1/ns2 are left out.
        FilterRow(name: "existing pods in a different namespace do not count",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo) }, nodes: fourNodes,
                  pods: S.foos("node-x", 1) + S.foos("node-y", 1),
                  want: ["node-a": ok, "node-b": ok, "node-x": no, "node-y": no]),
        FilterRow(name: "existing pods do not match null selector",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, nil) }, nodes: fourNodes,
                  pods: S.foos("node-x", 1) + S.foos("node-y", 1),
                  want: ["node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok]),
        FilterRow(name: "pods spread across zones as 3/3, all nodes fit",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo) }, nodes: fourNodes,
                  pods: spread2103, want: ["node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok]),
        FilterRow(name: "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo) },
                  nodes: { [S.zn("node-a", "zone1"), S.node("node-b", ["zon": "zone1", "node": "node-b"]), S.zn("node-x", "zone2"), S.zn("node-y", "zone2")] },
                  pods: S.foos("node-a", 1) + S.foos("node-b", 1) + S.foos("node-x", 1) + S.foos("node-y", 1),
                  want: ["node-a": ok, "node-b": never, "node-x": no, "node-y": no]),
        FilterRow(name: "pod cannot be scheduled as all nodes don't have label 'rack'",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "rack", .doNotSchedule, S.foo) },
                  nodes: { [S.zn("node-a", "zone1"), S.zn("node-x", "zone2")] }, pods: [],
                  want: ["node-a": never, "node-x": never]),
        FilterRow(name: "pods spread across nodes as 2/1/0/3, only node-x fits",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "node", .doNotSchedule, S.foo) }, nodes: fourNodes,
                  pods: spread2103, want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
        FilterRow(name: "pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
                  pod: { S.pod().withLabel("foo").spreadConstraint(2, "node", .doNotSchedule, S.foo) }, nodes: fourNodes,
                  pods: spread2103, want: ["node-a": no, "node-b": ok, "node-x": ok, "node-y": no]),
        FilterRow(name: "pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
                  pod: { S.pod().withLabel("bar").spreadConstraint(1, "node", .doNotSchedule, S.foo) }, nodes: fourNodes,
                  pods: spread2103, want: ["node-a": no, "node-b": ok, "node-x": ok, "node-y": no]),
        FilterRow(name: "incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits",
                  pod: { S.pod().withLabel("foo").spreadNodeAffinityIn("node", ["node-a", "node-y"]).spreadConstraint(1, "node", .doNotSchedule, S.foo) },
                  nodes: fourNodes, pods: spread2103, want: ["node-a": ok, "node-b": ok, "node-x": ok, "node-y": no]),
        // Berth has no terminating pods: upstream's terminating p-a is left out.
        FilterRow(name: "terminating Pods should be excluded",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "node", .doNotSchedule, S.foo) },
                  nodes: { [S.node("node-a", ["node": "node-a"]), S.node("node-b", ["node": "node-b"])] },
                  pods: S.foos("node-b", 1), want: ["node-a": ok, "node-b": no]),
        FilterRow(name: "incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits",
                  pod: { S.pod().withLabel("foo").spreadNodeAffinityNotIn("node", ["node-b"]).spreadConstraint(1, "zone", .doNotSchedule, S.foo) },
                  nodes: fourNodes, pods: S.foos("node-b", 2) + S.foos("node-y", 1),
                  want: ["node-a": ok, "node-b": ok, "node-x": no, "node-y": no]),
        FilterRow(name: "pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, then the third node fits",
                  pod: { S.pod().withLabel("foo").spreadConstraint(2, "node", .doNotSchedule, S.foo, minDomains: 4) },
                  nodes: { ["node-a", "node-b", "node-c"].map { S.node($0, ["node": $0]) } },
                  pods: S.foos("node-a", 2) + S.foos("node-b", 2) + S.foos("node-c", 1),
                  want: ["node-a": no, "node-b": no, "node-c": ok]),
        FilterRow(name: "pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains, then the all nodes fit",
                  pod: { S.pod().withLabel("foo").spreadConstraint(2, "node", .doNotSchedule, S.foo, minDomains: 2) },
                  nodes: { ["node-a", "node-b", "node-c"].map { S.node($0, ["node": $0]) } },
                  pods: S.foos("node-a", 2) + S.foos("node-b", 2) + S.foos("node-c", 1),
                  want: ["node-a": ok, "node-b": ok, "node-c": ok]),
        FilterRow(name: "pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains, then the third and fourth nodes fit",
                  pod: { S.pod().withLabel("foo").spreadConstraint(2, "zone", .doNotSchedule, S.foo, minDomains: 3) }, nodes: fourNodes,
                  pods: S.foos("node-a", 1) + S.foos("node-b", 1) + S.foos("node-y", 1),
                  want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": ok]),
        FilterRow(name: "pods spread across zone as 2/1, maxSkew is 2 and the number of domains > minDomains, then the all nodes fit",
                  pod: { S.pod().withLabel("foo").spreadConstraint(2, "zone", .doNotSchedule, S.foo, minDomains: 1) }, nodes: fourNodes,
                  pods: S.foos("node-a", 1) + S.foos("node-b", 1) + S.foos("node-y", 1),
                  want: ["node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok]),
        FilterRow(name: "NodeAffinityPolicy honored with labelSelectors",
                  pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "node", .doNotSchedule, S.foo) },
                  nodes: inclusionNodes, pods: inclusionPods, want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": ok]),
        FilterRow(name: "NodeAffinityPolicy ignored with labelSelectors",
                  pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "node", .doNotSchedule, S.foo, nodeAffinityPolicy: .ignore) },
                  nodes: inclusionNodes, pods: inclusionPods, want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
        FilterRow(name: "NodeAffinityPolicy honored with nodeAffinity",
                  pod: { S.pod().withLabel("foo").spreadNodeAffinityIn("foo", [""]).spreadConstraint(1, "node", .doNotSchedule, S.foo) },
                  nodes: inclusionNodes, pods: inclusionPods, want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": ok]),
        FilterRow(name: "NodeAffinityPolicy ignored with labelSelectors (nodeAffinity)",
                  pod: { S.pod().withLabel("foo").spreadNodeAffinityIn("foo", [""]).spreadConstraint(1, "node", .doNotSchedule, S.foo, nodeAffinityPolicy: .ignore) },
                  nodes: inclusionNodes, pods: inclusionPods, want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
        FilterRow(name: "NodeTaintsPolicy honored",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "node", .doNotSchedule, S.foo, nodeTaintsPolicy: .honor) },
                  nodes: { [S.node("node-a", ["node": "node-a", "foo": ""]), S.node("node-b", ["node": "node-b", "foo": ""]),
                            S.node("node-x", ["node": "node-x", "foo": ""]), S.node("node-y", ["node": "node-y"]).taint(S.unschedulableTaint)] },
                  pods: inclusionPods, want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": ok]),
        FilterRow(name: "NodeTaintsPolicy ignored",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "node", .doNotSchedule, S.foo) },
                  nodes: { [S.node("node-a", ["node": "node-a", "foo": ""]), S.node("node-b", ["node": "node-b", "foo": ""]),
                            S.node("node-x", ["node": "node-x", "foo": ""]), S.node("node-y", ["node": "node-y"]).taint(S.unschedulableTaint)] },
                  pods: inclusionPods, want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
    ]

    /// Upstream TestMultipleConstraints (the two rows with two DoNotSchedule
    /// constraints on one topologyKey are left out: the API server rejects such pods).
    static let multiple: [FilterRow] = [
        FilterRow(name: "two Constraints on zone and node, spreads = [3/3, 2/1/0/3]",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.foo) },
                  nodes: fourNodes, pods: spread2103, want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
        FilterRow(name: "two Constraints on zone and node, spreads = [3/4, 2/1/0/4]",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.foo) },
                  nodes: fourNodes, pods: S.foos("node-a", 2) + S.foos("node-b", 1) + S.foos("node-y", 4),
                  want: ["node-a": no, "node-b": no, "node-x": no, "node-y": no]),
        FilterRow(name: "Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]",
                  pod: { S.pod().withLabel("foo").withLabel("bar").spreadConstraint(1, "zone", .doNotSchedule, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.bar) },
                  nodes: fourNodes, pods: [S.p("node-a", ["foo": ""]), S.p("node-y", ["bar": ""])],
                  want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
        FilterRow(name: "Constraints hold different labelSelectors, spreads = [1/0, 0/0/1/1]",
                  pod: { S.pod().withLabel("foo").withLabel("bar").spreadConstraint(1, "zone", .doNotSchedule, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.bar) },
                  nodes: fourNodes, pods: [S.p("node-a", ["foo": ""]), S.p("node-x", ["bar": ""]), S.p("node-y", ["bar": ""])],
                  want: ["node-a": no, "node-b": no, "node-x": no, "node-y": no]),
        FilterRow(name: "Constraints hold different labelSelectors, spreads = [2/3, 1/0/0/1]",
                  pod: { S.pod().withLabel("foo").withLabel("bar").spreadConstraint(1, "zone", .doNotSchedule, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.bar) },
                  nodes: fourNodes,
                  pods: [S.p("node-a", ["foo": ""]), S.p("node-a", ["foo": "", "bar": ""]), S.p("node-y", ["foo": ""]),
                         S.p("node-y", ["foo": "", "bar": ""]), S.p("node-y", ["foo": ""])],
                  want: ["node-a": no, "node-b": ok, "node-x": no, "node-y": no]),
        FilterRow(name: "Constraints hold different labelSelectors but pod doesn't match itself on 'zone' constraint",
                  pod: { S.pod().withLabel("bar").spreadConstraint(1, "zone", .doNotSchedule, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.bar) },
                  nodes: fourNodes, pods: [S.p("node-a", ["foo": ""]), S.p("node-x", ["bar": ""]), S.p("node-y", ["bar": ""])],
                  want: ["node-a": ok, "node-b": ok, "node-x": no, "node-y": no]),
        FilterRow(name: "two Constraints on zone and node, absence of label 'node' on node-x, spreads = [1/1, 1/0/0/1]",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.foo) },
                  nodes: { [S.zn("node-a", "zone1"), S.zn("node-b", "zone1"), S.node("node-x", ["zone": "zone2"]), S.zn("node-y", "zone2")] },
                  pods: S.foos("node-a", 1) + S.foos("node-y", 1),
                  want: ["node-a": no, "node-b": ok, "node-x": never, "node-y": no]),
        FilterRow(name: "two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore",
                  pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "zone", .doNotSchedule, S.foo)
                      .spreadConstraint(1, "node", .doNotSchedule, S.foo, nodeAffinityPolicy: .ignore) },
                  nodes: { [S.node("node-a", ["zone": "zone1", "node": "node-a", "foo": ""]), S.node("node-b", ["zone": "zone1", "node": "node-b", "foo": ""]),
                            S.node("node-x", ["zone": "zone2", "node": "node-x", "foo": ""]), S.zn("node-y", "zone2")] },
                  pods: inclusionPods, want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
        FilterRow(name: "two node inclusion Constraints, zone: honor/honor, node: honor/ignore",
                  pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo, nodeTaintsPolicy: .honor)
                      .spreadConstraint(1, "node", .doNotSchedule, S.foo) },
                  nodes: { [S.node("node-a", ["zone": "zone1", "node": "node-a", "foo": ""]), S.node("node-b", ["zone": "zone1", "node": "node-b", "foo": ""]),
                            S.node("node-x", ["zone": "zone2", "node": "node-x", "foo": ""]), S.zn("node-y", "zone2").taint(S.unschedulableTaint)] },
                  pods: inclusionPods, want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
        FilterRow(name: "two node inclusion Constraints, zone: honor/ignore, node: honor/ignore",
                  pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "zone", .doNotSchedule, S.foo)
                      .spreadConstraint(1, "node", .doNotSchedule, S.foo) },
                  nodes: { [S.node("node-a", ["zone": "zone1", "node": "node-a", "foo": ""]), S.zn("node-b", "zone1"),
                            S.node("node-x", ["zone": "zone2", "node": "node-x", "foo": ""]),
                            S.node("node-y", ["zone": "zone2", "node": "node-y", "foo": ""]).taint(S.unschedulableTaint)] },
                  pods: inclusionPods, want: ["node-a": no, "node-b": ok, "node-x": ok, "node-y": no]),
        FilterRow(name: "two node inclusion Constraints, zone: honor/honor, node: ignore/ignore",
                  pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "zone", .doNotSchedule, S.foo, nodeTaintsPolicy: .honor)
                      .spreadConstraint(1, "node", .doNotSchedule, S.foo, nodeAffinityPolicy: .ignore) },
                  nodes: { [S.node("node-a", ["zone": "zone1", "node": "node-a", "foo": ""]), S.zn("node-b", "zone1"),
                            S.node("node-x", ["zone": "zone2", "node": "node-x", "foo": ""]),
                            S.node("node-y", ["zone": "zone2", "node": "node-y", "foo": ""]).taint(S.unschedulableTaint)] },
                  pods: inclusionPods, want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
    ]

    @Test("TestSingleConstraint", arguments: single)
    func singleConstraint(_ row: FilterRow) {
        let r = Spread.filter(row.pod(), row.nodes(), row.pods)
        #expect(r.preFilter.isSuccess)
        #expect(r.codes == row.want)
    }

    @Test("TestMultipleConstraints", arguments: multiple)
    func multipleConstraints(_ row: FilterRow) {
        let r = Spread.filter(row.pod(), row.nodes(), row.pods)
        #expect(r.preFilter.isSuccess)
        #expect(r.codes == row.want)
    }

    @Test func reasonsAreTheUpstreamConstants() {
        let r = Spread.filter(Spread.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, Spread.foo),
                              [Spread.zn("a", "z1"), Spread.zn("b", "z2"), Spread.node("c", ["node": "c"])], Spread.foos("a", 1))
        let view = ClusterView(makeSpreadCluster([Spread.zn("a", "z1"), Spread.zn("b", "z2"), Spread.node("c", ["node": "c"])], Spread.foos("a", 1)))
        let plugin = PodTopologySpread(defaultingType: .list)
        let state = CycleState()
        let pod = PodInfo(spec: Spread.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, Spread.foo).spec)
        _ = plugin.preFilter(state, pod: pod, nodes: NodeList(view: view))
        #expect(plugin.filter(state, pod: pod, node: NodeInfo(index: 0, view: view)).reasons == ["node(s) didn't match pod topology spread constraints"])
        #expect(plugin.filter(state, pod: pod, node: NodeInfo(index: 2, view: view)).reasons
                == ["node(s) didn't match pod topology spread constraints (missing required label)"])
        #expect(r.codes == ["a": .unschedulable, "b": .success, "c": .unschedulableAndUnresolvable])
    }
}

/// Upstream TestPreFilterState: per constraint, the matching-pod count of
/// every domain (`TpValueToMatchNum`) and the global minimum
/// (`CriticalPaths[i][0].MatchNum`; Int32.max for `newCriticalPaths()`).
@Suite struct PodTopologySpreadPreFilterStateTests {
    typealias S = Spread

    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let pod: @Sendable () -> TaskBuilder
        var nodes: @Sendable () -> [NodeBuilder] = PodTopologySpreadFilteringTests.fourNodes
        var pods: [SpreadPod] = []
        var defaults: [TopologySpreadConstraint] = []
        /// nil: PreFilter returns Skip.
        let matchNum: [[String: Int]]?
        var minMatch: [Int] = []
        var testDescription: String { name }
    }

    static let none = Int(Int32.max)
    static let threeNodes: @Sendable () -> [NodeBuilder] = { [S.zn("node-a", "zone1"), S.zn("node-b", "zone1"), S.zn("node-y", "zone2")] }
    static let pods2107 = S.foos("node-a", 2) + S.foos("node-b", 1) + S.foos("node-y", 4)
    static let policyNodes: @Sendable () -> [NodeBuilder] = {
        [S.node("node-a", ["node": "node-a", "foo": ""]), S.node("node-b", ["node": "node-b", "foo": ""]), S.node("node-c", ["node": "node-c", "bar": ""])]
    }
    static let taintNodes: @Sendable () -> [NodeBuilder] = {
        [S.node("node-a", ["node": "node-a"]), S.node("node-b", ["node": "node-b"]), S.node("node-c", ["node": "node-c", "bar": ""]).taint(S.unschedulableTaint)]
    }
    static let policyPods = [S.p("node-a", ["bar": ""]), S.p("node-b", ["bar": ""]), S.p("node-b", ["bar": ""]), S.p("node-c", [:])]
    static let fooA = [S.p("node-a", ["foo": "a"]), S.p("node-a", ["foo": "a"]), S.p("node-b", ["foo": "a"]), S.p("node-y", ["foo": "a"]), S.p("node-y", ["foo": "a"])]

    static let rows: [Row] = [
        Row(name: "clean cluster with one spreadConstraint",
            pod: { S.pod().withLabel("foo").spreadConstraint(5, "zone", .doNotSchedule, LabelSelector(matchLabels: ["foo": "bar"])) },
            matchNum: [["zone1": 0, "zone2": 0]], minMatch: [0]),
        Row(name: "normal case with one spreadConstraint",
            pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo) },
            pods: S.foos("node-a", 2) + S.foos("node-b", 1) + S.foos("node-y", 2),
            matchNum: [["zone1": 3, "zone2": 2]], minMatch: [2]),
        Row(name: "normal case with null label selector",
            pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, nil) },
            pods: S.foos("node-a", 2) + S.foos("node-b", 1) + S.foos("node-y", 2),
            matchNum: [["zone1": 0, "zone2": 0]], minMatch: [0]),
        Row(name: "normal case with one spreadConstraint, on a 3-zone cluster",
            pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo) },
            nodes: { [S.zn("node-a", "zone1"), S.zn("node-b", "zone1"), S.zn("node-x", "zone2"), S.zn("node-y", "zone2"), S.zn("node-o", "zone3"), S.zn("node-p", "zone3")] },
            pods: S.foos("node-a", 2) + S.foos("node-b", 1) + S.foos("node-y", 2),
            matchNum: [["zone1": 3, "zone2": 2, "zone3": 0]], minMatch: [0]),
        // One namespace in Berth: upstream's ns1/ns2 pods are left out.
        Row(name: "namespace mismatch doesn't count",
            pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo) },
            pods: S.foos("node-a", 1) + S.foos("node-b", 1) + S.foos("node-y", 1),
            matchNum: [["zone1": 2, "zone2": 1]], minMatch: [1]),
        Row(name: "normal case with two spreadConstraints",
            pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.foo) },
            pods: pods2107,
            matchNum: [["zone1": 3, "zone2": 4], ["node-a": 2, "node-b": 1, "node-x": 0, "node-y": 4]], minMatch: [3, 0]),
        Row(name: "soft spreadConstraints should be bypassed",
            pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .scheduleAnyway, S.foo).spreadConstraint(1, "zone", .doNotSchedule, S.foo)
                .spreadConstraint(1, "node", .scheduleAnyway, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.foo) },
            nodes: threeNodes, pods: pods2107,
            matchNum: [["zone1": 3, "zone2": 4], ["node-a": 2, "node-b": 1, "node-y": 4]], minMatch: [3, 1]),
        Row(name: "different labelSelectors - simple version",
            pod: { S.pod().withLabel("foo").withLabel("bar").spreadConstraint(1, "zone", .doNotSchedule, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.bar) },
            nodes: threeNodes, pods: [S.p("node-a", ["foo": ""]), S.p("node-b", ["bar": ""])],
            matchNum: [["zone1": 1, "zone2": 0], ["node-a": 0, "node-b": 1, "node-y": 0]], minMatch: [0, 0]),
        Row(name: "different labelSelectors - complex pods",
            pod: { S.pod().withLabel("foo").withLabel("bar").spreadConstraint(1, "zone", .doNotSchedule, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.bar) },
            nodes: threeNodes,
            pods: [S.p("node-a", ["foo": ""]), S.p("node-a", ["foo": "", "bar": ""]), S.p("node-b", ["foo": ""]), S.p("node-y", ["foo": ""]),
                   S.p("node-y", ["foo": "", "bar": ""]), S.p("node-y", ["foo": ""]), S.p("node-y", ["foo": "", "bar": ""])],
            matchNum: [["zone1": 3, "zone2": 4], ["node-a": 1, "node-b": 0, "node-y": 2]], minMatch: [3, 0]),
        Row(name: "two spreadConstraints, and with podAffinity",
            pod: { S.pod().withLabel("foo").spreadNodeAffinityNotIn("node", ["node-x"])
                .spreadConstraint(1, "zone", .doNotSchedule, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.foo) },
            pods: pods2107,
            matchNum: [["zone1": 3, "zone2": 4], ["node-a": 2, "node-b": 1, "node-y": 4]], minMatch: [3, 1]),
        // Berth's default selector is the pod's labels (upstream: the Service's);
        // with no nodes the counts are the same.
        Row(name: "default constraints and a service",
            pod: { S.pod().withLabel("foo", "bar").withLabel("baz", "kar") }, nodes: { [] },
            defaults: [TopologySpreadConstraint(maxSkew: 3, topologyKey: "node", whenUnsatisfiable: .doNotSchedule),
                       TopologySpreadConstraint(maxSkew: 2, topologyKey: "node", whenUnsatisfiable: .scheduleAnyway),
                       TopologySpreadConstraint(maxSkew: 5, topologyKey: "rack", whenUnsatisfiable: .doNotSchedule)],
            matchNum: [[:], [:]], minMatch: [none, none]),
        Row(name: "default constraints and a service, but pod has constraints",
            pod: { S.pod().withLabel("foo", "bar").withLabel("baz", "tar")
                .spreadConstraint(1, "zone", .doNotSchedule, LabelSelector(matchLabels: ["baz": "tar"]))
                .spreadConstraint(2, "planet", .scheduleAnyway, LabelSelector(matchLabels: ["fot": "rok"])) }, nodes: { [] },
            defaults: [TopologySpreadConstraint(maxSkew: 2, topologyKey: "node", whenUnsatisfiable: .doNotSchedule)],
            matchNum: [[:]], minMatch: [none]),
        Row(name: "default soft constraints and a service",
            pod: { S.pod().withLabel("foo", "bar") }, nodes: { [] },
            defaults: [TopologySpreadConstraint(maxSkew: 2, topologyKey: "node", whenUnsatisfiable: .scheduleAnyway)],
            matchNum: nil),
        Row(name: "TpKeyToDomainsNum is calculated when MinDomains is enabled",
            pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo).spreadConstraint(1, "node", .doNotSchedule, S.foo) },
            pods: pods2107,
            matchNum: [["zone1": 3, "zone2": 4], ["node-a": 2, "node-b": 1, "node-x": 0, "node-y": 4]], minMatch: [3, 0]),
        Row(name: "NodeAffinityPolicy honored with labelSelectors",
            pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "node", .doNotSchedule, S.bar) },
            nodes: policyNodes, pods: policyPods, matchNum: [["node-a": 1, "node-b": 2]], minMatch: [1]),
        Row(name: "NodeAffinityPolicy ignored with labelSelectors",
            pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "node", .doNotSchedule, S.bar, nodeAffinityPolicy: .ignore) },
            nodes: policyNodes, pods: policyPods, matchNum: [["node-a": 1, "node-b": 2, "node-c": 0]], minMatch: [0]),
        Row(name: "NodeAffinityPolicy honored with nodeAffinity",
            pod: { S.pod().withLabel("foo").spreadNodeAffinityIn("foo", [""]).spreadConstraint(1, "node", .doNotSchedule, S.bar) },
            nodes: policyNodes, pods: policyPods, matchNum: [["node-a": 1, "node-b": 2]], minMatch: [1]),
        Row(name: "NodeAffinityPolicy ignored with nodeAffinity",
            pod: { S.pod().withLabel("foo").spreadNodeAffinityIn("foo", [""]).spreadConstraint(1, "node", .doNotSchedule, S.bar, nodeAffinityPolicy: .ignore) },
            nodes: policyNodes, pods: policyPods, matchNum: [["node-a": 1, "node-b": 2, "node-c": 0]], minMatch: [0]),
        Row(name: "NodeTaintsPolicy ignored",
            pod: { S.pod().withLabel("foo").spreadConstraint(1, "node", .doNotSchedule, S.bar) },
            nodes: taintNodes, pods: policyPods, matchNum: [["node-a": 1, "node-b": 2, "node-c": 0]], minMatch: [0]),
        Row(name: "NodeTaintsPolicy honored",
            pod: { S.pod().withLabel("foo").spreadConstraint(1, "node", .doNotSchedule, S.bar, nodeTaintsPolicy: .honor) },
            nodes: taintNodes, pods: policyPods, matchNum: [["node-a": 1, "node-b": 2]], minMatch: [1]),
        Row(name: "NodeTaintsPolicy honored with tolerated taints",
            pod: { S.pod().withLabel("foo").toleration(Toleration(key: S.unschedulableTaint, op: .exists, effect: .noSchedule))
                .spreadConstraint(1, "node", .doNotSchedule, S.bar, nodeTaintsPolicy: .honor) },
            nodes: taintNodes, pods: policyPods, matchNum: [["node-a": 1, "node-b": 2, "node-c": 0]], minMatch: [0]),
        Row(name: "two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore",
            pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "zone", .doNotSchedule, S.foo)
                .spreadConstraint(1, "node", .doNotSchedule, S.foo, nodeAffinityPolicy: .ignore) },
            nodes: { [S.node("node-a", ["zone": "zone1", "node": "node-a", "foo": ""]), S.zn("node-b", "zone1"), S.node("node-x", ["zone": "zone2", "node": "node-x", "foo": ""])] },
            pods: S.foos("node-b", 2) + S.foos("node-x", 1),
            matchNum: [["zone1": 0, "zone2": 1], ["node-a": 0, "node-b": 2, "node-x": 1]], minMatch: [0, 0]),
        Row(name: "two node inclusion Constraints, zone: honor/honor, node: honor/ignore",
            pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo, nodeTaintsPolicy: .honor)
                .spreadConstraint(1, "node", .doNotSchedule, S.foo) },
            nodes: { [S.node("node-a", ["zone": "zone1", "node": "node-a", "foo": ""]), S.zn("node-b", "zone1").taint(S.unschedulableTaint),
                      S.node("node-x", ["zone": "zone2", "node": "node-x", "foo": ""])] },
            pods: S.foos("node-b", 2) + S.foos("node-x", 1),
            matchNum: [["zone1": 0, "zone2": 1], ["node-a": 0, "node-b": 2, "node-x": 1]], minMatch: [0, 0]),
        Row(name: "two node inclusion Constraints, zone: honor/ignore, node: honor/ignore",
            pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "zone", .doNotSchedule, S.foo)
                .spreadConstraint(1, "node", .doNotSchedule, S.foo) },
            nodes: { [S.zn("node-a", "zone1"), S.node("node-b", ["zone": "zone1", "node": "node-b", "foo": ""]).taint(S.unschedulableTaint),
                      S.node("node-x", ["zone": "zone2", "node": "node-x", "foo": ""]), S.zn("node-y", "zone2")] },
            pods: S.foos("node-a", 2) + S.foos("node-x", 1) + S.foos("node-y", 1),
            matchNum: [["zone1": 0, "zone2": 1], ["node-b": 0, "node-x": 1]], minMatch: [0, 0]),
        Row(name: "two node inclusion Constraints, zone: ignore/ignore, node: honor/honor",
            pod: { S.pod().withLabel("foo").nodeSelector(["foo": ""]).spreadConstraint(1, "zone", .doNotSchedule, S.foo, nodeAffinityPolicy: .ignore)
                .spreadConstraint(1, "node", .doNotSchedule, S.foo, nodeTaintsPolicy: .honor) },
            nodes: { [S.zn("node-a", "zone1"), S.node("node-b", ["zone": "zone1", "node": "node-b", "foo": ""]).taint(S.unschedulableTaint),
                      S.node("node-x", ["zone": "zone2", "node": "node-x", "foo": ""]), S.node("node-y", ["zone": "zone2", "node": "node-y", "foo": ""])] },
            pods: S.foos("node-a", 2) + S.foos("node-x", 2) + S.foos("node-y", 1),
            matchNum: [["zone1": 2, "zone2": 3], ["node-x": 2, "node-y": 1]], minMatch: [2, 1]),
        Row(name: "matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty",
            pod: { S.pod().withLabel("foo").withLabel("bar", "a").spreadConstraint(1, "zone", .doNotSchedule, S.foo, matchLabelKeys: ["bar"]) },
            pods: [S.p("node-a", ["foo": ""]), S.p("node-a", ["foo": "", "bar": "a"]), S.p("node-b", ["foo": ""]),
                   S.p("node-y", ["foo": "", "bar": "a"]), S.p("node-y", ["bar": ""])],
            matchNum: [["zone1": 1, "zone2": 1]], minMatch: [1]),
        Row(name: "matchLabelKeys ANDed with LabelSelector when LabelSelector is empty",
            pod: { S.pod().withLabel("foo", "a").spreadConstraint(1, "zone", .doNotSchedule, LabelSelector(), matchLabelKeys: ["foo"]) },
            pods: fooA, matchNum: [["zone1": 3, "zone2": 2]], minMatch: [2]),
        Row(name: "key in matchLabelKeys is ignored when LabelSelector is nil when feature gate enabled",
            pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, nil, matchLabelKeys: ["bar"]) },
            pods: fooA, matchNum: [["zone1": 0, "zone2": 0]], minMatch: [0]),
        Row(name: "key in matchLabelKeys is ignored when it isn't exist in pod.labels",
            pod: { S.pod().withLabel("foo").spreadConstraint(1, "zone", .doNotSchedule, S.foo, matchLabelKeys: ["bar"]) },
            pods: fooA, matchNum: [["zone1": 3, "zone2": 2]], minMatch: [2]),
        Row(name: "skip if not specified",
            pod: { S.pod().withLabel("foo") }, nodes: { [S.zn("node-a", "zone1")] }, matchNum: nil),
    ]

    @Test("TestPreFilterState", arguments: rows)
    func preFilterState(_ row: Row) {
        let plugin = PodTopologySpread(defaultingType: .list, defaultConstraints: row.defaults)
        let r = Spread.filter(row.pod(), row.nodes(), row.pods, plugin: plugin)
        guard let want = row.matchNum else {
            #expect(r.preFilter.code == .skip)
            return
        }
        #expect(r.preFilter.isSuccess)
        #expect(r.state?.matchNum == want)
        #expect(r.state?.minMatch == row.minMatch)
    }

    @Test func defaultConstraintsKeepTheHardOnesWithThePodLabelsAsSelector() {
        let plugin = PodTopologySpread(defaultingType: .list, defaultConstraints: [
            TopologySpreadConstraint(maxSkew: 3, topologyKey: "node", whenUnsatisfiable: .doNotSchedule),
            TopologySpreadConstraint(maxSkew: 2, topologyKey: "node", whenUnsatisfiable: .scheduleAnyway),
            TopologySpreadConstraint(maxSkew: 5, topologyKey: "rack", whenUnsatisfiable: .doNotSchedule)])
        let r = Spread.filter(S.pod().withLabel("foo", "bar"), [], [], plugin: plugin)
        #expect(r.state?.constraints.map(\.topologyKey) == ["node", "rack"])
        #expect(r.state?.constraints.map(\.maxSkew) == [3, 5])
        #expect(r.state?.constraints.allSatisfy { $0.selector == .fromSet(["foo": "bar"]) } == true)
    }

    @Test func invalidSelectorIsAnError() {
        let bad = LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "foo", op: .in)])
        let r = Spread.filter(S.pod().spreadConstraint(1, "zone", .doNotSchedule, bad), [S.zn("a", "z")], [])
        #expect(r.preFilter.code == .error)
    }
}
