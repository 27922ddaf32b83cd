import Foundation
import Testing
import BerthTestSupport

/// The first executable of `names` on PATH.
func onPath(_ names: [String]) -> String? {
    let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
    for name in names {
        for dir in dirs where FileManager.default.isExecutableFile(atPath: dir + "/" + name) { return dir + "/" + name }
    }
    return nil
}

/// Runs a program to completion with output to files; returns (status, stdout).
func runTool(_ path: String, _ arguments: [String]) throws -> (Int32, String) {
    let scratch = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("out")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close()
    return (process.terminationStatus, (try? String(contentsOf: outURL, encoding: .utf8)) ?? "")
}

let chromium = onPath(["chromium", "chromium-browser", "google-chrome", "headless_shell"])
let python = onPath(["python3"])

@Suite("berth report")
struct ReportCLITests {
    @Test("berth report on a run folder writes report.html; on a folder without reports it fails clearly")
    func reportCommand() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try berth(["run", "scenarios/quickstart.yaml", "--out", out.path]).status == 0)
        let report = try berth(["report", out.path])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout == "report (run): \(out.path)/report.html\n")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("quickstart under"))

        let empty = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: empty) }
        let failed = try berth(["report", empty.path])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("holds no Berth reports: expected summary.csv (berth run), comparison.csv (berth compare) or sweep-stats.csv (berth sweep)"))
        #expect(failed.stdout.isEmpty)
    }

    /// Renders a comparison report in headless Chromium and checks the
    /// screenshot's pixels: every scheduler's bar colour and the header colour
    /// must be painted in quantity, i.e. the inline SVG and CSS rendered.
    /// CI installs Chromium (.ci/run); elsewhere the test is skipped without it.
    @Test("the HTML report renders in headless Chromium (screenshot pixels checked)",
          .enabled(if: chromium != nil && python != nil, "needs chromium and python3"))
    func rendersInChromium() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let compare = try berth(["compare", "scenarios/quickstart.yaml", "--schedulers", "best-fit,worst-fit,kubernetes",
                                 "--replications", "2", "--out", out.path, "--html", "--quiet"])
        #expect(compare.status == 0, "\(compare.stderr)")
        let shot = out.appendingPathComponent("report.png").path
        let (status, _) = try runTool(try #require(chromium), [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1600",
            "--screenshot=\(shot)", out.appendingPathComponent("report.html").absoluteString,
        ])
        #expect(status == 0)
        let (pyStatus, json) = try runTool(try #require(python), [Repository.path("scripts/png_colours.py"), shot,
                                                                  "#0072B2", "#E69F00", "#009E73", "#102A43", "#FFFFFF"])
        #expect(pyStatus == 0)
        struct Pixels: Decodable { var width: Int; var height: Int; var distinct: Int; var counts: [String: Int] }
        let pixels = try JSONDecoder().decode(Pixels.self, from: Data(json.utf8))
        #expect(pixels.width == 1280 && pixels.height == 1600)
        // Three schedulers' bars: each colour covers at least a few thousand pixels.
        for colour in ["#0072B2", "#E69F00", "#009E73"] {
            #expect((pixels.counts[colour] ?? 0) > 5_000, "\(colour): \(pixels.counts)")
        }
        #expect((pixels.counts["#102A43"] ?? 0) > 50_000, "the header band")
        #expect(pixels.distinct > 100, "text and lines anti-aliased: a rendered page has many colours")
    }
}
