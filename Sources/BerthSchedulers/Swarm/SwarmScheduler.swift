import BerthCluster
import BerthPlacement
import BerthSimulation

/// swarmkit's scheduler loop (`manager/scheduler/scheduler.go` `tick`): every
/// pass takes the unassigned tasks, groups those of one service with the same
/// spec (Berth: the same workload *shape*; tasks of no shape are one-offs)
/// and schedules each group at once with ``SwarmPlacement/scheduleGroup(_:spec:in:assign:)``,
/// so the tasks of a group are spread against each other.
///
/// Tasks left unplaced stay queued ("no suitable node"). Upstream retries them
/// at the next tick after any store event; a retry can only succeed after
/// something was freed (the group's spec, and so its filters, are unchanged),
/// so Berth marks the group blocked until resources are freed. Groups are
/// visited oldest task first (upstream: Go map order); Swarm has no priorities,
/// so task priority is ignored. Decisions take zero simulated time (upstream
/// debounces commits by 50 ms, at most 1 s: not modelled).
public final class SwarmScheduler: SchedulerArchitecture {
    public let placement: SwarmPlacement
    public var name: String { "swarm" }

    private struct Group {
        var tasks: [Int32] = []
        var blocked = false
    }
    private var groups: [Int64: Group] = [:]
    public private(set) var queuedCount = 0

    public init(placement: SwarmPlacement = SwarmPlacement()) { self.placement = placement }

    public func enqueue(_ task: Int32, in cluster: Cluster) {
        let spec = cluster.tasks[Int(task)].spec
        let key = spec.shape >= 0 ? Int64(spec.shape) : -1 - Int64(task)
        groups[key, default: Group()].tasks.append(task)
        queuedCount += 1
    }

    public func resourcesFreed(in cluster: Cluster) {
        for key in groups.keys { groups[key]?.blocked = false }
    }

    public func schedule(in cluster: Cluster, at micros: Int64, random: RandomStream) -> [Int32] {
        let view = ClusterView(cluster)
        var bound: [Int32] = []
        let order = groups.filter { !$0.value.blocked }.map { ($0.value.tasks.first ?? .max, $0.key) }.sorted { $0 < $1 }
        for (_, key) in order {
            guard var group = groups[key] else { continue }
            let before = group.tasks.count
            group.tasks.removeAll { cluster.tasks[Int($0)].state != .pending }  // ended while queued
            queuedCount -= before - group.tasks.count
            guard let first = group.tasks.first else { groups[key] = nil; continue }
            for t in group.tasks { cluster.recordAttempt(t) }
            let placed = placement.scheduleGroup(group.tasks, spec: cluster.tasks[Int(first)].spec, in: view) { task, node in
                (try? cluster.bind(task, to: Int32(node), at: micros)) != nil
            }
            bound += placed
            queuedCount -= placed.count
            let placedSet = Set(placed)
            group.tasks.removeAll { placedSet.contains($0) }
            group.blocked = !group.tasks.isEmpty
            groups[key] = group.tasks.isEmpty ? nil : group
        }
        return bound
    }
}
