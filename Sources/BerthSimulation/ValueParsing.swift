// Exact parsers for the text values a scenario file holds: durations and event
// rates. Durations are read with integer arithmetic only, so "1.5h" is exactly
// 5_400_000_000 µs and never a rounded Double.

/// Why a text value could not be read. `expected` is a short phrase such as
/// `a duration like "90s", "5m" or "1h30m"`; `detail` says what was wrong.
public struct ValueParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What a valid value looks like, e.g. `a duration like "90s", "5m" or "1h30m"`.
    public var expected: String
    /// What was wrong with the text that was given.
    public var detail: String

    public init(expected: String, detail: String) {
        self.expected = expected
        self.detail = detail
    }

    public var description: String { "expected \(expected): \(detail)" }
}

// MARK: - Durations

/// Reads and writes durations such as `"90s"`, `"1h30m"` or `"250ms"` as whole
/// microseconds.
///
/// The spelling follows Go's `time.ParseDuration` (src/time/format.go) with
/// three differences: a day unit `d` exists, components must appear from the
/// largest unit to the smallest with each unit at most once, and negative or
/// unit-less values (including a bare `"0"`) are rejected.
public enum DurationParser {
    /// The `expected` phrase of every duration error.
    public static let expected = #"a duration like "90s", "5m" or "1h30m""#

    /// Units from largest to smallest with their length in microseconds.
    /// `rank` orders them; `µs` (U+00B5) and `μs` (U+03BC) share the rank of `us`.
    private static let units: [(name: String, micros: Int64, rank: Int)] = [
        ("d", 86_400_000_000, 5),
        ("h", 3_600_000_000, 4),
        ("m", 60_000_000, 3),
        ("s", 1_000_000, 2),
        ("ms", 1_000, 1),
        ("us", 1, 0),
        ("\u{00B5}s", 1, 0),
        ("\u{03BC}s", 1, 0),
    ]

    /// Parses "90s", "5m", "1h30m", "2d", "250ms", "10us", "1.5h", "0s",
    /// "1d2h3m4.5s" into whole microseconds, exactly (integer arithmetic, no
    /// floating point).
    ///
    /// Units: `us` (also `µs`), `ms`, `s`, `m`, `h`, `d`. Each component is
    /// digits with an optional fraction (`"1.5h"`; digits are required on both
    /// sides of the point) followed by its unit. Components must be in strictly
    /// decreasing unit order and each unit at most once. A fraction is allowed
    /// on any component as long as the total is a whole number of
    /// microseconds. Empty text, a sign, a missing or unknown unit, any
    /// whitespace (leading and trailing included) and a total above
    /// `Int64.max` µs are errors.
    public static func parseMicros(_ text: String) -> Result<Int64, ValueParseError> {
        func fail(_ detail: String) -> Result<Int64, ValueParseError> {
            .failure(ValueParseError(expected: expected, detail: detail))
        }
        if text.isEmpty { return fail("the text is empty") }
        if text.contains(where: { $0.isWhitespace }) {
            return fail("\(quoted(text)) contains whitespace")
        }
        let scalars = Array(text.unicodeScalars)
        if scalars[0] == "-" { return fail("\(quoted(text)) is negative; durations must not be negative") }
        if scalars[0] == "+" { return fail("\(quoted(text)) has a sign; write the duration without one") }

        var index = 0
        var total: Int64 = 0
        var lastRank = Int.max
        while index < scalars.count {
            // Number: digits, optionally "." and more digits.
            let intStart = index
            while index < scalars.count, isDigit(scalars[index]) { index += 1 }
            let intDigits = scalars[intStart..<index]
            var fracDigits = scalars[index..<index]
            if index < scalars.count, scalars[index] == "." {
                index += 1
                let fracStart = index
                while index < scalars.count, isDigit(scalars[index]) { index += 1 }
                fracDigits = scalars[fracStart..<index]
                if intDigits.isEmpty || fracDigits.isEmpty {
                    return fail("\(quoted(text)) has a number without digits on both sides of its decimal point")
                }
            }
            if intDigits.isEmpty {
                return fail("\(quoted(text)) has a unit or character where a number should be")
            }
            // Unit: everything up to the next digit or point.
            let unitStart = index
            while index < scalars.count, !isDigit(scalars[index]), scalars[index] != "." { index += 1 }
            let unitText = String(String.UnicodeScalarView(scalars[unitStart..<index]))
            if unitText.isEmpty {
                let number = String(String.UnicodeScalarView(scalars[intStart..<index]))
                return fail("\(quoted(number)) has no unit; write it with one, e.g. \(quoted(number + "s"))")
            }
            guard let unit = units.first(where: { $0.name == unitText }) else {
                return fail("unknown unit \(quoted(unitText)); use us, ms, s, m, h or d")
            }
            if unit.rank >= lastRank {
                return fail("\(quoted(text)) must list units from largest to smallest, each at most once")
            }
            lastRank = unit.rank

            guard let component = componentMicros(intDigits: intDigits, fracDigits: fracDigits, unitMicros: unit.micros)
            else { return fail("\(quoted(text)) is too large (more than \(Int64.max) microseconds)") }
            guard let micros = component else {
                return fail("\(quoted(text)) is finer than a microsecond")
            }
            let (sum, overflow) = total.addingReportingOverflow(micros)
            if overflow { return fail("\(quoted(text)) is too large (more than \(Int64.max) microseconds)") }
            total = sum
        }
        return .success(total)
    }

    /// The microseconds of one component. Returns `nil` on overflow, `.some(nil)`
    /// when the value is not a whole number of microseconds.
    private static func componentMicros(
        intDigits: ArraySlice<Unicode.Scalar>, fracDigits: ArraySlice<Unicode.Scalar>, unitMicros: Int64
    ) -> Int64?? {
        var whole: Int64 = 0
        for digit in intDigits {
            let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int64(digitValue(digit)))
            if o1 || o2 { return nil }
            whole = next
        }
        let (wholeMicros, o3) = whole.multipliedReportingOverflow(by: unitMicros)
        if o3 { return nil }

        // Trailing zeros of a fraction carry no value.
        var frac = fracDigits
        while let last = frac.last, last == "0" { frac = frac.dropLast() }
        if frac.isEmpty { return .some(wholeMicros) }
        // Every unit length divides 2^13 * 5^8 * 27, and a fraction with no
        // trailing zero has no factor 10, so more than 13 digits is never exact.
        if frac.count > 13 { return .some(nil) }
        var numerator: Int128 = 0
        for digit in frac { numerator = numerator * 10 + Int128(digitValue(digit)) }
        var denominator: Int128 = 1
        for _ in 0..<frac.count { denominator *= 10 }
        let scaled = numerator * Int128(unitMicros)  // < 10^13 * 10^11: fits
        if scaled % denominator != 0 { return .some(nil) }
        let fracMicros = Int64(scaled / denominator)  // < unitMicros
        let (sum, o4) = wholeMicros.addingReportingOverflow(fracMicros)
        if o4 { return nil }
        return .some(sum)
    }

    /// Formats micros as a canonical compact string that `parseMicros` reads
    /// back to the same value: whole days, hours and minutes, then the rest
    /// below a minute as seconds, milliseconds or microseconds with a decimal
    /// fraction and no trailing zeros. 5_400_000_000 → "1h30m",
    /// 1_500 → "1.5ms", 90_000_000 → "1m30s", 0 → "0s". A negative value is
    /// written with a leading "-" (which `parseMicros` rejects).
    public static func format(micros: Int64) -> String {
        if micros == 0 { return "0s" }
        var rest = micros.magnitude
        var out = micros < 0 ? "-" : ""
        for (name, size) in [("d", UInt64(86_400_000_000)), ("h", 3_600_000_000), ("m", 60_000_000)] {
            let count = rest / size
            if count > 0 { out += "\(count)\(name)" }
            rest %= size
        }
        if rest >= 1_000_000 {
            out += decimal(rest, fractionDigits: 6) + "s"
        } else if rest >= 1_000 {
            out += decimal(rest, fractionDigits: 3) + "ms"
        } else if rest > 0 {
            out += "\(rest)us"
        }
        return out
    }

    /// `value / 10^fractionDigits` written exactly, without trailing zeros.
    private static func decimal(_ value: UInt64, fractionDigits: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let whole = value / scale
        var frac = String(value % scale)
        if frac == "0" { return String(whole) }
        frac = String(repeating: "0", count: fractionDigits - frac.count) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        return "\(whole).\(frac)"
    }
}

// MARK: - Rates

/// Reads event rates such as `"2/s"` or `"120/h"`.
public enum RateParser {
    /// The `expected` phrase of every rate error.
    public static let expected = #"a rate like "2/s", "0.5/m" or "120/h""#

    private static let units: [(name: String, seconds: Double)] = [
        ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400),
    ]

    /// Parses an event rate with its unit: "2/s", "0.5/m", "120/h", "3/d" →
    /// events per second as Double. The count is plain decimal digits with an
    /// optional fraction (no sign, exponent or whitespace); the unit is one of
    /// `s`, `m`, `h`, `d` and must be written. The result must be > 0 and finite.
    public static func parsePerSecond(_ text: String) -> Result<Double, ValueParseError> {
        func fail(_ detail: String) -> Result<Double, ValueParseError> {
            .failure(ValueParseError(expected: expected, detail: detail))
        }
        if text.isEmpty { return fail("the text is empty") }
        if text.contains(where: { $0.isWhitespace }) {
            return fail("\(quoted(text)) contains whitespace")
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 1 {
            return fail("\(quoted(text)) has no unit; write it with one, e.g. \(quoted(text + "/s"))")
        }
        if parts.count > 2 { return fail("\(quoted(text)) has more than one \"/\"") }
        let number = parts[0]
        let unitText = String(parts[1])
        if number.hasPrefix("-") { return fail("\(quoted(text)) is negative; a rate must be greater than zero") }
        guard isPlainDecimal(number), let count = Double(String(number)) else {
            return fail("\(quoted(String(number))) is not a plain decimal number")
        }
        guard let unit = units.first(where: { $0.name == unitText }) else {
            return fail("unknown unit \(quoted(unitText)); use s, m, h or d")
        }
        let perSecond = count / unit.seconds
        if !perSecond.isFinite { return fail("\(quoted(text)) is too large") }
        if !(perSecond > 0) { return fail("\(quoted(text)) is not greater than zero") }
        return .success(perSecond)
    }

    /// Digits, optionally followed by "." and more digits.
    private static func isPlainDecimal(_ text: Substring) -> Bool {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { return false }
        return pieces.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(isDigit) }
    }
}

// MARK: - Shared helpers

private func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

private func digitValue(_ scalar: Unicode.Scalar) -> Int { Int(scalar.value) - 48 }

private func quoted(_ text: String) -> String { "\"\(text)\"" }
