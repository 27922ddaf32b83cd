import Foundation

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

    /// - Parameters:
    ///   - finished: pieces done so far (run or read back).
    ///   - ran: whether this piece was run (only those count towards the ETA).
    ///   - line: what finished, for the plain-line form.
    func report(finished: Int, ran didRun: Bool, line: String) {
        guard enabled else { return }
        if didRun { ran += 1 }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let eta = ran > 0 ? seconds / Double(ran) * Double(total - finished) : 0
        let timing = String(format: "%.1f s elapsed, ETA %.1f s", seconds, eta)
        if terminal {
            let width = 30
            let filled = total > 0 ? width * finished / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(finished)/\(total) · \(timing)\u{1B}[K".utf8))
        } else {
            printError("[\(finished)/\(total)] \(line) · \(timing)")
        }
    }

    func finish() {
        if enabled && terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
