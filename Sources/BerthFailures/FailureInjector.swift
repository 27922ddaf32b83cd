import BerthCluster
import BerthSimulation

/// Turns a ``FailureModel`` into down/up transitions of nodes, one *source* at
/// a time. A source is one node of a `node_failures` entry or one outage; it
/// alternates between up and down. A node is down while at least one source
/// covering it is down, so an independent failure during a zone outage keeps
/// the node down until both are repaired.
///
/// Every source draws from its own named stream and only when it fires, so the
/// failure times do not depend on the workload or the scheduler: every
/// scheduler compared on one seed sees the same failures (common random numbers).
public final class FailureInjector {
    public struct Source {
        public var name: String
        public var nodes: [Int32]
        let timing: FailureTiming
        let repair: Sampler
        let ttf: Sampler?
        let stream: RandomStream
        public let effect: FailureEffect
        /// Every node the source may take down, and the fraction each failure takes (nil: all).
        let domain: [Int32]
        let intensity: Double?
        /// Random times to failure are divided by this (per-node hazard multiplier).
        var hazardMultiplier = 1.0
        /// Next scripted instant to use.
        var scriptIndex = 0
        public internal(set) var isDown = false
    }

    /// A transition a source will make at `micros`.
    public struct Transition: Equatable, Sendable {
        public var micros: Int64
        public var source: Int32
        public var down: Bool
        public init(micros: Int64, source: Int32, down: Bool) {
            self.micros = micros
            self.source = source
            self.down = down
        }
    }

    public private(set) var sources: [Source] = []
    /// Per node, how many sources currently hold it down (crash), and unreachable (partition).
    public private(set) var downCount: [Int32]
    public private(set) var unreachableCount: [Int32]

    public init(model: FailureModel, nodes: [NodeSpec], streams: RandomStreams) {
        downCount = Array(repeating: 0, count: nodes.count)
        unreachableCount = Array(repeating: 0, count: nodes.count)
        for entry in model.nodeFailures {
            let selected: [Int] = switch entry.target {
            case .pool(let pool): nodes.indices.filter { nodes[$0].pool == pool }
            case .node(let name): nodes.indices.filter { nodes[$0].name == name }
            }
            for n in selected {
                let streamName = switch entry.target {
                case .pool(let pool): "\(pool)/\(nodes[n].name)"
                case .node(let name): "node/\(name)"
                }
                add(name: nodes[n].name, nodes: [Int32(n)], timing: entry.timing, repair: entry.timeToRepair,
                    stream: streams.stream(.failures, entry.effect == .crash ? streamName : "partition/" + streamName), effect: entry.effect,
                    intensity: nil)
                sources[sources.count - 1].hazardMultiplier = entry.hazardMultipliers[nodes[n].name] ?? 1
            }
        }
        for outage in model.outages {
            let covered = nodes.indices.filter { nodes[$0].labels[outage.label] == outage.value }.map { Int32($0) }
            let prefix = outage.effect == .crash ? "outage/" : "partition/outage/"
            add(name: "\(outage.label)=\(outage.value)", nodes: covered, timing: outage.timing, repair: outage.timeToRepair,
                stream: streams.stream(.failures, "\(prefix)\(outage.label)=\(outage.value)"), effect: outage.effect,
                intensity: outage.intensity)
        }
    }

    private func add(name: String, nodes: [Int32], timing: FailureTiming, repair: DistributionSpec, stream: RandomStream,
                     effect: FailureEffect, intensity: Double?) {
        var ttf: Sampler?
        if case .random(let d) = timing { ttf = Sampler(d) }
        sources.append(Source(name: name, nodes: nodes, timing: timing, repair: Sampler(repair), ttf: ttf, stream: stream, effect: effect,
                              domain: nodes, intensity: intensity))
    }

    /// Each source's first failure (none for a source whose script is empty).
    public func firstTransitions() -> [Transition] {
        sources.indices.compactMap { i in nextFailure(Int32(i), after: 0, inclusive: true) }
    }

    /// Applies `transition` (which must be the one this injector announced) and
    /// returns the nodes whose state changed (down when their count went 0 → 1,
    /// up when it went 1 → 0, in the source's node order) and the source's next transition.
    public func fire(_ transition: Transition) -> (changed: [(node: Int32, down: Bool)], next: Transition?) {
        let i = Int(transition.source)
        sources[i].isDown = transition.down
        if transition.down, let fraction = sources[i].intensity { sources[i].nodes = pickNodes(i, fraction) }
        var changed: [(node: Int32, down: Bool)] = []
        let partition = sources[i].effect == .partition
        for node in sources[i].nodes {
            let before = partition ? unreachableCount[Int(node)] : downCount[Int(node)]
            if partition { unreachableCount[Int(node)] += transition.down ? 1 : -1 } else { downCount[Int(node)] += transition.down ? 1 : -1 }
            if before == 0 && transition.down { changed.append((node, true)) }
            if before == 1 && !transition.down { changed.append((node, false)) }
        }
        let next: Transition?
        if transition.down {
            let repair = sources[i].repair.sampleMicros(sources[i].stream)
            // A repair takes at least 1 µs, so up always follows down.
            next = Transition(micros: transition.micros &+ max(1, repair), source: transition.source, down: false)
        } else {
            next = nextFailure(transition.source, after: transition.micros, inclusive: false)
        }
        return (changed, next)
    }

    /// A uniformly random `fraction` of source `i`'s domain (rounded, at least
    /// one node), by a partial Fisher–Yates shuffle from the source's stream;
    /// returned in node order.
    private func pickNodes(_ i: Int, _ fraction: Double) -> [Int32] {
        var pool = sources[i].domain
        guard !pool.isEmpty else { return [] }
        let k = min(pool.count, max(1, Int((fraction * Double(pool.count)).rounded())))
        for j in 0..<k {
            let r = j + sources[i].stream.index(below: pool.count - j)
            pool.swapAt(j, r)
        }
        return pool[0..<k].sorted()
    }

    /// Holds `node` down (`down: true`) or releases one hold, outside any
    /// source (planned maintenance). Returns whether the node's state changed.
    public func hold(_ node: Int32, down: Bool) -> Bool {
        let before = downCount[Int(node)]
        downCount[Int(node)] += down ? 1 : -1
        return down ? before == 0 : before == 1
    }

    private func nextFailure(_ source: Int32, after micros: Int64, inclusive: Bool) -> Transition? {
        let i = Int(source)
        switch sources[i].timing {
        case .random:
            guard let ttf = sources[i].ttf else { return nil }
            var delay = ttf.sampleMicros(sources[i].stream)
            if sources[i].hazardMultiplier != 1 { delay = Int64((Double(delay) / sources[i].hazardMultiplier).rounded()) }
            // After a repair the node runs at least 1 µs before failing again.
            return Transition(micros: micros &+ (inclusive ? delay : max(1, delay)), source: source, down: true)
        case .scripted(let times):
            var k = sources[i].scriptIndex
            while k < times.count && (inclusive ? times[k] < micros : times[k] <= micros) { k += 1 }
            sources[i].scriptIndex = k + 1
            return k < times.count ? Transition(micros: times[k], source: source, down: true) : nil
        }
    }
}
