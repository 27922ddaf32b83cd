import BerthCluster

/// NodeResourcesBalancedAllocation: for the configured resources with
/// allocatable a_r > 0, the fractions f_r = min(q_r / a_r, 1) of the plain
/// requests (with the pod) over allocatable; std = |f_1 − f_2| / 2 for two
/// resources, √(Σ (f_r − f̄)² / n) for more, 0 for fewer; the score is
/// ⌊(1 − std)·100⌋ (float64, truncated as Go's int64 conversion).
///
/// PreScore only stores the pod's requests; in v1.28 it never returns Skip
/// (skipping best-effort pods came in later releases).
///
/// Upstream: pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go
/// (v1.28). Berth simplifies: no pod overhead, no in-place resize.
public struct BalancedAllocation: PreScorePlugin, ScorePlugin {
    public var isNodeLocal: Bool { true }
    public static let pluginName = "NodeResourcesBalancedAllocation"
    public static let preScoreStateKey = "PreScore" + pluginName

    public var name: String { Self.pluginName }
    public let scorer: ResourceAllocationScorer

    public init(resources: [ResourceSpec] = ResourceSpec.defaults) {
        scorer = ResourceAllocationScorer(name: Self.pluginName, resources: resources, useRequested: true,
                                          scorer: Self.balancedResourceScorer)
    }

    /// Upstream `balancedResourceScorer`.
    @Sendable public static func balancedResourceScorer(_ requested: [Int64], _ allocatable: [Int64]) -> Int64 {
        var fractions: [Double] = []
        var total = 0.0
        for i in requested.indices where allocatable[i] != 0 {
            let fraction = min(Double(requested[i]) / Double(allocatable[i]), 1)
            total += fraction
            fractions.append(fraction)
        }
        var std = 0.0
        if fractions.count == 2 {
            std = abs((fractions[0] - fractions[1]) / 2)
        } else if fractions.count > 2 {
            let mean = total / Double(fractions.count)
            var sum = 0.0
            for f in fractions { sum += (f - mean) * (f - mean) }
            std = (sum / Double(fractions.count)).squareRoot()
        }
        return Int64((1 - std) * Double(maxNodeScore))
    }

    public func preScore(_ state: CycleState, pod: PodInfo, nodes: NodeSet) -> Status {
        scorer.preScore(state, key: Self.preScoreStateKey, pod: pod, nodes: nodes)
    }

    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> (Int64, Status) {
        scorer.score(state, key: Self.preScoreStateKey, pod: pod, node: node)
    }
}
