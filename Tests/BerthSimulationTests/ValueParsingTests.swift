import Testing
import BerthSimulation

// MARK: - Durations

/// Valid durations and their exact microseconds, worked out by hand.
private let validDurations: [(String, Int64)] = [
    ("0s", 0),
    ("0us", 0),
    ("0d0h0m0s", 0),
    ("1us", 1),
    ("10us", 10),
    ("10µs", 10),               // U+00B5 micro sign
    ("10μs", 10),               // U+03BC Greek mu
    ("250ms", 250_000),
    ("1.5ms", 1_500),
    ("1.001ms", 1_001),
    ("90s", 90_000_000),
    ("4.5s", 4_500_000),
    ("0.000001s", 1),
    ("1.000001s", 1_000_001),
    ("1.5000000000000000000000s", 1_500_000),  // trailing zeros add no precision
    ("5m", 300_000_000),
    ("0.5m", 30_000_000),
    ("1.0000001m", 60_000_006),     // 1e-7 min is exactly 6 µs
    ("1h30m", 5_400_000_000),
    ("1.5h", 5_400_000_000),
    ("2d", 172_800_000_000),
    ("0.5d", 43_200_000_000),
    ("1d2h3m4.5s", 86_400_000_000 + 7_200_000_000 + 180_000_000 + 4_500_000),
    ("1h1ms", 3_600_001_000),
    ("1m1us", 60_000_001),
    ("007s", 7_000_000),
    ("9223372036854775807us", Int64.max),
    ("9223372036854.775807s", Int64.max),
    ("106751991d4h54.775807s", Int64.max),
]

@Test(arguments: validDurations)
func durationParsesExactly(text: String, micros: Int64) {
    #expect(DurationParser.parseMicros(text) == .success(micros))
}

/// Invalid durations, each with a fragment the error detail must contain.
private let invalidDurations: [(String, String)] = [
    ("", "empty"),
    ("90", "no unit"),
    ("1.5", "no unit"),
    ("1h30", "no unit"),
    ("-5s", "negative"),
    ("+5s", "sign"),
    ("5x", "unknown unit"),
    ("5sec", "unknown unit"),
    ("5S", "unknown unit"),
    ("5 s", "whitespace"),
    (" 5s", "whitespace"),
    ("5s ", "whitespace"),
    ("1m 30s", "whitespace"),
    ("30s1m", "largest to smallest"),
    ("1m1m", "largest to smallest"),
    ("1ms1s", "largest to smallest"),
    ("1us1µs", "largest to smallest"),  // same unit twice
    ("0.5us", "finer than a microsecond"),
    ("1.0001ms", "finer than a microsecond"),
    ("0.0000001s", "finer than a microsecond"),
    ("1.00000000000001d", "finer than a microsecond"),
    (".5s", "decimal point"),
    ("5.s", "decimal point"),
    ("1..5s", "decimal point"),
    ("s", "number"),
    ("9223372036854775808us", "too large"),
    ("9223372036854.775808s", "too large"),
    ("106751992d", "too large"),
    ("99999999999999999999999d", "too large"),
    ("106751991d4h54.775808s", "too large"),  // Int64.max + 1 by the sum
]

@Test(arguments: invalidDurations)
func durationRejects(text: String, detailFragment: String) throws {
    let result = DurationParser.parseMicros(text)
    guard case .failure(let error) = result else {
        Issue.record("\(text) parsed as \(result)")
        return
    }
    #expect(error.expected == #"a duration like "90s", "5m" or "1h30m""#)
    #expect(error.detail.contains(detailFragment), "detail was: \(error.detail)")
}

/// Canonical forms: exact strings, not just round trips.
private let canonicalDurations: [(Int64, String)] = [
    (0, "0s"),
    (1, "1us"),
    (999, "999us"),
    (1_000, "1ms"),
    (1_500, "1.5ms"),
    (1_001, "1.001ms"),
    (1_000_000, "1s"),
    (1_500_000, "1.5s"),
    (1_000_001, "1.000001s"),
    (90_000_000, "1m30s"),
    (60_500_000, "1m500ms"),
    (5_400_000_000, "1h30m"),
    (86_400_000_000, "1d"),
    (86_400_000_000 + 7_200_000_000 + 180_000_000 + 4_500_000, "1d2h3m4.5s"),
    (Int64.max, "106751991d4h54.775807s"),
    (-1_500, "-1.5ms"),
]

@Test(arguments: canonicalDurations)
func durationFormatsCanonically(micros: Int64, text: String) {
    #expect(DurationParser.format(micros: micros) == text)
}

@Test func durationFormatHandlesInt64Min() {
    // |Int64.min| does not fit Int64; the formatter must not trap.
    #expect(DurationParser.format(micros: .min) == "-106751991d4h54.775808s")
}

/// Values spread over every unit boundary and magnitude.
private let roundTripValues: [Int64] = {
    var values: [Int64] = [0, 1, 7, 999, 1_000, 1_001, 59_999_999, 60_000_000, 3_599_999_999,
                           86_399_999_999, 86_400_000_000, Int64.max, Int64.max - 1]
    var x: UInt64 = 0x9E37_79B9_7F4A_7C15  // fixed seed: deterministic
    for _ in 0..<300 {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17
        let bits = Int(x % 63)
        values.append(Int64(truncatingIfNeeded: x >> 1) & ((Int64(1) << bits) - 1))
    }
    return values
}()

@Test func durationRoundTripsThroughFormat() {
    for micros in roundTripValues {
        let text = DurationParser.format(micros: micros)
        #expect(DurationParser.parseMicros(text) == .success(micros), "\(micros) -> \(text)")
    }
}

// MARK: - Rates

private let validRates: [(String, Double)] = [
    ("2/s", 2),
    ("0.5/s", 0.5),
    ("0.5/m", 0.5 / 60),
    ("120/h", 120.0 / 3_600),
    ("3/d", 3.0 / 86_400),
    ("60/m", 1),
    ("0.001/s", 0.001),
]

@Test(arguments: validRates)
func rateParses(text: String, perSecond: Double) {
    #expect(RateParser.parsePerSecond(text) == .success(perSecond))
}

private let invalidRates: [(String, String)] = [
    ("", "empty"),
    ("2", "no unit"),
    ("0.5", "no unit"),
    ("2/", "unknown unit"),
    ("2/x", "unknown unit"),
    ("2/sec", "unknown unit"),
    ("2/s/s", "more than one"),
    ("/s", "plain decimal"),
    ("0/s", "greater than zero"),
    ("0.0/h", "greater than zero"),
    ("-2/s", "negative"),
    ("+2/s", "plain decimal"),
    ("1e3/s", "plain decimal"),
    ("inf/s", "plain decimal"),
    ("nan/s", "plain decimal"),
    (".5/s", "plain decimal"),
    ("2 /s", "whitespace"),
    ("2/ s", "whitespace"),
    ("1" + String(repeating: "0", count: 400) + "/s", "too large"),
]

@Test(arguments: invalidRates)
func rateRejects(text: String, detailFragment: String) {
    let result = RateParser.parsePerSecond(text)
    guard case .failure(let error) = result else {
        Issue.record("\(text) parsed as \(result)")
        return
    }
    #expect(error.expected == #"a rate like "2/s", "0.5/m" or "120/h""#)
    #expect(error.detail.contains(detailFragment), "detail was: \(error.detail)")
}
