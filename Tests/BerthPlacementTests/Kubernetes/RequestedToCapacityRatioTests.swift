import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

/// Port of upstream requested_to_capacity_ratio_test.go: `TestRequestedToCapacityRatioScoringStrategy`,
/// `TestBrokenLinearFunction`, `TestResourceBinPackingSingleExtended`,
/// `TestResourceBinPackingMultipleExtended` (kube-scheduler noderesources).
@Suite struct KubernetesRequestedToCapacityRatioTests {
    /// Upstream `shape`: utilisation 0 → score 10, 100 → 0 (scaled ×10: 100 → 0).
    static let leastShape = [UtilizationShapePoint(utilization: 0, score: 10), UtilizationShapePoint(utilization: 100, score: 0)]
    /// The bin-packing tests' shape: 0 → 0, 100 → 1 (scaled: 0 → 0, 100 → 10).
    static let packShape = [UtilizationShapePoint(utilization: 0, score: 0), UtilizationShapePoint(utilization: 100, score: 1)]
    static let small = ["cpu": "4000", "memory": "10000"]

    static let strategyRows: [ResourceScoreRow] = [
        // Pods without containers carry no non-zero defaults: 0% used → f(0) = 100 on both.
        ResourceScoreRow(name: "nothing scheduled, nothing requested (default - least requested nodes have priority)",
                 nodes: [small, small], existing: [ResourceBoundPod([], on: 0), ResourceBoundPod([], on: 0)],
                 pod: [], expected: [100, 100]),
        // Node1: cpu 3000/4000 = 75% → 25, memory 5000/10000 = 50% → 50 → round(75/2) = 38
        // Node2: cpu 3000/6000 = 50% → 50, memory 50 → 50
        ResourceScoreRow(name: "nothing scheduled, resources requested, differently sized nodes (default - least requested nodes have priority)",
                 nodes: [small, ["cpu": "6000", "memory": "10000"]], existing: [ResourceBoundPod([], on: 0), ResourceBoundPod([], on: 0)],
                 pod: [kreq("1000", "2000"), kreq("2000", "3000")], expected: [38, 50]),
        // Same fractions from the bound pods instead of the incoming one.
        ResourceScoreRow(name: "no resources requested, pods scheduled with resources (default - least requested nodes have priority)",
                 nodes: [small, ["cpu": "6000", "memory": "10000"]],
                 existing: [ResourceBoundPod([kreq("3000", "5000")], on: 0), ResourceBoundPod([kreq("3000", "5000")], on: 1)],
                 pod: [], expected: [38, 50]),
    ]

    @Test(arguments: strategyRows)
    func requestedToCapacityRatioScoringStrategy(_ row: ResourceScoreRow) {
        let cluster = row.cluster()
        let plugin = NodeResourcesFit(strategy: .requestedToCapacityRatio(resources: row.resources, shape: Self.leastShape))
        #expect(scoreEveryNode(plugin, row.podInfo(cluster), cluster).map(\.score) == row.expected)
    }

    struct LinearCase: Sendable, CustomTestStringConvertible {
        let points: [RequestedToCapacityRatio.FunctionShapePoint]
        let p: Int64
        let expected: Int64
        var testDescription: String { "\(points.map { "(\($0.utilization),\($0.score))" }.joined()) f(\(p)) = \(expected)" }
    }

    static func linear(_ points: [(Int64, Int64)], _ assertions: [(Int64, Int64)]) -> [LinearCase] {
        let shape = points.map { RequestedToCapacityRatio.FunctionShapePoint(utilization: $0.0, score: $0.1) }
        return assertions.map { LinearCase(points: shape, p: $0.0, expected: $0.1) }
    }

    /// `TestBrokenLinearFunction`: three shapes, each assertion a row (Go's truncating division).
    static let linearRows: [LinearCase] =
        linear([(10, 1), (90, 9)], [(-10, 1), (0, 1), (9, 1), (10, 1), (15, 1), (19, 1), (20, 2), (89, 8), (90, 9), (99, 9), (100, 9), (110, 9)])
        + linear([(0, 2), (40, 10), (100, 0)], [(-10, 2), (0, 2), (20, 6), (30, 8), (40, 10), (70, 5), (100, 0), (110, 0)])
        + linear([(0, 2), (40, 2), (100, 2)], [(-10, 2), (0, 2), (20, 2), (30, 2), (40, 2), (70, 2), (100, 2), (110, 2)])

    @Test(arguments: linearRows)
    func brokenLinearFunction(_ row: LinearCase) {
        #expect(RequestedToCapacityRatio.brokenLinear(row.points)(row.p) == row.expected)
    }

    static let foo = "intel.com/foo"
    static let bar = "intel.com/bar"
    /// upstream makeNode(name, 4000 millicpu, 10000Mi, extended).
    static func node(_ extended: [String: String]) -> [String: String] {
        ["cpu": "4000m", "memory": "10000Mi"].merging(extended) { $1 }
    }

    static let singleRows: [ResourceScoreRow] = [
        // The pod does not request intel.com/foo: bypassed, no resource counts → 0, 0.
        ResourceScoreRow(name: "nothing scheduled, nothing requested", extended: [foo],
                 nodes: [node([foo: "8"]), node([foo: "4"])], pod: [], resources: [ResourceSpec(name: foo)], expected: [0, 0]),
        // Node1: (0+2)/8 = 25% → f(25) = 2. Node2: (0+2)/4 = 50% → 5.
        // (Upstream's extra pod has no node name, so it is on neither node.)
        ResourceScoreRow(name: "resources requested, pods scheduled with less resources", extended: [foo],
                 nodes: [node([foo: "8"]), node([foo: "4"])], pod: [[foo: "2"]], resources: [ResourceSpec(name: foo)], expected: [2, 5]),
        // Node1: 2/8 → 2. Node2: (2+2)/4 = 100% → 10.
        ResourceScoreRow(name: "resources requested, pods scheduled with resources, on node with existing pod running ", extended: [foo],
                 nodes: [node([foo: "8"]), node([foo: "4"])], existing: [ResourceBoundPod([[foo: "2"]], on: 1)],
                 pod: [[foo: "2"]], resources: [ResourceSpec(name: foo)], expected: [2, 10]),
        // Node1: 4/8 = 50% → 5. Node2: 4/4 = 100% → 10.
        ResourceScoreRow(name: "resources requested, pods scheduled with more resources", extended: [foo],
                 nodes: [node([foo: "8"]), node([foo: "4"])], pod: [[foo: "4"]], resources: [ResourceSpec(name: foo)], expected: [5, 10]),
    ]

    @Test(arguments: singleRows)
    func resourceBinPackingSingleExtended(_ row: ResourceScoreRow) {
        let cluster = row.cluster()
        let plugin = NodeResourcesFit(strategy: .requestedToCapacityRatio(resources: row.resources, shape: Self.packShape))
        #expect(scoreEveryNode(plugin, row.podInfo(cluster), cluster).map(\.score) == row.expected)
    }

    static let multiResources = [ResourceSpec(name: foo, weight: 3), ResourceSpec(name: bar, weight: 5)]
    static let multiRows: [ResourceScoreRow] = [
        // Nothing requested: both resources bypassed → 0, 0.
        ResourceScoreRow(name: "nothing scheduled, nothing requested", extended: [foo, bar],
                 nodes: [node([foo: "8", bar: "4"]), node([foo: "4", bar: "8"])], pod: [], resources: multiResources, expected: [0, 0]),
        // Node1: foo 2/8 = 25% → 2, bar 2/4 = 50% → 5: round((2*3 + 5*5)/8) = round(3.875) = 4
        // Node2: foo 2/4 → 5, bar 2/8 → 2: round((15 + 10)/8) = round(3.125) = 3
        ResourceScoreRow(name: "resources requested, pods scheduled with less resources", extended: [foo, bar],
                 nodes: [node([foo: "8", bar: "4"]), node([foo: "4", bar: "8"])],
                 pod: [[foo: "2", bar: "2"]], resources: multiResources, expected: [4, 3]),
        // Node2 holds a pod with foo 4, bar 2. Node1 as above → 4.
        // Node2: foo (4+2)/4 > 100% → f(100) = 10, bar (2+2)/8 = 50% → 5: round((30 + 25)/8) = round(6.875) = 7
        ResourceScoreRow(name: "resources requested, pods scheduled with resources, on node with existing pod running ", extended: [foo, bar],
                 nodes: [node([foo: "8", bar: "4"]), node([foo: "4", bar: "8"])],
                 existing: [ResourceBoundPod([[foo: "4", bar: "2"]], on: 1)],
                 pod: [[foo: "2", bar: "2"]], resources: multiResources, expected: [4, 7]),
        // Node1: foo 4/8 → 5, bar 2/4 → 5: (15 + 25)/8 = 5. Node2: foo 4/4 → 10, bar 2/8 → 2: (30 + 10)/8 = 5
        ResourceScoreRow(name: "resources requested, pods scheduled with more resources", extended: [foo, bar],
                 nodes: [node([foo: "8", bar: "4"]), node([foo: "4", bar: "8"])],
                 pod: [[foo: "4", bar: "2"]], resources: multiResources, expected: [5, 5]),
    ]

    @Test(arguments: multiRows)
    func resourceBinPackingMultipleExtended(_ row: ResourceScoreRow) {
        let cluster = row.cluster()
        let plugin = NodeResourcesFit(strategy: .requestedToCapacityRatio(resources: row.resources, shape: Self.packShape))
        #expect(scoreEveryNode(plugin, row.podInfo(cluster), cluster).map(\.score) == row.expected)
    }

    /// Upstream validation of the shape (config/validation): sorted, in range.
    @Test func shapeValidation() {
        #expect(RequestedToCapacityRatio.validate(Self.leastShape).isEmpty)
        #expect(RequestedToCapacityRatio.validate([]).count == 1)
        #expect(RequestedToCapacityRatio.validate([UtilizationShapePoint(utilization: 50, score: 1),
                                                   UtilizationShapePoint(utilization: 40, score: 11)]).count == 2)
    }
}
