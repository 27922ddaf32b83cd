import BerthCluster
import Foundation

/// Nomad's preemption for cpu, memory and disk (upstream `Preemptor`,
/// `PreemptForTaskGroup`, `filterSuperset`, `basicResourceDistance`,
/// `scoreForTaskGroup`, `filterAndGroupPreemptibleAllocs` in
/// `scheduler/feasible/preemption.go`; `netPriority`/`preemptionScore` in `rank.go`):
///
/// 1. candidates: the node's allocations of other jobs whose priority is at
///    least 10 below the placing job's, grouped by priority, lowest first;
/// 2. within a group, repeatedly take the allocation closest to what is still
///    needed — distance √Σ((need − used)/need)² over cpu, memory, disk, plus 50 per
///    allocation of that job already preempted beyond its `max_parallel`
///    (service jobs: 1) — until node total − other jobs' allocations + taken ⊇ ask;
/// 3. drop the taken allocations not needed: sorted by distance to the ask,
///    largest first, keep adding until the ask is covered.
///
/// Berth's task priority is the job priority (Nomad's default is 50, Berth's 0).
/// Go's `sort.Slice` is not stable; Berth sorts stably (ties keep node order).
/// Upstream computes the remaining node resources without `reserved`; so does
/// Berth, and the plan applier then rejects a placement that still does not fit.
public enum NomadPreemption {
    public static let maxParallelPenalty = 50.0
    public static let priorityDelta: Int32 = 10

    /// cpu, memory, disk of a request vector (Nomad's comparable resources).
    struct Comparable {
        var cpu: Double
        var memory: Double
        var disk: Double
        init(_ v: [Int64]) {
            cpu = Double(v[ResourceCatalog.cpu])
            memory = Double(v[ResourceCatalog.memory])
            disk = Double(v[ResourceCatalog.ephemeralStorage])
        }
        init(cpu: Double, memory: Double, disk: Double) {
            self.cpu = cpu
            self.memory = memory
            self.disk = disk
        }
        static func + (a: Comparable, b: Comparable) -> Comparable { Comparable(cpu: a.cpu + b.cpu, memory: a.memory + b.memory, disk: a.disk + b.disk) }
        static func - (a: Comparable, b: Comparable) -> Comparable { Comparable(cpu: a.cpu - b.cpu, memory: a.memory - b.memory, disk: a.disk - b.disk) }
        func superset(_ o: Comparable) -> Bool { cpu >= o.cpu && memory >= o.memory && disk >= o.disk }
    }

    /// Upstream `basicResourceDistance(ask, used)`.
    static func distance(_ ask: Comparable, _ used: Comparable) -> Double {
        let m = ask.memory > 0 ? (ask.memory - used.memory) / ask.memory : 0
        let c = ask.cpu > 0 ? (ask.cpu - used.cpu) / ask.cpu : 0
        let d = ask.disk > 0 ? (ask.disk - used.disk) / ask.disk : 0
        return (m * m + c * c + d * d).squareRoot()
    }

    /// Upstream `scoreForTaskGroup`.
    static func score(_ ask: Comparable, _ used: Comparable, maxParallel: Int, preempted: Int) -> Double {
        let penalty = maxParallel > 0 && preempted >= maxParallel ? Double(preempted + 1 - maxParallel) * maxParallelPenalty : 0
        return distance(ask, used) + penalty
    }

    /// A running allocation that could be preempted.
    public struct Candidate: Sendable, Equatable {
        public var task: Int32
        public var workload: Int32
        public var job: Int32
        public var priority: Int32
        public var requests: [Int64]
        /// The task group's `migrate { max_parallel }`: 1 for service jobs (Nomad's default migrate block), else 0.
        public var maxParallel: Int
        public init(task: Int32, workload: Int32, job: Int32, priority: Int32, requests: [Int64], maxParallel: Int) {
            self.task = task
            self.workload = workload
            self.job = job
            self.priority = priority
            self.requests = requests
            self.maxParallel = maxParallel
        }
    }

    /// Upstream `PreemptForTaskGroup`: the allocations to preempt on one node, or [] when preemption cannot help.
    /// `capacity` is the node's total, `candidates` its allocations of other jobs (in node order),
    /// `preemptedSoFar(workload, job)` how many of that job's allocations the plan already preempts.
    public static func preemptForTaskGroup(ask askVector: [Int64], priority: Int32, capacity: [Int64], candidates: [Candidate],
                                           preemptedSoFar: (Int32, Int32) -> Int) -> [Candidate] {
        let ask = Comparable(askVector)
        var remaining = Comparable(capacity)
        for c in candidates { remaining = remaining - Comparable(c.requests) }
        var groups: [Int32: [Candidate]] = [:]
        for c in candidates where priority - c.priority >= priorityDelta { groups[c.priority, default: []].append(c) }
        var needed = ask
        var available = remaining
        var best: [Candidate] = []
        var met = false
        for p in groups.keys.sorted() {
            var group = groups[p] ?? []
            while !group.isEmpty && !met {
                var closest = 0
                var bestDistance = Double.greatestFiniteMagnitude
                for (i, c) in group.enumerated() {
                    let d = score(needed, Comparable(c.requests), maxParallel: c.maxParallel, preempted: preemptedSoFar(c.workload, c.job))
                    if d < bestDistance {
                        bestDistance = d
                        closest = i
                    }
                }
                let chosen = group[closest]
                available = available + Comparable(chosen.requests)
                met = available.superset(ask)
                best.append(chosen)
                group[closest] = group[group.count - 1]  // swap-remove, as upstream
                group.removeLast()
                needed = needed - Comparable(chosen.requests)
            }
            if met { break }
        }
        guard met else { return [] }
        return filterSuperset(best, remaining: remaining, ask: ask)
    }

    /// Upstream `filterSuperset`: largest distance to the ask first, keep until the ask is covered.
    static func filterSuperset(_ allocs: [Candidate], remaining: Comparable, ask: Comparable) -> [Candidate] {
        let sorted = allocs.enumerated().sorted { a, b in
            let d1 = distance(ask, Comparable(a.element.requests)), d2 = distance(ask, Comparable(b.element.requests))
            return d1 != d2 ? d1 > d2 : a.offset < b.offset
        }.map(\.element)
        var available = remaining
        var kept: [Candidate] = []
        for c in sorted {
            kept.append(c)
            available = available + Comparable(c.requests)
            if available.superset(ask) { break }
        }
        return kept
    }

    /// Upstream `netPriority`: max priority + Σ priorities / max.
    public static func netPriority(_ priorities: [Int32]) -> Double {
        var sum = 0, maxP = 0.0
        for p in priorities {
            if Double(p) > maxP { maxP = Double(p) }
            sum += Int(p)
        }
        return maxP + Double(sum) / maxP
    }

    /// Upstream `preemptionScore`: 1 / (1 + e^(0.0048 · (netPriority − 2048))).
    public static func preemptionScore(_ netPriority: Double) -> Double {
        1.0 / (1 + exp(0.0048 * (netPriority - 2048)))
    }
}
