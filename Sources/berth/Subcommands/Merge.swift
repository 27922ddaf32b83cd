import ArgumentParser
import BerthHarness
import BerthScenario
import Foundation

extension BerthCommand {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Combine the outputs of `berth sweep --shard i/N` runs into the files an unsharded sweep writes.",
            discussion: """
                Reads OUT/cells/cell-NNNNN.csv from each shard folder (any order; a cell may be in several), checks \
                every cell of the sweep is present with its parameter values and seeds, and writes the cells, \
                sweep.csv and sweep-stats.csv to --out, byte-identical to an unsharded run. Runs nothing. \
                Docs: docs/distributed.md.
                """)

        @Argument(help: "The sweep file the shards ran.")
        var file: String

        @Argument(help: "The shards' output folders.")
        var shards: [String]

        @Option(name: .long, help: "Where to write the merged sweep (default: results/sweep/<sweep file name>).")
        var out: String?

        func validate() throws {
            guard !shards.isEmpty else { throw ValidationError("give at least one shard folder") }
        }

        func run() throws {
            let sweep: BerthScenario.Sweep
            do { sweep = try ScenarioLoader.loadSweep(path: file) } catch {
                printError(error.description)
                throw ExitCode(2)
            }
            let directory = out ?? "results/sweep/" + ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            do {
                let result = try SweepRunner.merge(sweep, from: shards, out: directory)
                print("merged \(result.cellsResumed) cells from \(shards.count) shard folder(s)")
                print("reports: \(directory)/sweep.csv, \(directory)/sweep-stats.csv")
            } catch {
                printError("berth: \(error)")
                throw ExitCode(1)
            }
        }
    }
}
