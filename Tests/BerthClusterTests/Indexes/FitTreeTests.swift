import Testing
import BerthCluster
import BerthTestSupport


/// Brute-force first fit: linear scan.
private func linearFirstFit(free: [Int64], dimensions d: Int, nodeCount n: Int,
                            request: [Int64], start: Int, accept: (Int) -> Bool) -> Int? {
    guard start < n else { return nil }
    for i in start..<n where (0..<d).allSatisfy({ free[i * d + $0] >= request[$0] }) && accept(i) {
        return i
    }
    return nil
}

@Suite("FitTree")
struct FitTreeTests {
    @Test func emptyTree() {
        let tree = FitTree(nodeCount: 0, dimensions: 2, free: [])
        #expect(tree.nodeCount == 0)
        #expect(tree.dimensions == 2)
        #expect(tree.firstFit(request: [0, 0]) { _ in true } == nil)
        #expect(tree.firstFit(request: [.min, .min]) { _ in true } == nil)
    }

    @Test func singleNode() {
        var tree = FitTree(nodeCount: 1, dimensions: 1, free: [10])
        #expect(tree.free(of: 0, dimension: 0) == 10)
        #expect(tree.firstFit(request: [10]) { _ in true } == 0)
        #expect(tree.firstFit(request: [11]) { _ in true } == nil)
        #expect(tree.firstFit(request: [0]) { _ in false } == nil)
        #expect(tree.firstFit(request: [0], startingAt: 1) { _ in true } == nil)
        #expect(tree.firstFit(request: [.min], startingAt: 5) { _ in true } == nil)
        tree.update(node: 0, free: [3])
        #expect(tree.free(of: 0, dimension: 0) == 3)
        #expect(tree.firstFit(request: [10]) { _ in true } == nil)
        #expect(tree.firstFit(request: [3]) { _ in true } == 0)
    }

    @Test func smallHandWritten() {
        // 3 nodes x 2 dims: (cpu, mem)
        var tree = FitTree(nodeCount: 3, dimensions: 2, free: [4, 1,
                                                                1, 4,
                                                                2, 2])
        // Per-dimension maxima (4, 4) do not imply a dominating node.
        #expect(tree.firstFit(request: [3, 3]) { _ in true } == nil)
        #expect(tree.firstFit(request: [2, 2]) { _ in true } == 2)
        #expect(tree.firstFit(request: [1, 1]) { _ in true } == 0)
        #expect(tree.firstFit(request: [1, 1], startingAt: 1) { _ in true } == 1)
        #expect(tree.firstFit(request: [1, 1]) { $0 != 0 } == 1)
        #expect(tree.firstFit(request: [1, 1]) { $0 == 2 } == 2)
        #expect(tree.firstFit(request: [0, 0], startingAt: 3) { _ in true } == nil)
        #expect(tree.firstFit(request: [.min, .min]) { _ in true } == 0)
        // Negative free amounts (over-commit) are handled like any value.
        tree.update(node: 2, free: [-5, 9])
        #expect(tree.firstFit(request: [2, 2]) { _ in true } == nil)
        #expect(tree.firstFit(request: [-5, 5]) { _ in true } == 2)
        // UnsafeBufferPointer overload.
        let vector: [Int64] = [3, 3]
        vector.withUnsafeBufferPointer { tree.update(node: 1, free: $0) }
        #expect(tree.free(of: 1, dimension: 0) == 3)
        #expect(tree.free(of: 1, dimension: 1) == 3)
        #expect(tree.firstFit(request: [3, 3]) { _ in true } == 1)
    }

    @Test func acceptCalledOnlyForFittingNodesInAscendingOrder() {
        let n = 37
        let free: [Int64] = (0..<n).map { Int64($0 % 5) }
        let tree = FitTree(nodeCount: n, dimensions: 1, free: free)
        var calls: [Int] = []
        let found = tree.firstFit(request: [4], startingAt: 6) { i in
            calls.append(i)
            return i > 20
        }
        #expect(found == 24)
        #expect(calls == [9, 14, 19, 24])
    }

    @Test func largeLinearCluster() {
        // 10,000 nodes, only the last one fits; then fill it and free one in the middle.
        let n = 10_000
        var free = [Int64](repeating: 1, count: n * 2)
        free[(n - 1) * 2] = 100
        free[(n - 1) * 2 + 1] = 100
        var tree = FitTree(nodeCount: n, dimensions: 2, free: free)
        #expect(tree.firstFit(request: [50, 50]) { _ in true } == n - 1)
        tree.update(node: n - 1, free: [0, 0])
        #expect(tree.firstFit(request: [50, 50]) { _ in true } == nil)
        tree.update(node: 4_321, free: [50, 50])
        #expect(tree.firstFit(request: [50, 50]) { _ in true } == 4_321)
        #expect(tree.firstFit(request: [50, 50], startingAt: 4_322) { _ in true } == nil)
        #expect(tree.firstFit(request: [1, 1], startingAt: 9_999) { _ in true } == nil)
        #expect(tree.firstFit(request: [0, 0], startingAt: 9_999) { _ in true } == 9_999)
        #expect(tree.firstFit(request: [1, 1], startingAt: 9_998) { _ in true } == 9_998)
    }

    /// Random updates and first-fit queries against a linear scan.
    @Test(arguments: [1, 2, 3, 4, 5, 7, 8, 9, 100, 127, 1_000, 1_025])
    func randomizedAgainstModel(nodeCount n: Int) {
        for seed in UInt64(1)...20 {
            var rng = SplitMix64(seed: seed &* 7_919 &+ UInt64(n))
            let d = 1 + rng.below(4)
            let valueRange = [3, 10, 1_000][rng.below(3)]
            var free: [Int64] = (0..<(n * d)).map { _ in Int64(rng.below(valueRange)) }
            var tree = FitTree(nodeCount: n, dimensions: d, free: free)
            #expect(tree.nodeCount == n && tree.dimensions == d, "seed \(seed)")
            let steps = n >= 1_000 ? 300 : 400
            for step in 0..<steps {
                if rng.below(2) == 0 {
                    // Update one node (occasionally to its current value, or negative).
                    let node = rng.below(n)
                    var vector = (0..<d).map { _ in Int64(rng.below(valueRange)) }
                    if rng.below(10) == 0 { vector = (0..<d).map { free[node * d + $0] } }
                    if rng.below(20) == 0 { vector[0] = -Int64(rng.below(5)) - 1 }
                    for r in 0..<d { free[node * d + r] = vector[r] }
                    tree.update(node: node, free: vector)
                } else {
                    let request = (0..<d).map { _ in Int64(rng.below(valueRange + 1)) }
                    let start = rng.below(n + 2)
                    let mode = rng.below(4)
                    let salt = rng.next()
                    let modulus = 1 + rng.below(5)
                    let accept: (Int) -> Bool = { i in
                        switch mode {
                        case 0: return true
                        case 1: return false
                        case 2: return (UInt64(i) &* 0x9E37_79B9 ^ salt) % UInt64(modulus) == 0
                        default: return i % modulus != 0
                        }
                    }
                    let expected = linearFirstFit(free: free, dimensions: d, nodeCount: n,
                                                  request: request, start: start, accept: accept)
                    var calls: [Int] = []
                    let got = tree.firstFit(request: request, startingAt: start) { i in
                        calls.append(i)
                        return accept(i)
                    }
                    #expect(got == expected,
                            "seed \(seed) step \(step): n \(n) d \(d) request \(request) start \(start) mode \(mode)")
                    // accept sees only fitting nodes >= start, strictly ascending.
                    let fitting = calls.allSatisfy { i in
                        i >= start && i < n && (0..<d).allSatisfy { free[i * d + $0] >= request[$0] }
                    }
                    #expect(fitting, "seed \(seed) step \(step): accept called on a non-fitting node")
                    #expect(zip(calls, calls.dropFirst()).allSatisfy { $0 < $1 },
                            "seed \(seed) step \(step): accept calls not ascending")
                }
            }
            var same = true
            for i in 0..<n { for r in 0..<d where tree.free(of: i, dimension: r) != free[i * d + r] { same = false } }
            #expect(same, "seed \(seed): stored free vectors differ from the model")
        }
    }
}
