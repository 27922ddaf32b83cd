import Foundation
import Testing
import BerthTestSupport

@Suite("berth check")
struct CheckCLITests {
    /// One pod, two nodes: under the default kube-scheduler profile the pod goes
    /// to the large unbalanced node `big-0` (LeastAllocated 92 + Balanced 95 beats
    /// 75 + 100); raising NodeResourcesBalancedAllocation's weight to 100 sends
    /// it to the balanced `small-0`.
    static func scenario(weights: String? = nil, expect: [String] = ["unscheduled == 0"]) -> String {
        """
        name: weights-demo
        seed: 1
        scheduler:
          name: kubernetes
        \(weights.map { "  score_weights: {\($0)}" } ?? "")
        cluster:
          pools:
            - {name: big, count: 1, capacity: {cpu: 32, memory: 8Gi}}
            - {name: small, count: 1, capacity: {cpu: 4, memory: 4Gi}}
        workloads:
          - {name: app, kind: service, replicas: 1, requests: {cpu: 1, memory: 1Gi}}
        expect:

        """ + expect.map { "  - '\($0)'\n" }.joined()
    }

    static func write(_ text: String, in folder: URL, as name: String = "scenario.yaml") throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("expectations that hold exit 0; one that fails exits 1 and names file:line:column and the value")
    func expectations() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try Self.write(Self.scenario(expect: ["unscheduled == 0", "placement(\"app-0\").node == \"big-0\""]), in: dir)
        let ok = try berth(["check", good])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("\(good): ok (2 expectations; scheduler kubernetes, seed 1)"))
        let bad = try Self.write(Self.scenario(expect: ["unscheduled == 0", "placement(\"app-0\").pool == \"small\""]), in: dir, as: "bad.yaml")
        let failed = try berth(["check", good, bad])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("\(bad): FAILED"))
        #expect(failed.stdout.contains("FAIL  \(bad):14:6: placement(\"app-0\").pool == \"small\"  [placement(\"app-0\").pool = \"big\"]"),
                "\(failed.stdout)")
        #expect(failed.stdout.contains("check: 1 of 2 scenarios failed"))
        for marker in crashMarkers { #expect(!failed.stderr.contains(marker)) }
    }

    @Test("run --golden then check --baseline passes unchanged, and fails with a placement diff when a score weight changes")
    func goldenBaseline() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let golden = dir.appendingPathComponent("golden").path
        let original = try Self.write(Self.scenario(), in: dir)
        let run = try berth(["run", original, "--golden", golden, "--out", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: golden + "/weights-demo/placements.csv"))
        let same = try berth(["check", original, "--baseline", golden])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        #expect(same.stdout.contains("ok (1 expectation, baseline \(golden)/weights-demo; scheduler kubernetes, seed 1)"))

        let changed = try Self.write(Self.scenario(weights: "NodeResourcesBalancedAllocation: 100"), in: dir, as: "changed.yaml")
        let diff = try berth(["check", changed, "--baseline", golden, "--tolerance", "*=1"])
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("DIFF  placement task 0 app-0: baseline big-0, now small-0"), "\(diff.stdout)")
    }

    @Test("a missing baseline exits 2; a malformed --tolerance is a usage error; validate rejects unknown metric names")
    func errors() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.write(Self.scenario(), in: dir)
        let missing = try berth(["check", file, "--baseline", dir.appendingPathComponent("none").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read the baseline"), "\(missing.stderr)")
        #expect(missing.stderr.contains("berth run SCENARIO --golden"))
        let tolerance = try berth(["check", file, "--tolerance", "wait_s_p95"])
        #expect(tolerance.status != 0 && tolerance.stderr.contains("--tolerance expects METRIC=REL"), "\(tolerance.stderr)")
        let typo = try Self.write(Self.scenario(expect: ["wait_s_p59 < 3"]), in: dir, as: "typo.yaml")
        let validate = try berth(["validate", typo])
        #expect(validate.status == 2)
        #expect(validate.stderr.contains("\(typo):13:6: error: expect[0]: unknown metric \"wait_s_p59\" (did you mean \"wait_s_p50\"?)"),
                "\(validate.stderr)")
        let check = try berth(["check", typo])
        #expect(check.status == 1)
        #expect(check.stdout.contains("unknown metric \"wait_s_p59\""))
        for r in [missing, tolerance, validate, check] { for marker in crashMarkers { #expect(!r.stderr.contains(marker)) } }
    }
}
