import BerthSimulation

extension ScenarioDecoder {
    static let distributionKeys: [String: [String]] = [
        "constant": ["value"], "uniform": ["min", "max"], "exponential": ["mean"], "normal": ["mean", "stddev"],
        "lognormal": ["mu", "sigma"], "weibull": ["scale", "shape"], "pareto": ["scale", "shape"],
        "gamma": ["shape", "scale"], "empirical": ["values", "weights"],
    ]
    static let distributionNames = ["constant", "uniform", "exponential", "normal", "lognormal", "weibull", "pareto", "gamma", "empirical"]
    /// Parameters measured in the distribution's own unit: for a timed distribution
    /// they may be written as durations ("10m"); the others are pure numbers.
    static let unitParameters: Set<String> = ["value", "min", "max", "mean", "stddev", "scale", "values"]

    /// A distribution map `{dist: NAME, …}`. With `timed`, a bare duration
    /// ("5m") means a constant, and unit parameters accept durations (seconds otherwise).
    func decodeDistribution(_ field: Field, timed: Bool) -> DistributionSpec? {
        if timed, case .scalar = field.node {
            return field.duration().map { .constant(Double($0) / 1_000_000) }
        }
        guard case .mapping = field.node else {
            field.error("expected a distribution like {dist: exponential, mean: 10m}, got \(field.got)")
            return nil
        }
        let allKeys = ["dist"] + Self.distributionKeys.values.flatMap { $0 }
        guard let loose = field.mapping(allowed: Array(Set(allKeys)).sorted()) else { return nil }
        guard let dist = loose.required("dist", in: field)?.oneOf(Self.distributionNames.map { ($0, $0) }, what: "distribution") else { return nil }
        let expected = Self.distributionKeys[dist] ?? []
        for (key, f) in loose where key != "dist" && !expected.contains(key) {
            (field.keyField(key) ?? f).error("\"\(key)\" is not a parameter of \(dist)", hint: "\(dist) takes \(expected.joined(separator: ", "))")
        }
        func number(_ key: String) -> Double? {
            guard let f = loose.required(key, in: field) else { return nil }
            return timed && Self.unitParameters.contains(key) ? f.seconds() : f.double()
        }
        let spec: DistributionSpec?
        switch dist {
        case "constant": spec = number("value").map { .constant($0) }
        case "uniform":
            let (a, b) = (number("min"), number("max"))
            spec = a.flatMap { a in b.map { .uniform(min: a, max: $0) } }
        case "exponential": spec = number("mean").map { .exponential(mean: $0) }
        case "normal":
            let (m, s) = (number("mean"), number("stddev"))
            spec = m.flatMap { m in s.map { .normal(mean: m, stddev: $0) } }
        case "lognormal":
            let (mu, sigma) = (number("mu"), number("sigma"))
            spec = mu.flatMap { mu in sigma.map { .lognormal(mu: mu, sigma: $0) } }
        case "weibull":
            let (scale, shape) = (number("scale"), number("shape"))
            spec = scale.flatMap { sc in shape.map { .weibull(scale: sc, shape: $0) } }
        case "pareto":
            let (scale, shape) = (number("scale"), number("shape"))
            spec = scale.flatMap { sc in shape.map { .pareto(scale: sc, shape: $0) } }
        case "gamma":
            let (shape, scale) = (number("shape"), number("scale"))
            spec = shape.flatMap { sh in scale.map { .gamma(shape: sh, scale: $0) } }
        default:
            let values = loose.required("values", in: field)?.sequence()?.compactMap { timed ? $0.seconds() : $0.double() }
            let weights = loose["weights"]?.sequence()?.compactMap { $0.double() }
            spec = values.map { .empirical(values: $0, weights: weights) }
        }
        if let spec, let problem = spec.problem(nonNegative: true) {
            // Point at the parameter the problem names first ("sigma must be …").
            let named = problem.split(separator: " ").first.map(String.init).flatMap { $0 == "dist" ? nil : loose[$0] }
            (named ?? field).error("invalid \(dist) distribution: \(problem)")
            return nil
        }
        return spec
    }
}
