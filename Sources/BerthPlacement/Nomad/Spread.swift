import BerthCluster

/// Upstream `SpreadIterator`. For each spread block, with `used` = the job's
/// allocations on nodes sharing this node's (targeted) value, plus one for this
/// placement:
///
/// - with targets: desired = percent × count for the node's value (or the
///   implicit `*` remainder); boost = (desired − used) / desired × weight / Σweights;
///   a value with no desired count adds −1; a desired count of 0 adds the
///   lowest boost seen so far in the evaluation (starting at −1);
/// - without targets: `evenSpreadScoreBoost` (relative to the least and most
///   used values);
/// - a node missing the attribute adds −1.
///
/// The sum is appended only when it is not 0.
/// Upstream: nomad `scheduler/feasible/spread.go`.
public struct SpreadIterator: NomadRankStage {
    public init() {}
    public var name: String { "allocation-spread" }

    public func score(_ node: Int32, _ ev: NomadEvaluation, _ view: ClusterView, _ spec: TaskSpec) -> NomadScore {
        if ev.spreadSets.isEmpty { return .none }
        let n = view.node(Int(node))
        var total = 0.0
        for set in ev.spreadSets {
            var (value, error, used) = set.usedCount(n)
            used += 1
            if error != nil {
                total -= 1
                continue
            }
            guard let info = ev.spreadInfo[set.attribute] else { continue }
            if info.desiredCounts.isEmpty {
                total += Self.evenSpreadScoreBoost(set, n)
                continue
            }
            guard let desired = info.desiredCounts[value] ?? info.desiredCounts[PropertySet.implicitTarget] else {
                total -= 1
                continue
            }
            let weight = Double(info.weight) / Double(ev.sumSpreadWeights)
            if desired == 0 {
                total += ev.lowestSpreadBoost
                continue
            }
            let boost = (desired - Double(used)) / desired * weight
            total += boost
            if boost < ev.lowestSpreadBoost { ev.lowestSpreadBoost = boost }
        }
        return total != 0 ? NomadScore(value: total, appended: true) : .none
    }

    /// Upstream `evenSpreadScoreBoost`: 0 before anything is placed; −1 for a node
    /// without the attribute or when all values are used equally; a value used
    /// more than the least-used one gets (min − current)/min; the least-used
    /// value gets (max − min)/min (or 1 when never used).
    static func evenSpreadScoreBoost(_ set: PropertySet, _ node: NodeSpec) -> Double {
        let used = set.counts
        if used.isEmpty { return 0 }
        guard let value = set.value(of: node) else { return -1 }
        let current = used[value] ?? 0
        var minCount: UInt64 = 0, maxCount: UInt64 = 0
        for (_, v) in used {
            if minCount == 0 || v < minCount { minCount = v }
            if maxCount == 0 || v > maxCount { maxCount = v }
        }
        let deltaBoost: Double
        if minCount == 0 {
            deltaBoost = -1
        } else {
            // Go: int(minCount - current) on uint64 wraps, then converts; the same via two's complement.
            deltaBoost = Double(Int64(bitPattern: minCount &- current)) / Double(minCount)
        }
        if current != minCount { return deltaBoost }
        if minCount == maxCount { return -1 }
        if minCount == 0 { return 1 }
        return Double(Int64(bitPattern: maxCount &- minCount)) / Double(minCount)
    }
}
