/// One point of a RequestedToCapacityRatio shape: utilisation 0...100 (%) →
/// score 0...10 (upstream `config.UtilizationShapePoint`).
public struct UtilizationShapePoint: Sendable, Hashable {
    public var utilization: Int32
    public var score: Int32
    public init(utilization: Int32, score: Int32) {
        self.utilization = utilization
        self.score = score
    }
}

/// The RequestedToCapacityRatio scoring strategy. The shape points
/// (u_k, s_k), scores scaled by 100 / 10, define a broken-linear f: f(p) = s_0
/// for p ≤ u_0, s_{k−1} + ⌊(s_k − s_{k−1})(p − u_{k−1}) / (u_k − u_{k−1})⌋ for
/// u_{k−1} < p ≤ u_k (Go's truncating division), s_last beyond. For each
/// resource with a_r > 0: g_r = f(⌊100·q_r / a_r⌋), or f(100) when q_r > a_r;
/// only g_r > 0 count, and the node scores round(Σ w_r·g_r / Σ w_r) (0 when
/// none counts).
///
/// Upstream: pkg/scheduler/framework/plugins/noderesources/requested_to_capacity_ratio.go
/// and plugins/helper/shape_score.go (v1.28); no simplification.
public enum RequestedToCapacityRatio {
    /// Upstream `config.MaxCustomPriorityScore`.
    public static let maxCustomPriorityScore: Int64 = 10
    /// Upstream `maxUtilization`.
    public static let maxUtilization: Int64 = 100

    /// A point already scaled to 0...maxNodeScore (upstream `helper.FunctionShapePoint`).
    public struct FunctionShapePoint: Sendable, Hashable {
        public var utilization: Int64
        public var score: Int64
        public init(utilization: Int64, score: Int64) {
            self.utilization = utilization
            self.score = score
        }
    }

    /// Upstream `helper.BuildBrokenLinearFunction` (shape sorted by utilisation, non-empty).
    public static func brokenLinear(_ shape: [FunctionShapePoint]) -> @Sendable (Int64) -> Int64 {
        { p in
            for i in shape.indices where p <= shape[i].utilization {
                if i == 0 { return shape[0].score }
                let a = shape[i - 1], b = shape[i]
                return a.score + (b.score - a.score) * (p - a.utilization) / (b.utilization - a.utilization)
            }
            return shape.last?.score ?? 0
        }
    }

    /// Scales user points (score 0...10) to node scores (×100/10).
    public static func scaled(_ shape: [UtilizationShapePoint]) -> [FunctionShapePoint] {
        shape.map {
            FunctionShapePoint(utilization: Int64($0.utilization), score: Int64($0.score) * (maxNodeScore / maxCustomPriorityScore))
        }
    }

    /// Upstream `requestedToCapacityRatioScorer`.
    public static func scorer(_ resources: [ResourceSpec], shape: [UtilizationShapePoint]) -> @Sendable ([Int64], [Int64]) -> Int64 {
        let raw = brokenLinear(scaled(shape))
        let perResource: @Sendable (Int64, Int64) -> Int64 = { requested, capacity in
            if capacity == 0 || requested > capacity { return raw(maxUtilization) }
            return raw(requested * maxUtilization / capacity)
        }
        return { requested, allocatable in
            var nodeScore: Int64 = 0
            var weightSum: Int64 = 0
            for i in requested.indices where allocatable[i] != 0 {
                let s = perResource(requested[i], allocatable[i])
                if s > 0 {
                    nodeScore += s * resources[i].weight
                    weightSum += resources[i].weight
                }
            }
            if weightSum == 0 { return 0 }
            return Int64((Double(nodeScore) / Double(weightSum)).rounded(.toNearestOrAwayFromZero))
        }
    }

    /// Upstream shape validation: at least one point, utilisation in 0...100
    /// strictly increasing, score in 0...10.
    public static func validate(_ shape: [UtilizationShapePoint]) -> [String] {
        var errors: [String] = []
        if shape.isEmpty { errors.append("scoringStrategy.requestedToCapacityRatio.shape: Required value: at least one point must be specified") }
        for (i, p) in shape.enumerated() {
            if !(0...Int32(maxUtilization)).contains(p.utilization) {
                errors.append("scoringStrategy.requestedToCapacityRatio.shape[\(i)].utilization: Invalid value: \(p.utilization): not in valid range [0, 100]")
            } else if i > 0 && p.utilization <= shape[i - 1].utilization {
                errors.append("scoringStrategy.requestedToCapacityRatio.shape[\(i)].utilization: Invalid value: \(p.utilization): utilization values must be sorted in increasing order")
            }
            if !(0...Int32(maxCustomPriorityScore)).contains(p.score) {
                errors.append("scoringStrategy.requestedToCapacityRatio.shape[\(i)].score: Invalid value: \(p.score): not in valid range [0, 10]")
            }
        }
        return errors
    }
}
