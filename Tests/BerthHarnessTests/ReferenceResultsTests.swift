import BerthHarness
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Foundation
import Testing

/// results/README.md is what `scripts/reference-results.sh` writes: three of
/// its scenarios are re-run here under every preset and their tables compared
/// character for character (a stale table after a change to any policy fails).
@Suite struct ReferenceResultsTests {
    /// The `## name` section of a Markdown text, up to the next section.
    static func section(_ name: String, in text: String) -> String? {
        guard let start = text.range(of: "\n## \(name)\n") else { return nil }
        let rest = text[start.lowerBound...].dropFirst()
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: ["scenarios/kubernetes/preemption.yaml", "scenarios/kubernetes/topology-spread.yaml",
                      "scenarios/swarm/racks-and-limits.yaml"])
    func tablesAreReproducible(_ file: String) async throws {
        let readme = try String(contentsOfFile: Repository.path("results/README.md"), encoding: .utf8)
        let scenario = try ScenarioLoader.load(path: Repository.path(file))
        let schedulers = try SchedulerRegistry.names.map { NamedScheduler(name: $0, spec: try #require(SchedulerRegistry.preset(named: $0)).spec) }
        let plan = ComparisonPlan(scenarios: [scenario], schedulers: schedulers, replications: 3, baseline: 0)
        let report = ComparisonReport(plan: plan, records: try await Comparison.execute(plan, jobs: 2, details: false))
        // The script names scenarios relative to the repository.
        let markdown = report.markdown(metrics: ComparisonReport.defaultPrintedMetrics)
            .replacingOccurrences(of: "`\(Repository.path(file))`", with: "`\(file)`")
        let ours = try #require(Self.section(scenario.name, in: "\n" + markdown))
        let theirs = try #require(Self.section(scenario.name, in: readme), "results/README.md has no section \(scenario.name)")
        #expect(ours == theirs, "results/README.md is stale for \(scenario.name): run scripts/reference-results.sh")
        // Every preset has a row.
        #expect(SchedulerRegistry.names.allSatisfy { theirs.contains("\n| \($0) |") })
    }
}
