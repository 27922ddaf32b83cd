import BerthCluster
import BerthSimulation

/// The Mesos master's hierarchical allocator (apache/mesos
/// `src/master/allocator/mesos/hierarchical.cpp`) with frameworks as the
/// second level (docs/mesos.md).
///
/// Allocation cycles run every `allocation_interval` and at once when a
/// framework registers or revives (and when the agents join, at the first
/// pass). Resources freed by finished tasks or declined offers wait for the
/// next cycle. A cycle visits the agents in a shuffled order (stream
/// `mesos/agents`), and on each agent the roles, then the frameworks of the
/// role, in DRF order (``DRFSorter``, sorted again for every agent); the first
/// framework that is not suppressed, not filtered and gets an allocatable
/// offer receives everything still available to its role on that agent.
/// Offered resources count as allocated until answered.
///
/// Frameworks answer an offer after their decision time
/// `t_job + t_task × tasks`: the tasks they launch are bound then, the rest is
/// declined with `refuse_seconds` (a filter lasting at least one allocation
/// interval). With `offer_timeout` an offer unanswered that long is rescinded.
/// Only allocation stage 2 exists (no quota); reservations are whole agents.
public final class MesosScheduler: SchedulerArchitecture, TimedScheduler, ClusterObserver, FrameworkReporting {
    public let options: MesosOptions
    public var name: String { "mesos" }

    struct Offer {
        var id: Int
        var framework: Int
        var node: Int32
        var resources: [Int64]
        var madeAt: Int64
        var answerAt: Int64
        var planned: [Int32]
        /// When it is rescinded (offer_timeout) if not answered before.
        var rescindAt: Int64?
    }

    public private(set) var frameworks: [MesosFramework] = []
    private var frameworkIndex: [String: Int] = [:]
    private var frameworkOfTask: [Int32: Int] = [:]
    private var offers: [Offer] = []
    private var nextOfferID = 0
    private var offered: [Int64] = []  // per node × resource, outstanding offers
    private var reservedFor: [String?] = []
    public private(set) var roleSorter = DRFSorter(resourceCount: 0)
    public private(set) var frameworkSorters: [String: DRFSorter] = [:]
    private var placed = MesosAppCounts()
    private var initialized = false
    private var triggered = false
    private var dirty = false
    /// Counts things that can change an allocation's outcome (resources freed,
    /// tasks submitted, registrations, launches, rescinds); `cycleProgress` is
    /// its value when the last cycle started. A cycle after no progress can only
    /// repeat declines: its wake-up is not live (a run without horizon may end).
    private var progress = 0
    private var cycleProgress = -1
    private var lastPeriodic: Int64 = -1
    private var agentStream: RandomStream?
    private var resourceCount = 0
    private var podsIndex = ResourceCatalog.pods

    /// Offers made / declined (answered with nothing launched) / rescinded, and
    /// CPU core-seconds offered but not used while the offers were outstanding.
    public private(set) var offersMade = 0
    public private(set) var offersDeclined = 0
    public private(set) var offersRescinded = 0
    public private(set) var offeredUnusedCoreSeconds = 0.0
    /// Allocation cycles run (periodic and triggered).
    public private(set) var cycles = 0

    public init(options: MesosOptions = MesosOptions()) { self.options = options }

    public var queuedCount: Int {
        frameworks.reduce(0) { $0 + $1.queue.count } + offers.reduce(0) { $0 + $1.planned.count }
    }

    // MARK: Set-up

    private func setUp(_ cluster: Cluster, random: RandomStream) {
        guard !initialized else { return }
        initialized = true
        resourceCount = cluster.resourceCount
        podsIndex = cluster.catalog.index(of: "pods") ?? -1
        offered = Array(repeating: 0, count: cluster.nodes.count * resourceCount)
        let excluded: Set<Int> = podsIndex >= 0 ? [podsIndex] : []
        roleSorter = DRFSorter(resourceCount: resourceCount, excluded: excluded)
        roleSorter.weights = options.roleWeights
        reservedFor = cluster.nodes.map { node in
            options.reservations.sorted { $0.key < $1.key }.first { $0.value.contains(node.name) || $0.value.contains(node.pool) }?.key
        }
        for n in cluster.nodes.indices where !cluster.nodes[n].unschedulable {
            roleSorter.addTotal(doubles(cluster.nodes[n].allocatable))
        }
        // Tasks bound before the scheduler existed (the initial snapshot) are nobody's.
        agentStream = RandomStream(name: "mesos/agents", seed: RandomStreams.derive(seed: random.seed, name: "mesos/agents"))
        cluster.addObserver(self)
        triggered = true  // agents added
    }

    private func doubles(_ v: [Int64]) -> [Double] { v.map(Double.init) }

    func framework(for spec: TaskSpec) -> Int {
        let name = spec.mesos?.framework ?? (spec.durationMicros == nil ? "marathon" : "batch")
        if let i = frameworkIndex[name] { return i }
        var opts = options.frameworks[name] ?? MesosFrameworkOptions(
            kind: name == "marathon" ? .marathon : name == "batch" ? .batch : spec.durationMicros == nil ? .marathon : .batch)
        let role = spec.mesos?.role ?? opts.role ?? "*"
        opts.role = role
        let fw = MesosFramework(name: name, role: role, options: opts)
        let i = frameworks.count
        frameworks.append(fw)
        frameworkIndex[name] = i
        // addFramework: the role joins the role sorter, the framework its role's sorter.
        if !roleSorter.contains(role) {
            roleSorter.add(role)
            let sorter = DRFSorter(resourceCount: resourceCount, excluded: roleSorter.excluded)
            sorter.addTotal(roleSorter.total)
            frameworkSorters[role] = sorter
        }
        frameworkSorters[role]?.add(name)
        triggered = true
        return i
    }

    // MARK: SchedulerArchitecture

    public func enqueue(_ task: Int32, in cluster: Cluster) {
        if !initialized { pendingEnqueue.append(task); return }
        let f = framework(for: cluster.tasks[Int(task)].spec)
        frameworkOfTask[task] = f
        let fw = frameworks[f]
        fw.queue.append(task)
        fw.queuedShapes = nil
        progress += 1
        if fw.suppressed {  // reviveOffers: unsuppress and clear the filters
            fw.suppressed = false
            fw.filters.removeAll()
            fw.queuedShapes = nil
            frameworkSorters[fw.role]?.activate(fw.name)
            triggered = true
        }
    }
    private var pendingEnqueue: [Int32] = []

    public func resourcesFreed(in cluster: Cluster) {
        dirty = true
        progress += 1
    }

    public func schedule(in cluster: Cluster, at micros: Int64, random: RandomStream) -> [Int32] {
        if !initialized {
            setUp(cluster, random: random)
            let early = pendingEnqueue
            pendingEnqueue = []
            for t in early { enqueue(t, in: cluster) }
        }
        var bound: [Int32] = []
        answerDue(cluster, at: micros, bound: &bound)
        for fw in frameworks { fw.expireFilters(at: micros) }
        let interval = options.allocationIntervalMicros
        let periodic = interval > 0 && micros % interval == 0 && micros > lastPeriodic
        if triggered || periodic {
            if periodic { lastPeriodic = micros }
            triggered = false
            dirty = false
            cycleProgress = progress
            allocate(cluster, at: micros, bound: &bound)
        }
        suppressIdle()
        return bound
    }

    public func nextWakeup(after micros: Int64) -> (micros: Int64, live: Bool)? {
        var best: Int64? = nil
        var live = false
        for o in offers {
            let t = min(o.answerAt, o.rescindAt ?? .max)
            if t > micros, t < best ?? .max { best = t; live = true }
        }
        let progressed = progress != cycleProgress
        let interval = options.allocationIntervalMicros
        func cycle(atOrAfter t: Int64) -> Int64 { interval <= 0 ? t : (t + interval - 1) / interval * interval }
        // A cycle changes something only when resources came back, a framework
        // registered or revived, or a filter of a waiting framework expired.
        var next: Int64? = nil
        if (dirty || triggered) && frameworks.contains(where: { !$0.suppressed }) {
            next = cycle(atOrAfter: micros + 1)
        } else {
            for fw in frameworks where !fw.queue.isEmpty && !fw.suppressed {
                if let e = fw.earliestFilterExpiry { next = min(next ?? .max, cycle(atOrAfter: max(e, micros + 1))) }
            }
        }
        if let next {
            if next < best ?? .max { best = next; live = progressed } else if next == best { live = live || progressed }
        }
        return best.map { ($0, live) }
    }

    // MARK: ClusterObserver

    public func taskSubmitted(_ task: Int32, in cluster: Cluster, at micros: Int64) {}
    /// `placed` counts a task from the moment it is planned into an offer (so the
    /// next offer of the same cycle sees it), not from its bind.
    public func taskBound(_ task: Int32, to node: Int32, in cluster: Cluster, at micros: Int64) {}
    public func taskEnding(_ task: Int32, as state: TaskState, in cluster: Cluster, at micros: Int64) {
        guard let f = frameworkOfTask[task] else { return }
        let record = cluster.tasks[Int(task)]
        if record.state == .running {
            // recoverResources without a filter: back in the pool at the next cycle.
            placed.add(app: record.spec.workload, node: record.node, -1)
            unallocate(f, record.spec.requests)
            dirty = true
        }
        frameworkOfTask[task] = nil
    }

    // MARK: Allocation

    private func available(_ cluster: Cluster, node: Int, role: String) -> [Int64]? {
        // A down or unreachable agent is removed from the allocator (no offers), as a cordoned one.
        if cluster.nodes[node].unschedulable || cluster.isDown(node) || cluster.nodeUnreachable[node] { return nil }
        if let owner = reservedFor[node], owner != role { return nil }
        let base = node * resourceCount
        var nonEmpty = false
        for r in 0..<resourceCount where r != podsIndex && cluster.free[base + r] > offered[base + r] { nonEmpty = true; break }
        if !nonEmpty { return nil }
        var a = [Int64](repeating: 0, count: resourceCount)
        var any = false
        for r in 0..<resourceCount {
            a[r] = max(0, cluster.free[base + r] - offered[base + r])
            if r != podsIndex && a[r] > 0 { any = true }
        }
        return any ? a : nil
    }

    /// upstream `allocatable`: any of the `min_allocatable_resources` sets is contained.
    func allocatable(_ resources: [Int64], catalog: ResourceCatalog) -> Bool {
        if options.minAllocatable.isEmpty { return true }
        if minAllocatable == nil {
            // A set naming a resource the cluster does not have can never be met.
            minAllocatable = options.minAllocatable.compactMap { set in
                var pairs: [(Int, Int64)] = []
                for (name, amount) in set.sorted(by: { $0.key < $1.key }) {
                    guard let i = catalog.index(of: name) else { return nil }
                    pairs.append((i, amount))
                }
                return pairs
            }
        }
        return minAllocatable?.contains { set in set.allSatisfy { resources[$0.0] >= $0.1 } } ?? false
    }
    private var minAllocatable: [[(Int, Int64)]]? = nil

    private func allocate(_ cluster: Cluster, at now: Int64, bound: inout [Int32]) {
        // Nobody to offer to: the cycle would visit every agent for nothing.
        guard frameworks.contains(where: { !$0.suppressed }) else { return }
        cycles += 1
        var agents = Array(0..<cluster.nodes.count)
        if let stream = agentStream {  // Fisher–Yates (std::random_shuffle)
            for i in stride(from: agents.count - 1, to: 0, by: -1) { agents.swapAt(i, stream.index(below: i + 1)) }
        }
        var made: [Int] = []  // indexes into `offers`, in the order made
        for node in agents {
            for role in roleSorter.sort() {
                guard let sorter = frameworkSorters[role] else { continue }
                guard available(cluster, node: node, role: role) != nil else { continue }
                for name in sorter.sort() {
                    guard let toOffer = available(cluster, node: node, role: role) else { break }
                    guard let f = frameworkIndex[name] else { continue }
                    let fw = frameworks[f]
                    if fw.suppressed { continue }
                    if !allocatable(toOffer, catalog: cluster.catalog) { continue }
                    if fw.isFiltered(node: Int32(node), toOffer, skip: podsIndex) { continue }
                    let base = node * resourceCount
                    for r in 0..<resourceCount { offered[base + r] += toOffer[r] }
                    roleSorter.allocated(role, doubles(toOffer))
                    sorter.allocated(name, doubles(toOffer))
                    offers.append(Offer(id: nextOfferID, framework: f, node: Int32(node), resources: toOffer, madeAt: now,
                                        answerAt: now, planned: [], rescindAt: options.offerTimeoutMicros.map { now + $0 }))
                    nextOfferID += 1
                    offersMade += 1
                    fw.offersReceived += 1
                    made.append(offers.count - 1)
                }
            }
        }
        // offerCallback: each framework gets its offers; frameworks in registration order.
        let byFramework = made.sorted { (offers[$0].framework, $0) < (offers[$1].framework, $1) }
        var answerNow: [Int] = []
        var current = -1
        var plannedSet = Set<Int32>()
        func flush() {
            guard current >= 0 else { return }
            let fw = frameworks[current]
            if !plannedSet.isEmpty || fw.queue.contains(where: { cluster.tasks[Int($0)].state != .pending }) {
                fw.queue.removeAll { plannedSet.contains($0) || cluster.tasks[Int($0)].state != .pending }
            }
            fw.queuedShapes = nil
            plannedSet.removeAll(keepingCapacity: true)
        }
        for i in byFramework {
            if offers[i].framework != current { flush(); current = offers[i].framework }
            let fw = frameworks[offers[i].framework]
            // Tasks planned into earlier offers of this cycle are no longer queued.
            let planned = fw.plan(offer: offers[i].resources, on: offers[i].node, cluster: cluster, placed: placed,
                                  exclude: plannedSet)
            plannedSet.formUnion(planned)
            for t in planned { placed.add(app: cluster.tasks[Int(t)].spec.workload, node: offers[i].node) }
            offers[i].planned = planned
            let decision = fw.options.tJobMicros + fw.options.tTaskMicros * Int64(planned.count)
            offers[i].answerAt = now + decision
            if decision == 0 { answerNow.append(offers[i].id) }
        }
        flush()
        for id in answerNow {
            if let i = offers.firstIndex(where: { $0.id == id }) { answer(i, cluster, at: now, bound: &bound) }
        }
    }

    /// Answers and rescinds whose time has come, in time order.
    private func answerDue(_ cluster: Cluster, at now: Int64, bound: inout [Int32]) {
        while true {
            let due = offers.indices.filter { min(offers[$0].answerAt, offers[$0].rescindAt ?? .max) <= now }
            guard let i = due.min(by: { a, b in
                (min(offers[a].answerAt, offers[a].rescindAt ?? .max), offers[a].id)
                    < (min(offers[b].answerAt, offers[b].rescindAt ?? .max), offers[b].id)
            }) else { return }
            if let r = offers[i].rescindAt, r < offers[i].answerAt {
                rescind(i, cluster, at: r)
            } else {
                answer(i, cluster, at: now, bound: &bound)
            }
        }
    }

    private func release(_ offer: Offer) {
        let base = Int(offer.node) * resourceCount
        for r in 0..<resourceCount { offered[base + r] -= offer.resources[r] }
    }

    private func unallocate(_ f: Int, _ resources: [Int64]) {
        let fw = frameworks[f]
        roleSorter.unallocated(fw.role, doubles(resources))
        frameworkSorters[fw.role]?.unallocated(fw.name, doubles(resources))
    }

    /// The framework's answer: launch the planned tasks (accept); the unused
    /// remainder is declined with the accept filter, or the whole offer with the
    /// decline filter when nothing was launched.
    private func answer(_ i: Int, _ cluster: Cluster, at now: Int64, bound: inout [Int32]) {
        let offer = offers.remove(at: i)
        release(offer)
        let fw = frameworks[offer.framework]
        var used = [Int64](repeating: 0, count: resourceCount)
        var launched = 0
        for task in offer.planned {
            guard cluster.tasks[Int(task)].state == .pending else {  // ended while the framework decided
                placed.add(app: cluster.tasks[Int(task)].spec.workload, node: offer.node, -1)
                continue
            }
            let req = cluster.tasks[Int(task)].spec.requests
            cluster.recordAttempt(task)
            // An agent removed while the framework decided: its offers are rescinded upstream; the task waits again.
            let gone = cluster.isDown(Int(offer.node)) || cluster.nodeUnreachable[Int(offer.node)]
            guard !gone, (try? cluster.bind(task, to: offer.node, at: now)) != nil else {
                placed.add(app: cluster.tasks[Int(task)].spec.workload, node: offer.node, -1)
                fw.queue.append(task)
                fw.queuedShapes = nil
                continue
            }
            for r in 0..<resourceCount { used[r] += req[r] }
            bound.append(task)
            launched += 1
        }
        fw.tasksLaunched += launched
        if launched > 0 { progress += 1 }
        let remainder = (0..<resourceCount).map { offer.resources[$0] - used[$0] }
        let unused = Double(remainder[ResourceCatalog.cpu]) / 1000 * Double(now - offer.madeAt) / 1e6
        offeredUnusedCoreSeconds += unused
        fw.offeredUnusedCoreSeconds += unused
        unallocate(offer.framework, remainder)
        if launched == 0 {
            offersDeclined += 1
            fw.offersDeclined += 1
        }
        let refuse = launched == 0 ? fw.options.declineRefuseMicros : fw.options.acceptRefuseMicros
        if refuse > 0 && remainder.indices.contains(where: { $0 != podsIndex && remainder[$0] > 0 }) {
            // recoverResources: the filter lasts max(allocation_interval, refuse_seconds).
            fw.addFilter(node: offer.node, remainder, expires: now + max(options.allocationIntervalMicros, refuse))
        }
        dirty = true
    }

    /// `--offer_timeout`: the offer is rescinded, its resources recovered without a
    /// filter, and the tasks the framework had planned go back to its queue.
    private func rescind(_ i: Int, _ cluster: Cluster, at now: Int64) {
        let offer = offers.remove(at: i)
        release(offer)
        unallocate(offer.framework, offer.resources)
        let unused = Double(offer.resources[ResourceCatalog.cpu]) / 1000 * Double(now - offer.madeAt) / 1e6
        offeredUnusedCoreSeconds += unused
        let fw = frameworks[offer.framework]
        fw.offeredUnusedCoreSeconds += unused
        for t in offer.planned { placed.add(app: cluster.tasks[Int(t)].spec.workload, node: offer.node, -1) }
        fw.queue.insert(contentsOf: offer.planned, at: 0)
        fw.queuedShapes = nil
        offersRescinded += 1
        fw.offersRescinded += 1
        progress += 1
        dirty = true
    }

    /// Frameworks with nothing to launch and no offer outstanding suppress offers.
    private func suppressIdle() {
        for (f, fw) in frameworks.enumerated() where fw.options.suppressWhenIdle && !fw.suppressed && fw.queue.isEmpty {
            guard !offers.contains(where: { $0.framework == f }) else { continue }
            fw.suppressed = true
            frameworkSorters[fw.role]?.deactivate(fw.name)
        }
    }

    /// Offers made and not answered yet: (framework, agent, resources), oldest first.
    public var outstandingOffers: [(framework: String, node: Int32, resources: [Int64])] {
        offers.map { (frameworks[$0.framework].name, $0.node, $0.resources) }
    }

    // MARK: Fairness

    /// Each framework's dominant share now (offered + allocated over the pool), by name.
    public func frameworkShares() -> [(framework: String, role: String, share: Double)] {
        frameworks.map { ($0.name, $0.role, frameworkSorters[$0.role]?.dominantShare($0.name) ?? 0) }
    }

    public func frameworkCounters() -> [FrameworkCounters] {
        frameworks.map {
            FrameworkCounters(framework: $0.name, role: $0.role, offersReceived: $0.offersReceived, offersDeclined: $0.offersDeclined,
                              offersRescinded: $0.offersRescinded, tasksLaunched: $0.tasksLaunched,
                              offeredUnusedCoreSeconds: $0.offeredUnusedCoreSeconds)
        }
    }
}
