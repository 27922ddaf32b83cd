import BerthCluster
import BerthSchedulers
import BerthSimulation
import BerthTestSupport
import Testing

/// Marathon constraints through the Mesos allocator, following marathon
/// `src/main/scala/mesosphere/mesos/Constraints.scala` (`meetsConstraint`):
/// each case places an app's tasks on six agents (two per zone, racks r1–r3,
/// hostnames h0…h5) and checks where they went.
@Suite struct MarathonConstraintTests {
    static func agents() -> [NodeBuilder] {
        (0..<6).map { i in
            var b = NodeBuilder("h\(i)").capacity(cpu: "8", memory: "16Gi").labels(["rack": "r\(i / 2 + 1)"])
            b.spec.zone = ["a", "b", "c"][i % 3]
            if i == 5 { b.spec.labels["rack"] = nil }  // h5 has no rack attribute
            return b
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var constraints: [MarathonConstraint]
        var tasks: Int
        /// Expected running tasks per hostname (absent: none).
        var expect: [String: Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // checkHostName UNIQUE: all running tasks have a different hostname from the offer's.
        Case(name: "hostname UNIQUE", constraints: [.init(field: "hostname", op: .unique)], tasks: 8,
             expect: ["h0": 1, "h1": 1, "h2": 1, "h3": 1, "h4": 1, "h5": 1]),
        // CLUSTER with a value: only agents with that value.
        Case(name: "rack CLUSTER r2", constraints: [.init(field: "rack", op: .cluster, value: "r2")], tasks: 4,
             expect: ["r2": 4]),
        // LIKE / UNLIKE: the whole value matches the regular expression (Java String.matches).
        Case(name: "hostname LIKE h[01]", constraints: [.init(field: "hostname", op: .like, value: "h[01]"),
                                                       .init(field: "hostname", op: .unique)], tasks: 4,
             expect: ["h0": 1, "h1": 1]),
        Case(name: "rack UNLIKE r[12] (missing attribute meets UNLIKE)",
             constraints: [.init(field: "rack", op: .unlike, value: "r[12]"), .init(field: "hostname", op: .unique)], tasks: 4,
             expect: ["h4": 1, "h5": 1]),
        // A missing attribute meets nothing but UNLIKE.
        Case(name: "rack LIKE .* skips the agent without a rack", constraints: [.init(field: "rack", op: .like, value: ".*"),
                                                                              .init(field: "hostname", op: .unique)], tasks: 6,
             expect: ["h0": 1, "h1": 1, "h2": 1, "h3": 1, "h4": 1]),
        // MAX_PER: at most n tasks per value.
        Case(name: "@zone MAX_PER 1", constraints: [.init(field: "@zone", op: .maxPer, value: "1")], tasks: 5,
             expect: ["h0": 1, "h1": 1, "h2": 1]),
        // IS: the value equals.
        Case(name: "@zone IS b", constraints: [.init(field: "@zone", op: .isOp, value: "b")], tasks: 3,
             expect: ["b": 3]),
        // GROUP_BY: an offer is taken when its value has no task yet or is (one of) the smallest groups.
        Case(name: "@zone GROUP_BY 3", constraints: [.init(field: "@zone", op: .groupBy, value: "3")], tasks: 6,
             expect: ["h0": 2, "h1": 2, "h2": 2]),
    ]

    @Test(arguments: cases) func constraint(_ c: Case) {
        var options = MesosOptions()
        var marathon = MesosFrameworkOptions(kind: .marathon)
        marathon.maxTasksPerOffer = 5
        options.frameworks = ["marathon": marathon]
        // The agent order is shuffled; the outcomes above hold for any order except
        // GROUP_BY and MAX_PER, which pick agents in offer order: try several seeds.
        for seed in [1, 2, 3] as [UInt64] {
            let cluster = makeCluster(Self.agents())
            let s = MesosScheduler(options: options)
            let details = MesosTaskDetails(framework: "marathon", constraints: c.constraints)
            for i in 0..<c.tasks {
                var spec = TaskBuilder("app-\(i)", catalog: cluster.catalog).requests(cpu: "1", memory: "1Gi").spec
                spec.workload = 0
                spec.shape = 0
                spec.mesos = details
                s.enqueue(cluster.submit(spec, at: 0), in: cluster)
            }
            let rng = RandomStreams(seed: seed).stream(.tieBreaks)
            // Accepted offers leave 5 s filters on their agents: run past them.
            for t in 0..<10 { _ = s.schedule(in: cluster, at: Int64(t) * 1_000_000, random: rng) }
            var got: [String: Int] = [:]
            for task in cluster.tasks where task.state == .running { got[cluster.nodes[Int(task.node)].name, default: 0] += 1 }
            if c.name.hasPrefix("@zone MAX_PER") || c.name.hasPrefix("@zone GROUP_BY") {
                // Which agent of a zone is chosen depends on the offer order; the zones do not.
                var zones: [String: Int] = [:]
                for (host, n) in got { zones[cluster.nodes[cluster.nodeIndex(named: host) ?? 0].zone, default: 0] += n }
                let expected = c.name.hasPrefix("@zone MAX_PER") ? ["a": 1, "b": 1, "c": 1] : ["a": 2, "b": 2, "c": 2]
                #expect(zones == expected, "seed \(seed)")
            } else if c.name.hasPrefix("rack CLUSTER") || c.name.hasPrefix("@zone IS") {
                // All on one agent of the rack / zone (CLUSTER: every task shares the first one's value).
                var by: [String: Int] = [:]
                for (host, n) in got {
                    let node = cluster.nodes[cluster.nodeIndex(named: host) ?? 0]
                    by[c.name.hasPrefix("rack") ? node.labels["rack"] ?? "" : node.zone, default: 0] += n
                }
                #expect(by == c.expect, "seed \(seed)")
            } else {
                #expect(got == c.expect, "seed \(seed)")
            }
        }
    }

    /// Marathon declines an offer it cannot use for 120 s (`--decline_offer_duration`)
    /// and launches at most 5 tasks per offer (`--max_instances_per_offer`).
    @Test func marathonDefaults() {
        let d = MesosFrameworkOptions(kind: .marathon)
        #expect(d.declineRefuseMicros == 120_000_000 && d.maxTasksPerOffer == 5 && d.suppressWhenIdle)
        let cluster = makeCluster([NodeBuilder("h0").capacity(cpu: "64", memory: "64Gi")])
        let s = MesosScheduler()
        for i in 0..<12 {
            var spec = TaskBuilder("web-\(i)", catalog: cluster.catalog).requests(cpu: "1", memory: "1Gi").spec
            spec.shape = 0
            s.enqueue(cluster.submit(spec, at: 0), in: cluster)  // no duration: the default framework is marathon
        }
        let rng = RandomStreams(seed: 1).stream(.tieBreaks)
        #expect(s.schedule(in: cluster, at: 0, random: rng).count == 5)
        #expect(s.frameworks.map(\.name) == ["marathon"])
        // The unused remainder was declined with the 5 s accept filter: the next offer comes at 5 s.
        #expect(s.schedule(in: cluster, at: 1_000_000, random: rng).isEmpty)
        #expect(s.nextWakeup(after: 1_000_000)?.micros == 5_000_000)
        #expect(s.schedule(in: cluster, at: 5_000_000, random: rng).count == 5)
    }
}
