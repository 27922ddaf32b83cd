import BerthCluster
import Testing

/// Ports of nomad `scheduler/feasible/feasible_test.go` constraint tables.
/// A nil upstream value is a target that did not resolve: ("", found: false).
@Suite struct NomadConstraintTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var upstream: String
        var op: NomadOperator
        var l: String?
        var r: String?
        var result: Bool
        var testDescription: String { "\(upstream): \(l ?? "nil") \(op.rawValue) \(r ?? "nil")" }
    }

    static let cases: [Case] = [
        Case(upstream: "TestCheckConstraint", op: .equal, l: "foo", r: "foo", result: true),
        Case(upstream: "TestCheckConstraint", op: .is, l: "foo", r: "foo", result: true),
        Case(upstream: "TestCheckConstraint", op: .doubleEqual, l: "foo", r: "foo", result: true),
        Case(upstream: "TestCheckConstraint", op: .doubleEqual, l: "foo", r: nil, result: false),
        Case(upstream: "TestCheckConstraint", op: .doubleEqual, l: nil, r: "foo", result: false),
        Case(upstream: "TestCheckConstraint", op: .doubleEqual, l: nil, r: nil, result: false),
        Case(upstream: "TestCheckConstraint", op: .notEqual, l: "foo", r: "foo", result: false),
        Case(upstream: "TestCheckConstraint", op: .notEqual, l: "foo", r: "bar", result: true),
        Case(upstream: "TestCheckConstraint", op: .notEqual, l: nil, r: "foo", result: true),
        Case(upstream: "TestCheckConstraint", op: .notEqual, l: "foo", r: nil, result: true),
        Case(upstream: "TestCheckConstraint", op: .notEqual, l: nil, r: nil, result: false),
        Case(upstream: "TestCheckConstraint", op: .not, l: "foo", r: "bar", result: true),
        Case(upstream: "TestCheckConstraint", op: .version, l: "1.2.3", r: "~> 1.0", result: true),
        Case(upstream: "TestCheckConstraint", op: .version, l: nil, r: "~> 1.0", result: false),
        Case(upstream: "TestCheckConstraint", op: .regexp, l: "foobarbaz", r: "[\\w]+", result: true),
        Case(upstream: "TestCheckConstraint", op: .regexp, l: nil, r: "[\\w]+", result: false),
        Case(upstream: "TestCheckConstraint", op: .less, l: "foo", r: "bar", result: false),
        Case(upstream: "TestCheckConstraint", op: .less, l: nil, r: "bar", result: false),
        Case(upstream: "TestCheckConstraint", op: .setContains, l: "foo,bar,baz", r: "foo,  bar  ", result: true),
        Case(upstream: "TestCheckConstraint", op: .setContains, l: "foo,bar,baz", r: "foo,bam", result: false),
        Case(upstream: "TestCheckConstraint", op: .isSet, l: "foo", r: nil, result: true),
        Case(upstream: "TestCheckConstraint", op: .isSet, l: nil, r: nil, result: false),
        Case(upstream: "TestCheckConstraint", op: .isNotSet, l: nil, r: nil, result: true),
        Case(upstream: "TestCheckConstraint", op: .isNotSet, l: "foo", r: nil, result: false),
        Case(upstream: "TestCheckConstraint (distinct_* pass the checker)", op: .distinctHosts, l: nil, r: nil, result: true),
        Case(upstream: "TestCheckLexicalOrder", op: .less, l: "bar", r: "foo", result: true),
        Case(upstream: "TestCheckLexicalOrder", op: .lessEqual, l: "foo", r: "foo", result: true),
        Case(upstream: "TestCheckLexicalOrder", op: .greater, l: "bar", r: "foo", result: false),
        Case(upstream: "TestCheckLexicalOrder", op: .greaterEqual, l: "bar", r: "bar", result: true),
        // checkOrder: integers before floats before strings ("10" > "9" numerically, not lexically)
        Case(upstream: "TestCheckOrder (integers)", op: .greater, l: "10", r: "9", result: true),
        Case(upstream: "TestCheckOrder (floats)", op: .less, l: "1.5", r: "10.25", result: true),
        Case(upstream: "TestCheckVersionConstraint", op: .version, l: "1.2.3", r: "~> 1.0", result: true),
        Case(upstream: "TestCheckVersionConstraint", op: .version, l: "1.2.3", r: ">= 1.0, < 1.4", result: true),
        Case(upstream: "TestCheckVersionConstraint", op: .version, l: "2.0.1", r: "~> 1.0", result: false),
        Case(upstream: "TestCheckVersionConstraint", op: .version, l: "1.4", r: ">= 1.0, < 1.4", result: false),
        Case(upstream: "TestCheckVersionConstraint", op: .version, l: "1", r: "~> 1.0", result: true),
        Case(upstream: "go-version prerelease: a release constraint excludes pre-releases", op: .version, l: "1.3.0-beta1", r: ">= 1.0", result: false),
        Case(upstream: "go-version ~> 1.2.3 allows patch only", op: .version, l: "1.3.0", r: "~> 1.2.3", result: false),
        Case(upstream: "TestCheckRegexpConstraint", op: .regexp, l: "foobar", r: "bar", result: true),
        Case(upstream: "TestCheckRegexpConstraint", op: .regexp, l: "foobar", r: "^foo", result: true),
        Case(upstream: "TestCheckRegexpConstraint", op: .regexp, l: "foobar", r: "^bar", result: false),
        Case(upstream: "TestCheckRegexpConstraint", op: .regexp, l: "zipzap", r: "foo", result: false),
        Case(upstream: "TestCheckRegexpConstraint (bad pattern never matches)", op: .regexp, l: "foo", r: "(", result: false),
        Case(upstream: "TestCheckSetContainsAny", op: .setContainsAny, l: "foo,bar,baz", r: "bam, bar", result: true),
        Case(upstream: "TestCheckSetContainsAny", op: .setContainsAny, l: "foo,bar,baz", r: "bam,qux", result: false),
    ]

    @Test(arguments: cases)
    func checkConstraint(_ c: Case) {
        let got = c.op.check(c.l ?? "", c.r ?? "", lFound: c.l != nil, rFound: c.r != nil, regexes: NomadRegexCache())
        #expect(got == c.result)
    }

    /// Upstream `TestConstraintChecker`/`resolveTarget`: interpolations on Berth nodes.
    @Test func resolveTargetOnBerthNodes() {
        let node = NodeSpec(name: "n1", pool: "gpu", capacity: [0, 0, 0, 0], labels: ["kernel.name": "linux", NomadTarget.classLabel: "large"],
                            zone: "eu-1")
        #expect(NomadTarget.resolve("${node.unique.name}", node) == ("n1", true))
        #expect(NomadTarget.resolve("${node.datacenter}", node) == ("eu-1", true))
        #expect(NomadTarget.resolve("${node.pool}", node) == ("gpu", true))
        #expect(NomadTarget.resolve("${node.class}", node) == ("large", true))
        #expect(NomadTarget.resolve("${attr.kernel.name}", node) == ("linux", true))
        #expect(NomadTarget.resolve("${meta.kernel.name}", node) == ("linux", true))
        #expect(NomadTarget.resolve("${meta.missing}", node) == ("", false))
        #expect(NomadTarget.resolve("${node.bogus}", node) == ("", false))
        #expect(NomadTarget.resolve("literal", node) == ("literal", true))
        let noZone = NodeSpec(name: "n2", pool: "p", capacity: [0, 0, 0, 0])
        #expect(NomadTarget.resolve("${node.datacenter}", noZone) == ("dc1", true))
    }

    @Test func datacenterGlobs() {
        #expect(NomadTarget.glob("*", "anything"))
        #expect(NomadTarget.glob("us-*", "us-east-1"))
        #expect(!NomadTarget.glob("us-*", "eu-west-1"))
        #expect(NomadTarget.glob("*-1", "eu-west-1"))
        #expect(NomadTarget.glob("dc1", "dc1"))
        #expect(!NomadTarget.glob("dc1", "dc10"))
    }
}
