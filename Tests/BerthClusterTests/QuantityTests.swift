import Testing
import BerthCluster
import BerthSimulation

// Rows ported from k8s.io/apimachinery pkg/api/resource/quantity_test.go.
// Upstream states each row as an exact decimal (decQuantity(mantissa, exp));
// here it is restated as the integers MilliValue() and Value() give for it,
// i.e. ceil(x * 1000) and ceil(x). `.tooLarge` marks a result above Int64.max,
// which upstream lets overflow (or caps, for binary SI) and Berth rejects.

enum Expect: Sendable, Equatable, CustomStringConvertible {
    case value(Int64)
    case tooLarge
    var description: String {
        switch self {
        case .value(let v): "\(v)"
        case .tooLarge: "tooLarge"
        }
    }
}

struct QuantityCase: Sendable, CustomTestStringConvertible {
    let text: String
    let milli: Expect
    let whole: Expect
    let upstream: String
    init(_ text: String, milli: Expect, whole: Expect, _ upstream: String) {
        self.text = text
        self.milli = milli
        self.whole = whole
        self.upstream = upstream
    }
    var testDescription: String { "\"\(text)\" (\(upstream))" }
}

private func v(_ x: Int64) -> Expect { .value(x) }
private let big: Expect = .tooLarge

private let validQuantities: [QuantityCase] = [
    // TestQuantityParse: zero with every suffix
    .init("0", milli: v(0), whole: v(0), "TestQuantityParse"),
    .init("0n", milli: v(0), whole: v(0), "TestQuantityParse"),
    .init("0u", milli: v(0), whole: v(0), "TestQuantityParse"),
    .init("0m", milli: v(0), whole: v(0), "TestQuantityParse"),
    .init("0Ki", milli: v(0), whole: v(0), "TestQuantityParse"),
    .init("0k", milli: v(0), whole: v(0), "TestQuantityParse"),
    .init("0Mi", milli: v(0), whole: v(0), "TestQuantityParse"),
    .init("0M", milli: v(0), whole: v(0), "TestQuantityParse"),
    .init("0Gi", milli: v(0), whole: v(0), "TestQuantityParse"),
    .init("0G", milli: v(0), whole: v(0), "TestQuantityParse"),
    .init("0Ti", milli: v(0), whole: v(0), "TestQuantityParse"),
    .init("0T", milli: v(0), whole: v(0), "TestQuantityParse"),
    // TestQuantityParse: quantity-less numbers
    .init("1", milli: v(1_000), whole: v(1), "TestQuantityParse"),
    // TestQuantityParse: binary suffixes
    .init("1Ki", milli: v(1_024_000), whole: v(1_024), "TestQuantityParse"),
    .init("8Ki", milli: v(8_192_000), whole: v(8_192), "TestQuantityParse"),
    .init("7Mi", milli: v(7_340_032_000), whole: v(7_340_032), "TestQuantityParse"),
    .init("6Gi", milli: v(6_442_450_944_000), whole: v(6_442_450_944), "TestQuantityParse"),
    .init("5Ti", milli: v(5_497_558_138_880_000), whole: v(5_497_558_138_880), "TestQuantityParse"),
    .init("4Pi", milli: v(4_503_599_627_370_496_000), whole: v(4_503_599_627_370_496), "TestQuantityParse"),
    .init("3Ei", milli: big, whole: v(3_458_764_513_820_540_928), "TestQuantityParse"),
    .init("10Ti", milli: v(10_995_116_277_760_000), whole: v(10_995_116_277_760), "TestQuantityParse"),
    .init("100Ti", milli: v(109_951_162_777_600_000), whole: v(109_951_162_777_600), "TestQuantityParse"),
    // TestQuantityParse: decimal suffixes
    .init("5n", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init("4u", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init("3m", milli: v(3), whole: v(1), "TestQuantityParse"),
    .init("9", milli: v(9_000), whole: v(9), "TestQuantityParse"),
    .init("8k", milli: v(8_000_000), whole: v(8_000), "TestQuantityParse"),
    .init("50k", milli: v(50_000_000), whole: v(50_000), "TestQuantityParse"),
    .init("7M", milli: v(7_000_000_000), whole: v(7_000_000), "TestQuantityParse"),
    .init("6G", milli: v(6_000_000_000_000), whole: v(6_000_000_000), "TestQuantityParse"),
    .init("5T", milli: v(5_000_000_000_000_000), whole: v(5_000_000_000_000), "TestQuantityParse"),
    .init("40T", milli: v(40_000_000_000_000_000), whole: v(40_000_000_000_000), "TestQuantityParse"),
    .init("300T", milli: v(300_000_000_000_000_000), whole: v(300_000_000_000_000), "TestQuantityParse"),
    .init("2P", milli: v(2_000_000_000_000_000_000), whole: v(2_000_000_000_000_000), "TestQuantityParse"),
    .init("1E", milli: big, whole: v(1_000_000_000_000_000_000), "TestQuantityParse"),
    // TestQuantityParse: decimal exponents
    .init("1E-3", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init("1e3", milli: v(1_000_000), whole: v(1_000), "TestQuantityParse"),
    .init("1E6", milli: v(1_000_000_000), whole: v(1_000_000), "TestQuantityParse"),
    .init("1e9", milli: v(1_000_000_000_000), whole: v(1_000_000_000), "TestQuantityParse"),
    .init("1E12", milli: v(1_000_000_000_000_000), whole: v(1_000_000_000_000), "TestQuantityParse"),
    .init("1e15", milli: v(1_000_000_000_000_000_000), whole: v(1_000_000_000_000_000), "TestQuantityParse"),
    .init("1E18", milli: big, whole: v(1_000_000_000_000_000_000), "TestQuantityParse"),
    // TestQuantityParse: nonstandard but still parsable
    .init("1e14", milli: v(100_000_000_000_000_000), whole: v(100_000_000_000_000), "TestQuantityParse"),
    .init("1e13", milli: v(10_000_000_000_000_000), whole: v(10_000_000_000_000), "TestQuantityParse"),
    .init("100.035k", milli: v(100_035_000), whole: v(100_035), "TestQuantityParse"),
    // TestQuantityParse: things that look like floating point
    .init("0.001", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init("0.0005k", milli: v(500), whole: v(1), "TestQuantityParse"),
    .init("0.005", milli: v(5), whole: v(1), "TestQuantityParse"),
    .init("0.05", milli: v(50), whole: v(1), "TestQuantityParse"),
    .init("0.5", milli: v(500), whole: v(1), "TestQuantityParse"),
    .init("0.00050k", milli: v(500), whole: v(1), "TestQuantityParse"),
    .init("0.00500", milli: v(5), whole: v(1), "TestQuantityParse"),
    .init("0.05000", milli: v(50), whole: v(1), "TestQuantityParse"),
    .init("0.50000", milli: v(500), whole: v(1), "TestQuantityParse"),
    .init("0.5e0", milli: v(500), whole: v(1), "TestQuantityParse"),
    .init("0.5e-1", milli: v(50), whole: v(1), "TestQuantityParse"),
    .init("0.5e-2", milli: v(5), whole: v(1), "TestQuantityParse"),
    .init("10.035M", milli: v(10_035_000_000), whole: v(10_035_000), "TestQuantityParse"),
    .init("1.2e3", milli: v(1_200_000), whole: v(1_200), "TestQuantityParse"),
    .init("1.3E+6", milli: v(1_300_000_000), whole: v(1_300_000), "TestQuantityParse"),
    .init("1.40e9", milli: v(1_400_000_000_000), whole: v(1_400_000_000), "TestQuantityParse"),
    .init("1.53E12", milli: v(1_530_000_000_000_000), whole: v(1_530_000_000_000), "TestQuantityParse"),
    .init("1.6e15", milli: v(1_600_000_000_000_000_000), whole: v(1_600_000_000_000_000), "TestQuantityParse"),
    .init("1.7E18", milli: big, whole: v(1_700_000_000_000_000_000), "TestQuantityParse"),
    .init("9.01", milli: v(9_010), whole: v(10), "TestQuantityParse"),
    .init("8.1k", milli: v(8_100_000), whole: v(8_100), "TestQuantityParse"),
    .init("7.123456M", milli: v(7_123_456_000), whole: v(7_123_456), "TestQuantityParse"),
    .init("6.987654321G", milli: v(6_987_654_321_000), whole: v(6_987_654_321), "TestQuantityParse"),
    .init("5.444T", milli: v(5_444_000_000_000_000), whole: v(5_444_000_000_000), "TestQuantityParse"),
    .init("40.1T", milli: v(40_100_000_000_000_000), whole: v(40_100_000_000_000), "TestQuantityParse"),
    .init("300.2T", milli: v(300_200_000_000_000_000), whole: v(300_200_000_000_000), "TestQuantityParse"),
    .init("2.5P", milli: v(2_500_000_000_000_000_000), whole: v(2_500_000_000_000_000), "TestQuantityParse"),
    .init("1.01E", milli: big, whole: v(1_010_000_000_000_000_000), "TestQuantityParse"),
    // TestQuantityParse: things that saturate/round (upstream rounds up to 1n)
    .init("3.001n", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init("1.1E-9", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init("0.0000000001", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init("0.0000000005", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init("0.00000000050", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init("0.5e-9", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init("0.9n", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init("0.00000012345", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init("0.00000012354", milli: v(1), whole: v(1), "TestQuantityParse"),
    // TestQuantityParse: upstream caps these at maxAllowed (2^63-1); Berth rejects.
    .init("9Ei", milli: big, whole: big, "TestQuantityParse (upstream caps)"),
    .init("9223372036854775807Ki", milli: big, whole: big, "TestQuantityParse (upstream caps)"),
    .init("12E", milli: big, whole: big, "TestQuantityParse (1.2e19 > Int64.max)"),
    // TestQuantityParse: fractional binary
    .init("100.035Ki", milli: v(102_435_840), whole: v(102_436), "TestQuantityParse"),
    .init("0.5Mi", milli: v(524_288_000), whole: v(524_288), "TestQuantityParse"),
    .init("0.05Gi", milli: v(53_687_091_200), whole: v(53_687_092), "TestQuantityParse"),
    .init("0.025Ti", milli: v(27_487_790_694_400), whole: v(27_487_790_695), "TestQuantityParse"),
    // TestQuantityParse: things written by trolls
    .init("0.000000000001Ki", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init(".001", milli: v(1), whole: v(1), "TestQuantityParse"),
    .init(".0001k", milli: v(100), whole: v(1), "TestQuantityParse"),
    .init("1.", milli: v(1_000), whole: v(1), "TestQuantityParse"),
    .init("1.G", milli: v(1_000_000_000_000), whole: v(1_000_000_000), "TestQuantityParse"),
    // TestQuantityParse: "Try everything with an explicit +"
    .init("+1Ki", milli: v(1_024_000), whole: v(1_024), "TestQuantityParse (+)"),
    .init("+0.5", milli: v(500), whole: v(1), "TestQuantityParse (+)"),
    // TestParseQuantityString
    .init("1.025Ti", milli: v(1_126_999_418_470_400), whole: v(1_126_999_418_471), "TestParseQuantityString"),
    .init(".", milli: v(0), whole: v(0), "TestParseQuantityString"),
    .init("-.", milli: v(0), whole: v(0), "TestParseQuantityString"),
    // TestQuantityParseEmit
    .init(".001Ki", milli: v(1_024), whole: v(2), "TestQuantityParseEmit"),
    .init(".000001Ki", milli: v(2), whole: v(1), "TestQuantityParseEmit"),
    .init(".000000001Ki", milli: v(1), whole: v(1), "TestQuantityParseEmit"),
    .init("1024Mi", milli: v(1_073_741_824_000), whole: v(1_073_741_824), "TestQuantityParseEmit"),
    .init("1000M", milli: v(1_000_000_000_000), whole: v(1_000_000_000), "TestQuantityParseEmit"),
    // TestQuantityString (parsed canonical and alternate spellings)
    .init("1080m", milli: v(1_080), whole: v(2), "TestQuantityString"),
    .init("1080000000n", milli: v(1_080), whole: v(2), "TestQuantityString"),
    .init("1.08", milli: v(1_080), whole: v(2), "TestQuantityString"),
    .init("0.001T", milli: v(1_000_000_000_000), whole: v(1_000_000_000), "TestQuantityString"),
    .init(".001e12", milli: v(1_000_000_000_000), whole: v(1_000_000_000), "TestQuantityString"),
    .init("1000e-12", milli: v(1), whole: v(1), "TestQuantityString"),
    .init("00", milli: v(0), whole: v(0), "TestQuantityString"),
    .init("1234567m", milli: v(1_234_567), whole: v(1_235), "TestQuantityString"),
    .init("307200Ki", milli: v(314_572_800_000), whole: v(314_572_800), "TestQuantityString"),
    // Rounding up named in the Berth brief
    .init("0.1m", milli: v(1), whole: v(1), "MilliValue ceil"),
    .init("1.5", milli: v(1_500), whole: v(2), "Value ceil"),
    .init("500m", milli: v(500), whole: v(1), "Value ceil"),
    .init("1.5Gi", milli: v(1_610_612_736_000), whole: v(1_610_612_736), "binary fraction"),
    .init("1.0000000001", milli: v(1_001), whole: v(2), "finer than nano still rounds up"),
    // Int64 boundaries
    .init("9223372036854775807", milli: big, whole: v(Int64.max), "Int64 boundary"),
    .init("9223372036854775808", milli: big, whole: big, "Int64 boundary"),
    .init("9223372036854775807m", milli: v(Int64.max), whole: v(9_223_372_036_854_776), "Int64 boundary"),
    .init("9223372036854775.807", milli: v(Int64.max), whole: v(9_223_372_036_854_776), "Int64 boundary"),
    .init("9223372036854775.808", milli: big, whole: v(9_223_372_036_854_776), "Int64 boundary"),
    .init("9223372036854775806.5", milli: big, whole: v(Int64.max), "Int64 boundary, ceil"),
    .init("9223372036854775807.1", milli: big, whole: big, "Int64 boundary, ceil"),
    .init("7.9999999999999999991Ei", milli: big, whole: v(Int64.max), "just under 8Ei: ceil is exactly 2^63-1"),
    .init("7.99999999999999999914Ei", milli: big, whole: big, "just under 8Ei: ceil is 2^63"),
    .init("8Ei", milli: big, whole: big, "upstream caps 2^63 at 2^63-1 (#140674)"),
    .init("7Ei", milli: big, whole: v(8_070_450_532_247_928_832), "Int64 boundary"),
    .init("1e19", milli: big, whole: big, "Int64 boundary"),
    .init("1e-2147483648", milli: v(1), whole: v(1), "smallest Int32 exponent"),
    .init("0e2147483647", milli: v(0), whole: v(0), "zero times anything"),
    .init("100000000000000000000000e-20", milli: v(1_000_000), whole: v(1_000), "long mantissa"),
    // Upstream quirks kept: a bare sign, a digit-less number, or a lone suffix reads as 0
    .init("-0", milli: v(0), whole: v(0), "TestQuantityParse (negated zero row)"),
    .init("-0.0Gi", milli: v(0), whole: v(0), "TestQuantityParse (negated zero row)"),
    .init("+", milli: v(0), whole: v(0), "parseQuantityString: sign then end"),
    .init("-", milli: v(0), whole: v(0), "parseQuantityString: sign then end"),
    .init("Mi", milli: v(0), whole: v(0), "ParseQuantity int64 fast path"),
    .init(".e-9", milli: v(0), whole: v(0), "ParseQuantity int64 fast path"),
]

@Test(arguments: validQuantities)
func quantityParsesLikeUpstream(_ row: QuantityCase) {
    for (unit, expected) in [(QuantityUnit.milli, row.milli), (.whole, row.whole)] {
        let result = Quantity.parse(row.text, unit: unit)
        switch (expected, result) {
        case (.value(let want), .success(let got)):
            #expect(got == want, "\(row.text) as \(unit)")
        case (.tooLarge, .failure(let error)):
            #expect(error.detail.contains("too large"), "\(row.text) as \(unit): \(error.detail)")
        default:
            Issue.record("\(row.text) as \(unit): expected \(expected), got \(result)")
        }
    }
}

/// Texts upstream ParseQuantity rejects, and the reason fragment Berth gives.
private let invalidQuantities: [(String, String)] = [
    // TestQuantityParse invalid list
    ("1.1.M", "not a number followed by a unit suffix"),
    ("1+1.0M", "not a number followed by a unit suffix"),
    ("0.1mi", "unknown suffix"),
    ("0.1am", "not a number followed by a unit suffix"),
    ("aoeu", "not a number followed by a unit suffix"),
    (".5i", "unknown suffix"),
    ("1i", "unknown suffix"),
    ("-3.01i", "unknown suffix"),
    ("-3.01e-", "unknown suffix"),
    (" 1", "not a number followed by a unit suffix"),
    ("1 ", "not a number followed by a unit suffix"),
    // TestQuantityParse: empty string
    ("", "empty"),
    // TestQuantityParseNonNumericPanic
    ("Non-Numeric", "not a number followed by a unit suffix"),
    // Named in the Berth brief
    ("1.5Gib", "not a number followed by a unit suffix"),
    ("abc", "not a number followed by a unit suffix"),
    ("1..5", "not a number followed by a unit suffix"),
    ("5 Mi", "not a number followed by a unit suffix"),
    ("1e", "unknown suffix"),
    // suffix.go interpret: scanned letters that are no suffix
    ("1K", "unknown suffix"),
    ("1KI", "not a number followed by a unit suffix"),  // I is not a suffix letter
    ("1mm", "unknown suffix"),
    ("1Ee3", "unknown suffix"),
    ("1e+", "unknown suffix"),
    ("1k3", "unknown suffix"),
    ("1e3.5", "not a number followed by a unit suffix"),
    ("1e3e3", "not a number followed by a unit suffix"),
    ("1e99999999999999999999", "unknown suffix"),  // strconv.ParseInt range error
    ("1e2147483648", "unknown suffix"),            // Berth: exponent beyond Int32
    ("１", "not a number followed by a unit suffix"), // fullwidth digit
    // inf.Dec.SetString("") / (".") fails on upstream's slow path
    (".e-10", "no digits"),
    ("Ei", "no digits"),
    ("-.Pi", "no digits"),
    // Negative values: upstream parses them; Berth rejects them as resources
    ("-1", "must not be negative"),
    ("-1Ki", "must not be negative"),
    ("-0.5", "must not be negative"),
    ("-0.0000000001", "must not be negative"),
    ("-9Ei", "must not be negative"),
]

@Test(arguments: invalidQuantities)
func quantityRejects(text: String, detailFragment: String) {
    for unit in [QuantityUnit.milli, .whole] {
        let result = Quantity.parse(text, unit: unit)
        guard case .failure(let error) = result else {
            Issue.record("\(text) as \(unit) parsed as \(result)")
            continue
        }
        #expect(error.expected == #"a Kubernetes quantity like "500m", "2", "512Mi" or "1.5Gi""#)
        #expect(error.detail.contains(detailFragment), "\(text): \(error.detail)")
    }
}

/// Canonical spellings; the binary and milli rows come from upstream
/// TestQuantityString, TestMilliNewSet and TestNewSet.
private let formatted: [(Int64, QuantityUnit, String)] = [
    (0, .milli, "0"),
    (1, .milli, "1m"),                        // TestMilliNewSet
    (1_000, .milli, "1"),                     // TestMilliNewSet
    (1_234_000, .milli, "1234"),              // TestMilliNewSet
    (1_500, .milli, "1500m"),
    (2_000, .milli, "2"),
    (80, .milli, "80m"),                      // TestQuantityString
    (1_080, .milli, "1080m"),                 // TestQuantityString
    (3_000_000, .milli, "3k"),                // TestQuantityString
    (Int64.max, .milli, "9223372036854775807m"),
    (0, .whole, "0"),
    (1, .whole, "1"),                         // TestNewSet
    (1_000, .whole, "1k"),                    // TestNewSet
    (1_234_000, .whole, "1234k"),             // TestNewSet
    (1_024, .whole, "1Ki"),                   // TestNewSet
    (1_048_576, .whole, "1Mi"),               // TestNewSet
    (1_073_741_824, .whole, "1Gi"),           // TestQuantityString
    (314_572_800, .whole, "300Mi"),           // TestQuantityString
    (6_144, .whole, "6Ki"),                   // TestQuantityString
    (1_074_815_565_824, .whole, "1001Gi"),    // TestQuantityString
    (1_099_511_627_776, .whole, "1Ti"),       // TestQuantityString
    (5, .whole, "5"),                         // TestQuantityString
    (1_025, .whole, "1025"),                  // TestQuantityString
    (536_870_912, .whole, "512Mi"),
    (1_500, .whole, "1500"),
    (2_000_000_000, .whole, "2G"),
    (1_000_000_000_000_000_000, .whole, "1E"),
    (Int64.max, .whole, "9223372036854775807"),
    (-1_024, .whole, "-1Ki"),
    (-500, .milli, "-500m"),
    (Int64.min, .whole, "-8Ei"),
]

@Test(arguments: formatted)
func quantityFormatsCanonically(value: Int64, unit: QuantityUnit, text: String) {
    #expect(Quantity.format(value, unit: unit) == text)
}

@Test func quantityFormatRoundTrips() {
    var values: [Int64] = [0, 1, 999, 1_000, 1_023, 1_024, 1_536, 1 << 20, 1 << 62, Int64.max]
    var x: UInt64 = 0xD1B5_4A32_D192_ED03  // fixed seed: deterministic
    for _ in 0..<400 {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17
        let bits = Int(x % 63)
        var value = Int64(truncatingIfNeeded: x >> 1) & ((Int64(1) << bits) - 1)
        // Bias towards values with many factors of 1000 and 1024.
        switch x % 4 {
        case 0: value = (value >> 30) * 1_000_000_000
        case 1: value = (value >> 30) << 30
        default: break
        }
        values.append(value)
    }
    for value in values {
        for unit in [QuantityUnit.milli, .whole] {
            let text = Quantity.format(value, unit: unit)
            #expect(Quantity.parse(text, unit: unit) == .success(value), "\(value) as \(unit) -> \(text)")
        }
    }
}
