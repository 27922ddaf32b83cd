import Testing

@Test func placeholder_BerthSimulationTests() { #expect(1 + 1 == 2) }
