import CGSL

/// One independent pseudo-random stream: a GSL MT19937 generator.
///
/// Each concern of a run (arrivals, durations, sizes, failures, tie-breaks…)
/// owns its own stream, derived from the run seed and the concern's name by
/// ``RandomStreams``. Adding a failure process therefore leaves the arrival
/// sequence untouched, and comparing two schedulers on one seed uses common
/// random numbers.
///
/// Not `Sendable`: a stream belongs to exactly one run on one thread.
public final class RandomStream {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    public let name: String
    public let seed: UInt64

    /// Creates a stream seeded with `seed` (MT19937 uses the low 32 bits; 0 is
    /// replaced by GSL's default 4357, as documented for `gsl_rng_set`).
    public init(name: String, seed: UInt64) {
        berth_gsl_disable_abort()
        // gsl_rng_alloc only returns NULL when out of memory.
        guard let r = gsl_rng_alloc(berth_rng_type_mt19937()) else {
            fatalError("gsl_rng_alloc failed: out of memory") // trap-ok: allocation failure, not user input
        }
        rng = r
        self.name = name
        self.seed = seed
        gsl_rng_set(rng, UInt(truncatingIfNeeded: seed & 0xFFFF_FFFF))
    }

    deinit { gsl_rng_free(rng) }

    /// Uniform in [0, 1).
    @inlinable public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// Uniform in (0, 1): never exactly zero (safe for logarithms).
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

    /// Uniform integer in `0..<n` (n ≥ 1), without modulo bias (GSL `gsl_rng_uniform_int`).
    @inlinable public func index(below n: Int) -> Int {
        precondition(n >= 1) // trap-ok: callers pass a non-empty count
        if n == 1 { return 0 }
        if n <= 0xFFFF_FFFF { return Int(gsl_rng_uniform_int(rng, UInt(n))) }
        return Int(uniform() * Double(n)) // beyond MT19937's 32-bit range
    }

    /// Raw access for the distribution samplers in this module.
    @usableFromInline var raw: UnsafeMutablePointer<gsl_rng> { rng }
}

/// Derives one independent, named stream per concern from a single run seed.
///
/// The derivation is `splitmix64(seed ⊕ fnv1a64(name))`: stable across
/// platforms and Swift versions (unlike `Hasher`), so seeds printed today
/// replay tomorrow.
public struct RandomStreams {
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// The well-known concerns. Using these names (not ad-hoc strings) keeps
    /// streams stable when new concerns are added elsewhere.
    public enum Concern: String, CaseIterable, Sendable {
        case arrivals, durations, sizes, failures, tieBreaks = "tie-breaks", shuffle
    }

    public func stream(_ concern: Concern, _ qualifier: String = "") -> RandomStream {
        stream(named: qualifier.isEmpty ? concern.rawValue : concern.rawValue + "/" + qualifier)
    }

    public func stream(named name: String) -> RandomStream {
        RandomStream(name: name, seed: RandomStreams.derive(seed: seed, name: name))
    }

    public static func derive(seed: UInt64, name: String) -> UInt64 {
        splitmix64(seed ^ fnv1a64(name))
    }

    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    public static func splitmix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
