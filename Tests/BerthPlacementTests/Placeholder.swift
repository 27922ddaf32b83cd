import Testing

@Test func placeholder_BerthPlacementTests() { #expect(1 + 1 == 2) }
