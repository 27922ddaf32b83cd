/// A binary min-heap of `Comparable` values. Equal elements come out in an
/// unspecified order, so callers make keys unique (e.g. by adding an id).
/// - Complexity: `insert` and `popMin` O(log n).
public struct MinHeap<Element: Comparable> {
    @usableFromInline var items: ContiguousArray<Element> = []

    public init() {}
    public var count: Int { items.count }
    public var isEmpty: Bool { items.isEmpty }
    public var min: Element? { items.first }

    @inlinable public mutating func insert(_ element: Element) {
        items.append(element)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) >> 1
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    @inlinable public mutating func popMin() -> Element? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        guard !items.isEmpty else { return first }
        items[0] = last
        var parent = 0
        let n = items.count
        while true {
            var child = 2 * parent + 1
            if child >= n { break }
            if child + 1 < n, items[child + 1] < items[child] { child += 1 }
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            parent = child
        }
        return first
    }

    public mutating func removeAll() { items.removeAll(keepingCapacity: true) }
}
