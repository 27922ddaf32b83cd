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
        ("engine.labels.rack==r2", true), ("node.labels.missing!=x", true), ("node.labels.missing==x", false),
        ("node.platform.os==linux", true), ("node.platform.arch==x86_64", true), ("node.ip==10.0.0.1", false),
        ("unknown.key==x", false),
    ])
    func nodeMatches(_ text: String, _ expected: Bool) throws {
        let node = NodeBuilder("web-1").labels(["rack": "r2"]).spec
        #expect(ConstraintFilter.matches(try SwarmConstraintParser.parse(text).get(), node) == expected)
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
