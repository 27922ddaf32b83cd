import CGSL

/// Mean, spread and a two-sided Student-t confidence interval of a small
/// sample (one value per replication): what `comparison.csv` reports.
///
/// With n values x₁…xₙ: mean x̄ = Σxᵢ/n; sample standard deviation
/// s = √(Σ(xᵢ − x̄)²/(n − 1)) (GSL `gsl_stats_mean`, `gsl_stats_sd`); the
/// interval is x̄ ± t₁₋α/₂,ₙ₋₁ · s/√n with the quantile from GSL
/// `gsl_cdf_tdist_Pinv`. `stddev` and the interval need n ≥ 2 and are nil
/// below; min and max need n ≥ 1. A sample without spread (s = 0) gives the
/// degenerate interval [x̄, x̄].
public struct ConfidenceInterval: Sendable, Equatable {
    public var count: Int
    public var mean: Double?
    public var stddev: Double?
    public var low: Double?
    public var high: Double?
    public var min: Double?
    public var max: Double?

    /// - Complexity: O(n).
    public init(_ values: [Double], confidence: Double = 0.95) {
        count = values.count
        guard !values.isEmpty else { return }
        min = values.min()
        max = values.max()
        let (m, s) = values.withUnsafeBufferPointer { buffer -> (Double, Double?) in
            let m = gsl_stats_mean(buffer.baseAddress, 1, buffer.count)
            guard buffer.count >= 2 else { return (m, nil) }
            return (m, gsl_stats_sd_m(buffer.baseAddress, 1, buffer.count, m))
        }
        mean = m
        guard let s else { return }
        stddev = s
        let half = Self.tQuantile(1 - (1 - confidence) / 2, degreesOfFreedom: count - 1) * s / Double(count).squareRoot()
        low = m - half
        high = m + half
    }

    /// The p-quantile of Student's t distribution with `degreesOfFreedom` (≥ 1)
    /// degrees of freedom (GSL `gsl_cdf_tdist_Pinv`).
    public static func tQuantile(_ p: Double, degreesOfFreedom: Int) -> Double {
        gsl_cdf_tdist_Pinv(p, Double(degreesOfFreedom))
    }

    /// Whether the interval exists and excludes zero (a significant difference
    /// when the sample is of paired differences).
    public var excludesZero: Bool? {
        guard let low, let high else { return nil }
        return low > 0 || high < 0
    }
}
