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
                depend on --jobs. Docs: docs/sweep.md.
                """)

        @Argument(help: "The sweep file (YAML).")
        var file: String

        @Option(name: .long, help: "Output folder (default: results/sweep/<sweep file name>).")
        var out: String?

        @Option(name: .long, help: "Cells at once (default: the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(name: .long, help: "No progress on standard error.")
        var quiet = false

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        }

        func run() async throws {
            let sweep: BerthScenario.Sweep
            do { sweep = try ScenarioLoader.loadSweep(path: file) } catch {
                printError(error.description)
                throw ExitCode(2)
            }
            let directory = out ?? "results/sweep/" + ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let reporter = ProgressReporter(enabled: !quiet, total: sweep.cells.count)
            let result: SweepRunner.Result
            do {
                result = try await SweepRunner.run(sweep, out: directory, jobs: jobs) { reporter.report($0, parameters: sweep.parameters) }
            } catch {
                reporter.finish()
                printError("berth: \(error)")
                throw ExitCode(1)
            }
            reporter.finish()
            guard !quiet else { return }
            print("sweep \(file): \(sweep.cells.count) cells × \(sweep.replications) replications "
                  + "(\(result.cellsRun) run, \(result.cellsResumed) resumed)")
            print("reports: \(directory)/sweep.csv, \(directory)/sweep-stats.csv")
        }
    }
}

/// Progress on standard error: a bar with ETA redrawn in place on a terminal,
/// one plain line per cell otherwise.
final class ProgressReporter {
    let enabled: Bool
    let total: Int
    let terminal = isatty(FileHandle.standardError.fileDescriptor) != 0
    let clock = ContinuousClock()
    let started: ContinuousClock.Instant
    var ran = 0

    init(enabled: Bool, total: Int) {
        self.enabled = enabled
        self.total = total
        started = clock.now
    }

    func report(_ p: SweepRunner.Progress, parameters: [String]) {
        guard enabled else { return }
        if !p.resumed { ran += 1 }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let remaining = total - p.finished
        let eta = ran > 0 ? seconds / Double(ran) * Double(remaining) : 0
        let what = zip(parameters, p.cell.values).map { "\($0)=\($1)" }.joined(separator: ", ")
        let timing = String(format: "%.1f s elapsed, ETA %.1f s", seconds, eta)
        if terminal {
            let width = 30
            let filled = total > 0 ? width * p.finished / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(p.finished)/\(total) · \(timing)\u{1B}[K".utf8))
        } else {
            printError("[\(p.finished)/\(total)] cell \(p.cell.index) \(p.resumed ? "resumed" : "done") (\(what)) · \(timing)")
        }
    }

    func finish() {
        if enabled && terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
