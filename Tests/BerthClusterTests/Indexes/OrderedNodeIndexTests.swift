import Testing
import BerthCluster
import BerthTestSupport


private struct Pair: Equatable, CustomStringConvertible {
    var key: Int64
    var node: Int32
    var description: String { "(\(key), \(node))" }
    static func < (a: Pair, b: Pair) -> Bool { a.key < b.key || (a.key == b.key && a.node < b.node) }
}

private func ascending(_ index: OrderedNodeIndex, from lowerBound: Int64 = .min, limit: Int = .max) -> [Pair] {
    var out: [Pair] = []
    guard limit > 0 else { return out }
    index.forEachAscending(from: lowerBound) { key, node in
        out.append(Pair(key: key, node: node))
        return out.count < limit
    }
    return out
}

private func descending(_ index: OrderedNodeIndex, limit: Int = .max) -> [Pair] {
    var out: [Pair] = []
    guard limit > 0 else { return out }
    index.forEachDescendingKeyAscendingNode { key, node in
        out.append(Pair(key: key, node: node))
        return out.count < limit
    }
    return out
}

/// Brute-force model: a sorted array of pairs.
private struct Model {
    var pairs: [Pair] = []
    func lowerBound(_ p: Pair) -> Int {
        var lo = 0, hi = pairs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if pairs[mid] < p { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
    mutating func insert(_ p: Pair) { pairs.insert(p, at: lowerBound(p)) }
    mutating func remove(_ p: Pair) -> Bool {
        let i = lowerBound(p)
        guard i < pairs.count, pairs[i] == p else { return false }
        pairs.remove(at: i)
        return true
    }
    func ascending(from lowerBound: Int64, limit: Int) -> [Pair] {
        Array(pairs.filter { $0.key >= lowerBound }.prefix(limit))
    }
    func descending(limit: Int) -> [Pair] {
        Array(pairs.sorted { $0.key > $1.key || ($0.key == $1.key && $0.node < $1.node) }.prefix(limit))
    }
}

@Suite("OrderedNodeIndex")
struct OrderedNodeIndexTests {
    @Test func emptyIndex() {
        var index = OrderedNodeIndex()
        #expect(index.count == 0)
        #expect(index.isValid())
        #expect(ascending(index).isEmpty)
        #expect(descending(index).isEmpty)
        do {
            let removed = index.remove(key: 0, node: 0)
            #expect(removed == false)
        }
        #expect(index.isValid())
        let bulk = OrderedNodeIndex(entries: [])
        #expect(bulk.count == 0)
        #expect(bulk.isValid())
    }

    @Test func oneElement() {
        var index = OrderedNodeIndex()
        index.insert(key: 42, node: 7)
        #expect(index.count == 1)
        #expect(index.isValid())
        #expect(ascending(index) == [Pair(key: 42, node: 7)])
        #expect(ascending(index, from: 42) == [Pair(key: 42, node: 7)])
        #expect(ascending(index, from: 43).isEmpty)
        #expect(descending(index) == [Pair(key: 42, node: 7)])
        do {
            let removed = index.remove(key: 42, node: 8)
            #expect(removed == false)
        }
        do {
            let removed = index.remove(key: 41, node: 7)
            #expect(removed == false)
        }
        do {
            let removed = index.remove(key: 42, node: 7)
            #expect(removed)
        }
        #expect(index.count == 0)
        #expect(index.isValid())
        #expect(ascending(index).isEmpty)
        // Reusable after becoming empty.
        index.insert(key: -1, node: 3)
        #expect(ascending(index) == [Pair(key: -1, node: 3)])
        #expect(index.isValid())
    }

    @Test func duplicateKeysOrderByNode() {
        var index = OrderedNodeIndex()
        for node: Int32 in [5, 1, 9, 3] { index.insert(key: 10, node: node) }
        index.insert(key: 20, node: 2)
        index.insert(key: 20, node: 0)
        index.insert(key: 5, node: 8)
        #expect(index.isValid())
        #expect(ascending(index).map(\.description) ==
                ["(5, 8)", "(10, 1)", "(10, 3)", "(10, 5)", "(10, 9)", "(20, 0)", "(20, 2)"])
        // Descending by key, ascending by node among equal keys.
        #expect(descending(index).map(\.description) ==
                ["(20, 0)", "(20, 2)", "(10, 1)", "(10, 3)", "(10, 5)", "(10, 9)", "(5, 8)"])
        #expect(ascending(index, from: 6).first == Pair(key: 10, node: 1))
        #expect(ascending(index, from: 11).first == Pair(key: 20, node: 0))
        #expect(ascending(index, from: 6, limit: 2) == [Pair(key: 10, node: 1), Pair(key: 10, node: 3)])
        #expect(descending(index, limit: 1) == [Pair(key: 20, node: 0)])
        #expect(descending(index, limit: 3).last == Pair(key: 10, node: 1))
    }

    @Test func exactDuplicatePairsAreAMultiset() {
        var index = OrderedNodeIndex()
        index.insert(key: 1, node: 1)
        index.insert(key: 1, node: 1)
        #expect(index.count == 2)
        do {
            let removed = index.remove(key: 1, node: 1)
            #expect(removed)
        }
        #expect(index.count == 1)
        #expect(ascending(index) == [Pair(key: 1, node: 1)])
        do {
            let removed = index.remove(key: 1, node: 1)
            #expect(removed)
        }
        do {
            let removed = index.remove(key: 1, node: 1)
            #expect(removed == false)
        }
        #expect(index.isValid())
    }

    @Test func extremeKeysAndNodes() {
        var index = OrderedNodeIndex(blockCapacity: 4)
        let pairs = [Pair(key: .max, node: .max), Pair(key: .min, node: .min), Pair(key: .min, node: .max),
                     Pair(key: .max, node: .min), Pair(key: 0, node: 0)]
        for p in pairs { index.insert(key: p.key, node: p.node) }
        #expect(index.isValid())
        #expect(ascending(index) == pairs.sorted(by: <))
        #expect(ascending(index, from: .min).count == 5)
        #expect(ascending(index, from: .max) == [Pair(key: .max, node: .min), Pair(key: .max, node: .max)])
        #expect(descending(index).map(\.key) == [.max, .max, 0, .min, .min])
        #expect(descending(index).first?.node == .min)
        for p in pairs {
            let removed = index.remove(key: p.key, node: p.node)
            #expect(removed)
        }
        #expect(index.count == 0)
        #expect(index.isValid())
    }

    /// 5,000 entries with the default capacity (512): many splits, then merges on removal.
    @Test(arguments: ["ascending", "descending", "shuffled", "equalKeys"])
    func blockBoundaries(pattern: String) {
        var rng = SplitMix64(seed: 99)
        var pairs: [Pair] = (0..<5_000).map { i in
            Pair(key: pattern == "equalKeys" ? 7 : Int64(i / 3), node: Int32(i))
        }
        switch pattern {
        case "descending": pairs.reverse()
        case "shuffled", "equalKeys":
            for i in stride(from: pairs.count - 1, to: 0, by: -1) { pairs.swapAt(i, rng.below(i + 1)) }
        default: break
        }
        var index = OrderedNodeIndex()
        for (n, p) in pairs.enumerated() {
            index.insert(key: p.key, node: p.node)
            if n % 500 == 0 { #expect(index.isValid(), "after \(n) inserts") }
        }
        #expect(index.count == 5_000)
        #expect(index.isValid())
        let sorted = pairs.sorted(by: <)
        #expect(ascending(index) == sorted)
        let desc = descending(index)
        #expect(desc == sorted.sorted { $0.key > $1.key || ($0.key == $1.key && $0.node < $1.node) })
        if pattern == "equalKeys" {
            #expect(descending(index, limit: 1) == [Pair(key: 7, node: 0)])
        } else {
            #expect(ascending(index, from: 1_000, limit: 4) ==
                    [Pair(key: 1_000, node: 3_000), Pair(key: 1_000, node: 3_001),
                     Pair(key: 1_000, node: 3_002), Pair(key: 1_001, node: 3_003)])
        }
        // Bulk build agrees with incremental inserts.
        let bulk = OrderedNodeIndex(entries: pairs.map { (key: $0.key, node: $0.node) })
        #expect(bulk.isValid())
        #expect(bulk.count == 5_000)
        #expect(ascending(bulk) == sorted)
        // Remove everything (shuffled order), checking invariants along the way.
        for i in stride(from: pairs.count - 1, to: 0, by: -1) { pairs.swapAt(i, rng.below(i + 1)) }
        for (n, p) in pairs.enumerated() {
            do {
                let removed = index.remove(key: p.key, node: p.node)
                #expect(removed)
            }
            if n % 500 == 0 { #expect(index.isValid(), "after \(n) removals") }
        }
        #expect(index.count == 0)
        #expect(index.isValid())
        #expect(ascending(index).isEmpty)
    }

    @Test func valueSemantics() {
        var a = OrderedNodeIndex(blockCapacity: 4)
        for i in 0..<20 { a.insert(key: Int64(i), node: 0) }
        var b = a
        b.insert(key: 100, node: 1)
        do {
            let removed = a.remove(key: 3, node: 0)
            #expect(removed)
        }
        #expect(a.count == 19)
        #expect(b.count == 21)
        #expect(ascending(b, from: 3, limit: 1) == [Pair(key: 3, node: 0)])
        #expect(ascending(a, from: 100).isEmpty)
        #expect(a.isValid() && b.isValid())
    }

    /// Random inserts / removes / queries against a sorted-array model.
    @Test(arguments: [4, 5, 8, 64, 512])
    func randomizedAgainstModel(blockCapacity: Int) {
        for seed in UInt64(1)...20 {
            var rng = SplitMix64(seed: seed &* 1_000_003 &+ UInt64(blockCapacity))
            let keyRange = [3, 50, 100_000][rng.below(3)]
            let nodeRange = [2, 20, 5_000][rng.below(3)]
            var model = Model()
            var index: OrderedNodeIndex
            if rng.below(2) == 0 {
                index = OrderedNodeIndex(blockCapacity: blockCapacity)
            } else {
                let initial = (0..<rng.below(300)).map { _ in
                    Pair(key: Int64(rng.below(keyRange)) - 1, node: Int32(rng.below(nodeRange)))
                }
                index = OrderedNodeIndex(entries: initial.map { (key: $0.key, node: $0.node) },
                                         blockCapacity: blockCapacity)
                for p in initial { model.insert(p) }
            }
            #expect(index.isValid(), "seed \(seed): after build")
            let steps = 1_500
            for step in 0..<steps {
                // Bias toward growth in the first half, shrinkage in the second.
                let growth = step < steps / 2 ? 60 : 30
                let r = rng.below(100)
                if r < growth {
                    let p = Pair(key: Int64(rng.below(keyRange)) - 1, node: Int32(rng.below(nodeRange)))
                    index.insert(key: p.key, node: p.node)
                    model.insert(p)
                } else if r < 80 {
                    if !model.pairs.isEmpty {
                        let p = model.pairs[rng.below(model.pairs.count)]
                        do {
                            let removed = index.remove(key: p.key, node: p.node)
                            #expect(removed, "seed \(seed) step \(step): remove present \(p)")
                        }
                        _ = model.remove(p)
                    }
                } else if r < 88 {
                    let p = Pair(key: Int64(rng.below(keyRange + 2)) - 2, node: Int32(rng.below(nodeRange + 1)))
                    let expected = model.remove(p)
                    do {
                        let removed = index.remove(key: p.key, node: p.node)
                        #expect(removed == expected, "seed \(seed) step \(step): remove \(p)")
                    }
                } else if r < 95 {
                    let lb = Int64(rng.below(keyRange + 2)) - 2
                    let limit = [1, 2, 5, Int.max][rng.below(4)]
                    #expect(ascending(index, from: lb, limit: limit) == model.ascending(from: lb, limit: limit),
                            "seed \(seed) step \(step): ascending from \(lb) limit \(limit)")
                } else {
                    let limit = [1, 3, 10, Int.max][rng.below(4)]
                    #expect(descending(index, limit: limit) == model.descending(limit: limit),
                            "seed \(seed) step \(step): descending limit \(limit)")
                }
                #expect(index.count == model.pairs.count, "seed \(seed) step \(step): count")
                if step % 50 == 0 { #expect(index.isValid(), "seed \(seed) step \(step): invariants") }
            }
            #expect(index.isValid(), "seed \(seed): invariants at end")
            #expect(ascending(index) == model.pairs, "seed \(seed): full contents")
            #expect(descending(index) == model.descending(limit: .max), "seed \(seed): full descending")
        }
    }
}
