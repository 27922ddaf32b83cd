import Testing

@Test func placeholder_BerthCLITests() { #expect(1 + 1 == 2) }
