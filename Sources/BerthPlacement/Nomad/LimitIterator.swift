/// A node with its scores, as it travels through Nomad's rank iterators
/// (upstream `RankedNode`): `scores` holds what each scorer appended,
/// `finalScore` their average (ScoreNormalizationIterator).
public struct RankedOption: Sendable, Equatable {
    public var node: Int32
    public var scores: [Double]
    public var finalScore: Double
    /// Allocations BinPack would preempt to fit (upstream `PreemptedAllocs`).
    public var preempted: [NomadPreemption.Candidate] = []
    public init(node: Int32, scores: [Double] = [], finalScore: Double = 0) {
        self.node = node
        self.scores = scores
        self.finalScore = finalScore
    }
}

/// Upstream `LimitIterator`: yields at most `limit` options; while fewer than
/// `maxSkip` options have been skipped it passes over options whose final score
/// is ≤ `scoreThreshold`, keeping them to fall back on once the source runs dry.
/// The generic stack uses threshold 0 (`skipScoreThreshold`) and `maxSkip` 3.
///
/// Upstream: nomad `scheduler/feasible/select.go`, `stack.go` constants.
public struct LimitIterator {
    public static let skipScoreThreshold = 0.0
    public static let maxSkip = 3

    public var limit: Int
    public let scoreThreshold: Double
    public let maxSkip: Int
    private var seen = 0
    private var skipped: [RankedOption] = []
    private var skippedIndex = 0

    public init(limit: Int, scoreThreshold: Double = LimitIterator.skipScoreThreshold, maxSkip: Int = LimitIterator.maxSkip) {
        self.limit = limit
        self.scoreThreshold = scoreThreshold
        self.maxSkip = maxSkip
    }

    public mutating func next(_ source: () -> RankedOption?) -> RankedOption? {
        if seen == limit { return nil }
        guard let first = nextOption(source) else { return nil }
        var current: RankedOption? = first
        if skipped.count < maxSkip {
            while let o = current, o.finalScore <= scoreThreshold, skipped.count < maxSkip {
                skipped.append(o)
                current = source()
            }
        }
        seen += 1
        guard let found = current else { return nextOption(source) }  // nothing better: use the skipped ones
        return found
    }

    /// The source's next option, or once it is exhausted the skipped ones in order.
    private mutating func nextOption(_ source: () -> RankedOption?) -> RankedOption? {
        let fromSource = source()
        if fromSource == nil && skippedIndex < skipped.count {
            skippedIndex += 1
            return skipped[skippedIndex - 1]
        }
        return fromSource
    }

    /// Upstream `Reset`: a new Select starts counting from zero.
    public mutating func reset() {
        seen = 0
        skipped.removeAll(keepingCapacity: true)
        skippedIndex = 0
    }
}

/// Upstream `MaxScoreIterator`: consumes every option and keeps the first with
/// the strictly highest final score (ties go to the earlier option).
public enum MaxScoreIterator {
    public static func select(_ next: () -> RankedOption?) -> RankedOption? {
        var best: RankedOption?
        while let option = next() {
            if let b = best, !(option.finalScore > b.finalScore) { continue }
            best = option
        }
        return best
    }
}
