/// The MostAllocated scoring strategy: for each resource r with allocatable
/// a_r > 0 and requested-with-the-pod q_r, s_r = ⌊min(q_r, a_r)·100 / a_r⌋,
/// and the node scores ⌊Σ w_r·s_r / Σ w_r⌋ (0 when no resource counts).
/// Favours full nodes (bin packing). q_r may exceed a_r because of the
/// non-zero defaults, hence the cap.
///
/// Upstream: pkg/scheduler/framework/plugins/noderesources/most_allocated.go (v1.28); no simplification.
public enum MostAllocated {
    /// Upstream `mostRequestedScore`.
    public static func score(requested: Int64, capacity: Int64) -> Int64 {
        if capacity == 0 { return 0 }
        return min(requested, capacity) * maxNodeScore / capacity
    }

    /// Upstream `mostResourceScorer`.
    public static func scorer(_ resources: [ResourceSpec]) -> @Sendable ([Int64], [Int64]) -> Int64 {
        { requested, allocatable in
            ResourceAllocationScorer.weightedAverage(resources, requested: requested, allocatable: allocatable, score: score)
        }
    }
}
