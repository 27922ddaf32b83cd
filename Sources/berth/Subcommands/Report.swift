import ArgumentParser
import BerthHarness
import Foundation

extension BerthCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one self-contained HTML report (charts, tables) from a run, compare or sweep output folder.",
            discussion: """
                DIR is what `berth run --out`, `berth compare --out` or `berth sweep --out` wrote; the kind is told by \
                its files (summary.csv, comparison.csv, sweep-stats.csv). Writes DIR/report.html: inline SVG charts \
                and CSS, no script, nothing fetched from the network. Docs: docs/reports.md#html-reports.
                """)

        @Argument(help: "The output folder of a berth run, compare or sweep.")
        var directory: String

        func run() throws {
            try writeHTMLReport(directory)
        }
    }
}

/// Writes DIR/report.html and says where; exits 1 with the reason on failure.
func writeHTMLReport(_ directory: String, quiet: Bool = false) throws {
    do {
        let (kind, path) = try HTMLReport.write(directory)
        if !quiet { print("report (\(kind.rawValue)): \(path)") }
    } catch {
        printError("berth: \(error)")
        throw ExitCode(1)
    }
}
