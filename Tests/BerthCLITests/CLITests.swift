import Foundation
import Testing
import BerthTestSupport

// End-to-end tests of the `berth` executable, run as a subprocess.

/// The built `berth` executable. `swift test` builds every product into the same
/// products directory as the test bundle (.build/<triple>/debug), so look beside
/// the bundle first, then in the package's .build folder; `BERTH_EXECUTABLE`
/// overrides both.
func berthExecutable() -> String? {
    let fm = FileManager.default
    var candidates: [URL] = []
    if let override = ProcessInfo.processInfo.environment["BERTH_EXECUTABLE"], !override.isEmpty {
        candidates.append(URL(fileURLWithPath: override))
    }
    // Linux: the test runner is an executable in the products directory; macOS: an
    // .xctest bundle in it (Bundle.main is then the xctest tool, so also walk up
    // from every loaded bundle).
    var dirs: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                       URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()]
    for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
        dirs.append(bundle.bundleURL.deletingLastPathComponent())
    }
    candidates += dirs.map { $0.appendingPathComponent("berth") }
    candidates.append(Repository.root.appendingPathComponent(".build/debug/berth"))
    return candidates.map(\.standardizedFileURL.path).first { path in
        var isDirectory: ObjCBool = false
        return fm.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && fm.isExecutableFile(atPath: path)
    }
}

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `berth` with `arguments` in the package root, capturing both streams
/// through files (no pipe buffer to fill and deadlock on).
func berth(_ arguments: [String]) throws -> CommandResult {
    let executable = try #require(berthExecutable(), "the berth executable was not found; run `swift build` first")
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("berth-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = Repository.root
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = out
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return CommandResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
}

/// A fresh empty temporary folder, removed by the caller.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("berth-out-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Text a crash leaves behind; none of it may ever reach the user.
let crashMarkers = ["Fatal error", "Program crashed", "Backtrace", "backtrace", "Stack dump", "Segmentation fault",
                    "Illegal instruction", "Assertion failed", "Precondition failed"]

let brokenFolder = Repository.path("Tests/BerthScenarioTests/Broken")

func brokenFileNames() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: brokenFolder)) ?? []
    return names.filter { name in
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: "\(brokenFolder)/\(name)", isDirectory: &isDirectory)
        return name != "README.md" && !name.hasPrefix(".") && !isDirectory.boolValue  // kube-config/: referenced configs
    }.sorted()
}

@Suite("berth command line")
struct CLITests {
    @Test("the berth executable is built and found")
    func executableFound() throws {
        let path = try #require(berthExecutable())
        #expect(FileManager.default.isExecutableFile(atPath: path))
    }

    // MARK: run

    @Test("run quickstart: exit 0, a summary on stdout, the four CSV reports on disk")
    func runQuickstart() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try berth(["run", "scenarios/quickstart.yaml", "--out", out.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("scenario quickstart"))
        #expect(result.stdout.contains("scheduler best-fit"))
        #expect(result.stdout.contains("tasks submitted"))
        #expect(result.stdout.contains(out.path))
        for report in ["summary.csv", "tasks.csv", "nodes.csv", "timeseries.csv"] {
            let path = out.appendingPathComponent(report).path
            let text = try #require(try? String(contentsOfFile: path, encoding: .utf8), "\(report) was not written")
            let lines = text.split(whereSeparator: \.isNewline)  // CSV rows end in CRLF (RFC 4180)
            #expect(lines.count >= 2, "\(report) has no data rows")
            #expect(lines.first?.contains(",") == true, "\(report) has no CSV header")
        }
        let nodes = try String(contentsOf: out.appendingPathComponent("nodes.csv"), encoding: .utf8)
        #expect(nodes.split(whereSeparator: \.isNewline).count == 1 + 12, "quickstart has 12 nodes")
    }

    @Test("run is deterministic for a seed; --seed and --scheduler change the run; --quiet prints nothing")
    func runOptions() throws {
        let a = try temporaryFolder(), b = try temporaryFolder(), c = try temporaryFolder()
        defer { for url in [a, b, c] { try? FileManager.default.removeItem(at: url) } }
        let first = try berth(["run", "scenarios/quickstart.yaml", "--seed", "9", "--out", a.path, "--quiet"])
        let second = try berth(["run", "scenarios/quickstart.yaml", "--seed", "9", "--out", b.path, "--quiet"])
        let other = try berth(["run", "scenarios/quickstart.yaml", "--scheduler", "first-fit", "--out", c.path])
        #expect([first.status, second.status, other.status] == [0, 0, 0])
        #expect(first.stdout.isEmpty, "--quiet printed: \(first.stdout)")
        let tasksA = try String(contentsOf: a.appendingPathComponent("tasks.csv"), encoding: .utf8)
        let tasksB = try String(contentsOf: b.appendingPathComponent("tasks.csv"), encoding: .utf8)
        #expect(tasksA == tasksB, "two runs with --seed 9 differ")
        #expect(other.stdout.contains("scheduler first-fit"))
    }

    @Test("an unknown --scheduler exits non-zero with a suggestion and writes nothing")
    func unknownScheduler() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let target = out.appendingPathComponent("run")
        let result = try berth(["run", "scenarios/quickstart.yaml", "--scheduler", "bestfit", "--out", target.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown scheduler \"bestfit\""))
        #expect(result.stderr.contains("did you mean \"best-fit\"?"))
        #expect(!FileManager.default.fileExists(atPath: target.path))
        for marker in crashMarkers { #expect(!result.stderr.contains(marker)) }
    }

    @Test("run on a broken scenario exits 2 with located diagnostics")
    func runBroken() throws {
        let file = "\(brokenFolder)/unknown-scheduler.yaml"
        let result = try berth(["run", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file):2:12: error: scheduler: unknown scheduler \"best-fitt\""))
        #expect(result.stdout.isEmpty)
    }

    @Test("run on a missing file exits 2 with a message, not a crash")
    func runMissingFile() throws {
        let result = try berth(["run", "scenarios/no-such-scenario.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("scenarios/no-such-scenario.yaml:1:1: error: cannot read the file"))
        for marker in crashMarkers { #expect(!result.stderr.contains(marker)) }
    }

    // MARK: validate

    @Test("validate rejects every broken file with file:line:column and no crash", arguments: brokenFileNames())
    func validateBroken(_ name: String) throws {
        let file = "\(brokenFolder)/\(name)"
        let result = try berth(["validate", file])
        #expect(result.status == 2, "stdout: \(result.stdout) stderr: \(result.stderr)")
        #expect(!result.stdout.contains("ok"), "\(result.stdout)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(!lines.isEmpty)
        for line in lines {
            // file:line:column: error: …
            // A KubeSchedulerConfiguration the scenario refers to is located by its own path.
            let configs = "\(brokenFolder)/kube-config/"
            let locatedIn = line.hasPrefix(file + ":") ? file
                : line.hasPrefix(configs) ? line.components(separatedBy: ".yaml:").first.map { $0 + ".yaml" } ?? file : file
            let rest = line.hasPrefix(locatedIn + ":") ? line.dropFirst(locatedIn.count + 1) : ""
            let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            let located = parts.count == 3 && Int(parts[0]) != nil && Int(parts[1]) != nil
                && parts[2].hasPrefix(" error: ")
            #expect(located, "not a file:line:column: error: line: \(line)")
        }
        for marker in crashMarkers {
            #expect(!result.stderr.contains(marker), "crash text \"\(marker)\" in: \(result.stderr)")
            #expect(!result.stdout.contains(marker))
        }
    }

    @Test("the corpus folder is found and not empty")
    func corpusFound() {
        #expect(brokenFileNames().count >= 24)
    }

    @Test("validate reports every file of a batch and exits 2 if any is broken")
    func validateBatch() throws {
        let broken = brokenFileNames().map { "\(brokenFolder)/\($0)" }
        let result = try berth(["validate", "scenarios/quickstart.yaml"] + broken)
        #expect(result.status == 2)
        #expect(result.stdout.contains("scenarios/quickstart.yaml: ok"))
        for file in broken {
            // kube-config-NAME.yaml's mistake is in the configuration it refers to, kube-config/NAME.yaml.
            let shown = file.replacingOccurrences(of: "/kube-config-", with: "/kube-config/")
            #expect(result.stderr.contains(shown + ":"), "nothing reported for \(file)")
        }
    }

    @Test("validate accepts every bundled scenario")
    func validateBundled() throws {
        let files = Repository.bundledScenarios()
        let result = try berth(["validate"] + files)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
        for file in files { #expect(result.stdout.contains("\(file): ok")) }
    }

    // MARK: schedulers and help

    @Test("schedulers lists the four presets")
    func schedulers() throws {
        let result = try berth(["schedulers"])
        #expect(result.status == 0)
        let names = result.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        for name in ["first-fit", "best-fit", "worst-fit", "dot-product"] {
            #expect(names.contains(name), "\(name) missing from:\n\(result.stdout)")
        }
    }

    @Test("schedulers lists the Nomad presets")
    func nomadSchedulers() throws {
        let result = try berth(["schedulers"])
        let names = result.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(names.contains("nomad") && names.contains("nomad-spread"), "\(result.stdout)")
    }

    @Test("--help names the run and validate subcommands; run --help its options")
    func help() throws {
        let top = try berth(["--help"])
        #expect(top.status == 0)
        #expect(top.stdout.contains("run"))
        #expect(top.stdout.contains("validate"))
        #expect(top.stdout.contains("schedulers"))
        let run = try berth(["run", "--help"])
        #expect(run.status == 0)
        for option in ["--scheduler", "--seed", "--out", "--quiet"] { #expect(run.stdout.contains(option)) }
    }

    @Test("a missing argument is a usage error, not a crash")
    func usageError() throws {
        let result = try berth(["validate"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Usage"))
        for marker in crashMarkers { #expect(!result.stderr.contains(marker)) }
    }
}
