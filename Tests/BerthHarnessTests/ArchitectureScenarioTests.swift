import BerthCluster
import BerthHarness
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Testing

/// scenarios/architectures/google-mix.yaml under each decision-time
/// architecture and service decision time, with invariants checked after every
/// event: the Omega paper's (EuroSys 2013, §4) qualitative findings.
@Suite struct ArchitectureScenarioTests {
    static let path = "scenarios/architectures/google-mix.yaml"
    static let s: Int64 = 1_000_000
    static let batchTime = DecisionTime(tJobMicros: 100_000, tTaskMicros: 5_000)

    static func run(_ spec: SchedulerSpec, seed: UInt64? = nil) throws -> RunResult {
        let scenario = try ScenarioLoader.load(path: Repository.path(path))
        let (result, violations) = try runChecked(scenario, options: RunOptions(seed: seed, scheduler: spec))
        #expect(violations.isEmpty, "\(violations.prefix(3))")
        let s = result.summary
        #expect(s.submitted == s.pending + s.running + s.finished + s.failed + s.killed, "tasks lost")
        return result
    }

    static func spec(_ preset: String, service tJob: Int64, configure: (inout DecisionTimeOptions) -> Void = { _ in }) throws -> SchedulerSpec {
        var spec = try #require(SchedulerRegistry.preset(named: preset)).spec
        spec.decision.batch = batchTime
        spec.decision.service = DecisionTime(tJobMicros: tJob, tTaskMicros: 5_000)
        // Single-path: the one decision time is the service one, charged to every job.
        spec.decision.single = spec.decision.service
        configure(&spec.decision)
        return spec
    }

    static func row(_ r: RunResult, _ cls: String) -> SchedulerCounters? {
        r.schedulers?.first { $0.workloadClass == cls }
    }

    static func batchWait(_ r: RunResult) -> Double {
        let w = row(r, "batch")?.waitFirstTaskMicros ?? []
        return w.isEmpty ? .infinity : Double(w.reduce(0, +)) / Double(w.count) / 1e6
    }

    /// Single-path: one decision time for every job. The batch load is ≈ 0.5
    /// jobs/s × 4.5 tasks: at t_job 0.1 s the scheduler is busy ≈ 6 % of the
    /// time, at 10 s it would need ≈ 5 s of work per second — the queue grows
    /// without bound, most batch jobs are never scheduled within the horizon.
    @Test func singlePathWaitExplodes() throws {
        let fast = try Self.run(Self.spec("monolithic", service: 100_000))
        let mid = try Self.run(Self.spec("monolithic", service: Self.s))
        let slow = try Self.run(Self.spec("monolithic", service: 10 * Self.s))
        let (w1, w2, w3) = (Self.batchWait(fast), Self.batchWait(mid), Self.batchWait(slow))
        #expect(w1 < 0.5 && w2 > w1 && w3 > 50 * w2, "\(w1) \(w2) \(w3)")
        let busy = try #require(Self.row(slow, "batch")).busyMicros + (Self.row(slow, "service")?.busyMicros ?? 0)
        #expect(Double(busy) / Double(slow.endMicros) > 0.95, "saturated")
        let batch = try #require(Self.row(slow, "batch"))
        #expect(batch.jobsFullyScheduled * 2 < batch.jobsSubmitted, "most batch jobs never scheduled")
    }

    /// Multi-path: batch decisions stay fast; batch jobs wait only while a
    /// service decision holds the one scheduler (head-of-line blocking), so
    /// their wait grows with the service decision time but stays bounded.
    /// Omega: the batch scheduler never waits for the service one.
    @Test func multiPathAndSharedStateDoNotExplode() throws {
        var multi: [Double] = [], omega: [Double] = []
        for t in [100_000, Self.s, 10 * Self.s] {
            multi.append(Self.batchWait(try Self.run(Self.spec("monolithic-multipath", service: t))))
            omega.append(Self.batchWait(try Self.run(Self.spec("omega", service: t))))
        }
        // Batch decision of an average job: 0.1 s + 4.5 × 5 ms ≈ 0.12 s.
        #expect(omega.allSatisfy { $0 < 0.2 }, "\(omega)")
        #expect(multi[2] > multi[0] && multi[2] < 5, "\(multi)")
        #expect(multi[2] > omega[2])
        let single = Self.batchWait(try Self.run(Self.spec("monolithic", service: 10 * Self.s)))
        #expect(single > 20 * multi[2], "single \(single) vs multi \(multi[2])")
    }

    /// Omega's conflict modes on the mix (paper §4.2): with coarse-grained
    /// sequence numbers and gang (all-or-nothing) transactions the slow
    /// service scheduler's plans almost always meet a node the batch scheduler
    /// changed meanwhile: conflicts, few or no services scheduled. Fine-grained
    /// resource-fit on a cluster with room has no conflict at all.
    @Test func conflictModesOnTheMix() throws {
        let fine = try Self.run(Self.spec("omega", service: 10 * Self.s))
        let coarse = try Self.run(Self.spec("omega", service: 10 * Self.s) {
            $0.conflictMode = .sequenceNumbers
            $0.transactionMode = .allOrNothing
        })
        let fineService = try #require(Self.row(fine, "service")), coarseService = try #require(Self.row(coarse, "service"))
        #expect(fineService.transactionsConflicted == 0 && fineService.jobsFullyScheduled == 8)
        #expect(coarseService.transactionsConflicted > 10 && coarseService.jobsFullyScheduled < 8)
        // Busyness: the coarse service scheduler decides (and re-decides) nearly all the time.
        #expect(Double(coarseService.busyMicros) / Double(coarse.endMicros) > 0.9)
        #expect(Double(fineService.busyMicros) / Double(fine.endMicros) < 0.2)
    }

    /// Mesos: Marathon holds whole-agent offers for its decision time; with a
    /// slow Marathon (t_job 10 s) resources sit offered-but-unused for far
    /// longer than with a fast one, and the batch framework's tasks wait longer.
    @Test func mesosOffersLockResources() throws {
        func mesos(_ tJob: Int64) throws -> RunResult {
            var spec = try #require(SchedulerRegistry.preset(named: "mesos-drf")).spec
            var marathon = MesosFrameworkOptions(kind: .marathon)
            marathon.tJobMicros = tJob
            marathon.tTaskMicros = 5_000
            var batch = MesosFrameworkOptions(kind: .batch)
            batch.tJobMicros = 100_000
            batch.tTaskMicros = 5_000
            spec.mesos.frameworks = ["marathon": marathon, "batch": batch]
            return try Self.run(spec)
        }
        let fast = try mesos(100_000), slow = try mesos(10 * Self.s)
        let lockedFast = fast.frameworks?.rows.first { $0.framework == "marathon" }?.offeredUnusedCoreSeconds ?? 0
        let lockedSlow = slow.frameworks?.rows.first { $0.framework == "marathon" }?.offeredUnusedCoreSeconds ?? 0
        #expect(lockedSlow > 10 * max(lockedFast, 1), "\(lockedFast) \(lockedSlow)")
        func batchWait(_ r: RunResult) -> Double {
            let batch = r.cluster.tasks.filter { $0.spec.durationMicros != nil && $0.startMicros >= 0 }
            return batch.map { Double($0.startMicros - $0.submitMicros) / 1e6 }.reduce(0, +) / Double(max(1, batch.count))
        }
        #expect(batchWait(slow) > batchWait(fast), "\(batchWait(fast)) \(batchWait(slow))")
        // A service of 10 one-cpu tasks is 10 of 320 cpus, yet while the slow
        // Marathon decides it holds whole agents: at some sample more than half the cluster.
        let report = try #require(slow.frameworks)
        let m = try #require(report.rows.firstIndex { $0.framework == "marathon" })
        let peak = report.samples.indices.map { report.share(m, at: $0) }.max() ?? 0
        #expect(peak > 0.5, "\(peak)")
    }

    /// The bundled Mesos variant of the mix (docs/architectures.md) is the slow-Marathon case above.
    @Test func mesosScenarioFile() throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/architectures/google-mix-mesos.yaml"))
        #expect(scenario.scheduler.mesos.frameworks["marathon"]?.tJobMicros == 10 * Self.s)
        let (r, violations) = try runChecked(scenario)
        #expect(violations.isEmpty)
        let locked = r.frameworks?.rows.first { $0.framework == "marathon" }?.offeredUnusedCoreSeconds ?? 0
        #expect(locked > 1000)
    }

    /// The sweep docs/architectures.md shows loads, with the decision times it names.
    @Test func bundledSweepLoads() throws {
        let sweep = try ScenarioLoader.loadSweep(path: Repository.path("sweeps/architectures-service-decision-time.yaml"))
        #expect(sweep.cells.count == 10 && sweep.replications == 5)
        let specs = sweep.cells.map(\.scenario.scheduler)
        #expect(specs.map(\.preset) == ["monolithic", "monolithic", "monolithic", "monolithic-multipath", "monolithic-multipath",
                                        "monolithic-multipath", "omega", "omega", "omega", "omega"])
        #expect(specs[2].decision.single == DecisionTime(tJobMicros: 10 * Self.s, tTaskMicros: 5_000))
        #expect(specs[5].decision.service == DecisionTime(tJobMicros: 10 * Self.s, tTaskMicros: 5_000))
        #expect(specs[5].decision.batch == Self.batchTime)
        #expect(specs[9].decision.conflictMode == .sequenceNumbers && specs[9].decision.transactionMode == .allOrNothing)
        #expect(specs[8].decision.conflictMode == .resourceFit && specs[8].decision.transactionMode == .incremental)
    }

    /// Under node failures, drains and outages (docs/failures.md) the three
    /// presets keep the invariants after every event and lose no task.
    @Test(arguments: ["monolithic", "monolithic-multipath", "omega"]) func failureScenarios(_ preset: String) throws {
        for file in ["failures/rolling-drain", "failures/zone-outage-fleet"] {
            let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/\(file).yaml"))
            let spec = try #require(SchedulerRegistry.preset(named: preset)).spec
            let (r, violations) = try runChecked(scenario, options: RunOptions(scheduler: spec))
            #expect(violations.isEmpty, "\(file) × \(preset): \(violations.prefix(3))")
            let s = r.summary
            #expect(s.submitted == s.pending + s.running + s.finished + s.failed + s.killed, "tasks lost")
            #expect(s.scheduled > 0)
            let abandoned = r.schedulers?.reduce(0) { $0 + $1.tasksAbandoned } ?? -1
            #expect(abandoned <= s.failed, "abandoned tasks end failed")
        }
    }

    /// Same seed ⇒ byte-identical reports, schedulers.csv included.
    @Test(arguments: ["monolithic", "monolithic-multipath", "omega"]) func deterministic(_ preset: String) throws {
        let spec = try Self.spec(preset, service: 10 * Self.s) { $0.conflictMode = .sequenceNumbers }
        let a = RunArtifacts.tables(try Self.run(spec, seed: 9)), b = RunArtifacts.tables(try Self.run(spec, seed: 9))
        #expect(a.map(\.0).contains(RunArtifacts.schedulersFile))
        #expect(a.map { $0.0 } == b.map { $0.0 })
        for (x, y) in zip(a, b) { #expect(x.1.rendered() == y.1.rendered(), "\(x.0)") }
        let other = RunArtifacts.tables(try Self.run(spec, seed: 10))
        #expect(other.first { $0.0 == "tasks.csv" }?.1.rendered() != a.first { $0.0 == "tasks.csv" }?.1.rendered())
    }

    /// schedulers.csv: the documented columns, one row per scheduler × class.
    @Test func schedulersCSV() throws {
        let r = try Self.run(Self.spec("omega", service: 10 * Self.s))
        let table = try #require(RunArtifacts.tables(r).first { $0.0 == RunArtifacts.schedulersFile }?.1)
        #expect(table.header == RunReports.schedulerColumns)
        #expect(table.rows.map { Array($0.prefix(2)) } == [["batch", "batch"], ["service", "service"]])
        // busyness_frac = busy_s / run length (600 s).
        for row in table.rows {
            let busy = try #require(Double(row[7])), frac = try #require(Double(row[8]))
            #expect(abs(busy / 600 - frac) < 1e-6)
        }
    }
}
