// Kubernetes resource quantities ("500m", "512Mi", "1e3") read exactly as
// k8s.io/apimachinery reads them in pkg/api/resource/quantity.go
// (ParseQuantity, parseQuantityString) and pkg/api/resource/suffix.go
// (suffixHandler.interpret), then converted the way Quantity.MilliValue() and
// Quantity.Value() convert them. Only exact integer arithmetic is used.

import BerthSimulation

/// Which integer a quantity is read into.
public enum QuantityUnit: Sendable {
    /// Thousandths of the written value, like upstream `Quantity.MilliValue()`;
    /// for CPU, where "500m" is 500 and "2" is 2000.
    case milli
    /// The written value itself, like upstream `Quantity.Value()`; for bytes
    /// and counts, where "512Mi" is 536_870_912.
    case whole
}

/// Kubernetes resource quantity syntax, as in k8s.io/apimachinery
/// `pkg/api/resource/quantity.go`:
///
///     <quantity>        ::= <signedNumber><suffix>
///     <signedNumber>    ::= <number> | <sign><number>
///     <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
///     <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
///     <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
///     <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
///     <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
///
/// (upstream's exponent is in fact an optionally signed integer, read with
/// `strconv.ParseInt`).
public enum Quantity {
    /// The `expected` phrase of every quantity error.
    public static let expected = #"a Kubernetes quantity like "500m", "2", "512Mi" or "1.5Gi""#

    /// Parses "500m", "2", "1.5", "512Mi", "2G", "1e3", "1.5Gi" into an
    /// `Int64` in `unit`, accepting and rejecting exactly the texts upstream
    /// `ParseQuantity` accepts and rejects (k8s.io/apimachinery
    /// pkg/api/resource/quantity.go), with the exceptions below.
    ///
    /// A value that is not a whole number of the unit is rounded up, as
    /// upstream `MilliValue()` / `Value()` round (ceil): "0.1m" → 1 milli,
    /// "1.5" → 2 bytes. (Upstream first rounds away from zero to a nano, which
    /// for a non-negative value never changes the ceiling in milli or whole
    /// units.) Upstream quirks that are kept: ".5", "1." and "1.G" are valid;
    /// "+", "-", "." and "-0" all read as 0.
    ///
    /// Where this deliberately differs from upstream:
    /// - A negative non-zero value is rejected ("must not be negative").
    /// - A result above `Int64.max` is an error. Upstream silently caps a
    ///   binary-SI value at 2^63-1 ("8Ei" reads as 9223372036854775807) and
    ///   lets `Value()`/`MilliValue()` overflow silently otherwise.
    /// - An exponent outside `Int32` is an error; upstream truncates it to
    ///   32 bits (so "1e4294967296" would read as 1).
    public static func parse(_ text: String, unit: QuantityUnit) -> Result<Int64, ValueParseError> {
        func fail(_ detail: String) -> Result<Int64, ValueParseError> {
            .failure(ValueParseError(expected: expected, detail: detail))
        }
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return fail("the text is empty") }

        // --- parseQuantityString ---
        var pos = 0
        var negative = false
        switch bytes[0] {
        case UInt8(ascii: "-"): negative = true; pos = 1
        case UInt8(ascii: "+"): pos = 1
        default: break
        }
        let signLength = pos
        // Upstream returns 0 as soon as only zeros (or nothing) follow the sign.
        while pos < bytes.count, bytes[pos] == UInt8(ascii: "0") { pos += 1 }
        if pos == bytes.count { return .success(0) }
        let numStart = pos
        while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        let num = bytes[numStart..<pos]
        var denom = bytes[pos..<pos]
        var sawDigit = numStart > signLength || !num.isEmpty  // stripped zeros count
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            let denomStart = pos
            while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
            denom = bytes[denomStart..<pos]
            if !denom.isEmpty { sawDigit = true }
        }
        let suffixStart = pos
        while pos < bytes.count, suffixLetters.contains(bytes[pos]) { pos += 1 }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "-") || bytes[pos] == UInt8(ascii: "+") { pos += 1 }
        while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        if pos < bytes.count {
            return fail("\(quoted(text)) is not a number followed by a unit suffix")
        }
        let suffix = bytes[suffixStart...]

        // --- suffixHandler.interpret ---
        guard let (base, exponent) = interpretSuffix(suffix) else {
            let shown = String(decoding: suffix, as: UTF8.self)
            return fail("unknown suffix \(quoted(shown)); use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<exponent>")
        }
        // A number with no digits at all ("", ".", "-.") reads as 0 on
        // upstream's int64 fast path, but fails ("unable to parse numeric part
        // of quantity") where upstream takes its inf.Dec path: a decimal scale
        // below nano, or a binary suffix whose precision estimate
        // 15 - 1 - exponent*3/10 - 1 is negative (Pi, Ei).
        if !sawDigit, base == 10 ? exponent < -9 : exponent >= 50 {
            return fail("\(quoted(text)) has no digits")
        }

        // --- exact value: digits × 2^binaryShift × 10^decimalExponent ---
        let allDigits = Array(num) + Array(denom)
        guard let firstNonZero = allDigits.firstIndex(where: { $0 != UInt8(ascii: "0") }) else {
            return .success(0)
        }
        var digits = Array(allDigits[firstNonZero...])
        if negative {
            return fail("\(quoted(text)) is negative; resource quantities must not be negative")
        }
        var decimalExponent = (base == 10 ? exponent : 0) - Int64(denom.count) + (unit == .milli ? 3 : 0)
        while let last = digits.last, last == UInt8(ascii: "0") {
            digits.removeLast()
            decimalExponent += 1
        }
        var value = digits.map { Int($0) - 48 }  // most significant first
        if base == 2 {
            for _ in 0..<(exponent / 10) { multiply(&value, by: 1024) }
        }
        guard let result = ceilingInt64(digits: value, exponent: decimalExponent) else {
            return fail("\(quoted(text)) is too large (more than \(Int64.max) in this unit)")
        }
        return .success(result)
    }

    /// The letters upstream collects into a suffix before an optional signed
    /// exponent: "eEinumkKMGTP".
    private static let suffixLetters: Set<UInt8> = Set("eEinumkKMGTP".utf8)

    private static let decimalSuffixes: [String: Int64] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    private static let binarySuffixes: [String: Int64] = [
        "Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60,
    ]

    /// Base and exponent of a suffix, as upstream suffix.go `interpret` gives
    /// them: decimal SI, then binary SI, then "e"/"E" followed by an integer
    /// that `strconv.ParseInt` accepts (optional sign, then digits).
    private static func interpretSuffix(_ suffix: ArraySlice<UInt8>) -> (base: Int64, exponent: Int64)? {
        let text = String(decoding: suffix, as: UTF8.self)
        if let exponent = decimalSuffixes[text] { return (10, exponent) }
        if let exponent = binarySuffixes[text] { return (2, exponent) }
        guard suffix.count > 1, let first = suffix.first,
              first == UInt8(ascii: "e") || first == UInt8(ascii: "E") else { return nil }
        var rest = suffix.dropFirst()
        var negativeExponent = false
        if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negativeExponent = sign == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty, rest.allSatisfy(isDigit) else { return nil }
        var magnitude: Int64 = 0
        for digit in rest {
            magnitude = magnitude * 10 + Int64(digit) - 48
            if magnitude > Int64(Int32.max) + 1 { return nil }
        }
        let exponent = negativeExponent ? -magnitude : magnitude
        guard exponent >= Int64(Int32.min), exponent <= Int64(Int32.max) else { return nil }
        return (10, exponent)
    }

    /// Multiplies a big decimal (digits, most significant first) by a small factor.
    private static func multiply(_ digits: inout [Int], by factor: Int) {
        var carry = 0
        for index in digits.indices.reversed() {
            let product = digits[index] * factor + carry
            digits[index] = product % 10
            carry = product / 10
        }
        while carry > 0 {
            digits.insert(carry % 10, at: 0)
            carry /= 10
        }
    }

    /// ceil(digits × 10^exponent) for a positive big decimal whose first digit
    /// is not zero, or `nil` when that exceeds `Int64.max`.
    private static func ceilingInt64(digits: [Int], exponent: Int64) -> Int64? {
        let integerLength = Int64(digits.count) + exponent
        if integerLength <= 0 { return 1 }  // 0 < value < 1
        if integerLength > 19 { return nil }  // value ≥ 10^19
        var result: Int128 = 0
        for position in 0..<Int(integerLength) {
            result = result * 10 + Int128(position < digits.count ? digits[position] : 0)
        }
        if Int64(digits.count) > integerLength,
           digits[Int(integerLength)...].contains(where: { $0 != 0 }) {
            result += 1
        }
        return result <= Int128(Int64.max) ? Int64(result) : nil
    }

    /// Writes `value` (in `unit`) in the canonical form upstream `String()`
    /// would pick, using only a suffix that divides the value evenly, so that
    /// `parse(format(v, unit: u), unit: u) == v` for every `v >= 0`.
    ///
    /// `.milli`: decimal SI from "m" up — 1500 → "1500m", 2000 → "2",
    /// 2_000_000 → "2k". `.whole`: the shorter of the binary-SI and decimal-SI
    /// spellings, binary on a tie — 536_870_912 → "512Mi", 2_000_000_000 →
    /// "2G", 1024 → "1Ki", 1500 → "1500". Zero is "0".
    public static func format(_ value: Int64, unit: QuantityUnit) -> String {
        if value == 0 { return "0" }
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        switch unit {
        case .milli:
            return sign + decimalSI(magnitude, suffixes: ["m", "", "k", "M", "G", "T", "P", "E"])
        case .whole:
            let decimal = decimalSI(magnitude, suffixes: ["", "k", "M", "G", "T", "P", "E"])
            let binary = binarySI(magnitude)
            return sign + (binary.count <= decimal.count ? binary : decimal)
        }
    }

    private static func decimalSI(_ magnitude: UInt64, suffixes: [String]) -> String {
        var mantissa = magnitude
        var index = 0
        while index + 1 < suffixes.count, mantissa % 1000 == 0 {
            mantissa /= 1000
            index += 1
        }
        return "\(mantissa)\(suffixes[index])"
    }

    private static func binarySI(_ magnitude: UInt64) -> String {
        let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
        var mantissa = magnitude
        var index = 0
        while index + 1 < suffixes.count, mantissa % 1024 == 0 {
            mantissa /= 1024
            index += 1
        }
        return "\(mantissa)\(suffixes[index])"
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

private func quoted(_ text: String) -> String { "\"\(text)\"" }
