/// A binary min-heap of events keyed by `(time, eventClass, sequence)`.
///
/// The sequence number is assigned when an event is pushed, so events at the
/// same instant and of the same class come out first-in first-out, and a run
/// never depends on the heap's internal order (swift-collections' `Heap` makes
/// no FIFO promise for equal keys, hence this small purpose-built heap).
///
/// - Complexity: `push` and `pop` are O(log n); `peek` is O(1).
public struct EventQueue<Payload> {
    @usableFromInline struct Entry {
        @usableFromInline var time: Int64
        /// `eventClass << 56 | sequence`: one integer compare orders class then FIFO.
        @usableFromInline var order: UInt64
        @usableFromInline var payload: Payload

        @inlinable init(time: Int64, order: UInt64, payload: Payload) {
            self.time = time
            self.order = order
            self.payload = payload
        }

        @inline(__always) @usableFromInline
        func precedes(_ other: Entry) -> Bool {
            time < other.time || (time == other.time && order < other.order)
        }
    }

    @usableFromInline var entries: ContiguousArray<Entry> = []
    @usableFromInline var nextSequence: UInt64 = 0

    public init() {}

    @inlinable public var count: Int { entries.count }
    @inlinable public var isEmpty: Bool { entries.isEmpty }

    /// The earliest event's time, if any.
    @inlinable public var nextTime: SimTime? { entries.isEmpty ? nil : SimTime(micros: entries[0].time) }

    /// Adds an event. `eventClass` orders events at the same instant (lower first).
    @inlinable
    public mutating func push(_ payload: Payload, at time: SimTime, eventClass: UInt8) {
        let order = UInt64(eventClass) << 56 | (nextSequence & 0x00FF_FFFF_FFFF_FFFF)
        nextSequence &+= 1
        entries.append(Entry(time: time.micros, order: order, payload: payload))
        siftUp(entries.count - 1)
    }

    /// Removes and returns the earliest event.
    @inlinable
    public mutating func pop() -> (time: SimTime, payload: Payload)? {
        guard let first = entries.first else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(0)
        }
        return (SimTime(micros: first.time), first.payload)
    }

    @inlinable
    mutating func siftUp(_ start: Int) {
        entries.withUnsafeMutableBufferPointer { heap in
            var child = start
            let item = heap[child]
            while child > 0 {
                let parent = (child - 1) >> 1
                guard item.precedes(heap[parent]) else { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = item
        }
    }

    /// Sifts with one uniqueness check per call (not per write); indices stay in `0..<n`.
    @inlinable
    mutating func siftDown(_ start: Int) {
        entries.withUnsafeMutableBufferPointer { heap in
            let n = heap.count
            var parent = start
            let item = heap[parent]
            while true {
                var child = 2 * parent + 1
                if child >= n { break }
                if child + 1 < n, heap[child + 1].precedes(heap[child]) { child += 1 }
                guard heap[child].precedes(item) else { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = item
        }
    }
}
