import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

/// Port of upstream nodename/node_name_test.go `TestNodeName` (v1.28).
@Suite struct NodeNameTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let podNodeName: String?
        let node: String
        var want: Status = .success
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "no host specified", podNodeName: nil, node: ""),
        Row(name: "host matches", podNodeName: "foo", node: "foo"),
        Row(name: "host doesn't match", podNodeName: "bar", node: "foo",
            want: Status(.unschedulableAndUnresolvable, [NodeName.reason])),
    ]

    @Test(arguments: rows)
    func filter(_ row: Row) {
        var pod = TaskBuilder("pod")
        if let n = row.podNodeName { pod = pod.withNodeName(n) }
        let got = NodePluginHarness.filter(NodeName(), pod: pod, node: NodeBuilder(row.node))
        #expect(got.filter == row.want)
    }

    @Test func reasonTextIsUpstreams() {
        #expect(NodeName.reason == "node(s) didn't match the requested node name")
    }

    /// Through the framework: only the named node is feasible; the others are
    /// rejected as unresolvable with upstream's reason.
    @Test func frameworkPlacesOnTheNamedNode() {
        let profile = KubernetesProfile(name: "t", filters: [NodeName()])
        let nodes = ["a", "b", "c"].map { NodeBuilder($0) }
        let (result, _) = NodePluginHarness.frameworkScores(profile, pod: TaskBuilder("p").withNodeName("b"), nodes: nodes)
        #expect(result.selected == 1)
        #expect(result.evaluations.filter { $0.reason == NodeName.reason }.count == 2)
    }
}
