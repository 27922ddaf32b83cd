import BerthMetrics
import BerthReports
import BerthScenario
import Foundation

/// Runs a ``Sweep``: every cell × replication, cells in parallel, each cell's
/// runs written atomically to `OUT/cells/cell-NNNNN.csv` as soon as the cell
/// is done. A rerun reads back every cell file that matches (same parameter
/// values, replications and seeds) instead of running it again, so an
/// interrupted sweep resumes. `sweep.csv` and `sweep-stats.csv` are then built
/// from the cell files in cell order: byte-identical whatever `jobs` is and
/// whether or not the sweep was resumed. docs/sweep.md.
public enum SweepRunner {
    /// Reported after each cell.
    public struct Progress: Sendable {
        public var cell: Sweep.Cell
        public var finished: Int
        public var total: Int
        /// The cell was read back from an earlier run instead of run.
        public var resumed: Bool
    }

    public struct Result: Sendable {
        public var runs: CSVTable
        public var statistics: CSVTable
        public var cellsRun: Int
        public var cellsResumed: Int
    }

    public enum SweepError: Error, CustomStringConvertible {
        case run(cell: Int, RunError)
        case write(RunArtifacts.WriteError)
        case missingCell(Int, searched: [String])
        public var description: String {
            switch self {
            case .run(let cell, let e): "cell \(cell): \(e)"
            case .write(let e): "\(e)"
            case .missingCell(let cell, let dirs):
                "cell \(cell) is in none of \(dirs.joined(separator: ", ")) (cells/cell-NNNNN.csv with this sweep's values and seeds); run its shard first"
            }
        }
    }

    /// A deterministic slice of a sweep for one machine: shard `index` of
    /// `count` runs the cells whose number is `index` modulo `count`.
    public struct Shard: Sendable, Equatable {
        public var index: Int
        public var count: Int

        public init?(index: Int, count: Int) {
            guard count >= 1, index >= 0, index < count else { return nil }
            self.index = index
            self.count = count
        }

        /// `"i/N"`, e.g. `0/4`.
        public init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
            self.init(index: i, count: n)
        }

        public func contains(_ cell: Sweep.Cell) -> Bool { cell.index % count == index }
    }

    public static let statisticsColumns = ["metric", "n", "mean", "stddev", "ci95_low", "ci95_high", "min", "max"]

    /// The header of a cell's rows before the metrics.
    static func identity(_ sweep: Sweep) -> [String] { ["cell"] + sweep.parameters + ["replication", "seed"] }

    static func cellPath(_ out: String, _ index: Int) -> String {
        let name = "cell-" + String(repeating: "0", count: max(0, 5 - String(index).count)) + String(index) + ".csv"
        return ((out as NSString).appendingPathComponent("cells") as NSString).appendingPathComponent(name)
    }

    /// The rows a cell must have: its identity columns per replication.
    static func expectedIdentity(_ sweep: Sweep, _ cell: Sweep.Cell) -> [[String]] {
        (0..<sweep.replications).map { r in
            [String(cell.index)] + cell.values + [String(r), String(ComparisonPlan.replicationSeed(base: cell.scenario.seed, replication: r))]
        }
    }

    /// A finished cell's table read back, if it matches the cell exactly.
    static func resumable(_ sweep: Sweep, _ cell: Sweep.Cell, out: String) -> CSVTable? {
        guard let data = FileManager.default.contents(atPath: cellPath(out, cell.index)), let text = String(data: data, encoding: .utf8),
              let rows = CSVTable.parse(text), let header = rows.first else { return nil }
        let id = identity(sweep)
        let expected = expectedIdentity(sweep, cell)
        guard Array(header.prefix(id.count)) == id, rows.count == expected.count + 1,
              zip(rows.dropFirst(), expected).allSatisfy({ Array($0.prefix(id.count)) == $1 && $0.count == header.count }) else { return nil }
        var table = CSVTable(header: header)
        for row in rows.dropFirst() { table.append(row) }
        return table
    }

    /// Runs a cell's replications (one after another) and writes its file atomically.
    static func runCell(_ sweep: Sweep, _ cell: Sweep.Cell, out: String) throws(SweepError) -> CSVTable {
        var table: CSVTable?
        for (r, identity) in expectedIdentity(sweep, cell).enumerated() {
            let run = ComparisonPlan.Run(scenario: cell.index, scheduler: 0, replication: r,
                                         seed: ComparisonPlan.replicationSeed(base: cell.scenario.seed, replication: r))
            let record: RunRecord
            do { record = try Comparison.record(run, scenario: cell.scenario, spec: cell.scenario.scheduler) } catch {
                throw .run(cell: cell.index, error)
            }
            if table == nil { table = CSVTable(header: Self.identity(sweep) + record.metricNames) }
            table?.append(identity + record.fields)
        }
        let result = table ?? CSVTable(header: identity(sweep))
        let path = cellPath(out, cell.index)
        do {
            try RunArtifacts.writeTables([((path as NSString).lastPathComponent, result)], to: (path as NSString).deletingLastPathComponent)
        } catch {
            throw .write(error)
        }
        return result
    }

    /// With a `shard`, only that slice's cells run and only their cell files are
    /// written (no sweep.csv): `merge` builds the sweep's files from the shards.
    public static func run(_ sweep: Sweep, out: String, jobs: Int, shard: Shard? = nil,
                           progress: (Progress) -> Void = { _ in }) async throws(SweepError) -> Result {
        let cells = shard.map { s in sweep.cells.filter(s.contains) } ?? sweep.cells
        // Cells already done are read first (no task needed); the rest run in parallel.
        var tables = cells.map { resumable(sweep, $0, out: out) }
        var finished = 0
        for (i, table) in tables.enumerated() where table != nil {
            finished += 1
            progress(Progress(cell: cells[i], finished: finished, total: cells.count, resumed: true))
        }
        let resumed = finished
        let pending = tables.indices.filter { tables[$0] == nil }
        let fresh: [Swift.Result<CSVTable, SweepError>]
        do throws(RunError) {
            fresh = try await Parallel.map(pending.count, jobs: jobs, { k throws(RunError) in
                do throws(SweepError) { return .success(try runCell(sweep, cells[pending[k]], out: out)) } catch { return .failure(error) }
            }, finished: { k, _ in
                finished += 1
                progress(Progress(cell: cells[pending[k]], finished: finished, total: cells.count, resumed: false))
            })
        } catch {
            throw .run(cell: -1, error)
        }
        for (k, outcome) in fresh.enumerated() {
            switch outcome {
            case .success(let table): tables[pending[k]] = table
            case .failure(let error): throw error
            }
        }
        if shard != nil {
            let id = identity(sweep)
            return Result(runs: CSVTable(header: id), statistics: CSVTable(header: ["cell"] + sweep.parameters + statisticsColumns),
                          cellsRun: pending.count, cellsResumed: resumed)
        }
        let done = tables.compactMap { $0 }
        let summary = aggregate(sweep, done)
        let result = Result(runs: summary.runs, statistics: summary.statistics, cellsRun: pending.count, cellsResumed: resumed)
        do {
            try RunArtifacts.writeTables([("sweep.csv", result.runs), ("sweep-stats.csv", result.statistics)], to: out)
        } catch {
            throw .write(error)
        }
        return result
    }

    /// Combines shard outputs (`dirs`, each an `--out` folder of `sweep --shard`)
    /// into `out`: every cell file and the sweep.csv and sweep-stats.csv an
    /// unsharded run writes, byte for byte. Nothing is run; a cell missing from
    /// every folder is an error.
    public static func merge(_ sweep: Sweep, from dirs: [String], out: String) throws(SweepError) -> Result {
        var tables: [CSVTable] = []
        for cell in sweep.cells {
            guard let table = dirs.lazy.compactMap({ resumable(sweep, cell, out: $0) }).first else {
                throw .missingCell(cell.index, searched: dirs)
            }
            tables.append(table)
        }
        let summary = aggregate(sweep, tables)
        do {
            for (cell, table) in zip(sweep.cells, tables) {
                let path = cellPath(out, cell.index)
                try RunArtifacts.writeTables([((path as NSString).lastPathComponent, table)], to: (path as NSString).deletingLastPathComponent)
            }
            try RunArtifacts.writeTables([("sweep.csv", summary.runs), ("sweep-stats.csv", summary.statistics)], to: out)
        } catch {
            throw .write(error)
        }
        return Result(runs: summary.runs, statistics: summary.statistics, cellsRun: 0, cellsResumed: tables.count)
    }

    /// sweep.csv (every run) and sweep-stats.csv (per cell × metric statistics over the replications).
    static func aggregate(_ sweep: Sweep, _ tables: [CSVTable]) -> (runs: CSVTable, statistics: CSVTable) {
        let id = identity(sweep)
        var metrics: [String] = []
        var seen = Set<String>()
        for t in tables { for m in t.header.dropFirst(id.count) where seen.insert(m).inserted { metrics.append(m) } }
        var runs = CSVTable(header: id + metrics)
        var stats = CSVTable(header: ["cell"] + sweep.parameters + statisticsColumns)
        for (cell, table) in zip(sweep.cells, tables) {
            let columns = Dictionary(uniqueKeysWithValues: table.header.enumerated().map { ($1, $0) })
            for row in table.rows { runs.append(Array(row.prefix(id.count)) + metrics.map { columns[$0].map { row[$0] } ?? "" }) }
            for metric in metrics {
                guard let c = columns[metric] else { continue }
                let ci = ConfidenceInterval(table.rows.compactMap { Double($0[c]) })
                stats.append([String(cell.index)] + cell.values + [metric, String(ci.count)]
                             + [ci.mean, ci.stddev, ci.low, ci.high, ci.min, ci.max].map { CSVNumber.fixed($0) })
            }
        }
        return (runs, stats)
    }
}
