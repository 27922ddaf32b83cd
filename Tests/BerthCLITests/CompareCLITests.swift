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
        let one = try berth(common + ["--out", a.path, "--jobs", "1", "--progress", "--html"])
        let two = try berth(common + ["--out", b.path, "--jobs", "2", "--html"])
        #expect(one.status == 0 && two.status == 0, "stderr: \(one.stderr) \(two.stderr)")
        for file in ["comparison.csv", "runs.csv", "series.csv", "wait_cdf.csv", "report.html"] {
            let x = try Data(contentsOf: a.appendingPathComponent(file))
            let y = try Data(contentsOf: b.appendingPathComponent(file))
            #expect(!x.isEmpty && x == y, "\(file) differs between --jobs 1 and --jobs 2")
        }
        #expect(one.stdout.replacingOccurrences(of: a.path, with: "") == two.stdout.replacingOccurrences(of: b.path, with: ""))
        #expect(one.stdout.contains("quickstart · wait_s_p95 (lower is better) · 3 replications · baseline worst-fit"))
        // --progress: one plain line per run on stderr (not a terminal); none without it.
        #expect(one.stderr.split(separator: "\n").filter { $0.hasPrefix("[") }.count == 6, "\(one.stderr)")
        #expect(one.stderr.contains("[6/6] quickstart · "))
        #expect(two.stderr.isEmpty)
        let runs = try String(contentsOf: a.appendingPathComponent("runs.csv"), encoding: .utf8)
        #expect(runs.split(whereSeparator: \.isNewline).count == 1 + 2 * 3)
        #expect(runs.hasPrefix("scenario,scheduler,replication,seed,end_s,"))
    }

    @Test("--help lists compare, sweep and check; each has its own --help")
    func help() throws {
        let top = try berth(["--help"])
        for name in ["compare", "sweep", "check"] { #expect(top.stdout.contains(name), "\(name) missing from --help") }
        let options = ["compare": ["--schedulers", "--replications", "--baseline", "--jobs", "--out", "--metrics"],
                       "sweep": ["--out", "--jobs", "--quiet"], "check": ["--baseline", "--tolerance"]]
        for (command, flags) in options {
            let help = try berth([command, "--help"])
            #expect(help.status == 0)
            for flag in flags { #expect(help.stdout.contains(flag), "\(command) --help lacks \(flag)") }
        }
        let run = try berth(["run", "--help"])
        #expect(run.stdout.contains("--golden"))
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

@Suite("berth sweep")
struct SweepCLITests {
    @Test("a sweep writes sweep.csv and sweep-stats.csv with progress lines on stderr; a rerun resumes every cell")
    func sweepAndResume() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.yaml").path
        try """
            base: \(Repository.path("scenarios/quickstart.yaml"))
            parameters:
              scheduler: [first-fit, worst-fit]
              horizon: [20m]
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out").path
        let first = try berth(["sweep", file, "--out", out, "--jobs", "2"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("2 cells × 1 replications (2 run, 0 resumed)"))
        #expect(first.stderr.contains("[2/2] cell "), "\(first.stderr)")
        #expect(first.stderr.contains("(scheduler=worst-fit, horizon=20m)"))
        let csv = try String(contentsOfFile: out + "/sweep.csv", encoding: .utf8)
        #expect(csv.split(whereSeparator: \.isNewline).count == 3)
        let again = try berth(["sweep", file, "--out", out, "--jobs", "1"])
        #expect(again.stdout.contains("(0 run, 2 resumed)"))
        #expect(try String(contentsOfFile: out + "/sweep.csv", encoding: .utf8) == csv)
        let broken = dir.appendingPathComponent("b.yaml").path
        try "base: nothing.yaml\nparameters: {scheduler: [first-fit]}\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let bad = try berth(["sweep", broken, "--out", out])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("\(broken):1:7: error: base: cannot read the base scenario"), "\(bad.stderr)")
        for marker in crashMarkers { #expect(!bad.stderr.contains(marker) && !first.stderr.contains(marker)) }
    }

    @Test("shards run as separate processes and merged give byte-identical files to an unsharded sweep")
    func shardsMergeToTheUnshardedSweep() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.yaml").path
        try """
            base: \(Repository.path("scenarios/quickstart.yaml"))
            replications: 2
            parameters:
              scheduler: [first-fit, worst-fit, best-fit]
              horizon: [20m]
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let path = { (name: String) in dir.appendingPathComponent(name).path }
        let whole = try berth(["sweep", file, "--out", path("whole"), "--quiet"])
        #expect(whole.status == 0, "\(whole.stderr)")
        for i in 0..<2 {
            let shard = try berth(["sweep", file, "--shard", "\(i)/2", "--out", path("shard\(i)")])
            #expect(shard.status == 0, "\(shard.stderr)")
            #expect(shard.stdout.contains("shard \(i)/2: \(i == 0 ? 2 : 1) cells run"), "\(shard.stdout)")
            #expect(!FileManager.default.fileExists(atPath: path("shard\(i)") + "/sweep.csv"), "a shard writes cells only")
        }
        // One shard alone is not enough: the error names the missing cell.
        let partial = try berth(["merge", file, path("shard0"), "--out", path("partial")])
        #expect(partial.status == 1 && partial.stderr.contains("cell 1 is in none of"), "\(partial.stderr)")
        let merged = try berth(["merge", file, path("shard1"), path("shard0"), "--out", path("merged")])
        #expect(merged.status == 0, "\(merged.stderr)")
        for name in ["sweep.csv", "sweep-stats.csv", "cells/cell-00000.csv", "cells/cell-00001.csv", "cells/cell-00002.csv"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: path("whole") + "/" + name))
            let b = try Data(contentsOf: URL(fileURLWithPath: path("merged") + "/" + name))
            #expect(!a.isEmpty && a == b, "\(name) differs")
        }
        let bad = try berth(["sweep", file, "--shard", "2/2", "--out", path("bad")])
        #expect(bad.status != 0 && bad.stderr.contains("--shard expects i/N"), "\(bad.stderr)")
        for r in [whole, merged, partial, bad] { for marker in crashMarkers { #expect(!r.stderr.contains(marker)) } }
    }
}
