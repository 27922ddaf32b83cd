import BerthCluster
import BerthPlacement
import BerthSimulation

/// One queue, one policy, decisions in zero simulated time: the classic
/// monolithic scheduler. Pending tasks are tried in priority order (higher
/// first), then submission order (FIFO).
///
/// **Twins are skipped, not retried.** Tasks of one *shape* (same workload:
/// identical requests and constraints) wait in one FIFO; a pass only ever tries
/// each shape's head. If the head fits nowhere, the whole shape is *blocked* —
/// its twins cannot fit either, because within a pass binds only consume
/// resources — until resources are freed somewhere. This gives the same
/// placements as trying every task, at O((binds + shapes) log shapes) per pass
/// instead of O(pending).
///
/// With `backfill: false` the pass stops at the first task that does not fit
/// (strict head-of-line FIFO); with `backfill: true` (default) later tasks may
/// overtake a blocked one.
public final class MonolithicScheduler: SchedulerArchitecture {
    public let engine: any PlacementEngine
    public let backfill: Bool
    public var name: String { "monolithic/\(engine.name)" }

    private struct ShapeQueue {
        var tasks: [Int32] = []
        var head = 0
        var blocked = false
        var scheduled = false  // currently in `ready`
        var isEmpty: Bool { head >= tasks.count }
    }

    /// Ready shapes ordered by (−priority, head task id, shape slot).
    private struct Ready: Comparable {
        var negPriority: Int32
        var task: Int32
        var slot: Int32
        static func < (a: Ready, b: Ready) -> Bool {
            (a.negPriority, a.task, a.slot) < (b.negPriority, b.task, b.slot)
        }
    }

    private var shapes: [ShapeQueue] = []
    private var slotOfShape: [Int64: Int32] = [:]
    private var ready = MinHeap<Ready>()
    private var blockedSlots: [Int32] = []
    public private(set) var queuedCount = 0

    public init(engine: any PlacementEngine, backfill: Bool = true) {
        self.engine = engine
        self.backfill = backfill
    }

    public convenience init(policy: any PlacementPolicy, backfill: Bool = true) {
        self.init(engine: StatelessPlacement(policy), backfill: backfill)
    }

    public func enqueue(_ task: Int32, in cluster: Cluster) {
        let spec = cluster.tasks[Int(task)].spec
        let key = spec.shape >= 0 ? Int64(spec.shape) : -1 - Int64(task)
        let slot: Int32
        if let existing = slotOfShape[key] {
            slot = existing
        } else {
            slot = Int32(shapes.count)
            shapes.append(ShapeQueue())
            slotOfShape[key] = slot
        }
        shapes[Int(slot)].tasks.append(task)
        queuedCount += 1
        makeReady(slot, in: cluster)
    }

    public func resourcesFreed(in cluster: Cluster) {
        for slot in blockedSlots {
            shapes[Int(slot)].blocked = false
            makeReady(slot, in: cluster)
        }
        blockedSlots.removeAll(keepingCapacity: true)
    }

    public func schedule(in cluster: Cluster, at micros: Int64, random: RandomStream) -> [Int32] {
        var bound: [Int32] = []
        let view = ClusterView(cluster)
        while let next = ready.popMin() {
            let slot = Int(next.slot)
            shapes[slot].scheduled = false
            let task = next.task
            if cluster.tasks[Int(task)].state != .pending {  // ended while queued
                advance(slot, in: cluster)
                continue
            }
            cluster.recordAttempt(task)
            let decision = engine.place(task, cluster.tasks[Int(task)].spec, in: view, random: random)
            guard let node = decision.node, (try? cluster.bind(task, to: node, at: micros)) != nil else {
                if !backfill {  // strict FIFO: the head waits and holds everyone behind it
                    makeReady(next.slot, in: cluster)
                    break
                }
                shapes[slot].blocked = true
                blockedSlots.append(next.slot)
                continue
            }
            bound.append(task)
            advance(slot, in: cluster)
        }
        return bound
    }

    private func advance(_ slot: Int, in cluster: Cluster) {
        shapes[slot].head += 1
        queuedCount -= 1
        compact(slot)
        makeReady(Int32(slot), in: cluster)
    }

    private func makeReady(_ slot: Int32, in cluster: Cluster) {
        let s = shapes[Int(slot)]
        guard !s.blocked, !s.scheduled, !s.isEmpty else { return }
        let head = s.tasks[s.head]
        ready.insert(Ready(negPriority: -cluster.tasks[Int(head)].spec.priority, task: head, slot: slot))
        shapes[Int(slot)].scheduled = true
    }

    /// Drops consumed entries once they dominate the array, keeping memory O(queued).
    private func compact(_ slot: Int) {
        if shapes[slot].head > 1024 && shapes[slot].head * 2 > shapes[slot].tasks.count {
            shapes[slot].tasks.removeFirst(shapes[slot].head)
            shapes[slot].head = 0
        }
    }
}
