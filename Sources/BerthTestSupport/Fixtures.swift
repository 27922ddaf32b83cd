import BerthCluster
import BerthHarness
import BerthScenario
import Foundation

/// Paths into the repository for tests that read bundled files.
public enum Repository {
    /// The package root (two levels above this file's folder).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Every bundled scenario file (scenarios/*.yaml|json), sorted.
    public static func bundledScenarios() -> [String] {
        let dir = path("scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
            .sorted().map { "\(dir)/\($0)" }
    }

    /// The shared traces folder beside the repository, if present (CI copies it there).
    public static var sharedTraces: String? {
        let candidate = root.deletingLastPathComponent().appendingPathComponent("shared/traces").path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }
}

/// Runs `scenario` with invariants checked after every event — against an
/// independent shadow ledger (``InvariantObserver``) — and a full ledger
/// recomputation at the end. Returns the result and every violation seen.
public func runChecked(_ scenario: Scenario, options: RunOptions = RunOptions()) throws -> (RunResult, [String]) {
    var violations: [String] = []
    var lastTime: Int64 = -1
    let shadow = InvariantObserver()
    var opts = options
    opts.observers.append(shadow)
    let previous = options.afterEachEvent
    opts.afterEachEvent = { cluster, now in
        previous?(cluster, now)
        if now < lastTime { violations.append("time went backwards: \(now) after \(lastTime)") }
        lastTime = now
        if violations.count < 20 {
            violations += shadow.violations(in: cluster).map { "t=\(now)µs: \($0)" }
        }
    }
    let result = try Simulator(scenario: scenario, options: opts).run()
    violations += result.cluster.invariantViolations(recomputeLedger: true).map { "at end: \($0)" }
    return (result, violations)
}
