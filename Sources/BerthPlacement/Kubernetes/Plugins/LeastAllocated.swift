/// The LeastAllocated scoring strategy: for each resource r with allocatable
/// a_r > 0 and requested-with-the-pod q_r,
/// s_r = ⌊(a_r − q_r)·100 / a_r⌋ (0 when q_r > a_r), and the node scores
/// ⌊Σ w_r·s_r / Σ w_r⌋ (0 when no resource counts). Favours empty nodes
/// (spreading).
///
/// Upstream: pkg/scheduler/framework/plugins/noderesources/least_allocated.go (v1.28); no simplification.
public enum LeastAllocated {
    /// Upstream `leastRequestedScore`.
    public static func score(requested: Int64, capacity: Int64) -> Int64 {
        if capacity == 0 || requested > capacity { return 0 }
        return (capacity - requested) * maxNodeScore / capacity
    }

    /// Upstream `leastResourceScorer`.
    public static func scorer(_ resources: [ResourceSpec]) -> @Sendable ([Int64], [Int64]) -> Int64 {
        { requested, allocatable in
            ResourceAllocationScorer.weightedAverage(resources, requested: requested, allocatable: allocatable, score: score)
        }
    }
}
