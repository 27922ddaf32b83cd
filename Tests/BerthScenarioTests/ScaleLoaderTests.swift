import BerthScenario
import BerthWorkloads
import Testing

/// `scale:` on a service: steps in time order, after the service's start.
@Suite struct ScaleLoaderTests {
    static func scenario(_ workload: String) -> String {
        """
        name: scale
        cluster: {pools: [{name: n, count: 1, capacity: {cpu: 4, memory: 8Gi}}]}
        workloads:
          - \(workload)
        """
    }

    @Test func decodesSteps() throws {
        let s = try loadValid(Self.scenario("{name: web, kind: service, replicas: 2, start: 5m, requests: {cpu: 1}, scale: [{at: 1h, replicas: 5}, {at: 2h, replicas: 0}]}"))
        #expect(s.workloads[0].scale == [ScaleStep(atMicros: 3_600_000_000, replicas: 5), ScaleStep(atMicros: 7_200_000_000, replicas: 0)])
    }

    @Test(arguments: [
        ("{name: web, kind: service, replicas: 2, start: 1h, requests: {cpu: 1}, scale: [{at: 30m, replicas: 5}]}",
         "workloads[0].scale[0].at", "must be after the service's start"),
        ("{name: web, kind: service, replicas: 2, requests: {cpu: 1}, scale: [{at: 2h, replicas: 5}, {at: 1h, replicas: 1}]}",
         "workloads[0].scale[1].at", "must be after the previous step"),
        ("{name: web, kind: service, replicas: 2, requests: {cpu: 1}, scale: [{at: 2h, replicas: -1}]}",
         "workloads[0].scale[0].replicas", "must be at least 0, got -1"),
        ("{name: web, kind: service, replicas: 2, requests: {cpu: 1}, scale: [{at: 2h}]}",
         "workloads[0].scale[0]", "missing required key \"replicas\""),
        ("{name: j, kind: batch, arrival: {process: fixed, at: [0s]}, duration: 1m, requests: {cpu: 1}, scale: [{at: 2h, replicas: 1}]}",
         "workloads[0].scale", "does not apply to a batch workload"),
        ("{name: d, kind: daemonset, requests: {cpu: 1}, scale: [{at: 2h, replicas: 1}]}",
         "workloads[0].scale", "does not apply to a daemonset workload"),
    ])
    func badStepsAreReported(_ c: (String, String, String)) {
        var diagnostics: [Diagnostic] = []
        do { _ = try ScenarioLoader.load(text: Self.scenario(c.0), file: "scale.yaml") } catch { diagnostics = error.diagnostics }
        #expect(diagnostics.count == 1, "\(diagnostics)")
        guard let first = diagnostics.first else { return }
        #expect(first.path == c.1)
        #expect(first.message.contains(c.2), "\(first.message)")
    }
}
