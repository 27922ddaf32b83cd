import Testing

@Test func placeholder_BerthHarnessTests() { #expect(1 + 1 == 2) }
