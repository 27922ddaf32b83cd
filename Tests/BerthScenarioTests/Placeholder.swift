import Testing

@Test func placeholder_BerthScenarioTests() { #expect(1 + 1 == 2) }
