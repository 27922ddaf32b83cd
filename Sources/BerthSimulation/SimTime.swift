/// Simulated time: whole microseconds since the start of the run.
///
/// Integer time keeps every run exact and reproducible: no event is ever
/// reordered by floating-point rounding. `Int64` microseconds reach ±292,000 years.
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var micros: Int64

    @inline(__always) public init(micros: Int64) { self.micros = micros }

    public static let zero = SimTime(micros: 0)
    /// A time later than any a scenario can name (used for "no horizon").
    public static let never = SimTime(micros: Int64.max)

    public static func seconds(_ s: Int64) -> SimTime { SimTime(micros: s * 1_000_000) }
    public static func millis(_ ms: Int64) -> SimTime { SimTime(micros: ms * 1_000) }

    @inline(__always) public static func < (a: SimTime, b: SimTime) -> Bool { a.micros < b.micros }

    /// Adds a duration, saturating at `.never` instead of overflowing.
    @inline(__always) public func adding(micros d: Int64) -> SimTime {
        let (sum, overflow) = micros.addingReportingOverflow(d)
        return overflow ? .never : SimTime(micros: sum)
    }

    /// Seconds as a `Double` (for statistics; never for ordering).
    public var seconds: Double { Double(micros) / 1_000_000 }

    /// Exact decimal seconds with six fractional digits, e.g. `12.000500`.
    /// Used for every time column in the CSV reports so that output is byte-stable.
    public var secondsText: String { SimTime.decimalSeconds(micros) }

    public static func decimalSeconds(_ micros: Int64) -> String {
        let negative = micros < 0
        let magnitude = micros.magnitude
        let whole = magnitude / 1_000_000
        let frac = magnitude % 1_000_000
        var fracText = String(frac)
        if fracText.count < 6 { fracText = String(repeating: "0", count: 6 - fracText.count) + fracText }
        return (negative ? "-" : "") + String(whole) + "." + fracText
    }

    public var description: String { secondsText + "s" }
}
