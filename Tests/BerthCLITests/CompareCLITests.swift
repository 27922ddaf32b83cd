import Foundation
import Testing
import BerthTestSupport

@Suite("berth compare")
struct CompareCLITests {
    @Test("--jobs 1 and --jobs 2 write byte-identical comparison.csv and runs.csv, and print the same tables")
    func jobsDoNotChangeOutput() throws {
        let a = try temporaryFolder(), b = try temporaryFolder()
        defer { for url in [a, b] { try? FileManager.default.removeItem(at: url) } }
        let common = ["compare", "scenarios/quickstart.yaml", "--schedulers", "first-fit,worst-fit", "--replications", "3",
                      "--baseline", "worst-fit"]
        let one = try berth(common + ["--out", a.path, "--jobs", "1"])
        let two = try berth(common + ["--out", b.path, "--jobs", "2"])
        #expect(one.status == 0 && two.status == 0, "stderr: \(one.stderr) \(two.stderr)")
        for file in ["comparison.csv", "runs.csv"] {
            let x = try Data(contentsOf: a.appendingPathComponent(file))
            let y = try Data(contentsOf: b.appendingPathComponent(file))
            #expect(!x.isEmpty && x == y, "\(file) differs between --jobs 1 and --jobs 2")
        }
        #expect(one.stdout.replacingOccurrences(of: a.path, with: "") == two.stdout.replacingOccurrences(of: b.path, with: ""))
        #expect(one.stdout.contains("quickstart · wait_s_p95 (lower is better) · 3 replications · baseline worst-fit"))
        let runs = try String(contentsOf: a.appendingPathComponent("runs.csv"), encoding: .utf8)
        #expect(runs.split(whereSeparator: \.isNewline).count == 1 + 2 * 3)
        #expect(runs.hasPrefix("scenario,scheduler,replication,seed,end_s,"))
    }

    @Test("a --baseline outside --schedulers and an unknown scheduler are usage errors")
    func badArguments() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let baseline = try berth(["compare", "scenarios/quickstart.yaml", "--schedulers", "first-fit,best-fit",
                                  "--baseline", "worst-fit", "--out", out.path])
        #expect(baseline.status != 0)
        #expect(baseline.stderr.contains("--baseline worst-fit is not one of --schedulers"), "\(baseline.stderr)")
        let unknown = try berth(["compare", "scenarios/quickstart.yaml", "--schedulers", "first-fit,bestfit", "--out", out.path])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean \"best-fit\"?"))
        let zero = try berth(["compare", "scenarios/quickstart.yaml", "--schedulers", "first-fit", "--replications", "0"])
        #expect(zero.status != 0 && zero.stderr.contains("--replications must be at least 1"))
        for result in [baseline, unknown, zero] { for marker in crashMarkers { #expect(!result.stderr.contains(marker)) } }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("comparison.csv").path))
    }
}
