import BerthSimulation

/// A fixed tie-break stream for placement tests.
enum BerthSimulationShim {
    static func stream() -> RandomStream { RandomStreams(seed: 1).stream(.tieBreaks) }
}
