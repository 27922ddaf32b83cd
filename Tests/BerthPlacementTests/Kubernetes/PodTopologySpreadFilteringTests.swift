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
