// TEMPORARY stand-in until helper/parsers lands (not committed).
import BerthSimulation
public enum QuantityUnit: Sendable { case milli, whole }
public enum Quantity {
    public static func parse(_ text: String, unit: QuantityUnit) -> Result<Int64, ValueParseError> {
        let suffixes: [(String, Double)] = [("Ki", 1024), ("Mi", 1048576), ("Gi", 1073741824), ("Ti", 1099511627776), ("m", 0.001), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12)]
        var mult = 1.0; var body = Substring(text)
        for (s, m) in suffixes where text.hasSuffix(s) { mult = m; body = text.dropLast(s.count); break }
        guard let v = Double(body), v >= 0 else { return .failure(ValueParseError(expected: "a Kubernetes quantity like \"500m\", \"2\", \"512Mi\" or \"1.5Gi\"", detail: "got \"\(text)\"")) }
        let x = v * mult * (unit == .milli ? 1000 : 1)
        return .success(Int64(x.rounded(.up)))
    }
    public static func format(_ value: Int64, unit: QuantityUnit) -> String { unit == .milli ? "\(value)m" : "\(value)" }
}
