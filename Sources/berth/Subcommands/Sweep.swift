import ArgumentParser
import BerthHarness
import BerthScenario
import Foundation

extension BerthCommand {
    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a parameter sweep: a base scenario × every combination of parameter values × replications.",
            discussion: """
                SWEEP.yaml names a base scenario, the fields to vary by path (cluster.pools[0].count: [6, 12], \
                scheduler: [first-fit, worst-fit], workloads[1].arrival.rate: [10/h, 20/h]) and the replications. \
                Writes sweep.csv (one row per run) and sweep-stats.csv (mean, stddev, 95% CI per cell and metric). \
                Finished cells are kept in OUT/cells/ and not re-run: an interrupted sweep resumes. Output does not \
                depend on --jobs. With --shard i/N only the cells numbered i modulo N run (one machine's slice; \
                no sweep.csv): `berth merge` combines the shards. Docs: docs/sweep.md, docs/distributed.md.
                """)

        @Argument(help: "The sweep file (YAML).")
        var file: String

        @Option(name: .long, help: "Output folder (default: results/sweep/<sweep file name>).")
        var out: String?

        @Option(name: .long, help: "Cells at once (default: the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(name: .long, help: "Run only shard i of N (i/N, 0-based): the cells whose number is i modulo N.")
        var shard: String?

        @Flag(name: .long, help: "No progress on standard error.")
        var quiet = false

        @Flag(name: .long, help: "Also write OUT/report.html (charts of every metric against the parameters; see `berth report`).")
        var html = false

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
            if let shard, SweepRunner.Shard(shard) == nil {
                throw ValidationError("--shard expects i/N with 0 ≤ i < N (e.g. 0/4), got \"\(shard)\"")
            }
        }

        func run() async throws {
            let sweep: BerthScenario.Sweep
            do { sweep = try ScenarioLoader.loadSweep(path: file) } catch {
                printError(error.description)
                throw ExitCode(2)
            }
            let directory = out ?? "results/sweep/" + ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let slice = shard.flatMap(SweepRunner.Shard.init)
            let reporter = ProgressReporter(enabled: !quiet, total: slice.map { s in sweep.cells.filter(s.contains).count } ?? sweep.cells.count)
            let result: SweepRunner.Result
            do {
                result = try await SweepRunner.run(sweep, out: directory, jobs: jobs, shard: slice) { p in
                    let what = zip(sweep.parameters, p.cell.values).map { "\($0)=\($1)" }.joined(separator: ", ")
                    reporter.report(finished: p.finished, ran: !p.resumed,
                                    line: "cell \(p.cell.index) \(p.resumed ? "resumed" : "done") (\(what))")
                }
            } catch {
                reporter.finish()
                printError("berth: \(error)")
                throw ExitCode(1)
            }
            reporter.finish()
            if html && slice == nil { try writeHTMLReport(directory, quiet: quiet) }
            guard !quiet else { return }
            if let slice {
                print("sweep \(file) shard \(slice.index)/\(slice.count): \(result.cellsRun) cells run, \(result.cellsResumed) resumed")
                print("cells: \(directory)/cells/ (combine the shards with `berth merge \(file) DIR…`)")
                return
            }
            print("sweep \(file): \(sweep.cells.count) cells × \(sweep.replications) replications "
                  + "(\(result.cellsRun) run, \(result.cellsResumed) resumed)")
            print("reports: \(directory)/sweep.csv, \(directory)/sweep-stats.csv")
        }
    }
}
