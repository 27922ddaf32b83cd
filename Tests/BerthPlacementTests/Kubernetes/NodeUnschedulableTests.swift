import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

/// Port of upstream nodeunschedulable/node_unschedulable_test.go `TestNodeUnschedulable` (v1.28).
@Suite struct NodeUnschedulableTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        var tolerations: [Toleration] = []
        let unschedulable: Bool
        var want: Status = .success
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)",
            unschedulable: true, want: Status(.unschedulableAndUnresolvable, [NodeUnschedulable.reasonUnschedulable])),
        Row(name: "Schedule pod to normal node", unschedulable: false),
        // Tolerating node.kubernetes.io/unschedulable:NoSchedule also tolerates the cordon.
        Row(name: "Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)",
            tolerations: [Toleration(key: NodeUnschedulable.unschedulableTaintKey, effect: .noSchedule)], unschedulable: true),
    ]

    @Test(arguments: rows)
    func filter(_ row: Row) {
        var node = NodeBuilder("node")
        if row.unschedulable { node = node.unschedulable() }
        let got = NodePluginHarness.filter(NodeUnschedulable(), pod: TaskBuilder("pod").withTolerations(row.tolerations), node: node)
        #expect(got.filter == row.want)
    }

    @Test func reasonTextIsUpstreams() {
        #expect(NodeUnschedulable.reasonUnschedulable == "node(s) were unschedulable")
        #expect(NodeUnschedulable().name == "NodeUnschedulable")
    }
}
