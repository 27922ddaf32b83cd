import BerthHarness
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Foundation
import Testing

/// Same scenario + seed ⇒ byte-identical CSV, on any thread, any number of times.
@Suite struct DeterminismTests {
    static func renderedCSVs(_ path: String, seed: UInt64? = nil, scheduler: String? = nil) throws -> [String: String] {
        let scenario = try ScenarioLoader.load(path: path)
        let spec = scheduler.flatMap { SchedulerRegistry.preset(named: $0)?.spec }
        let result = try Simulator(scenario: scenario, options: RunOptions(seed: seed, scheduler: spec)).run()
        var files: [String: String] = [:]
        for (name, table) in RunArtifacts.tables(result) { files[name] = table.rendered() }
        return files
    }

    @Test(arguments: Repository.bundledScenarios()) func twoRunsAreByteIdentical(_ path: String) throws {
        let a = try Self.renderedCSVs(path)
        let b = try Self.renderedCSVs(path)
        #expect(Set(a.keys) == Set(RunArtifacts.deterministicFiles))
        for name in RunArtifacts.deterministicFiles { #expect(a[name] == b[name], "\(path): \(name) differs between runs") }
    }

    @Test func parallelRunsMatchASerialRun() async throws {
        let path = Repository.path("scenarios/quickstart.yaml")
        let serial = try Self.renderedCSVs(path)
        let parallel = try await withThrowingTaskGroup(of: [String: String].self) { group in
            for _ in 0..<4 { group.addTask { try Self.renderedCSVs(path) } }
            var all: [[String: String]] = []
            for try await r in group { all.append(r) }
            return all
        }
        for r in parallel { #expect(r == serial) }
    }

    @Test func filesOnDiskAreByteIdentical() throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/quickstart.yaml"))
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("berth-det-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        for run in ["a", "b"] {
            let result = try Simulator(scenario: scenario).run()
            try RunArtifacts.write(result, to: base.appendingPathComponent(run).path)
        }
        for name in RunArtifacts.deterministicFiles {
            let a = try Data(contentsOf: base.appendingPathComponent("a/\(name)"))
            let b = try Data(contentsOf: base.appendingPathComponent("b/\(name)"))
            #expect(!a.isEmpty && a == b, "\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("a/perf.csv").path))
    }

    @Test func differentSeedsGiveDifferentWorkloads() throws {
        let path = Repository.path("scenarios/quickstart.yaml")
        #expect(try Self.renderedCSVs(path, seed: 1)["tasks.csv"] != Self.renderedCSVs(path, seed: 2)["tasks.csv"])
    }

    /// Common random numbers: the same seed gives every scheduler the same
    /// arrivals, job sizes and durations, so differences come from placement.
    @Test func schedulersSeeTheSameWorkload() throws {
        let path = Repository.path("scenarios/mixed-three-zones.yaml")
        func workloadColumns(_ scheduler: String) throws -> [String] {
            let csv = try #require(Self.renderedCSVs(path, scheduler: scheduler)["tasks.csv"])
            let rows = try #require(CSVTable.parse(csv))
            // name, workload, job, submit_s identify the drawn workload.
            return rows.dropFirst().map { [$0[1], $0[2], $0[3], $0[5]].joined(separator: "|") }.sorted()
        }
        let reference = try workloadColumns("first-fit")
        #expect(reference.count > 1000)
        for other in ["best-fit", "worst-fit", "dot-product"] { #expect(try workloadColumns(other) == reference, "\(other)") }
    }
}

