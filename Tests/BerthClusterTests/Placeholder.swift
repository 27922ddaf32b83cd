import Testing

@Test func placeholder_BerthClusterTests() { #expect(1 + 1 == 2) }
