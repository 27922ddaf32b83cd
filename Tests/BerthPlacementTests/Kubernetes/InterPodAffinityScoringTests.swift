import BerthCluster
import BerthPlacement
import BerthSimulation
import BerthTestSupport
import Testing

/// Ported from kubernetes v1.28
/// pkg/scheduler/framework/plugins/interpodaffinity/scoring_test.go
/// (TestPreferredAffinity, TestPreferredAffinityWithHardPodAffinitySymmetricWeight).
/// Each row keeps the upstream case name. Not ported: namespace and
/// namespace-selector rows (Berth has one namespace) and invalid label
/// syntax rows (Berth does not parse label values).
@Suite struct InterPodAffinityScoringTests {
    typealias Pod = AffinityPodBuilder

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let pod: Pod
        let existing: [(Pod, Int)]
        let nodes: [(name: String, labels: [String: String])]
        var hardPodAffinityWeight: Int32 = 1
        var ignorePreferredTermsOfExistingPods = false
        var preScore: StatusCode = .success
        /// Normalised scores per node.
        var expected: [Int64] = []
        var testDescription: String { name }
    }

    static let china = ["region": "China"]
    static let india = ["region": "India"]
    static let az1 = ["az": "az1"]
    static let az2 = ["az": "az2"]
    static let chinaAz1 = ["region": "China", "az": "az1"]
    static let s1 = ["security": "S1"]
    static let s2 = ["security": "S2"]

    static func nodes(_ labels: [String: String]...) -> [(name: String, labels: [String: String])] {
        labels.enumerated().map { (name: "node\($0.offset + 1)", labels: $0.element) }
    }

    static let stayWithS1InRegion = PodAffinitySpec(
        preferredAffinity: [PodAffinityTerm.matching(.in("security", ["S1"]), topologyKey: "region").weighted(5)])
    static let stayWithS2InRegion = PodAffinitySpec(
        preferredAffinity: [PodAffinityTerm.matching(.in("security", ["S2"]), topologyKey: "region").weighted(6)])
    static let affinity3 = PodAffinitySpec(preferredAffinity: [
        PodAffinityTerm.matching(.notIn("security", ["S1"]), .in("security", ["S2"]), topologyKey: "region").weighted(8),
        PodAffinityTerm.matching(.exists("security"), .doesNotExist("wrongkey"), topologyKey: "region").weighted(2),
    ])
    static let hardAffinity = PodAffinitySpec(requiredAffinity: [
        .matching(.in("security", ["S1", "value2"]), topologyKey: "region"),
        .matching(.exists("security"), .doesNotExist("wrongkey"), topologyKey: "region"),
    ])
    static let awayFromS1InAz = PodAffinitySpec(
        preferredAntiAffinity: [PodAffinityTerm.matching(.in("security", ["S1"]), topologyKey: "az").weighted(5)])
    static let awayFromS2InAz = PodAffinitySpec(
        preferredAntiAffinity: [PodAffinityTerm.matching(.in("security", ["S2"]), topologyKey: "az").weighted(5)])
    static let stayWithS1InRegionAwayFromS2InAz = PodAffinitySpec(
        preferredAffinity: [PodAffinityTerm.matching(.in("security", ["S1"]), topologyKey: "region").weighted(8)],
        preferredAntiAffinity: [PodAffinityTerm.matching(.in("security", ["S2"]), topologyKey: "az").weighted(5)])

    static func pod(_ labels: [String: String], _ affinity: PodAffinitySpec = PodAffinitySpec()) -> Pod {
        Pod().labels(labels).affinity(affinity)
    }

    static let preferredAffinityCases: [Case] = [
        Case(name: "all nodes are same priority as Affinity is nil",
             pod: pod(s1), existing: [], nodes: nodes(china, india, az1), preScore: .skip),
        // Upstream concatenates two literals without a space ("others" + "which").
        Case(name: "Affinity: pod that matches topology key & pods in nodes will get high score comparing to others" +
                "which doesn't match either pods in nodes or in topology key",
             pod: pod(s1, stayWithS1InRegion),
             existing: [(pod(s1), 0), (pod(s2), 1), (pod(s1), 2)],
             nodes: nodes(china, india, az1), expected: [100, 0, 0]),
        Case(name: "All the nodes that have the same topology key & label value with one of them has an existing pod that match the affinity rules, have the same score",
             pod: pod([:], stayWithS1InRegion),
             existing: [(pod(s1), 0)],
             nodes: nodes(china, chinaAz1, india), expected: [100, 100, 0]),
        Case(name: "Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score",
             pod: pod(s1, stayWithS2InRegion),
             existing: [(pod(s2), 0), (pod(s2), 0), (pod(s2), 1), (pod(s2), 2), (pod(s2), 3), (pod(s2), 4)],
             nodes: nodes(china, india, china, china, india), expected: [100, 0, 100, 100, 0]),
        // China: node1's S1 pod matches only the weight-2 term → 2; India: node2's S2
        // pod matches both → 10; az1 has no region → 0. 100·(2/10) = 20.
        Case(name: "Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures ",
             pod: pod(s1, affinity3),
             existing: [(pod(s1), 0), (pod(s2), 1), (pod(s1), 2)],
             nodes: nodes(china, india, az1), expected: [20, 100, 0]),
        Case(name: "Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry",
             pod: pod(s2),
             existing: [(pod(s1, stayWithS1InRegion), 0), (pod(s2, stayWithS2InRegion), 1)],
             nodes: nodes(china, india, az1), expected: [0, 100, 0]),
        Case(name: "Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry",
             pod: pod(s1),
             existing: [(pod(s1, hardAffinity), 0), (pod(s2, hardAffinity), 1)],
             nodes: nodes(china, india, az1), expected: [100, 100, 0]),
        Case(name: "Anti Affinity: pod that does not match existing pods in node will get high score ",
             pod: pod(s1, awayFromS1InAz),
             existing: [(pod(s1), 0), (pod(s2), 1)],
             nodes: nodes(az1, china), expected: [0, 100]),
        Case(name: "Anti Affinity: pod that does not match topology key & match the pods in nodes will get higher score comparing to others ",
             pod: pod(s1, awayFromS1InAz),
             existing: [(pod(s1), 0), (pod(s1), 1)],
             nodes: nodes(az1, china), expected: [0, 100]),
        Case(name: "Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches will get high score",
             pod: pod(s1, awayFromS1InAz),
             existing: [(pod(s1), 0), (pod(s1), 0), (pod(s2), 1)],
             nodes: nodes(az1, india), expected: [0, 100]),
        Case(name: "Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score",
             pod: pod(s2),
             existing: [(pod(s1, awayFromS2InAz), 0), (pod(s2, awayFromS1InAz), 1)],
             nodes: nodes(az1, az2), expected: [0, 100]),
        Case(name: "Affinity and Anti Affinity: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity",
             pod: pod(s1, stayWithS1InRegionAwayFromS2InAz),
             existing: [(pod(s1), 0), (pod(s1), 1)],
             nodes: nodes(china, az1), expected: [100, 0]),
        Case(name: "Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods have the same labels",
             pod: pod(s1, stayWithS1InRegionAwayFromS2InAz),
             existing: [(pod(s1), 0), (pod(s1), 0), (pod(s1), 1), (pod(s1), 2), (pod(s1), 2), (pod(s1), 3), (pod(s1), 4)],
             nodes: nodes(chinaAz1, india, china, china, india), expected: [100, 0, 100, 100, 0]),
        Case(name: "Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry",
             pod: pod(s1, stayWithS1InRegionAwayFromS2InAz),
             existing: [(pod(s1), 0), (pod(s2), 1), (pod([:], stayWithS1InRegionAwayFromS2InAz), 2), (pod([:], awayFromS1InAz), 3)],
             nodes: nodes(china, az1, india, az2), expected: [100, 0, 100, 0]),
        Case(name: "Avoid panic when partial nodes in a topology don't have pods with affinity",
             pod: pod(s1),
             existing: [(pod(s1), 0), (pod([:], stayWithS1InRegionAwayFromS2InAz), 1)],
             nodes: nodes(china, china), expected: [0, 0]),
        Case(name: "Ignore preferred terms of existing pods",
             pod: pod(s2),
             existing: [(pod(s1, stayWithS1InRegionAwayFromS2InAz), 0), (pod(s2, stayWithS2InRegion), 1)],
             nodes: nodes(china, india), ignorePreferredTermsOfExistingPods: true, preScore: .skip),
        Case(name: "Do not ignore preferred terms of existing pods",
             pod: pod(s2),
             existing: [(pod(s1, stayWithS1InRegionAwayFromS2InAz), 0), (pod(s2, stayWithS2InRegion), 1)],
             nodes: nodes(china, india), ignorePreferredTermsOfExistingPods: false, expected: [0, 100]),
        Case(name: "No nodes to score", pod: pod(s2), existing: [], nodes: [], preScore: .skip),
    ]

    static let hardPodAffinity = PodAffinitySpec(requiredAffinity: [.matching(.in("service", ["S1"]), topologyKey: "region")])

    static let hardPodAffinitySymmetricWeightCases: [Case] = [
        Case(name: "with default weight",
             pod: pod(["service": "S1"]),
             existing: [(pod([:], hardPodAffinity), 0), (pod([:], hardPodAffinity), 1)],
             nodes: nodes(china, india, az1), hardPodAffinityWeight: InterPodAffinity.defaultHardPodAffinityWeight,
             expected: [100, 100, 0]),
        Case(name: "with zero weight",
             pod: pod(["service": "S1"]),
             existing: [(pod([:], hardPodAffinity), 0), (pod([:], hardPodAffinity), 1)],
             nodes: nodes(china, india, az1), hardPodAffinityWeight: 0, preScore: .skip),
    ]

    static func run(_ c: Case) {
        let cluster = makeAffinityCluster(nodes: c.nodes, pods: c.existing)
        let view = ClusterView(cluster)
        let plugin = InterPodAffinity(hardPodAffinityWeight: c.hardPodAffinityWeight,
                                      ignorePreferredTermsOfExistingPods: c.ignorePreferredTermsOfExistingPods)
        let state = CycleState()
        let pod = PodInfo(spec: c.pod.spec)
        let infos = (0..<view.nodeCount).map { NodeInfo(index: $0, view: view) }
        let pre = plugin.preScore(state, pod: pod, nodes: NodeSet(infos))
        #expect(pre.code == c.preScore, "PreScore")
        guard pre.isSuccess else { return }
        var scores = infos.map { info in
            let (score, status) = plugin.score(state, pod: pod, node: info)
            #expect(status.isSuccess)
            return NodeScore(node: info.index, score: score)
        }
        #expect(plugin.normalizeScore(state, pod: pod, scores: &scores).isSuccess)
        #expect(scores.map(\.score) == c.expected)
    }

    @Test(arguments: preferredAffinityCases) func preferredAffinity(_ c: Case) { Self.run(c) }
    @Test(arguments: hardPodAffinitySymmetricWeightCases) func preferredAffinityWithHardPodAffinitySymmetricWeight(_ c: Case) { Self.run(c) }

    /// Raw scores before normalisation: + affinity weights, − anti-affinity
    /// weights, per topology pair (row "Affinity and Anti Affinity and symmetry").
    @Test func rawScoresAreSignedTopologySums() {
        let c = Self.preferredAffinityCases[13]
        let cluster = makeAffinityCluster(nodes: c.nodes, pods: c.existing)
        let view = ClusterView(cluster)
        let plugin = InterPodAffinity()
        let state = CycleState()
        let pod = PodInfo(spec: c.pod.spec)
        let infos = (0..<view.nodeCount).map { NodeInfo(index: $0, view: view) }
        #expect(plugin.preScore(state, pod: pod, nodes: NodeSet(infos)).isSuccess)
        // Upstream's comment on this row: 8, -5, 8, -5.
        #expect(infos.map { plugin.score(state, pod: pod, node: $0).0 } == [8, -5, 8, -5])
    }

    /// NormalizeScore divides in float64 and truncates, as upstream:
    /// 100 · (29/100) is 28.999999999999996 → 28 (integer math would give 29).
    @Test func normalizationTruncatesFloat64LikeUpstream() {
        let cluster = makeAffinityCluster(nodes: Self.nodes(Self.china), pods: [(Self.pod(Self.s1), 0)])
        let view = ClusterView(cluster)
        let plugin = InterPodAffinity()
        let state = CycleState()
        let pod = PodInfo(spec: Self.pod(Self.s1, Self.stayWithS1InRegion).spec)
        #expect(plugin.preScore(state, pod: pod, nodes: [NodeInfo(index: 0, view: view)]).isSuccess)
        var scores = [NodeScore(node: 0, score: -50), NodeScore(node: 1, score: -21), NodeScore(node: 2, score: 50)]
        #expect(plugin.normalizeScore(state, pod: pod, scores: &scores).isSuccess)
        #expect(scores.map(\.score) == [0, 28, 100])
    }

    /// Through the framework runner: preferred affinity pulls the pod into the
    /// region of its peers; preferred anti-affinity pushes it off their node.
    @Test func preferredTermsSteerTheRunner() throws {
        let nodes = [(name: "a1", labels: ["region": "a", NodeLabel.hostname: "a1"]),
                     (name: "a2", labels: ["region": "a", NodeLabel.hostname: "a2"]),
                     (name: "b1", labels: ["region": "b", NodeLabel.hostname: "b1"])]
        let cluster = makeAffinityCluster(nodes: nodes, pods: [(Pod("peer").label("app", "db"), 0)])
        let plugin = InterPodAffinity()
        let framework = KubernetesFramework(profile: KubernetesProfile(
            name: "affinity", preFilters: [plugin], filters: [plugin], preScores: [plugin], scores: [(plugin, 2)]))
        let spec = Pod("web").podAffinityIn("app", "region", ["db"], .preferred(weight: 10))
            .podAntiAffinityIn("app", NodeLabel.hostname, ["db"], .preferred(weight: 5)).spec
        let result = framework.schedule(PodInfo(spec: spec), in: ClusterView(cluster),
                                        random: RandomStream(name: "tie-break", seed: 1), explain: true)
        // Raw: a1 = 10 − 5 = 5, a2 = 10, b1 = 0 → normalised 50, 100, 0; weighted ×2.
        #expect(result.evaluations.map(\.raw) == [[5], [10], [0]])
        #expect(result.evaluations.map(\.weighted) == [[100], [200], [0]])
        #expect(result.selected == 1)
    }
}
