import BerthReports
import Foundation

/// A stored baseline of a run for `berth check --baseline DIR`: under
/// `DIR/<scenario name>/`, `summary.csv` (the run's summary, as `berth run`
/// writes it) and `placements.csv` (`task_id,name,workload,node`, one row per
/// task). Written by `berth run --golden DIR`.
public enum Golden {
    public static let placementColumns = ["task_id", "name", "workload", "node"]

    /// The folder of a scenario's baseline.
    public static func folder(_ root: String, scenario: String) -> String {
        (root as NSString).appendingPathComponent(scenario)
    }

    public static func tables(_ result: RunResult) -> [(String, CSVTable)] {
        let tasks = RunReports.tasks(result.cluster, workloadNames: result.scenario.workloads.map(\.name))
        let keep = placementColumns.compactMap { tasks.header.firstIndex(of: $0) }
        var placements = CSVTable(header: placementColumns)
        for row in tasks.rows { placements.append(keep.map { row[$0] }) }
        return [("summary.csv", RunReports.summary(result.summary)), ("placements.csv", placements)]
    }

    /// Writes the baseline of `result` under `root/<scenario name>/`, each file atomically.
    public static func write(_ result: RunResult, to root: String) throws(RunArtifacts.WriteError) {
        try RunArtifacts.writeTables(tables(result), to: folder(root, scenario: result.scenario.name))
    }

    /// What a baseline recorded about how it was run.
    public struct Recorded: Sendable, Equatable {
        public var scheduler: String
        public var seed: UInt64
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot read the baseline \(path): \(reason)" }
    }

    /// A baseline as read from disk.
    public struct Baseline: Sendable {
        public var folder: String
        public var summary: [[String]]
        public var placements: [[String]]

        public init(folder: String, summary: [[String]], placements: [[String]]) {
            self.folder = folder
            self.summary = summary
            self.placements = placements
        }

        public var recorded: Recorded? {
            guard summary.count == 2, let s = summary[0].firstIndex(of: "scheduler"), let k = summary[0].firstIndex(of: "seed"),
                  let seed = UInt64(summary[1][k]) else { return nil }
            return Recorded(scheduler: summary[1][s], seed: seed)
        }
    }

    public static func read(_ root: String, scenario: String) throws(ReadError) -> Baseline {
        let dir = folder(root, scenario: scenario)
        func table(_ name: String) throws(ReadError) -> [[String]] {
            let path = (dir as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw ReadError(path: path, reason: "missing or unreadable (write it with `berth run SCENARIO --golden \(root)`)")
            }
            guard let rows = CSVTable.parse(text), let header = rows.first, rows.allSatisfy({ $0.count == header.count }) else {
                throw ReadError(path: path, reason: "not a well-formed CSV file")
            }
            return rows
        }
        let baseline = Baseline(folder: dir, summary: try table("summary.csv"), placements: try table("placements.csv"))
        guard baseline.recorded != nil else {
            throw ReadError(path: (dir as NSString).appendingPathComponent("summary.csv"), reason: "expected one summary row with scheduler and seed")
        }
        guard baseline.placements.first == placementColumns else {
            throw ReadError(path: (dir as NSString).appendingPathComponent("placements.csv"),
                            reason: "expected the header \(placementColumns.joined(separator: ","))")
        }
        return baseline
    }

    /// Relative tolerances by metric; `*` applies to metrics not named.
    public struct Tolerances: Sendable, Equatable {
        public var byMetric: [String: Double]
        public init(_ byMetric: [String: Double] = [:]) { self.byMetric = byMetric }
        public func of(_ metric: String) -> Double { byMetric[metric] ?? byMetric["*"] ?? 0 }
    }

    /// Whether `now` is within `relative` of `baseline`: |now − baseline| ≤ relative · |baseline|,
    /// or ≤ relative when the baseline is 0.
    public static func within(_ now: Double, _ baseline: Double, relative: Double) -> Bool {
        abs(now - baseline) <= relative * (baseline == 0 ? 1 : abs(baseline))
    }

    /// At most this many placement differences are listed (then a count of the rest).
    public static let placementDiffLimit = 20

    /// The differences between the baseline and `result`, one readable line each;
    /// empty when metrics are within tolerance and placements identical.
    public static func diff(_ baseline: Baseline, _ result: RunResult, tolerances: Tolerances) -> [String] {
        let current = tables(result)
        return diffSummary(baseline.summary, current[0].1, tolerances: tolerances)
            + diffPlacements(baseline.placements, current[1].1)
    }

    static func diffSummary(_ baseline: [[String]], _ now: CSVTable, tolerances: Tolerances) -> [String] {
        var lines: [String] = []
        let old = Dictionary(zip(baseline[0], baseline[1]), uniquingKeysWith: { a, _ in a })
        let new = Dictionary(zip(now.header, now.rows[0]), uniquingKeysWith: { a, _ in a })
        for column in now.header.dropFirst(Comparison.identityColumns.count) {
            guard let b = old[column] else { lines.append("metric \(column): not in the baseline (now \(show(new[column])))"); continue }
            let c = new[column] ?? ""
            if b == c { continue }
            let tolerance = tolerances.of(column)
            guard let x = Double(b), let y = Double(c) else {
                lines.append("metric \(column): baseline \(show(b)), now \(show(c))")
                continue
            }
            if within(y, x, relative: tolerance) { continue }
            var change = ""
            if x != 0 { change = "\(y > x ? "+" : "")\(CSVNumber.fixed((y - x) / abs(x) * 100, digits: 2))%, " }
            lines.append("metric \(column): baseline \(b), now \(c) (\(change)tolerance \(CSVNumber.fixed(tolerance * 100, digits: 2))%)")
        }
        for column in baseline[0].dropFirst(Comparison.identityColumns.count) where new[column] == nil {
            lines.append("metric \(column): in the baseline (\(show(old[column]))), not in this run")
        }
        return lines
    }

    static func show(_ field: String?) -> String { (field ?? "").isEmpty ? "no value" : field ?? "" }

    static func diffPlacements(_ baseline: [[String]], _ now: CSVTable) -> [String] {
        var lines: [String] = []
        var differing = 0
        let old = Array(baseline.dropFirst())
        for i in 0..<max(old.count, now.rows.count) {
            let line: String?
            switch (i < old.count ? old[i] : nil, i < now.rows.count ? now.rows[i] : nil) {
            case (let b?, let c?) where b != c:
                if b[1] != c[1] {
                    line = "task \(b[0]): baseline \(b[1]) on \(nodeName(b[3])), now \(c[1]) on \(nodeName(c[3]))"
                } else {
                    line = "task \(b[0]) \(b[1]): baseline \(nodeName(b[3])), now \(nodeName(c[3]))"
                }
            case (let b?, nil): line = "task \(b[0]) \(b[1]): in the baseline (\(nodeName(b[3]))), not submitted in this run"
            case (nil, let c?): line = "task \(c[0]) \(c[1]): new in this run (\(nodeName(c[3])))"
            default: line = nil
            }
            guard let line else { continue }
            differing += 1
            if differing <= placementDiffLimit { lines.append("placement " + line) }
        }
        if differing > placementDiffLimit {
            lines.append("placement: … and \(differing - placementDiffLimit) more tasks differ (\(differing) in all)")
        }
        return lines
    }

    static func nodeName(_ node: String) -> String { node.isEmpty ? "unplaced" : node }
}
