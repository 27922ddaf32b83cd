import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

/// Ported from swarmkit `manager/constraint/constraint_test.go` (TestParse,
/// TestMatch) and the node-attribute cases of `NodeMatches`.
@Suite struct SwarmConstraintTests {
    struct ParseCase: CustomTestStringConvertible, Sendable {
        var text: String
        var key: String?  // nil: must fail
        var value: String = ""
        var testDescription: String { "\"\(text)\"" }
    }

    // TestParse, row by row.
    static let parseCases: [ParseCase] = [
        ParseCase(text: "", key: nil),                      // empty string
        ParseCase(text: " ", key: nil),
        ParseCase(text: "nodeabc", key: nil),               // no operator
        ParseCase(text: "node ~ abc", key: nil),            // incorrect operator
        ParseCase(text: "1node==a2", key: nil),             // leading digit in key
        ParseCase(text: " node == node1", key: "node", value: "node1"),  // surrounding space ignored
        ParseCase(text: "no de== node1", key: nil),         // space inside the key
        ParseCase(text: "no*de==node1", key: nil),          // * in key
        ParseCase(text: "==node1", key: nil),               // empty key
        ParseCase(text: "node==", key: nil),                // empty value
        ParseCase(text: "node== ", key: nil),               // blank value
        ParseCase(text: "no$de==node1", key: nil),          // $ in key
        ParseCase(text: "NoDe==node1", key: "NoDe", value: "node1"),  // caps in key
        ParseCase(text: "no.de==node1", key: "no.de", value: "node1"),
        ParseCase(text: "_node==_node1", key: "_node", value: "_node1"),
        ParseCase(text: "node==[a-b]+c*(n|b)/", key: "node", value: "[a-b]+c*(n|b)/"),
        ParseCase(text: "node==node 1", key: "node", value: "node 1"),
    ]

    @Test(arguments: parseCases) func parse(_ c: ParseCase) {
        switch SwarmConstraintParser.parse(c.text) {
        case .success(let parsed):
            #expect(c.key != nil, "must not parse")
            #expect(parsed.key == c.key && parsed.value == c.value)
        case .failure:
            #expect(c.key == nil, "must parse")
        }
    }

    @Test func parseErrorsSayWhatIsWrong() throws {
        #expect(throws: SwarmConstraintParser.ParseError(message: "key '1node' is invalid")) { try SwarmConstraintParser.parse("1node==a2").get() }
        #expect(throws: SwarmConstraintParser.ParseError(message: "constraint expected one operator from ==, !=")) {
            try SwarmConstraintParser.parse("node ~ abc").get()
        }
        #expect(try SwarmConstraintParser.parse("node.role!=manager").get().op == .notEqual)
    }

    // TestMatch: case-insensitive full-string equality; no glob.
    @Test func match() throws {
        let eq = try SwarmConstraintParser.parse("node.name==foo").get()
        #expect(ConstraintFilter.match(eq, "foo") && !ConstraintFilter.match(eq, "fo") && !ConstraintFilter.match(eq, "fooE"))
        let ne = try SwarmConstraintParser.parse("node.name!=foo").get()
        #expect(!ConstraintFilter.match(ne, "foo") && ConstraintFilter.match(ne, "bar") && ConstraintFilter.match(ne, "fooExtra"))
        let star = try SwarmConstraintParser.parse("node.name==f*o").get()
        #expect(!ConstraintFilter.match(star, "fo") && ConstraintFilter.match(star, "f*o") && ConstraintFilter.match(star, "F*o"))
        #expect(!ConstraintFilter.match(star, "foo"))
        let special = try SwarmConstraintParser.parse("node.name==f.-$o").get()
        #expect(!ConstraintFilter.match(special, "fa-$o") && ConstraintFilter.match(special, "f.-$o"))
    }

    /// `NodeMatches` over Berth's attribute mapping (docs/swarm.md).
    @Test(arguments: [
        ("node.hostname==web-1", true), ("node.hostname==WEB-1", true), ("node.id!=web-1", false),
        ("node.role==worker", true), ("node.role==manager", false),
        ("node.labels.rack==r2", true), ("NODE.LABELS.rack==R2", true), ("node.labels.RACK==r2", false),
        ("engine.labels.rack==r2", false), ("node.labels.missing!=x", true), ("node.labels.missing==x", false),
        ("node.platform.os==linux", true), ("node.platform.arch==x86_64", true), ("node.ip==10.0.0.1", false),
        ("unknown.key==x", false),
    ])
    func nodeMatches(_ text: String, _ expected: Bool) throws {
        let node = NodeBuilder("web-1").labels(["rack": "r2"]).spec
        #expect(ConstraintFilter.matches(try SwarmConstraintParser.parse(text).get(), node) == expected)
    }

    /// manager/scheduler/constraint_test.go, one row per assertion. The node is
    /// "nodeid-1" (hostname label set per row), a worker, platform x86_64/linux.
    struct CheckCase: CustomTestStringConvertible, Sendable {
        var test: String
        var constraints: [String]
        var labels: [String: String] = [:]
        var expected: Bool
        var testDescription: String { "\(test): \(constraints) on \(labels)" }
    }

    static let checkCases: [CheckCase] = [
        // TestWrongSyntax: an unknown key never matches, with either operator.
        CheckCase(test: "TestWrongSyntax", constraints: ["node.abc.bcd == high"], expected: false),
        CheckCase(test: "TestWrongSyntax", constraints: ["node.abc.bcd != high"], expected: false),
        // TestNodeHostname
        CheckCase(test: "TestNodeHostname", constraints: ["node.hostname != node-1"], labels: [NodeLabel.hostname: "node-2"], expected: true),
        CheckCase(test: "TestNodeHostname", constraints: ["node.hostname != node-1"], labels: [NodeLabel.hostname: "node-1"], expected: false),
        CheckCase(test: "TestNodeHostname", constraints: ["node.hostname != node-1"], labels: [NodeLabel.hostname: "NODe-1"], expected: false),
        // TestNodeID: full-text match.
        CheckCase(test: "TestNodeID", constraints: ["node.id == nodeid-1"], expected: true),
        CheckCase(test: "TestNodeID", constraints: ["node.id == nodeid-1-extra"], expected: false),
        CheckCase(test: "TestNodeID", constraints: ["node.id == nodeid-"], expected: false),
        // TestNodeRole
        CheckCase(test: "TestNodeRole", constraints: ["node.role == worker"], expected: true),
        CheckCase(test: "TestNodeRole", constraints: ["node.role == manager"], expected: false),
        CheckCase(test: "TestNodeRole", constraints: ["node.role == worker-manager"], expected: false),
        // TestNodePlatform (with the platform set; Berth nodes always have one).
        CheckCase(test: "TestNodePlatform", constraints: ["node.platform.os == linux"], expected: true),
        CheckCase(test: "TestNodePlatform", constraints: ["node.platform.os == linux"], labels: ["node.platform.os": "windows"], expected: false),
        CheckCase(test: "TestNodePlatform", constraints: ["node.platform.arch == amd64"], expected: false),
        CheckCase(test: "TestNodePlatform", constraints: ["node.platform.arch != amd64"], expected: true),
        // TestNodeLabel: an engine label is not a node label.
        CheckCase(test: "TestNodeLabel", constraints: ["node.labels.security == high"], expected: false),
        CheckCase(test: "TestNodeLabel", constraints: ["node.labels.security == high"], labels: ["engine.security": "high"], expected: false),
        CheckCase(test: "TestNodeLabel", constraints: ["node.labels.security == high"], labels: ["security": "high"], expected: true),
        // TestEngineLabel: and a node label is not an engine label.
        CheckCase(test: "TestEngineLabel", constraints: ["engine.labels.disk != ssd"], expected: true),
        CheckCase(test: "TestEngineLabel", constraints: ["engine.labels.disk != ssd"], labels: ["disk": "ssd"], expected: true),
        CheckCase(test: "TestEngineLabel", constraints: ["engine.labels.disk != ssd"], labels: ["disk": "ssd", "engine.disk": "ssd"], expected: false),
        CheckCase(test: "TestEngineLabel", constraints: ["engine.labels.disk != ssd"], labels: ["engine.disk": "ssd", "engine.memory": "large"],
                  expected: false),
        // TestMultipleConstraints
        CheckCase(test: "TestMultipleConstraints", constraints: ["node.hostname == node-1", "engine.labels.operatingsystem != Ubuntu 14.04"],
                  labels: [NodeLabel.hostname: "node-0"], expected: false),
        CheckCase(test: "TestMultipleConstraints", constraints: ["node.hostname == node-1", "engine.labels.operatingsystem != Ubuntu 14.04"],
                  labels: [NodeLabel.hostname: "node-1"], expected: true),
        CheckCase(test: "TestMultipleConstraints", constraints: ["node.hostname == node-1", "engine.labels.operatingsystem != Ubuntu 14.04"],
                  labels: [NodeLabel.hostname: "node-1", "engine.operatingsystem": "Ubuntu 14.04"], expected: false),
        CheckCase(test: "TestMultipleConstraints", constraints: ["node.hostname == node-1", "engine.labels.operatingsystem != Ubuntu 14.04"],
                  labels: [NodeLabel.hostname: "node-1", "engine.operatingsystem": "ubuntu 14.04"], expected: false),
        CheckCase(test: "TestMultipleConstraints", constraints: ["node.hostname == node-1", "engine.labels.operatingsystem != Ubuntu 14.04"],
                  labels: [NodeLabel.hostname: "node-1", "engine.operatingsystem": "ubuntu 15.04"], expected: true),
        CheckCase(test: "TestMultipleConstraints",
                  constraints: ["node.hostname == node-1", "engine.labels.operatingsystem != Ubuntu 14.04", "node.labels.security == high"],
                  labels: [NodeLabel.hostname: "node-1", "engine.operatingsystem": "ubuntu 15.04", "security": "low"], expected: false),
        CheckCase(test: "TestMultipleConstraints",
                  constraints: ["node.hostname == node-1", "engine.labels.operatingsystem != Ubuntu 14.04", "node.labels.security == high"],
                  labels: [NodeLabel.hostname: "node-1", "engine.operatingsystem": "ubuntu 15.04", "security": "high", "engine.memory": "large"],
                  expected: true),
    ]

    @Test(arguments: checkCases) func constraintFilterCheck(_ c: CheckCase) throws {
        var builder = NodeBuilder("nodeid-1").capacity(cpu: "1", memory: "1Gi")
        builder.spec.labels = c.labels  // no hostname label unless the row sets one: the name then stands in
        var task = TaskBuilder("t").spec
        task.placement = PlacementDetails(swarm: SwarmPlacementSpec(constraints: try c.constraints.map { try SwarmConstraintParser.parse($0).get() }))
        let filter = ConstraintFilter()
        #expect(filter.isEnabled(for: task), "SetTask must enable the filter (TestConstraintSetTask)")
        let cluster = makeCluster([builder])
        let state = SwarmNodeState(service: 0, in: ClusterView(cluster))
        #expect(filter.check(task, node: 0, state: state, in: ClusterView(cluster)) == c.expected)
    }

    /// TestConstraintSetTask: without constraints (or a node selector) the filter is off.
    @Test func constraintSetTask() {
        var task = TaskBuilder("t").spec
        #expect(!ConstraintFilter().isEnabled(for: task))
        task.placement = PlacementDetails(swarm: SwarmPlacementSpec(maxReplicas: 2))
        #expect(!ConstraintFilter().isEnabled(for: task) && MaxReplicasFilter().isEnabled(for: task))
        task.nodeSelector = ["tier": "web"]
        #expect(ConstraintFilter().isEnabled(for: task))
    }

    /// `platformEqual` (TestSchedulerCompatiblePlatform's platforms).
    @Test(arguments: [
        (SwarmPlatform(os: "linux", architecture: "amd64"), true), (SwarmPlatform(os: "linux", architecture: "intel"), false),
        (SwarmPlatform(os: "linux", architecture: ""), true), (SwarmPlatform(os: "windows", architecture: "amd64"), false),
        (SwarmPlatform(os: "", architecture: "x86_64"), true),
    ])
    func platformEqual(_ image: SwarmPlatform, _ expected: Bool) {
        // A Berth node defaults to linux / x86_64, normalised to amd64.
        #expect(PlatformFilter.equal(image, SwarmPlatform(os: "linux", architecture: "x86_64")) == expected)
    }
}
