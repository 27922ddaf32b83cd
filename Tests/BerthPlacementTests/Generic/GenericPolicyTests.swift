import BerthCluster
import BerthPlacement
import BerthSimulation
import BerthTestSupport
import Testing

/// Hand-computed tables: each row says which node each policy must choose and why.
@Suite struct GenericPolicyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let nodes: @Sendable () -> [NodeBuilder]
        let existing: @Sendable () -> [(TaskBuilder, Int)]
        let task: @Sendable () -> TaskBuilder
        /// Expected node index for first-fit, best-fit (cpu), worst-fit (cpu), dot-product; nil = none fits.
        let expected: [String: Int?]
        var testDescription: String { name }
    }

    static func uniform(_ n: Int, cpu: String = "4", memory: String = "8Gi") -> [NodeBuilder] {
        (0..<n).map { NodeBuilder("n\($0)").capacity(cpu: cpu, memory: memory) }
    }

    static let cases: [Case] = [
        Case(name: "empty identical nodes: every policy takes the lowest index",
             nodes: { uniform(3) }, existing: { [] }, task: { TaskBuilder("t").requests(cpu: "1", memory: "1Gi") },
             expected: ["first-fit": 0, "best-fit": 0, "worst-fit": 0, "dot-product": 0]),
        // Free cpu: n0 = 4-3 = 1, n1 = 4-1 = 3, n2 = 4. Task needs 1 cpu.
        // best-fit: least free cpu ≥ 1 → n0 (1). worst-fit: most free → n2 (4).
        // dot-product (1 cpu, 1Gi): n0: (1/4)(1/4)+(1/8)(7/8)=0.171875; n1: (1/4)(3/4)+(1/8)(7/8)=0.296875;
        //   n2: (1/4)(4/4)+(1/8)(8/8)=0.375 → n2.
        Case(name: "partly used nodes separate the policies",
             nodes: { uniform(3) },
             existing: { [(TaskBuilder("a").requests(cpu: "3", memory: "1Gi"), 0), (TaskBuilder("b").requests(cpu: "1", memory: "1Gi"), 1)] },
             task: { TaskBuilder("t").requests(cpu: "1", memory: "1Gi") },
             expected: ["first-fit": 0, "best-fit": 0, "worst-fit": 2, "dot-product": 2]),
        // n0 has 1 cpu free but the task needs 2: first-fit skips to n1, best-fit takes n1 (3 free) over n2 (4).
        Case(name: "too little room on the first node",
             nodes: { uniform(3) },
             existing: { [(TaskBuilder("a").requests(cpu: "3", memory: "1Gi"), 0), (TaskBuilder("b").requests(cpu: "1", memory: "1Gi"), 1)] },
             task: { TaskBuilder("t").requests(cpu: "2", memory: "1Gi") },
             expected: ["first-fit": 1, "best-fit": 1, "worst-fit": 2, "dot-product": 2]),
        // cpu fits on n0 (best-fit key) but memory does not: the index walk must check every resource.
        Case(name: "memory decides although best-fit ranks on cpu",
             nodes: { uniform(2) },
             existing: { [(TaskBuilder("a").requests(cpu: "1", memory: "7Gi"), 0)] },
             task: { TaskBuilder("t").requests(cpu: "1", memory: "2Gi") },
             expected: ["first-fit": 1, "best-fit": 1, "worst-fit": 1, "dot-product": 1]),
        Case(name: "node selector excludes the tightest node",
             nodes: { [NodeBuilder("n0").capacity(cpu: "2", memory: "8Gi"), NodeBuilder("n1").capacity(cpu: "8", memory: "8Gi").labels(["disk": "ssd"])] },
             existing: { [] },
             task: { TaskBuilder("t").requests(cpu: "1", memory: "1Gi").nodeSelector(["disk": "ssd"]) },
             expected: ["first-fit": 1, "best-fit": 1, "worst-fit": 1, "dot-product": 1]),
        Case(name: "untolerated NoSchedule taint excludes a node; PreferNoSchedule does not",
             nodes: { [NodeBuilder("n0").capacity(cpu: "8", memory: "8Gi").taint("gpu", "true", .noSchedule),
                       NodeBuilder("n1").capacity(cpu: "2", memory: "8Gi").taint("spot", "", .preferNoSchedule)] },
             existing: { [] },
             task: { TaskBuilder("t").requests(cpu: "1", memory: "1Gi") },
             expected: ["first-fit": 1, "best-fit": 1, "worst-fit": 1, "dot-product": 1]),
        // dot-product (1 cpu, 1Gi): n0 (8 cpu, 8Gi): (1/8)(8/8) + (1/8)(8/8) = 0.25;
        //   n1 (2 cpu, 8Gi): (1/2)(2/2) + (1/8)(8/8) = 0.625 → n1 (small node, relatively larger demand).
        Case(name: "a matching toleration admits the tainted node",
             nodes: { [NodeBuilder("n0").capacity(cpu: "8", memory: "8Gi").taint("gpu", "true", .noSchedule),
                       NodeBuilder("n1").capacity(cpu: "2", memory: "8Gi")] },
             existing: { [] },
             task: { TaskBuilder("t").requests(cpu: "1", memory: "1Gi").toleration(Toleration(key: "gpu", op: .equal, value: "true", effect: .noSchedule)) },
             expected: ["first-fit": 0, "best-fit": 1, "worst-fit": 0, "dot-product": 1]),
        Case(name: "cordoned nodes are never chosen",
             nodes: { [NodeBuilder("n0").capacity(cpu: "8", memory: "8Gi").unschedulable(), NodeBuilder("n1").capacity(cpu: "8", memory: "8Gi")] },
             existing: { [] },
             task: { TaskBuilder("t").requests(cpu: "1", memory: "1Gi") },
             expected: ["first-fit": 1, "best-fit": 1, "worst-fit": 1, "dot-product": 1]),
        Case(name: "nothing fits",
             nodes: { uniform(2, cpu: "1") }, existing: { [] },
             task: { TaskBuilder("t").requests(cpu: "2", memory: "1Gi") },
             expected: ["first-fit": nil, "best-fit": nil, "worst-fit": nil, "dot-product": nil]),
        // Pods count as a resource: n0 allows 1 pod and already runs one.
        Case(name: "pod count is a resource",
             nodes: { [NodeBuilder("n0").capacity(["cpu": "8", "memory": "8Gi", "pods": "1"]), NodeBuilder("n1").capacity(cpu: "8", memory: "8Gi")] },
             existing: { [(TaskBuilder("a").requests(cpu: "100m", memory: "1Mi"), 0)] },
             task: { TaskBuilder("t").requests(cpu: "1", memory: "1Gi") },
             expected: ["first-fit": 1, "best-fit": 1, "worst-fit": 1, "dot-product": 1]),
        // Dot product prefers alignment: task is memory-heavy (1 cpu, 6Gi).
        // n0 free (3 cpu, 7Gi): (1/4)(3/4) + (6/8)(7/8) = 0.1875 + 0.65625 = 0.84375
        // n1 free (4 cpu, 2Gi+...) cannot hold 6Gi (used 6Gi) → infeasible; n2 free (1 cpu, 8Gi): (1/4)(1/4)+(6/8)(8/8)=0.8125
        Case(name: "dot product follows the shape of free space",
             nodes: { uniform(3) },
             existing: { [(TaskBuilder("a").requests(cpu: "1", memory: "1Gi"), 0), (TaskBuilder("b").requests(cpu: "0", memory: "6Gi"), 1),
                          (TaskBuilder("c").requests(cpu: "3", memory: "0"), 2)] },
             task: { TaskBuilder("t").requests(cpu: "1", memory: "6Gi") },
             expected: ["first-fit": 0, "best-fit": 2, "worst-fit": 0, "dot-product": 0]),
    ]

    static let policies: [any PlacementPolicy] = [FirstFit(), BestFit(), WorstFit(), DotProduct()]

    @Test(arguments: cases) func choosesExpectedNode(_ c: Case) {
        let cluster = makeCluster(c.nodes(), existing: c.existing())
        let stream = RandomStreams(seed: 1).stream(.tieBreaks)
        for policy in Self.policies {
            let decision = policy.place(c.task().spec, in: ClusterView(cluster), random: stream)
            let want = c.expected[policy.name] ?? nil
            #expect(decision.node.map(Int.init) == want, "\(c.name): \(policy.name) chose \(String(describing: decision.node)), want \(String(describing: want))")
        }
    }

    @Test func dotProductScoreMatchesHandCalculation() {
        let cluster = makeCluster(Self.uniform(1), existing: [(TaskBuilder("a").requests(cpu: "1", memory: "1Gi"), 0)])
        let task = TaskBuilder("t").requests(cpu: "1", memory: "6Gi").spec
        // (1/4)(3/4) + (6/8)(7/8) = 0.84375
        #expect(abs(DotProduct.score(task, on: 0, in: ClusterView(cluster)) - 0.84375) < 1e-12)
    }

    @Test func diagnosisCountsFirstFailingReasonPerNode() {
        let cluster = makeCluster([
            NodeBuilder("n0").capacity(cpu: "1", memory: "8Gi"),
            NodeBuilder("n1").capacity(cpu: "8", memory: "8Gi").taint("gpu"),
            NodeBuilder("n2").capacity(cpu: "8", memory: "8Gi").unschedulable(),
            NodeBuilder("n3").capacity(cpu: "1", memory: "8Gi"),
        ])
        let d = ConstraintFilters().diagnose(TaskBuilder("t").requests(cpu: "2", memory: "1Gi").spec, in: ClusterView(cluster))
        #expect(d == ["Insufficient cpu": 2, TaintCheck.reason: 1, NodeUnschedulableCheck.reason: 1])
    }
}
