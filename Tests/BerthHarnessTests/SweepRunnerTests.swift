import BerthHarness
import BerthReports
import BerthScenario
import BerthTestSupport
import Foundation
import Testing

/// `berth sweep`: parallel and deterministic, resumable, common seeds across cells.
@Suite struct SweepRunnerTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("berth-sweep-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// 2 schedulers × 2 pool sizes, 2 replications, on a 30-minute quickstart.
    static func sweep(in dir: String) throws -> Sweep {
        let path = dir + "/sweep.yaml"
        try """
            base: \(Repository.path("scenarios/quickstart.yaml"))
            replications: 2
            parameters:
              scheduler: [first-fit, worst-fit]
              cluster.pools[0].count: [9, 12]
              horizon: [30m]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return try ScenarioLoader.loadSweep(path: path)
    }

    static func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func jobCountAndResumingDoNotChangeTheOutput() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sweep = try Self.sweep(in: dir)
        let (a, b) = (dir + "/a", dir + "/b")
        let first = try await SweepRunner.run(sweep, out: a, jobs: 1)
        let second = try await SweepRunner.run(sweep, out: b, jobs: 3)
        #expect(second.runs == first.runs && second.statistics == first.statistics)
        #expect(first.cellsRun == 4 && first.cellsResumed == 0)
        for file in ["sweep.csv", "sweep-stats.csv"] {
            #expect(try Self.read("\(a)/\(file)") == Self.read("\(b)/\(file)"), "\(file) differs between jobs 1 and 3")
        }
        #expect(first.runs.rows.count == 4 * 2)
        #expect(first.runs.header.prefix(6) == ["cell", "scheduler", "cluster.pools[0].count", "horizon", "replication", "seed"])
        // Replication i has the same seed in every cell (common random numbers across the sweep).
        let seedColumn = try #require(first.runs.header.firstIndex(of: "seed"))
        for r in ["0", "1"] {
            #expect(Set(first.runs.rows.filter { $0[4] == r }.map { $0[seedColumn] }).count == 1)
        }
        // Nodes follow the swept pool size.
        let nodes = try #require(first.runs.header.firstIndex(of: "nodes"))
        #expect(first.runs.rows.map { $0[nodes] } == ["9", "9", "12", "12", "9", "9", "12", "12"])

        // Rerun: everything is read back, nothing runs, same bytes.
        let before = try Self.read("\(a)/sweep.csv")
        var events: [SweepRunner.Progress] = []
        let again = try await SweepRunner.run(sweep, out: a, jobs: 2) { events.append($0) }
        #expect(again.cellsRun == 0 && again.cellsResumed == 4)
        #expect(events.count == 4 && events.allSatisfy(\.resumed))
        #expect(try Self.read("\(a)/sweep.csv") == before)

        // A half-written or foreign cell file is run again; the others are kept.
        try "cell,scheduler\r\n2,first".write(toFile: "\(a)/cells/cell-00002.csv", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: "\(a)/cells/cell-00003.csv")
        let repaired = try await SweepRunner.run(sweep, out: a, jobs: 2)
        #expect(repaired.cellsRun == 2 && repaired.cellsResumed == 2)
        #expect(try Self.read("\(a)/sweep.csv") == before)
        #expect(try Self.read("\(a)/sweep-stats.csv") == Self.read("\(b)/sweep-stats.csv"))
    }

    @Test func statisticsAreOverTheCellsReplications() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try await SweepRunner.run(try Self.sweep(in: dir), out: dir + "/out", jobs: 2)
        let stats = result.statistics
        #expect(stats.header == ["cell", "scheduler", "cluster.pools[0].count", "horizon"] + SweepRunner.statisticsColumns)
        let metric = try #require(stats.header.firstIndex(of: "metric"))
        let mean = try #require(stats.header.firstIndex(of: "mean"))
        let submitted = try #require(result.runs.header.firstIndex(of: "tasks_submitted"))
        for cell in 0..<4 {
            let values = result.runs.rows.filter { $0[0] == String(cell) }.compactMap { Double($0[submitted]) }
            let row = try #require(stats.rows.first { $0[0] == String(cell) && $0[metric] == "tasks_submitted" })
            #expect(row[mean] == CSVNumber.fixed(values.reduce(0, +) / Double(values.count)))
        }
    }
}
