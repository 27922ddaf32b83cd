// OrderedNodeIndex — an ordered multiset of (key, node) pairs, used by the
// best-fit / worst-fit placement policies (key = a node's free amount of one
// resource). See the type's doc comment for the layout.

/// An ordered multiset of `(key: Int64, node: Int32)` pairs, ordered by
/// `(key, node)` lexicographically.
///
/// Layout (sqrt decomposition over sorted blocks):
/// - all entries live in one flat `ContiguousArray` slab, cut into fixed
///   *slots* of `blockCapacity` entries each; a slot holds one sorted block
///   in its first `size` positions;
/// - three small parallel arrays (one element per block, in global order)
///   hold each block's slot number, its first entry (the *head*, used for
///   binary search) and its size;
/// - a full block is split into two halves on insert; an emptied block is
///   dropped, and a block is merged into a neighbour whenever the pair
///   together holds at most `blockCapacity / 2` entries. Hence every two
///   adjacent blocks hold more than `blockCapacity / 2` entries, and there are
///   at most `4 * count / blockCapacity + 1` blocks.
///
/// Freed slots are recycled, so steady-state operations do not allocate; the
/// slab only grows (amortised) when the index holds more entries than ever
/// before.
///
/// With `B = blockCapacity` (512 by default) and `n = count`: search is
/// `O(log n)`, an update is `O(log n + B + n / B)` — that is `O(√n)` for
/// `n` up to about `B²` = 262,144 entries.
public struct OrderedNodeIndex: Sendable {
    /// One stored pair. 16 bytes (4 of them padding).
    struct Entry: Sendable, Equatable {
        var key: Int64
        var node: Int32

        @inline(__always)
        init(key: Int64, node: Int32) {
            self.key = key
            self.node = node
        }

        @inline(__always)
        static func < (a: Entry, b: Entry) -> Bool {
            a.key < b.key || (a.key == b.key && a.node < b.node)
        }
    }

    /// Default maximum number of entries per block.
    public static let defaultBlockCapacity = 512

    /// Maximum number of entries per block (a slot's size in `storage`).
    public let blockCapacity: Int

    /// Slot-major entry storage: slot `s` occupies `s * blockCapacity ..< (s + 1) * blockCapacity`.
    var storage: ContiguousArray<Entry> = []
    /// Per block, in global order: the slot holding it.
    var slots: ContiguousArray<Int32> = []
    /// Per block, in global order: its first (smallest) entry.
    var heads: ContiguousArray<Entry> = []
    /// Per block, in global order: its number of entries (always >= 1).
    var sizes: ContiguousArray<Int32> = []
    /// Slots not used by any block, reused before the slab grows.
    var freeSlots: ContiguousArray<Int32> = []

    /// Number of entries stored (duplicates counted).
    /// - Complexity: O(1).
    public private(set) var count: Int = 0

    /// Creates an empty index with the default block capacity (512).
    /// - Complexity: O(1).
    public init() {
        self.init(blockCapacity: Self.defaultBlockCapacity)
    }

    /// Creates an empty index whose blocks hold at most `blockCapacity`
    /// entries. Small capacities are useful in tests (many splits and merges).
    /// - Precondition: `blockCapacity >= 4`.
    /// - Complexity: O(1).
    public init(blockCapacity: Int) {
        precondition(blockCapacity >= 4, "OrderedNodeIndex: blockCapacity must be >= 4") // trap-ok: programmer error in configuration
        self.blockCapacity = blockCapacity
    }

    /// Bulk-builds an index holding `entries` (any order, duplicates allowed).
    /// Blocks are filled to three quarters so that early inserts rarely split.
    /// - Complexity: O(n log n) for the sort, O(n) for the build.
    public init(entries: [(key: Int64, node: Int32)]) {
        self.init(entries: entries, blockCapacity: Self.defaultBlockCapacity)
    }

    /// Bulk-builds an index holding `entries` with the given block capacity.
    /// - Precondition: `blockCapacity >= 4`.
    /// - Complexity: O(n log n) for the sort, O(n) for the build.
    public init(entries: [(key: Int64, node: Int32)], blockCapacity: Int) {
        self.init(blockCapacity: blockCapacity)
        guard !entries.isEmpty else { return }
        var sorted = ContiguousArray<Entry>()
        sorted.reserveCapacity(entries.count)
        for e in entries { sorted.append(Entry(key: e.key, node: e.node)) }
        sorted.sort(by: <)

        let fill = max(1, blockCapacity * 3 / 4)
        let blockCount = (sorted.count + fill - 1) / fill
        storage = ContiguousArray(repeating: Entry(key: 0, node: 0), count: blockCount * blockCapacity)
        slots.reserveCapacity(blockCount)
        heads.reserveCapacity(blockCount)
        sizes.reserveCapacity(blockCount)
        var start = 0
        var slot = 0
        while start < sorted.count {
            let end = min(start + fill, sorted.count)
            let base = slot * blockCapacity
            for i in start..<end { storage[base + i - start] = sorted[i] }
            slots.append(Int32(slot))
            heads.append(sorted[start])
            sizes.append(Int32(end - start))
            start = end
            slot += 1
        }
        count = sorted.count
    }

    // MARK: - Search helpers

    /// Index of the last block whose head is strictly less than `e`, or 0 if
    /// none is (also 0 for an empty index, callers check).
    /// - Complexity: O(log(number of blocks)).
    @inline(__always)
    func blockBefore(_ e: Entry) -> Int {
        // First block whose head is >= e.
        var lo = 0
        var hi = heads.count
        heads.withUnsafeBufferPointer { h in
            while lo < hi {
                let mid = (lo &+ hi) >> 1
                if h[mid] < e { lo = mid &+ 1 } else { hi = mid }
            }
        }
        return lo > 0 ? lo - 1 : 0
    }

    /// First index within block `block` whose entry is >= `e` (may equal the block's size).
    /// - Complexity: O(log B).
    @inline(__always)
    func lowerBound(inBlock block: Int, _ e: Entry) -> Int {
        let base = Int(slots[block]) * blockCapacity
        var lo = 0
        var hi = Int(sizes[block])
        storage.withUnsafeBufferPointer { s in
            while lo < hi {
                let mid = (lo &+ hi) >> 1
                if s[base &+ mid] < e { lo = mid &+ 1 } else { hi = mid }
            }
        }
        return lo
    }

    /// Global position `(block, index)` of the first entry >= `e`; `block`
    /// equals the number of blocks when there is none.
    /// - Complexity: O(log n).
    @inline(__always)
    func lowerBoundPosition(_ e: Entry) -> (block: Int, index: Int) {
        guard !sizes.isEmpty else { return (0, 0) }
        let p = blockBefore(e)
        let i = lowerBound(inBlock: p, e)
        if i == Int(sizes[p]) { return (p + 1, 0) }
        return (p, i)
    }

    // MARK: - Mutation

    /// Returns a free slot, growing the slab by one slot only if none is free.
    mutating func allocateSlot() -> Int {
        if let s = freeSlots.popLast() { return Int(s) }
        let s = storage.count / blockCapacity
        storage.append(contentsOf: repeatElement(Entry(key: 0, node: 0), count: blockCapacity))
        return s
    }

    /// Inserts one `(key, node)` pair (duplicates of an existing pair are kept).
    /// - Complexity: O(log n + B + n / B); no allocation unless the slab must grow.
    public mutating func insert(key: Int64, node: Int32) {
        let e = Entry(key: key, node: node)
        count += 1
        if sizes.isEmpty {
            let s = allocateSlot()
            storage[s * blockCapacity] = e
            slots.append(Int32(s))
            heads.append(e)
            sizes.append(1)
            return
        }
        var p = blockBefore(e)
        var i = lowerBound(inBlock: p, e)
        if Int(sizes[p]) == blockCapacity {
            split(p)
            let half = Int(sizes[p])
            if i > half {
                p += 1
                i -= half
            }
        }
        let base = Int(slots[p]) * blockCapacity
        let size = Int(sizes[p])
        storage.withUnsafeMutableBufferPointer { s in
            var j = base + size
            let stop = base + i
            while j > stop {
                s[j] = s[j &- 1]
                j &-= 1
            }
            s[stop] = e
        }
        sizes[p] = Int32(size + 1)
        if i == 0 { heads[p] = e }
    }

    /// Splits full block `p` into two halves (the upper half becomes block `p + 1`).
    mutating func split(_ p: Int) {
        let t = allocateSlot()  // may grow `storage`; take bases afterwards
        let size = Int(sizes[p])
        let half = size / 2
        let src = Int(slots[p]) * blockCapacity
        let dst = t * blockCapacity
        storage.withUnsafeMutableBufferPointer { s in
            for j in 0..<(size - half) { s[dst &+ j] = s[src &+ half &+ j] }
        }
        sizes[p] = Int32(half)
        slots.insert(Int32(t), at: p + 1)
        heads.insert(storage[dst], at: p + 1)
        sizes.insert(Int32(size - half), at: p + 1)
    }

    /// Removes one occurrence of the exact pair `(key, node)`.
    /// - Returns: `false` (and leaves the index unchanged) if the pair is absent.
    /// - Complexity: O(log n + B + n / B); never allocates.
    @discardableResult
    public mutating func remove(key: Int64, node: Int32) -> Bool {
        let e = Entry(key: key, node: node)
        let (p, i) = lowerBoundPosition(e)
        guard p < sizes.count else { return false }
        let base = Int(slots[p]) * blockCapacity
        guard storage[base + i] == e else { return false }
        let size = Int(sizes[p])
        storage.withUnsafeMutableBufferPointer { s in
            var j = base + i
            let stop = base + size - 1
            while j < stop {
                s[j] = s[j &+ 1]
                j &+= 1
            }
        }
        sizes[p] = Int32(size - 1)
        count -= 1
        if size == 1 {
            removeBlock(p)
            return true
        }
        if i == 0 { heads[p] = storage[base] }
        rebalance(p)
        return true
    }

    /// Drops block `p` from the global order and recycles its slot.
    mutating func removeBlock(_ p: Int) {
        freeSlots.append(slots[p])
        slots.remove(at: p)
        heads.remove(at: p)
        sizes.remove(at: p)
    }

    /// Appends block `q`'s entries to block `p` (`q == p + 1`) and drops `q`.
    mutating func mergeNext(into p: Int) {
        let q = p + 1
        let dst = Int(slots[p]) * blockCapacity + Int(sizes[p])
        let src = Int(slots[q]) * blockCapacity
        let n = Int(sizes[q])
        storage.withUnsafeMutableBufferPointer { s in
            for j in 0..<n { s[dst &+ j] = s[src &+ j] }
        }
        sizes[p] += Int32(n)
        removeBlock(q)
    }

    /// Restores "every two adjacent blocks hold more than B/2 entries" after
    /// block `p` shrank by one entry.
    mutating func rebalance(_ p: Int) {
        let limit = blockCapacity / 2
        if p + 1 < sizes.count, Int(sizes[p]) + Int(sizes[p + 1]) <= limit {
            mergeNext(into: p)
        } else if p > 0, Int(sizes[p - 1]) + Int(sizes[p]) <= limit {
            mergeNext(into: p - 1)
        }
    }

    // MARK: - Traversal

    /// Calls `body(key, node)` for every entry with `key >= lowerBound`, in
    /// ascending `(key, node)` order, until `body` returns `false`.
    /// - Complexity: O(log n) to find the start, then O(1) per visited entry.
    public func forEachAscending(from lowerBound: Int64, _ body: (Int64, Int32) -> Bool) {
        var (p, i) = lowerBoundPosition(Entry(key: lowerBound, node: .min))
        let blocks = sizes.count
        let capacity = blockCapacity
        storage.withUnsafeBufferPointer { s in
            while p < blocks {
                let base = Int(slots[p]) * capacity
                let size = Int(sizes[p])
                while i < size {
                    let e = s[base &+ i]
                    if !body(e.key, e.node) { return }
                    i &+= 1
                }
                p &+= 1
                i = 0
            }
        }
    }

    /// Calls `body(key, node)` for every entry in *descending* key order but,
    /// among entries with equal keys, *ascending* node order (so worst-fit ties
    /// break to the lowest node id), until `body` returns `false`.
    /// - Complexity: O(log n) per distinct key visited (to find the start of
    ///   its run of equal keys) plus O(1) per visited entry; a run of equal
    ///   keys is never scanned linearly to find its start.
    public func forEachDescendingKeyAscendingNode(_ body: (Int64, Int32) -> Bool) {
        guard !sizes.isEmpty else { return }
        let capacity = blockCapacity
        // (p, i): last entry not yet visited.
        var p = sizes.count - 1
        var i = Int(sizes[p]) - 1
        storage.withUnsafeBufferPointer { s in
            while true {
                let key = s[Int(slots[p]) * capacity + i].key
                // Start of the run of entries with this key.
                let (runBlock, runIndex) = lowerBoundPosition(Entry(key: key, node: .min))
                var bp = runBlock
                var bi = runIndex
                while true {
                    let e = s[Int(slots[bp]) * capacity + bi]
                    if !body(e.key, e.node) { return }
                    if bp == p && bi == i { break }
                    bi &+= 1
                    if bi == Int(sizes[bp]) {
                        bp &+= 1
                        bi = 0
                    }
                }
                // Step to the entry just before the run.
                if runIndex > 0 {
                    p = runBlock
                    i = runIndex - 1
                } else if runBlock > 0 {
                    p = runBlock - 1
                    i = Int(sizes[p]) - 1
                } else {
                    return
                }
            }
        }
    }

    // MARK: - Validation

    /// Checks every internal invariant: parallel arrays agree, every block is
    /// non-empty, within capacity and sorted, heads equal first entries,
    /// blocks are globally ordered, adjacent blocks hold more than B/2
    /// entries together, slots are distinct and disjoint from the free list,
    /// and `count` is the sum of block sizes.
    /// - Complexity: O(n + number of slots).
    public func isValid() -> Bool {
        let blocks = sizes.count
        guard slots.count == blocks, heads.count == blocks else { return false }
        guard storage.count % blockCapacity == 0 else { return false }
        let slotCount = storage.count / blockCapacity
        guard blocks + freeSlots.count == slotCount else { return false }
        var used = [Bool](repeating: false, count: slotCount)
        for s in slots + freeSlots {
            let s = Int(s)
            guard s >= 0, s < slotCount, !used[s] else { return false }
            used[s] = true
        }
        var total = 0
        var previous: Entry? = nil
        for p in 0..<blocks {
            let size = Int(sizes[p])
            guard size >= 1, size <= blockCapacity else { return false }
            if p > 0, Int(sizes[p - 1]) + size <= blockCapacity / 2 { return false }
            let base = Int(slots[p]) * blockCapacity
            guard storage[base] == heads[p] else { return false }
            for j in 0..<size {
                let e = storage[base + j]
                if let prev = previous, e < prev { return false }
                previous = e
            }
            total += size
        }
        return total == count
    }
}
