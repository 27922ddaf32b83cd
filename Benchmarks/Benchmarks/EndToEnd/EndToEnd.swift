// A whole simulation run: `Simulator(scenario:).run()` (BerthHarness) on the
// bundled scenarios/mixed-three-zones.yaml (300 nodes, 3 services, 3 batch
// workloads, 8 simulated hours, best-fit monolithic scheduler).
//
// The scenario is parsed once, outside the measured region. One iteration is
// one complete run, including building the cluster, workload generators,
// metrics observers and the run summary. Events/s is reported as a custom
// metric: the run's `summary.events` divided by the measured wall time.

import Benchmark
import BerthHarness
import BerthScenario

/// scenarios/ relative to this file: Benchmarks/Benchmarks/EndToEnd/EndToEnd.swift.
let scenariosDirectory: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(4) // EndToEnd.swift, EndToEnd, Benchmarks, Benchmarks
    return parts.joined(separator: "/") + "/scenarios"
}()

enum EndToEndMetrics {
    static let eventsPerSecond = BenchmarkMetric.custom("events/s", polarity: .prefersLarger, useScalingFactor: false)
    static let events = BenchmarkMetric.custom("events per run", polarity: .prefersSmaller, useScalingFactor: false)
    static let podsPerSecond = BenchmarkMetric.custom("pods scheduled/s", polarity: .prefersLarger, useScalingFactor: false)
}

/// One measured run of `scenario`: the result and its wall-clock seconds, or nil
/// (reported to the benchmark) when the run fails.
func measuredRun(_ benchmark: Benchmark, _ scenario: Scenario) -> (result: RunResult, seconds: Double)? {
    let clock = ContinuousClock()
    let start = clock.now
    benchmark.startMeasurement()
    let result: RunResult
    do { result = try Simulator(scenario: scenario).run() } catch {
        benchmark.error("run failed: \(error)")
        return nil
    }
    benchmark.stopMeasurement()
    let elapsed = clock.now - start
    return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

/// A scale scenario (relative to scenarios/): one iteration is one whole run
/// (a second or a few), so one warm-up run and then up to five measured ones.
func scaleBenchmark(_ name: String, _ path: String) {
    var scenario: Scenario?
    Benchmark(
        "Simulator.run \(name)",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident, EndToEndMetrics.podsPerSecond],
            warmupIterations: 1,
            maxDuration: .seconds(120),
            maxIterations: 5
        )
    ) { benchmark in
        guard let scenario, let (result, seconds) = measuredRun(benchmark, scenario) else { return }
        benchmark.measurement(EndToEndMetrics.podsPerSecond, Int(Double(result.summary.scheduled) / seconds))
        blackHole(result)
    } setup: {
        scenario = try ScenarioLoader.load(path: scenariosDirectory + "/" + path)
    } teardown: {
        scenario = nil
    }
}

/// kube-scheduler at scale (issue #3): 5,000 nodes and 50,000 pods under the default profile (~1.5 s a run).
let kubernetesScale: @Sendable () -> Void = { scaleBenchmark("k8s-scale-5000-nodes", "kubernetes/scale-5000-nodes.yaml") }

/// Nomad at scale (issue #4): 5,000 clients and 100,000 allocations under `nomad` (~3 s).
let nomadScale: @Sendable () -> Void = { scaleBenchmark("nomad-scale-5000-nodes", "nomad/scale-5000-nodes.yaml") }

let benchmarks: @Sendable () -> Void = {
    kubernetesScale()
    nomadScale()
    for name in ["mixed-three-zones"] {
        var scenario: Scenario?
        Benchmark(
            "Simulator.run \(name)",
            configuration: .init(
                metrics: [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident,
                          EndToEndMetrics.eventsPerSecond, EndToEndMetrics.events],
                maxDuration: .seconds(10),
                maxIterations: 20
            )
        ) { benchmark in
            guard let scenario, let (result, seconds) = measuredRun(benchmark, scenario) else { return }
            benchmark.measurement(EndToEndMetrics.events, Int(result.summary.events))
            benchmark.measurement(EndToEndMetrics.eventsPerSecond, Int(Double(result.summary.events) / seconds))
            blackHole(result)
        } setup: {
            scenario = try ScenarioLoader.load(path: scenariosDirectory + "/\(name).yaml")
        } teardown: {
            scenario = nil
        }
    }
}
