import BerthCluster
import BerthPlacement
import BerthSimulation
import BerthTestSupport
import Testing

/// Port of upstream fit_test.go (kube-scheduler noderesources): `TestEnoughRequests`,
/// `TestNotEnoughRequests`, `TestStorageRequests`, `TestPreFilterDisabled`,
/// `TestFitScore`; plus one cycle through ``KubernetesFramework`` with `explain`.
@Suite struct KubernetesNodeResourcesFitTests {
    static let extendedA = "example.com/aaa"
    static let extendedB = "example.com/bbb"
    static let kubernetesIOA = "kubernetes.io/something"
    static let kubernetesIOB = "subdomain.kubernetes.io/something"

    /// upstream `newResourcePod(framework.Resource{MilliCPU: c, Memory: m, …})`: one container.
    static func res(_ milliCPU: Int, _ memory: Int, _ more: [String: String] = [:]) -> [String: String] {
        ["cpu": "\(milliCPU)m", "memory": "\(memory)"].merging(more) { $1 }
    }
    static func ins(_ name: String, _ requested: Int64, _ used: Int64, _ capacity: Int64) -> InsufficientResource {
        InsufficientResource(resourceName: name, reason: NodeResourcesFit.reasonInsufficient(name),
                             requested: requested, used: used, capacity: capacity)
    }

    struct FitRow: Sendable, CustomTestStringConvertible {
        let name: String
        let containers: [[String: String]]
        var initContainers: [[String: String]] = []
        /// The containers of the one pod already on the node.
        let existing: [[String: String]]
        var ignoredResources: Set<String> = []
        var ignoredResourceGroups: Set<String> = []
        let want: [InsufficientResource]
        var testDescription: String { name }
    }

    /// Runs PreFilter then Filter on node1, and `fitsRequest` directly, as upstream does.
    static func runFilter(_ row: FitRow, node: [String: String]) -> (Status, [InsufficientResource]) {
        let cluster = makeKubeCluster(extended: [extendedA], nodes: [node], existing: [(row.existing, 0)])
        let view = ClusterView(cluster)
        let pod = PodInfo(spec: TaskBuilder.pod("incoming", catalog: cluster.catalog, containers: row.containers,
                                                initContainers: row.initContainers).spec)
        let plugin = NodeResourcesFit(ignoredResources: row.ignoredResources, ignoredResourceGroups: row.ignoredResourceGroups)
        let state = CycleState()
        #expect(plugin.preFilter(state, pod: pod, nodes: NodeList(view: view)).isSuccess)
        let info = NodeInfo(index: 0, view: view)
        return (plugin.filter(state, pod: pod, node: info),
                plugin.fitsRequest(PodResourceRequest(pod, catalog: cluster.catalog), node: info))
    }

    /// upstream `makeAllocatableResources(10, 20, 32, 5, 20, 5)` (hugepages left out).
    static let enoughNode = ["cpu": "10m", "memory": "20", "pods": "32", extendedA: "5", "ephemeral-storage": "20"]

    static let enoughRows: [FitRow] = [
        FitRow(name: "no resources requested always fits", containers: [], existing: [res(10, 20)], want: []),
        // cpu 1 > 10 - 10, memory 1 > 20 - 20
        FitRow(name: "too many resources fails", containers: [res(1, 1)], existing: [res(10, 20)],
               want: [ins("cpu", 1, 10, 10), ins("memory", 1, 20, 20)]),
        // max(1, 3) = 3 > 10 - 8
        FitRow(name: "too many resources fails due to init container cpu", containers: [res(1, 1)], initContainers: [res(3, 1)],
               existing: [res(8, 19)], want: [ins("cpu", 3, 8, 10)]),
        FitRow(name: "too many resources fails due to highest init container cpu", containers: [res(1, 1)],
               initContainers: [res(3, 1), res(2, 1)], existing: [res(8, 19)], want: [ins("cpu", 3, 8, 10)]),
        FitRow(name: "too many resources fails due to init container memory", containers: [res(1, 1)], initContainers: [res(1, 3)],
               existing: [res(9, 19)], want: [ins("memory", 3, 19, 20)]),
        FitRow(name: "too many resources fails due to highest init container memory", containers: [res(1, 1)],
               initContainers: [res(1, 3), res(1, 2)], existing: [res(9, 19)], want: [ins("memory", 3, 19, 20)]),
        FitRow(name: "init container fits because it's the max, not sum, of containers and init containers",
               containers: [res(1, 1)], initContainers: [res(1, 1)], existing: [res(9, 19)], want: []),
        FitRow(name: "multiple init containers fit because it's the max, not sum, of containers and init containers",
               containers: [res(1, 1)], initContainers: [res(1, 1), res(1, 1)], existing: [res(9, 19)], want: []),
        FitRow(name: "both resources fit", containers: [res(1, 1)], existing: [res(5, 5)], want: []),
        FitRow(name: "one resource memory fits", containers: [res(2, 1)], existing: [res(9, 5)], want: [ins("cpu", 2, 9, 10)]),
        FitRow(name: "one resource cpu fits", containers: [res(1, 2)], existing: [res(5, 19)], want: [ins("memory", 2, 19, 20)]),
        FitRow(name: "equal edge case", containers: [res(5, 1)], existing: [res(5, 19)], want: []),
        FitRow(name: "equal edge case for init container", containers: [res(4, 1)], initContainers: [res(5, 1)],
               existing: [res(5, 19)], want: []),
        FitRow(name: "extended resource fits", containers: [res(0, 0, [extendedA: "1"])], existing: [res(0, 0)], want: []),
        FitRow(name: "extended resource fits for init container", containers: [res(0, 0)],
               initContainers: [res(0, 0, [extendedA: "1"])], existing: [res(0, 0)], want: []),
        // 10 > 5 - 0
        FitRow(name: "extended resource capacity enforced", containers: [res(1, 1, [extendedA: "10"])],
               existing: [res(0, 0, [extendedA: "0"])], want: [ins(extendedA, 10, 0, 5)]),
        FitRow(name: "extended resource capacity enforced for init container", containers: [res(0, 0)],
               initContainers: [res(1, 1, [extendedA: "10"])], existing: [res(0, 0, [extendedA: "0"])], want: [ins(extendedA, 10, 0, 5)]),
        // 1 > 5 - 5
        FitRow(name: "extended resource allocatable enforced", containers: [res(1, 1, [extendedA: "1"])],
               existing: [res(0, 0, [extendedA: "5"])], want: [ins(extendedA, 1, 5, 5)]),
        FitRow(name: "extended resource allocatable enforced for init container", containers: [res(0, 0)],
               initContainers: [res(1, 1, [extendedA: "1"])], existing: [res(0, 0, [extendedA: "5"])], want: [ins(extendedA, 1, 5, 5)]),
        // 3 + 3 = 6 > 5 - 2
        FitRow(name: "extended resource allocatable enforced for multiple containers",
               containers: [res(1, 1, [extendedA: "3"]), res(1, 1, [extendedA: "3"])],
               existing: [res(0, 0, [extendedA: "2"])], want: [ins(extendedA, 6, 2, 5)]),
        // max(3, 3) = 3 ≤ 5 - 2
        FitRow(name: "extended resource allocatable admits multiple init containers", containers: [res(0, 0)],
               initContainers: [res(1, 1, [extendedA: "3"]), res(1, 1, [extendedA: "3"])],
               existing: [res(0, 0, [extendedA: "2"])], want: []),
        FitRow(name: "extended resource allocatable enforced for multiple init containers", containers: [res(0, 0)],
               initContainers: [res(1, 1, [extendedA: "6"]), res(1, 1, [extendedA: "3"])],
               existing: [res(0, 0, [extendedA: "2"])], want: [ins(extendedA, 6, 2, 5)]),
        // The node has none of example.com/bbb (Berth: not in the catalog at all).
        FitRow(name: "extended resource allocatable enforced for unknown resource", containers: [res(1, 1, [extendedB: "1"])],
               existing: [res(0, 0)], want: [ins(extendedB, 1, 0, 0)]),
        FitRow(name: "extended resource allocatable enforced for unknown resource for init container", containers: [res(0, 0)],
               initContainers: [res(1, 1, [extendedB: "1"])], existing: [res(0, 0)], want: [ins(extendedB, 1, 0, 0)]),
        FitRow(name: "kubernetes.io resource capacity enforced", containers: [res(1, 1, [kubernetesIOA: "10"])],
               existing: [res(0, 0)], want: [ins(kubernetesIOA, 10, 0, 0)]),
        FitRow(name: "kubernetes.io resource capacity enforced for init container", containers: [res(0, 0)],
               initContainers: [res(1, 1, [kubernetesIOB: "10"])], existing: [res(0, 0)], want: [ins(kubernetesIOB, 10, 0, 0)]),
        FitRow(name: "skip checking ignored extended resource", containers: [res(1, 1, [extendedB: "1"])],
               existing: [res(0, 0)], ignoredResources: [extendedB], want: []),
        // kubernetes.io/… is not an extended resource, so no group can ignore it.
        FitRow(name: "skip checking ignored extended resource via resource groups",
               containers: [res(1, 1, [extendedB: "1", kubernetesIOA: "1"])], existing: [res(0, 0)],
               ignoredResourceGroups: ["example.com"], want: [ins(kubernetesIOA, 1, 0, 0)]),
        // Upstream binds 6 of a 5-unit resource; Berth cannot overcommit, so the node is full (5 of 5).
        FitRow(name: "skip checking extended resource request with quantity zero via resource groups (node full, not overcommitted)",
               containers: [res(1, 1, [extendedA: "0"])], existing: [res(0, 0, [extendedA: "5"])], want: []),
    ]

    @Test(arguments: enoughRows)
    func enoughRequests(_ row: FitRow) {
        let (status, insufficient) = Self.runFilter(row, node: Self.enoughNode)
        #expect(insufficient == row.want)
        if row.want.isEmpty {
            #expect(status == .success)
        } else {
            #expect(status.code == .unschedulable)
            #expect(status.reasons == row.want.map(\.reason))
        }
    }

    /// `TestPreFilterDisabled`: Filter without PreFilter state is an error.
    @Test func preFilterDisabled() {
        let cluster = makeKubeCluster(nodes: [[:]])
        let status = NodeResourcesFit().filter(CycleState(), pod: PodInfo(spec: TaskBuilder.pod("p", containers: []).spec),
                                               node: NodeInfo(index: 0, view: ClusterView(cluster)))
        #expect(status.code == .error)
        #expect(status.reasons == [NodeResourcesFit.reasonMissingPreFilterState])
    }

    /// `TestNotEnoughRequests`: node allows 1 pod and already has one → only "Too many pods".
    static let notEnoughRows: [FitRow] = [
        FitRow(name: "even without specified resources, predicate fails when there's no space for additional pod",
               containers: [], existing: [res(10, 20)], want: []),
        FitRow(name: "even if both resources fit, predicate fails when there's no space for additional pod",
               containers: [res(1, 1)], existing: [res(5, 5)], want: []),
        FitRow(name: "even for equal edge case, predicate fails when there's no space for additional pod",
               containers: [res(5, 1)], existing: [res(5, 19)], want: []),
        FitRow(name: "even for equal edge case, predicate fails when there's no space for additional pod due to init container",
               containers: [res(5, 1)], initContainers: [res(5, 1)], existing: [res(5, 19)], want: []),
    ]

    @Test(arguments: notEnoughRows)
    func notEnoughRequests(_ row: FitRow) {
        let (status, insufficient) = Self.runFilter(row, node: ["cpu": "10m", "memory": "20", "pods": "1"])
        #expect(status == Status(.unschedulable, [NodeResourcesFit.reasonTooManyPods]))
        #expect(insufficient == [InsufficientResource(resourceName: "pods", reason: "Too many pods", requested: 1, used: 1, capacity: 1)])
    }

    /// `TestStorageRequests` (node as in TestEnoughRequests: 20 bytes of ephemeral-storage).
    static let storageRows: [FitRow] = [
        FitRow(name: "empty storage requested, and pod fits", containers: [res(1, 1)], existing: [res(2, 10)], want: []),
        FitRow(name: "storage ephemeral local storage request exceeds allocatable",
               containers: [res(0, 0, ["ephemeral-storage": "25"])], existing: [res(2, 2)],
               want: [ins("ephemeral-storage", 25, 0, 20)]),
        FitRow(name: "ephemeral local storage is sufficient", containers: [res(0, 0, ["ephemeral-storage": "5"])],
               existing: [res(2, 2, ["ephemeral-storage": "10"])], want: []),
        FitRow(name: "pod fits", containers: [res(0, 0, ["ephemeral-storage": "10"])], existing: [res(2, 2)], want: []),
    ]

    @Test(arguments: storageRows)
    func storageRequests(_ row: FitRow) {
        let (status, insufficient) = Self.runFilter(row, node: Self.enoughNode)
        #expect(insufficient == row.want)
        #expect(status == (row.want.isEmpty ? .success : Status(.unschedulable, row.want.map(\.reason))))
    }

    /// `TestFitScore`: every strategy through NodeResourcesFit, with and without PreScore.
    /// Nodes 4000/10000 and 6000/10000 (cpu in cores); node1 holds 2000/4000, node2 1000/2000.
    struct FitScoreRow: Sendable, CustomTestStringConvertible {
        let name: String
        let strategy: ScoringStrategy
        let pod: [String: String]
        let runPreScore: Bool
        let expected: [Int64]
        var testDescription: String { name }
    }

    static let rtcr1: ScoringStrategy = .requestedToCapacityRatio(shape: [UtilizationShapePoint(utilization: 0, score: 10),
                                                                        UtilizationShapePoint(utilization: 100, score: 0)])
    static let rtcr2: ScoringStrategy = .requestedToCapacityRatio(shape: [UtilizationShapePoint(utilization: 0, score: 0),
                                                                        UtilizationShapePoint(utilization: 100, score: 10)])
    static let fitScoreRows: [FitScoreRow] = [
        // Node1: cpu 5000/4000 > 100% → f(100) = 0 (not counted), memory 9000/10000 = 90% → 10 → 10
        // Node2: cpu 4000/6000 = 66% → 34, memory 7000/10000 = 70% → 30 → round(64/2) = 32
        FitScoreRow(name: "test case for ScoringStrategy RequestedToCapacityRatio case1", strategy: rtcr1,
                    pod: kreq("3000", "5000"), runPreScore: true, expected: [10, 32]),
        // Node1: cpu f(100) = 100, memory 90 → 95. Node2: 66, 70 → 68
        FitScoreRow(name: "test case for ScoringStrategy RequestedToCapacityRatio case2", strategy: rtcr2,
                    pod: kreq("3000", "5000"), runPreScore: true, expected: [95, 68]),
        // Node1: cpu 3000/4000 = 75, memory 6000/10000 = 60 → 67. Node2: 2000/6000 = 33, 40 → 36
        FitScoreRow(name: "test case for ScoringStrategy MostAllocated", strategy: .mostAllocated(),
                    pod: kreq("1000", "2000"), runPreScore: true, expected: [67, 36]),
        // Node1: 25, 40 → 32. Node2: 66, 60 → 63
        FitScoreRow(name: "test case for ScoringStrategy LeastAllocated", strategy: .leastAllocated(),
                    pod: kreq("1000", "2000"), runPreScore: true, expected: [32, 63]),
        FitScoreRow(name: "test case for ScoringStrategy RequestedToCapacityRatio case1 if PreScore is not called", strategy: rtcr1,
                    pod: kreq("3000", "5000"), runPreScore: false, expected: [10, 32]),
        FitScoreRow(name: "test case for ScoringStrategy MostAllocated if PreScore is not called", strategy: .mostAllocated(),
                    pod: kreq("1000", "2000"), runPreScore: false, expected: [67, 36]),
        FitScoreRow(name: "test case for ScoringStrategy LeastAllocated if PreScore is not called", strategy: .leastAllocated(),
                    pod: kreq("1000", "2000"), runPreScore: false, expected: [32, 63]),
    ]

    @Test(arguments: fitScoreRows)
    func fitScore(_ row: FitScoreRow) {
        let cluster = makeKubeCluster(nodes: [["cpu": "4000", "memory": "10000"], ["cpu": "6000", "memory": "10000"]],
                                      existing: [([kreq("2000", "4000")], 0), ([kreq("1000", "2000")], 1)])
        let pod = PodInfo(spec: TaskBuilder.pod("incoming", catalog: cluster.catalog, containers: [row.pod]).spec)
        let results = scoreEveryNode(NodeResourcesFit(strategy: row.strategy), pod, cluster, runPreScore: row.runPreScore)
        #expect(results.map(\.score) == row.expected)
    }

    /// One real cycle: node3 is too small ("Insufficient cpu"); the raw scores
    /// are LeastAllocated's row "resources requested, pods scheduled with
    /// resources" (57, 45) and BalancedAllocation's (82, 95); totals 139 vs 140 → node2.
    @Test func scheduleExplainsRawScores() {
        let cluster = makeKubeCluster(
            nodes: [["cpu": "10000", "memory": "20000"], ["cpu": "10000", "memory": "20000"], ["cpu": "1000", "memory": "20000"]],
            existing: [([kreq("3000", "0")], 0), ([kreq("3000", "5000")], 1)])
        let fit = NodeResourcesFit()
        let profile = KubernetesProfile(name: "resources", preFilters: [fit], filters: [fit], preScores: [fit, BalancedAllocation()],
                                        scores: [(fit, 1), (BalancedAllocation(), 1)])
        let framework = KubernetesFramework(profile: profile)
        let pod = PodInfo(id: 9, spec: TaskBuilder.pod("incoming", catalog: cluster.catalog,
                                                       containers: [kreq("1000", "2000"), kreq("2000", "3000")]).spec)
        let result = framework.schedule(pod, in: ClusterView(cluster), random: RandomStream(name: "tie", seed: 1), explain: true)
        #expect(result.scorePluginNames == ["NodeResourcesFit", "NodeResourcesBalancedAllocation"])
        #expect(result.feasibleNodes == 2)
        #expect(result.evaluations[0].raw == [57, 82])
        #expect(result.evaluations[1].raw == [45, 95])
        #expect(result.evaluations[0].total == 139)
        #expect(result.evaluations[1].total == 140)
        #expect(result.evaluations[2].rejectedBy == "NodeResourcesFit")
        #expect(result.evaluations[2].reason == "Insufficient cpu")
        #expect(result.selected == 1)
    }
}
