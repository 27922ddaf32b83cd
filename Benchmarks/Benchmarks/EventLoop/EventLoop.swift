// The bare discrete-event kernel: `Engine<Int>` from BerthSimulation.
//
// A fixed population of events is kept in flight: every step pops the earliest
// event and its "handler" schedules one follow-up at a pseudo-random delay, so
// the queue size stays constant. One scaled iteration = one event (pop + push).
// Throughput is therefore events per second.

import Benchmark
import BerthSimulation

/// SplitMix64: a tiny, allocation-free generator for the delays, so the
/// benchmark measures the engine and not a random-number library.
struct SplitMix64 {
    var state: UInt64
    @inline(__always) mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(2)

    // Delays uniform in [0, 65.535 ms]: with N events in flight the clock
    // advances ~32 ms / N per event, and new events land all over the heap.
    for inFlight in [1_000, 100_000] {
        Benchmark(
            "Engine<Int> step+schedule, \(inFlight) in flight",
            configuration: .init(
                metrics: [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident],
                scalingFactor: .mega,
                maxIterations: 30
            )
        ) { benchmark in
            var engine = Engine<Int>()
            var rng = SplitMix64(state: 2024)
            for i in 0..<inFlight { engine.schedule(i, afterMicros: Int64(rng.next() & 0xFFFF)) }

            benchmark.startMeasurement()
            var checksum = 0
            for _ in benchmark.scaledIterations {
                guard let payload = engine.step() else { break }
                checksum &+= payload
                engine.schedule(payload, afterMicros: Int64(rng.next() & 0xFFFF))
            }
            benchmark.stopMeasurement()

            blackHole(checksum)
            blackHole(engine.eventsProcessed)
        }
    }

    // The same workload through `run(until:_:)` (the closure-driven loop): the
    // handler schedules follow-ups until the event budget is spent, then the
    // queue drains. One scaled iteration = one event (the final drain of
    // `inFlight` events is included, ~0.1% of the total).
    Benchmark(
        "Engine<Int> run(until:) handler, 1000 in flight",
        configuration: .init(
            metrics: [.throughput, .wallClock, .mallocCountTotal],
            scalingFactor: .mega,
            maxIterations: 30
        )
    ) { benchmark in
        let inFlight = 1_000
        var engine = Engine<Int>()
        var rng = SplitMix64(state: 2024)
        for i in 0..<inFlight { engine.schedule(i, afterMicros: Int64(rng.next() & 0xFFFF)) }
        var budget = benchmark.scaledIterations.count - inFlight
        var checksum = 0

        benchmark.startMeasurement()
        engine.run { engine, payload in
            checksum &+= payload
            if budget > 0 {
                budget -= 1
                engine.schedule(payload, afterMicros: Int64(rng.next() & 0xFFFF))
            }
        }
        benchmark.stopMeasurement()

        blackHole(checksum)
    }
}
