import CGSL
import Foundation

/// A probability distribution as written in a scenario, e.g.
/// `{dist: lognormal, mu: 5.2, sigma: 1.1}` or `{dist: exponential, mean: 10m}`.
///
/// Parameters are plain numbers in the quantity's own unit (seconds for
/// durations, counts for sizes). Lognormal `mu`/`sigma` are the mean and
/// standard deviation of the *logarithm* of the value. All sampling goes through
/// GSL (`gsl_ran_*`), drawing from one ``RandomStream``.
public enum DistributionSpec: Sendable, Equatable {
    case constant(Double)
    /// Uniform on [min, max).
    case uniform(min: Double, max: Double)
    case exponential(mean: Double)
    /// Normal truncated at zero: samples are drawn from the normal restricted to
    /// [0, ∞) by inverse-CDF sampling (exact, no rejection loop).
    case normal(mean: Double, stddev: Double)
    case lognormal(mu: Double, sigma: Double)
    /// Weibull with scale λ and shape k: mean λ·Γ(1 + 1/k).
    case weibull(scale: Double, shape: Double)
    /// Pareto (type I) with scale x_m (the minimum) and shape α.
    case pareto(scale: Double, shape: Double)
    /// Gamma with shape k and scale θ: mean k·θ.
    case gamma(shape: Double, scale: Double)
    /// A finite list of values, optionally weighted (weights need not sum to 1).
    case empirical(values: [Double], weights: [Double]?)

    /// The distribution's name as written in scenarios.
    public var name: String {
        switch self {
        case .constant: "constant"
        case .uniform: "uniform"
        case .exponential: "exponential"
        case .normal: "normal"
        case .lognormal: "lognormal"
        case .weibull: "weibull"
        case .pareto: "pareto"
        case .gamma: "gamma"
        case .empirical: "empirical"
        }
    }

    /// The analytic mean where it is finite (used in tests and docs); nil otherwise.
    public var mean: Double? {
        switch self {
        case .constant(let v): return v
        case .uniform(let a, let b): return (a + b) / 2
        case .exponential(let m): return m
        case .normal(let m, let s):
            // Mean of the normal truncated to [0, ∞): μ + σ·φ(α)/(1 − Φ(α)), α = −μ/σ.
            let alpha = -m / s
            let phi = gsl_ran_ugaussian_pdf(alpha)
            let tail = gsl_cdf_ugaussian_Q(alpha)
            return m + s * phi / tail
        case .lognormal(let mu, let sigma): return exp(mu + sigma * sigma / 2)
        case .weibull(let scale, let shape): return scale * tgamma(1 + 1 / shape)
        case .pareto(let scale, let shape): return shape > 1 ? shape * scale / (shape - 1) : nil
        case .gamma(let shape, let scale): return shape * scale
        case .empirical(let values, let weights):
            let w = weights ?? Array(repeating: 1, count: values.count)
            let total = w.reduce(0, +)
            return zip(values, w).reduce(0) { $0 + $1.0 * $1.1 } / total
        }
    }

    /// Why these parameters are unusable, or nil when they are fine.
    /// `nonNegative` demands support in [0, ∞) (durations, sizes).
    public func problem(nonNegative: Bool = true) -> String? {
        func finite(_ xs: Double...) -> Bool { xs.allSatisfy { $0.isFinite } }
        switch self {
        case .constant(let v):
            guard finite(v) else { return "value must be a finite number" }
            if nonNegative && v < 0 { return "value must not be negative" }
        case .uniform(let a, let b):
            guard finite(a, b) else { return "min and max must be finite numbers" }
            if a > b { return "min must not exceed max" }
            if nonNegative && a < 0 { return "min must not be negative" }
        case .exponential(let m):
            guard finite(m), m > 0 else { return "mean must be greater than 0" }
        case .normal(let m, let s):
            guard finite(m, s), s > 0 else { return "stddev must be greater than 0" }
            if m / s < -8 { return "mean is more than 8 stddev below 0: almost no mass is left after truncation at 0" }
        case .lognormal(let mu, let sigma):
            guard finite(mu, sigma), sigma > 0 else { return "sigma must be greater than 0" }
        case .weibull(let scale, let shape), .gamma(shape: let shape, scale: let scale):
            guard finite(scale, shape), scale > 0, shape > 0 else { return "scale and shape must be greater than 0" }
        case .pareto(let scale, let shape):
            guard finite(scale, shape), scale > 0, shape > 0 else { return "scale and shape must be greater than 0" }
        case .empirical(let values, let weights):
            if values.isEmpty { return "values must not be empty" }
            if !values.allSatisfy(\.isFinite) { return "values must be finite numbers" }
            if nonNegative && values.contains(where: { $0 < 0 }) { return "values must not be negative" }
            if let w = weights {
                if w.count != values.count { return "weights must have one entry per value (\(values.count)), got \(w.count)" }
                if w.contains(where: { !$0.isFinite || $0 < 0 }) { return "weights must be finite and not negative" }
                if !(w.reduce(0, +) > 0) { return "weights must not all be zero" }
            }
        }
        return nil
    }
}

/// A ready-to-draw sampler built from a validated ``DistributionSpec``.
/// Owns GSL state for empirical tables; belongs to one run.
public final class Sampler {
    public let spec: DistributionSpec
    private let table: UnsafeMutablePointer<gsl_ran_discrete_t>?
    private let values: [Double]

    /// - Precondition: `spec.problem(nonNegative: false) == nil` (the scenario loader checks it).
    public init(_ spec: DistributionSpec) {
        self.spec = spec
        if case .empirical(let values, let weights) = spec {
            self.values = values
            let w = weights ?? Array(repeating: 1, count: values.count)
            table = w.withUnsafeBufferPointer { gsl_ran_discrete_preproc(w.count, $0.baseAddress) }
        } else {
            self.values = []
            table = nil
        }
    }

    deinit { if let table { gsl_ran_discrete_free(table) } }

    /// One draw in the distribution's unit.
    public func sample(_ stream: RandomStream) -> Double {
        let r = stream.raw
        switch spec {
        case .constant(let v): return v
        case .uniform(let a, let b): return a == b ? a : gsl_ran_flat(r, a, b)
        case .exponential(let m): return gsl_ran_exponential(r, m)
        case .normal(let m, let s):
            let lower = gsl_cdf_ugaussian_P(-m / s)
            let u = lower + (1 - lower) * gsl_rng_uniform_pos(r)
            return max(0, m + s * gsl_cdf_ugaussian_Pinv(u))
        case .lognormal(let mu, let sigma): return gsl_ran_lognormal(r, mu, sigma)
        case .weibull(let scale, let shape): return gsl_ran_weibull(r, scale, shape)
        case .pareto(let scale, let shape): return gsl_ran_pareto(r, shape, scale)
        case .gamma(let shape, let scale): return gsl_ran_gamma(r, shape, scale)
        case .empirical:
            guard let table else { return values.first ?? 0 }
            return values[Int(gsl_ran_discrete(r, table))]
        }
    }

    /// One draw interpreted as seconds and rounded to the nearest microsecond,
    /// clamped to [0, `maxMicros`] so a heavy tail cannot overflow the clock.
    public func sampleMicros(_ stream: RandomStream, maxMicros: Int64 = 100 * 365 * 86_400 * 1_000_000) -> Int64 {
        let micros = (sample(stream) * 1_000_000).rounded()
        guard micros.isFinite, micros > 0 else { return 0 }
        return micros >= Double(maxMicros) ? maxMicros : Int64(micros)
    }

    /// One draw rounded to the nearest whole count, at least `minimum`.
    public func sampleCount(_ stream: RandomStream, minimum: Int = 1, maximum: Int = 1_000_000) -> Int {
        let x = sample(stream).rounded()
        guard x.isFinite else { return maximum }
        return Int(min(Double(maximum), max(Double(minimum), x)))
    }
}
