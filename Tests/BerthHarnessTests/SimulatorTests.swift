import BerthCluster
import BerthHarness
import BerthScenario
import BerthTestSupport
import Testing

/// Behaviour of one run on small hand-made scenarios whose outcome is known.
@Suite struct SimulatorTests {
    static func run(_ yaml: String, seed: UInt64? = nil) throws -> RunResult {
        let scenario = try ScenarioLoader.load(text: yaml, file: "inline.yaml")
        let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed))
        #expect(violations.isEmpty, "\(violations)")
        return result
    }

    static func task(_ r: RunResult, _ name: String) -> TaskRecord? { r.cluster.tasks.first { $0.spec.name == name } }

    /// One 4-cpu node; three 2-cpu tasks of 100 s submitted at 0: two run at
    /// once, the third waits exactly 100 s for the first to finish.
    @Test func queueingOnOneNode() throws {
        let r = try Self.run("""
        name: queue
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 4Gi}}]}
        workloads:
          - {name: b, kind: batch, arrival: {process: fixed, at: [0s]}, tasks_per_job: 3, duration: 100s, requests: {cpu: 2}}
        """)
        let waits = r.cluster.tasks.map { $0.startMicros - $0.submitMicros }.sorted()
        #expect(waits == [0, 0, 100_000_000])
        #expect(r.endMicros == 200_000_000, "no horizon: the run ends with the last event")
        #expect(r.summary.makespanSeconds == 200)
        // cpu allocated 4 of 4 for 100 s, then 2 of 4 for 100 s → 0.75 time-weighted.
        #expect(r.summary.allocationFraction[ResourceCatalog.cpu] == 0.75)
        #expect(r.summary.wait.mean == 100.0 / 3)
    }

    /// Higher priority goes first, even when submitted later at the same instant.
    @Test func priorityOrdersTheQueue() throws {
        let r = try Self.run("""
        name: prio
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 2, memory: 4Gi}}]}
        workloads:
          - {name: low, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 10s, requests: {cpu: 2}, priority: 1}
          - {name: high, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 10s, requests: {cpu: 2}, priority: 9}
        """)
        #expect(Self.task(r, "high-0-0")?.startMicros == 0)
        #expect(Self.task(r, "low-0-0")?.startMicros == 10_000_000)
    }

    /// Backfill lets a small task overtake a blocked big one; strict FIFO does not.
    @Test(arguments: [true, false]) func backfillVersusStrictFIFO(backfill: Bool) throws {
        let r = try Self.run("""
        name: backfill
        scheduler: {name: first-fit, backfill: \(backfill)}
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 4Gi}}]}
        initial: [{name: hog, node: n-0, requests: {cpu: 3}, duration: 50s}]
        workloads:
          - {name: big, kind: batch, arrival: {process: fixed, at: [1s]}, duration: 10s, requests: {cpu: 4}, priority: 5}
          - {name: small, kind: batch, arrival: {process: fixed, at: [2s]}, duration: 10s, requests: {cpu: 1}}
        """)
        let small = try #require(Self.task(r, "small-0-0"))
        let big = try #require(Self.task(r, "big-0-0"))
        #expect(big.startMicros == 50_000_000)
        #expect(small.startMicros == (backfill ? 2_000_000 : 60_000_000))
    }

    /// Tasks of a blocked shape must all be scheduled once room appears (none lost or stuck).
    @Test func blockedTwinsAreScheduledWhenResourcesFree() throws {
        let r = try Self.run("""
        name: twins
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 2, memory: 4Gi}}]}
        workloads:
          - {name: b, kind: batch, arrival: {process: fixed, at: [0s, 1s], burst: 2}, tasks_per_job: 5, duration: 30s, requests: {cpu: 1}}
        """)
        #expect(r.summary.submitted == 20)
        #expect(r.summary.finished == 20)
        #expect(r.summary.pending == 0)
        // 4 slots, 20 tasks of 30 s: five waves; last wave starts at 120 s.
        #expect(r.cluster.tasks.map(\.startMicros).max() == 120_000_000)
    }

    @Test func horizonStopsTheRunAndKeepsSampling() throws {
        let r = try Self.run("""
        name: horizon
        horizon: 10m
        sample_interval: 1m
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 2, memory: 4Gi}}]}
        workloads:
          - {name: svc, kind: service, replicas: 1, requests: {cpu: 1}}
          - {name: b, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 1h, requests: {cpu: 1}}
        """)
        #expect(r.endMicros == 600_000_000)
        #expect(r.timeseries.map(\.micros) == (0...10).map { Int64($0) * 60_000_000 })
        #expect(r.summary.running == 2)
        #expect(r.summary.makespanSeconds == nil, "no batch task finished")
        #expect(r.summary.nodeHours == 600.0 / 3600)
    }

    @Test func initialSnapshotIsBoundAtTimeZero() throws {
        let r = try Self.run("""
        name: snap
        cluster: {pools: [{name: n, count: 2, capacity: {cpu: 2, memory: 4Gi}}]}
        initial: [{name: old, node: n-1, requests: {cpu: 2}, duration: 5s}]
        workloads:
          - {name: b, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 1s, requests: {cpu: 2}}
        """)
        let old = try #require(Self.task(r, "old"))
        #expect(old.node == 1 && old.startMicros == 0 && old.endMicros == 5_000_000)
        #expect(Self.task(r, "b-0-0")?.node == 0)
    }

    /// Poisson arrivals: the count over a long window matches rate × time.
    @Test func poissonArrivalRate() throws {
        let r = try Self.run("""
        name: poisson
        horizon: 100h
        sample_interval: 1h
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 100, memory: 100Gi}}]}
        workloads:
          - {name: p, kind: batch, arrival: {process: poisson, rate: 60/h}, duration: 1s, requests: {cpu: 1}}
        """)
        // Expected 6000 arrivals, sd ≈ 77: accept ±4 sd.
        #expect(abs(r.summary.submitted - 6000) < 310, "\(r.summary.submitted)")
    }

    @Test func arrivalLimitBurstAndWindow() throws {
        let r = try Self.run("""
        name: limits
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 100, memory: 100Gi}}]}
        workloads:
          - {name: a, kind: batch, arrival: {process: interarrival, interval: 10s, burst: 3, limit: 4}, duration: 1s, requests: {cpu: 1}}
          - {name: w, kind: batch, arrival: {process: interarrival, interval: 10s, start: 1m, end: 2m}, duration: 1s, requests: {cpu: 1}}
        """)
        let a = r.cluster.tasks.filter { $0.spec.workload == 0 }
        #expect(a.count == 12)
        #expect(Set(a.map(\.submitMicros)) == [10_000_000, 20_000_000, 30_000_000, 40_000_000])
        let w = r.cluster.tasks.filter { $0.spec.workload == 1 }.map(\.submitMicros)
        #expect(w == (7...12).map { Int64($0) * 10_000_000 })
    }
}

/// Kubernetes Job `parallelism`: tasks of a job are created as earlier ones finish.
@Suite struct JobParallelismTests {
    @Test func atMostParallelismTasksExistAtOnce() throws {
        let scenario = try ScenarioLoader.load(text: """
            name: parallel
            cluster: {pools: [{name: n, count: 1, capacity: {cpu: 16, memory: 16Gi}}]}
            workloads:
              - {name: j, kind: batch, arrival: {process: fixed, at: [0s]}, tasks_per_job: 5, parallelism: 2,
                 duration: 10s, requests: {cpu: 1}}
            """, file: "inline.yaml")
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty)
        // Room for all five, but only two at a time: created at 0, 0, 10, 10, 20 s.
        #expect(r.cluster.tasks.map(\.submitMicros) == [0, 0, 10, 10, 20].map { $0 * 1_000_000 })
        #expect(r.cluster.tasks.allSatisfy { $0.startMicros == $0.submitMicros && $0.state == .finished })
        #expect(r.summary.makespanSeconds == 30)
    }
}
