import BerthCluster
import BerthPlacement
import BerthSimulation
import BerthTestSupport
import Testing

/// Port of upstream nodeports/node_ports_test.go (v1.28): `TestNodePorts`,
/// `TestPreFilterDisabled` and `TestFits`. Host ports are written
/// `"PROTO/IP/PORT"` as upstream's `newPod` helper takes them; the node's used
/// ports come from an existing pod bound to it.
@Suite struct NodePortsTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let pod: [String]
        let existing: [String]
        var wantPreFilter: Status = .success
        var wantFilter: Status = .success
        var testDescription: String { name }
    }

    static let conflict = Status(.unschedulable, [NodePorts.reason])

    static let rows: [Row] = [
        Row(name: "skip filter", pod: [], existing: [], wantPreFilter: Status(.skip)),
        Row(name: "other port", pod: ["UDP/127.0.0.1/8080"], existing: ["UDP/127.0.0.1/9090"]),
        Row(name: "same udp port", pod: ["UDP/127.0.0.1/8080"], existing: ["UDP/127.0.0.1/8080"], wantFilter: conflict),
        Row(name: "same tcp port", pod: ["TCP/127.0.0.1/8080"], existing: ["TCP/127.0.0.1/8080"], wantFilter: conflict),
        Row(name: "different host ip", pod: ["TCP/127.0.0.1/8080"], existing: ["TCP/127.0.0.2/8080"]),
        Row(name: "different protocol", pod: ["UDP/127.0.0.1/8080"], existing: ["TCP/127.0.0.1/8080"]),
        Row(name: "second udp port conflict", pod: ["UDP/127.0.0.1/8000", "UDP/127.0.0.1/8080"],
            existing: ["UDP/127.0.0.1/8080"], wantFilter: conflict),
        Row(name: "first tcp port conflict", pod: ["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"],
            existing: ["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8081"], wantFilter: conflict),
        Row(name: "first tcp port conflict due to 0.0.0.0 hostIP", pod: ["TCP/0.0.0.0/8001"],
            existing: ["TCP/127.0.0.1/8001"], wantFilter: conflict),
        Row(name: "TCP hostPort conflict due to 0.0.0.0 hostIP", pod: ["TCP/10.0.10.10/8001", "TCP/0.0.0.0/8001"],
            existing: ["TCP/127.0.0.1/8001"], wantFilter: conflict),
        Row(name: "second tcp port conflict to 0.0.0.0 hostIP", pod: ["TCP/127.0.0.1/8001"],
            existing: ["TCP/0.0.0.0/8001"], wantFilter: conflict),
        Row(name: "second different protocol", pod: ["UDP/127.0.0.1/8001"], existing: ["TCP/0.0.0.0/8001"]),
        Row(name: "UDP hostPort conflict due to 0.0.0.0 hostIP", pod: ["UDP/127.0.0.1/8001"],
            existing: ["TCP/0.0.0.0/8001", "UDP/0.0.0.0/8001"], wantFilter: conflict),
    ]

    static func pod(_ name: String, _ ports: [String]) -> TaskBuilder {
        ports.isEmpty ? TaskBuilder(name) : TaskBuilder(name).withHostPorts(ports.map(HostPort.init(testSpec:)))
    }

    @Test(arguments: rows)
    func preFilterAndFilter(_ row: Row) {
        let existing = row.existing.isEmpty ? [] : [Self.pod("m1", row.existing)]
        let got = NodePluginHarness.filter(NodePorts(), pod: Self.pod("pod", row.pod), node: NodeBuilder("node"),
                                           existing: existing, stopAfterSkip: true)
        #expect(got.preFilter == row.wantPreFilter)
        if !row.wantPreFilter.isSkip { #expect(got.filter == row.wantFilter) }
    }

    /// `TestPreFilterDisabled`: Filter without PreFilter's state is an error.
    @Test func preFilterDisabled() {
        let got = NodePluginHarness.filter(NodePorts(), pod: TaskBuilder("pod"), node: NodeBuilder("node"), runPreFilter: false)
        #expect(got.filter == Status(.error, [NodePorts.reasonNoPreFilterState]))
    }

    struct FitsRow: Sendable, CustomTestStringConvertible {
        let desc: String
        let pod: [String]
        let existing: [String]
        let expect: Bool
        var testDescription: String { desc }
    }

    static let fitsRows: [FitsRow] = [
        FitsRow(desc: "non-conflicting ports", pod: ["TCP/127.0.0.1/80"], existing: ["TCP/127.0.0.1/9090"], expect: true),
        FitsRow(desc: "multiple non-conflicting ports",
                pod: ["TCP/127.0.0.1/80", "TCP/127.0.1.1/80", "TCP/127.0.1.1/90", "TCP/127.0.1.1/100"],
                existing: ["TCP/127.0.0.1/9090", "TCP/127.0.0.1/9191", "TCP/127.0.1.1/8080"], expect: true),
        FitsRow(desc: "same ports on different protocols", pod: ["TCP/127.0.0.1/80"], existing: ["UDP/127.0.0.1/80"], expect: true),
        FitsRow(desc: "conflicting ports", pod: ["TCP/127.0.0.1/80"], existing: ["TCP/127.0.0.1/80"], expect: false),
        FitsRow(desc: "multiple ports, some conflicting",
                pod: ["TCP/127.0.0.1/80", "TCP/127.0.1.1/80", "TCP/127.0.1.1/90", "TCP/127.0.1.1/100"],
                existing: ["TCP/127.0.0.1/9090", "TCP/127.0.1.1/90", "TCP/127.0.1.1/8080"], expect: false),
    ]

    /// `TestFits`.
    @Test(arguments: fitsRows)
    func fits(_ row: FitsRow) {
        let cluster = makeCluster([NodeBuilder("node")], existing: [(Self.pod("p1", row.existing), 0)])
        let wanted = NodePorts.wantedPorts(PodInfo(spec: Self.pod("p", row.pod).spec))
        #expect(NodePorts.fits(wanted, NodeInfo(index: 0, view: ClusterView(cluster))) == row.expect)
    }

    /// Through the framework: the node whose bound pod holds the port is
    /// rejected with upstream's reason (`Unschedulable`: preemption might help).
    @Test func usedPortExcludesNodeThroughFramework() {
        let profile = KubernetesProfile(name: "t", preFilters: [NodePorts()], filters: [NodePorts()])
        let nodes = [NodeBuilder("a"), NodeBuilder("b")]
        let cluster = makeCluster(nodes, existing: [(Self.pod("web", ["TCP/0.0.0.0/80"]), 0)])
        let framework = KubernetesFramework(profile: profile)
        let result = framework.schedule(PodInfo(spec: Self.pod("p", ["TCP/0.0.0.0/80"]).spec), in: ClusterView(cluster),
                                        random: RandomStream(name: "t", seed: 1), explain: true)
        #expect(result.selected == 1)
        #expect(result.evaluations[0].reason == NodePorts.reason)
        #expect(result.evaluations[0].rejectedBy == NodePorts.name)
    }
}
