import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

/// The cluster query language (ECS Developer Guide, "Cluster query language"):
/// the guide's example expressions parse and select the instances they describe,
/// and malformed ones fail with the offending character.
@Suite struct ClusterQueryTests {
    /// Nodes: a (t2.small, us-east-1a), b (t2.medium, us-east-1b), c (m5.large, us-east-1c, label stack=prod).
    static func cluster() -> Cluster { makeCluster([
        NodeBuilder("i-a").labels(["node.kubernetes.io/instance-type": "t2.small"]).zone("us-east-1a"),
        NodeBuilder("i-b").labels(["node.kubernetes.io/instance-type": "t2.medium"]).zone("us-east-1b"),
        NodeBuilder("i-c").labels(["node.kubernetes.io/instance-type": "m5.large", "stack": "prod", "gen": "5"]).zone("us-east-1c"),
    ]) }

    static func select(_ text: String) throws -> [String] {
        let q = try ClusterQueryParser.parse(text).get()
        var e = ClusterQueryEvaluator()
        let view = ClusterView(cluster())
        return (0..<view.nodeCount).filter { e.matches(q, node: $0, in: view) }.map { view.nodeName($0) }
    }

    @Test(arguments: [
        // Examples from the guide.
        ("attribute:ecs.instance-type == t2.small", ["i-a"]),
        ("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", ["i-a", "i-b"]),
        ("attribute:ecs.instance-type =~ t2.*", ["i-a", "i-b"]),
        ("attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1a", ["i-b"]),
        ("ec2InstanceId in ['i-a', 'i-c']", ["i-a", "i-c"]),
        ("attribute:stack exists", ["i-c"]),
        ("attribute:stack !exists", ["i-a", "i-b"]),
    ])
    func guideExamples(_ text: String, _ expected: [String]) throws {
        #expect(try Self.select(text) == expected)
    }

    @Test(arguments: [
        ("attribute:stack == prod or attribute:ecs.instance-type == t2.small", ["i-a", "i-c"]),
        ("attribute:stack == prod || attribute:ecs.availability-zone == us-east-1a && attribute:ecs.instance-type == t2.medium", ["i-c"]),
        ("(attribute:stack == prod || attribute:ecs.availability-zone == us-east-1b) && attribute:ecs.instance-type =~ t2.*", ["i-b"]),
        ("!(attribute:ecs.instance-type =~ t2.*)", ["i-c"]),
        ("not attribute:stack exists", ["i-a", "i-b"]),
        ("attribute:stack != prod", ["i-a", "i-b"]),            // a missing attribute satisfies only negative operators
        ("attribute:stack not_in [dev]", ["i-a", "i-b", "i-c"]),
        ("attribute:ecs.instance-type !~ t2.*", ["i-c"]),
        ("attribute:ecs.instance-type matches 't2.(small|micro)'", ["i-a"]),
        ("attribute:gen >= 5", ["i-c"]),
        ("attribute:gen greater_than 10", []),                  // numeric, not lexicographic ("5" > "10" as strings)
        ("attribute:ecs.availability-zone < us-east-1b", ["i-a"]),  // strings compare lexicographically
        ("attribute:ecs.instance-type =~ t2", []),              // the whole value must match
        ("attribute:ecs.os-type == linux AND attribute:ecs.cpu-architecture == x86_64", ["i-a", "i-b", "i-c"]),
        ("instanceId == i-b", ["i-b"]),
    ])
    func compoundExpressions(_ text: String, _ expected: [String]) throws {
        #expect(try Self.select(text) == expected)
    }

    @Test(arguments: [
        ("", 0, "expected an expression"),
        ("attribute:ecs.instance-type", 27, "expected an operator"),
        ("attribute:ecs.instance-type === t2", 30, "expected a value"),
        ("attribute:ecs.instance-type in t2.small", 31, "in expects a list"),
        ("attribute:ecs.instance-type in [a, b", 36, "expected \",\" or \"]\""),
        ("(attribute:a == b", 17, "expected \")\""),
        ("attribute:a == b c", 17, "unexpected \"c\""),
        ("agentVersion >= 1.0", 0, "subject \"agentVersion\" is not modelled"),
        ("instance-type == t2", 0, "unknown subject \"instance-type\""),
        ("attribute:a like b", 12, "unknown operator \"like\""),
        ("attribute:a == 'b", 15, "unterminated quoted value"),
    ])
    func badExpressions(_ text: String, _ offset: Int, _ message: String) {
        guard case .failure(let e) = ClusterQueryParser.parse(text) else {
            Issue.record("\"\(text)\" must not parse")
            return
        }
        #expect(e.offset == offset, "\(e)")
        #expect(e.message.contains(message), "\(e)")
    }
}

extension NodeBuilder {
    func zone(_ zone: String) -> NodeBuilder {
        var copy = self
        copy.spec.zone = zone
        copy.spec.labels[NodeLabel.zone] = zone
        return copy
    }
}
