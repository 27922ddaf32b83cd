import BerthTestSupport
import Foundation
import Testing
@testable import BerthScenario

/// Sweep files: field paths, the Cartesian product, located mistakes.
@Suite struct SweepLoaderTests {
    @Test(arguments: [
        ("scheduler", [PathSegment.key("scheduler")]),
        ("cluster.pools[0].count", [.key("cluster"), .key("pools"), .index(0), .key("count")]),
        ("workloads[1].arrival.rate", [.key("workloads"), .index(1), .key("arrival"), .key("rate")]),
        ("workloads[0].labels[\"app.kubernetes.io/name\"]", [.key("workloads"), .index(0), .key("labels"), .key("app.kubernetes.io/name")]),
    ])
    func pathsParse(_ text: String, _ expected: [PathSegment]) {
        #expect(PathSegment.parse(text) == expected)
    }

    @Test(arguments: ["", ".a", "a.", "a..b", "a[x]", "a[-1]", "a b", "a[0", "[0]b"])
    func malformedPathsAreRejected(_ text: String) {
        #expect(PathSegment.parse(text) == nil, "\(text)")
    }

    static func write(_ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("berth-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("sweep.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func cellsAreTheCartesianProductFirstParameterSlowest() throws {
        let path = try Self.write("""
            base: \(Repository.path("scenarios/quickstart.yaml"))
            replications: 3
            parameters:
              scheduler: [first-fit, worst-fit]
              cluster.pools[0].count: [6, 9, 12]
              horizon: [30m]
            """)
        let sweep = try ScenarioLoader.loadSweep(path: path)
        #expect(sweep.replications == 3)
        #expect(sweep.parameters == ["scheduler", "cluster.pools[0].count", "horizon"])
        #expect(sweep.cells.count == 6)
        #expect(sweep.cells.map(\.values) == [["first-fit", "6", "30m"], ["first-fit", "9", "30m"], ["first-fit", "12", "30m"],
                                              ["worst-fit", "6", "30m"], ["worst-fit", "9", "30m"], ["worst-fit", "12", "30m"]])
        #expect(sweep.cells.map(\.scenario.nodes.count) == [6, 9, 12, 6, 9, 12])
        #expect(sweep.cells.map(\.scenario.scheduler.preset) == ["first-fit", "first-fit", "first-fit", "worst-fit", "worst-fit", "worst-fit"])
        #expect(sweep.cells.allSatisfy { $0.scenario.horizonMicros == 1_800_000_000 })
        // Everything not swept is the base's.
        #expect(sweep.cells.allSatisfy { $0.scenario.seed == 42 && $0.scenario.workloads.count == 2 })
    }

    /// The bundled example (the one docs/sweep.md shows) loads.
    @Test func bundledSweepLoads() throws {
        let sweep = try ScenarioLoader.loadSweep(path: Repository.path("sweeps/quickstart-size.yaml"))
        #expect(sweep.cells.count == 8 && sweep.replications == 3)
        #expect(sweep.base == Repository.path("scenarios/quickstart.yaml"))
        #expect(sweep.cells.last?.values == ["worst-fit", "12", "20/h"])
    }

    @Test func mistakesAreLocated() throws {
        let path = try Self.write("""
            base: \(Repository.path("scenarios/quickstart.yaml"))
            parameters:
              cluster.pools[0].count: [-1, 4]
              scheduler: [best-fitt]
            """)
        do {
            _ = try ScenarioLoader.loadSweep(path: path)
            Issue.record("loaded a sweep with bad values")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.count == 2, "\(lines)")
            #expect(lines.contains("\(path):3:28: error: cluster.pools[0].count: cell 0 (cluster.pools[0].count=-1, scheduler=best-fitt): must be at least 0, got -1"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):4:15: error: scheduler: cell 0") && $0.contains("did you mean \"best-fit\"?") })
        }
        let missing = try Self.write("""
            base: \(Repository.path("scenarios/quickstart.yaml"))
            parameters:
              cluster.pools[2].count: [1]
              workload[0].replicas: [1]
            replication: 2
            """)
        do {
            _ = try ScenarioLoader.loadSweep(path: missing)
            Issue.record("loaded a sweep with a bad key")
        } catch {
            // The sweep file's own mistakes come first (nothing is built from a broken file).
            #expect(error.diagnostics.map(\.description) == ["\(missing):5:1: error: replication: unknown key \"replication\" (did you mean \"replications\"?)"])
        }
        let paths = try Self.write("""
            base: \(Repository.path("scenarios/quickstart.yaml"))
            parameters:
              cluster.pools[2].count: [1]
              workload[0].replicas: [1]
            """)
        do {
            _ = try ScenarioLoader.loadSweep(path: paths)
            Issue.record("loaded a sweep with bad paths")
        } catch {
            #expect(error.diagnostics.map(\.message) == [
                "the base scenario's cluster.pools has 1 item; cluster.pools[2] does not exist",
                "the base scenario has no \"workload\"",
            ])
        }
    }
}
