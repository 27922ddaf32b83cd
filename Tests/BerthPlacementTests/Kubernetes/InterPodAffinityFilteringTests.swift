import BerthCluster
import BerthPlacement
import BerthSimulation
import BerthTestSupport
import Testing

/// Ported from kubernetes v1.28
/// pkg/scheduler/framework/plugins/interpodaffinity/filtering_test.go
/// (TestRequiredAffinitySingleNode, TestRequiredAffinityMultipleNodes). Each
/// row keeps the upstream case name. Not ported: rows about namespaces and
/// namespace selectors (Berth has one namespace), invalid label syntax
/// (Berth does not parse label values), AddPod/RemovePod (no preemption
/// dry-runs in Berth's framework).
@Suite struct InterPodAffinityFilteringTests {
    typealias Pod = AffinityPodBuilder

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let pod: Pod
        let existing: [(Pod, Int)]
        let nodes: [(name: String, labels: [String: String])]
        var preFilter: StatusCode = .success
        /// Expected Filter status on the first `filter.count` nodes; nil = feasible.
        var filter: [Status?] = []
        var testDescription: String { name }
    }

    static let affinity = Status(.unschedulableAndUnresolvable, [InterPodAffinity.errReasonAffinityRulesNotMatch])
    static let anti = Status(.unschedulable, [InterPodAffinity.errReasonAntiAffinityRulesNotMatch])
    static let existingAnti = Status(.unschedulable, [InterPodAffinity.errReasonExistingAntiAffinityRulesNotMatch])

    // TestRequiredAffinitySingleNode fixtures.
    static let podLabel = ["service": "securityscan"]
    static let podLabel2 = ["security": "S1"]
    static let node1 = [(name: "node1", labels: ["region": "r1", "zone": "z11"])]
    /// `st.MakePod().Labels(podLabel).Node("node1")`.
    static let existingOnNode1 = [(Pod("existing").labels(podLabel), 0)]

    static let singleNode: [Case] = [
        Case(name: "A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods",
             pod: Pod(), existing: [], nodes: node1, preFilter: .skip),
        Case(name: "satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod",
             pod: Pod().labels(podLabel2).podAffinityIn("service", "region", ["securityscan", "value2"]),
             existing: existingOnNode1, nodes: node1, filter: [nil]),
        Case(name: "satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod",
             pod: Pod().labels(podLabel2).podAffinityNotIn("service", "region", ["securityscan3", "value3"]),
             existing: existingOnNode1, nodes: node1, filter: [nil]),
        Case(name: "Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
             pod: Pod().labels(podLabel).podAffinityIn("service", "", ["antivirusscan", "value2"]),
             existing: existingOnNode1, nodes: node1, filter: [affinity]),
        Case(name: "satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution ",
             pod: Pod().labels(podLabel2)
                .term(.matching(.exists("service"), .doesNotExist("wrongkey"), topologyKey: "region"))
                .term(.matching(.in("service", ["securityscan"]), .notIn("service", ["WrongValue"]), topologyKey: "region")),
             existing: existingOnNode1, nodes: node1, filter: [nil]),
        Case(name: "The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item don't match.",
             pod: Pod().labels(podLabel2)
                .term(.matching(.exists("service"), .doesNotExist("wrongkey"), topologyKey: "region"))
                .term(.matching(.in("service", ["securityscan2"]), .notIn("service", ["WrongValue"]), topologyKey: "region")),
             existing: existingOnNode1, nodes: node1, filter: [affinity]),
        Case(name: "satisfies the PodAffinity and PodAntiAffinity with the existing pod",
             pod: Pod().labels(podLabel2).podAffinityIn("service", "region", ["securityscan", "value2"])
                .podAntiAffinityIn("service", "node", ["antivirusscan", "value2"]),
             existing: existingOnNode1, nodes: node1, filter: [nil]),
        Case(name: "satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod",
             pod: Pod().labels(podLabel2).podAffinityIn("service", "region", ["securityscan", "value2"])
                .podAntiAffinityIn("service", "node", ["antivirusscan", "value2"]),
             existing: [(Pod("e").labels(podLabel).podAntiAffinityIn("service", "node", ["antivirusscan", "value2"]), 0)],
             nodes: node1, filter: [nil]),
        Case(name: "satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
             pod: Pod().labels(podLabel2).podAffinityIn("service", "region", ["securityscan", "value2"])
                .podAntiAffinityIn("service", "zone", ["securityscan", "value2"]),
             existing: existingOnNode1, nodes: node1, filter: [anti]),
        Case(name: "satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod",
             pod: Pod().labels(podLabel).podAffinityIn("service", "region", ["securityscan", "value2"])
                .podAntiAffinityIn("service", "node", ["antivirusscan", "value2"]),
             existing: [(Pod("e").labels(podLabel).podAntiAffinityIn("service", "zone", ["securityscan", "value2"]), 0)],
             nodes: node1, filter: [existingAnti]),
        // Upstream binds the existing pod to "node2", which is not in the snapshot;
        // here node2 exists without labels, so it counts for no topology.
        Case(name: "pod matches its own Label in PodAffinity and that matches the existing pod Labels",
             pod: Pod().labels(podLabel).podAffinityNotIn("service", "region", ["securityscan", "value2"]),
             existing: [(Pod("e").label("service", "securityscan"), 1)],
             nodes: node1 + [(name: "node2", labels: [:])], filter: [affinity]),
        Case(name: "verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod",
             pod: Pod().labels(podLabel),
             existing: [(Pod("e").labels(podLabel).podAntiAffinityIn("service", "zone", ["securityscan", "value2"]), 0)],
             nodes: node1, filter: [existingAnti]),
        Case(name: "verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod",
             pod: Pod().labels(podLabel),
             existing: [(Pod("e").labels(podLabel).podAntiAffinityNotIn("service", "zone", ["securityscan", "value2"]), 0)],
             nodes: node1, preFilter: .skip),
        Case(name: "satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod",
             pod: Pod().labels(podLabel).podAntiAffinityExists("service", "region").podAntiAffinityExists("security", "region"),
             existing: [(Pod("e").labels(podLabel2).podAntiAffinityExists("security", "zone"), 0)],
             nodes: node1, filter: [anti]),
        Case(name: "PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms",
             pod: Pod().labels(podLabel).podAntiAffinityExists("service", "zone").podAntiAffinityExists("security", "zone"),
             existing: [(Pod("e").labels(podLabel2).podAntiAffinityExists("security", "zone"), 0)],
             nodes: node1, filter: [anti]),
        Case(name: "PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms",
             pod: Pod().labels(podLabel2).podAntiAffinityExists("security", "zone"),
             existing: [(Pod("e").labels(podLabel).podAntiAffinityExists("service", "zone").podAntiAffinityExists("security", "zone"), 0)],
             nodes: node1, filter: [existingAnti]),
        Case(name: "PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms",
             pod: Pod().labels(["abc": "", "xyz": ""]).podAntiAffinityExists("abc", "zone").podAntiAffinityExists("def", "zone"),
             existing: [(Pod("e").labels(["def": "", "xyz": ""]).podAntiAffinityExists("abc", "zone").podAntiAffinityExists("def", "zone"), 0)],
             nodes: node1, filter: [anti]),
        Case(name: "PodAntiAffinity symmetry check b2: incoming pod and existing pod partially match each other on AffinityTerms",
             pod: Pod().labels(["def": "", "xyz": ""]).podAntiAffinityExists("abc", "zone").podAntiAffinityExists("def", "zone"),
             existing: [(Pod("e").labels(["abc": "", "xyz": ""]).podAntiAffinityExists("abc", "zone").podAntiAffinityExists("def", "zone"), 0)],
             nodes: node1, filter: [anti]),
    ]

    // TestRequiredAffinityMultipleNodes fixtures.
    static let china = ["region": "China"]
    static let chinaAz1 = ["region": "China", "az": "az1"]
    static let india = ["region": "India"]
    static func abNodes(_ zoneB: String = "z2") -> [(name: String, labels: [String: String])] {
        [(name: "nodeA", labels: ["region": "r1", "zone": "z1", "hostname": "nodeA"]),
         (name: "nodeB", labels: ["region": "r1", "zone": zoneB, "hostname": "nodeB"])]
    }

    static let multipleNodes: [Case] = [
        Case(name: "A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an existing pod that matches the affinity rules",
             pod: Pod().podAffinityIn("foo", "region", ["bar"]),
             existing: [(Pod("p1").labels(["foo": "bar"]), 0)],
             nodes: [(name: "node1", labels: china), (name: "node2", labels: chinaAz1), (name: "node3", labels: india)],
             filter: [nil, nil, affinity]),
        Case(name: "The affinity rule is to schedule all of the pods of this collection to the same zone. The first pod of the collection should not be blocked from being scheduled onto any node, even there's no existing pod that matches the rule anywhere.",
             pod: Pod().labels(["foo": "bar", "service": "securityscan"]).podAffinityIn("foo", "zone", ["bar"])
                .podAffinityIn("service", "zone", ["securityscan"]),
             existing: [(Pod("p1").labels(["foo": "bar"]), 0)],
             nodes: [(name: "nodeA", labels: ["zone": "az1", "hostname": "h1"]), (name: "nodeB", labels: ["zone": "az2", "hostname": "h2"])],
             filter: [nil, nil]),
        Case(name: "The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys",
             pod: Pod().labels(["foo": "bar", "service": "securityscan"]).podAffinityIn("foo", "zone", ["bar"])
                .podAffinityIn("service", "zone", ["securityscan"]),
             existing: [(Pod("p1").labels(["foo": "bar"]), 0)],
             nodes: [(name: "nodeA", labels: ["zoneLabel": "az1", "hostname": "h1"]), (name: "nodeB", labels: ["zoneLabel": "az2", "hostname": "h2"])],
             filter: [affinity, affinity]),
        Case(name: "NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB.",
             pod: Pod().podAntiAffinityIn("foo", "region", ["abc"]),
             existing: [(Pod("e").labels(["foo": "abc"]), 0)],
             nodes: [(name: "nodeA", labels: ["region": "r1", "hostname": "nodeA"]), (name: "nodeB", labels: ["region": "r1", "hostname": "nodeB"])],
             filter: [anti, anti]),
        Case(name: "This test ensures that anti-affinity matches a pod when any term of the anti-affinity rule matches a pod.",
             pod: Pod().podAntiAffinityIn("foo", "region", ["abc"]).podAntiAffinityIn("service", "zone", ["securityscan"]),
             existing: [(Pod("e").labels(["foo": "abc", "service": "securityscan"]), 0)],
             nodes: [(name: "nodeA", labels: ["region": "r1", "zone": "z1", "hostname": "nodeA"]),
                     (name: "nodeB", labels: ["region": "r1", "zone": "z2", "hostname": "nodeB"])],
             filter: [anti, anti]),
        Case(name: "NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB but can be scheduled onto nodeC",
             pod: Pod().podAntiAffinityIn("foo", "region", ["abc"]),
             existing: [(Pod("e").labels(["foo": "abc"]), 0)],
             nodes: [(name: "nodeA", labels: china), (name: "nodeB", labels: chinaAz1), (name: "nodeC", labels: india)],
             filter: [anti, anti, nil]),
        Case(name: "Test existing pod's anti-affinity: if an existing pod has a term with invalid topologyKey, labelSelector of the term is firstly checked, and then topologyKey of the term is also checked",
             pod: Pod().label("foo", ""),
             existing: [(Pod("e").podAntiAffinityExists("foo", "invalid-node-label"), 0)],
             nodes: abNodes("z1"), preFilter: .skip),
        Case(name: "Test incoming pod's anti-affinity: even if labelSelector matches, we still check if topologyKey matches",
             pod: Pod().podAntiAffinityExists("foo", "invalid-node-label"),
             existing: [(Pod("e").labels(["foo": ""]), 0)],
             nodes: abNodes("z1"), filter: [nil, nil]),
        Case(name: "Test existing pod's anti-affinity: incoming pod wouldn't considered as a fit as it violates each existingPod's terms on all nodes",
             pod: Pod().label("foo", "").label("bar", ""),
             existing: [(Pod("e1").podAntiAffinityExists("foo", "zone"), 0), (Pod("e2").podAntiAffinityExists("bar", "region"), 0)],
             nodes: abNodes(), filter: [existingAnti, existingAnti]),
        Case(name: "Test incoming pod's anti-affinity: incoming pod wouldn't considered as a fit as it at least violates one anti-affinity rule of existingPod",
             pod: Pod().podAntiAffinityExists("foo", "zone").podAntiAffinityExists("bar", "region"),
             existing: [(Pod("e1").labels(["foo": ""]), 0), (Pod("e2").labels(["bar": ""]), 1)],
             nodes: abNodes(), filter: [anti, anti]),
        Case(name: "Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey",
             pod: Pod().label("foo", "").label("bar", ""),
             existing: [(Pod("e").podAntiAffinityExists("foo", "invalid-node-label").podAntiAffinityExists("bar", "zone"), 0)],
             nodes: abNodes(), filter: [existingAnti, nil]),
        Case(name: "Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey",
             pod: Pod().podAntiAffinityExists("foo", "invalid-node-label").podAntiAffinityExists("bar", "zone"),
             existing: [(Pod("podA").labels(["foo": "", "bar": ""]), 0)],
             nodes: abNodes(), filter: [anti, nil]),
        Case(name: "Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when all terms have valid topologyKey",
             pod: Pod().label("foo", "").label("bar", ""),
             existing: [(Pod("e").podAntiAffinityExists("foo", "region").podAntiAffinityExists("bar", "zone"), 0)],
             nodes: abNodes(), filter: [existingAnti, existingAnti]),
        Case(name: "Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when all terms have valid topologyKey",
             pod: Pod().podAntiAffinityExists("foo", "region").podAntiAffinityExists("bar", "zone"),
             existing: [(Pod("e").labels(["foo": "", "bar": ""]), 0)],
             nodes: abNodes(), filter: [anti, anti]),
        Case(name: "Test existing pod's anti-affinity: existingPod on nodeA and nodeB has at least one anti-affinity term matches incoming pod, so incoming pod can only be scheduled to nodeC",
             pod: Pod().label("foo", "").label("bar", ""),
             existing: [(Pod("e1").podAntiAffinityExists("foo", "zone").podAntiAffinityExists("labelA", "zone"), 0),
                        (Pod("e2").podAntiAffinityExists("bar", "zone").podAntiAffinityExists("labelB", "zone"), 1)],
             nodes: abNodes() + [(name: "nodeC", labels: ["region": "r1", "zone": "z3", "hostname": "nodeC"])],
             filter: [existingAnti, existingAnti, nil]),
        Case(name: "Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match",
             pod: Pod().podAffinityExists("foo", "region").podAffinityExists("bar", "zone"),
             existing: [(Pod("pod1").labels(["foo": "", "bar": ""]), 0)],
             nodes: abNodes("z1"), filter: [nil, nil]),
        Case(name: "Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match, and the match logic should be satisfied on the same pod",
             pod: Pod().podAffinityExists("foo", "region").podAffinityExists("bar", "zone"),
             existing: [(Pod("pod1").labels(["foo": ""]), 0), (Pod("pod2").labels(["bar": ""]), 1)],
             nodes: abNodes(), filter: [affinity, affinity]),
    ]

    static func run(_ c: Case) {
        let cluster = makeAffinityCluster(nodes: c.nodes, pods: c.existing)
        let view = ClusterView(cluster)
        let plugin = InterPodAffinity()
        let state = CycleState()
        let pod = PodInfo(spec: c.pod.spec)
        let pre = plugin.preFilter(state, pod: pod, nodes: NodeList(view: view))
        #expect(pre.code == c.preFilter, "PreFilter")
        guard pre.isSuccess else { return }
        for (i, want) in c.filter.enumerated() {
            let got = plugin.filter(state, pod: pod, node: NodeInfo(index: i, view: view))
            #expect(got == (want ?? .success), "node \(c.nodes[i].name)")
        }
    }

    @Test(arguments: singleNode) func requiredAffinitySingleNode(_ c: Case) { Self.run(c) }
    @Test(arguments: multipleNodes) func requiredAffinityMultipleNodes(_ c: Case) { Self.run(c) }

    @Test func filterWithoutPreFilterStateIsAnError() {
        let cluster = makeAffinityCluster(nodes: Self.node1)
        let status = InterPodAffinity().filter(CycleState(), pod: PodInfo(spec: Pod().spec), node: NodeInfo(index: 0, view: ClusterView(cluster)))
        #expect(status.code == .error)
    }

    /// Through the framework runner: required anti-affinity on the hostname
    /// spreads a group one per node; the fourth pod fits nowhere, and the
    /// diagnosis names the existing pods' rule (preemption might help).
    @Test func antiAffinityGroupSpreadsOnePerNode() throws {
        let nodes = (0..<3).map { (name: "n\($0)", labels: [NodeLabel.hostname: "n\($0)"]) }
        let cluster = makeAffinityCluster(nodes: nodes)
        let plugin = InterPodAffinity()
        let framework = KubernetesFramework(profile: KubernetesProfile(name: "affinity", preFilters: [plugin], filters: [plugin]))
        let random = RandomStream(name: "tie-break", seed: 1)
        var used = Set<Int>()
        for i in 0..<4 {
            let spec = Pod("web\(i)").label("app", "web").podAntiAffinityIn("app", NodeLabel.hostname, ["web"]).spec
            let id = cluster.submit(spec, at: 0)
            let result = framework.schedule(PodInfo(id: id, spec: spec), in: ClusterView(cluster), random: random)
            if i < 3 {
                let node = try #require(result.selected)
                #expect(used.insert(node).inserted)
                try cluster.bind(id, to: Int32(node), at: 0)
            } else {
                #expect(result.selected == nil)
                #expect(result.diagnosis == [InterPodAffinity.errReasonAntiAffinityRulesNotMatch: 3])
                #expect(result.preemptionMightHelp)
            }
        }
    }
}
