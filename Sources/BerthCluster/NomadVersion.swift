/// Version constraints for Nomad's `version` operator, re-implementing
/// hashicorp/go-version (`NewVersion`, `NewConstraint`, `Constraints.Check`):
/// comma-separated clauses `op version` with `=` (or none), `!=`, `>`, `<`,
/// `>=`, `<=`, `~>`; versions `v?N(.N)*` padded to three segments, an optional
/// `-prerelease` and `+metadata` (ignored). Pre-release rules as go-version's
/// `prereleaseCheck`: a constraint without a pre-release never matches a
/// pre-release version (except `=`/`!=`), one with a pre-release only matches
/// pre-releases of the same base version.
/// Simplification: `semver` is checked with the same rules (upstream uses a
/// stricter semver parser that rejects versions of more than three segments).
public enum NomadVersion {
    struct Version: Equatable {
        var segments: [Int64]
        var specified: Int
        var prerelease: String

        init?(_ text: String) {
            var s = Substring(text.trimmingCharacters(in: .whitespaces))
            if s.hasPrefix("v") { s = s.dropFirst() }
            if let plus = s.firstIndex(of: "+") { s = s[..<plus] }
            var pre = ""
            if let dash = s.firstIndex(of: "-") {
                pre = String(s[s.index(after: dash)...])
                s = s[..<dash]
                if pre.isEmpty { return nil }
            }
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            guard !parts.isEmpty else { return nil }
            var segs: [Int64] = []
            for p in parts {
                guard !p.isEmpty, p.allSatisfy(\.isASCII), let n = Int64(p), n >= 0, !p.hasPrefix("+") else { return nil }
                segs.append(n)
            }
            specified = segs.count
            while segs.count < 3 { segs.append(0) }
            segments = segs
            prerelease = pre
        }

        /// go-version `Compare`: segments numerically, then a release beats its pre-releases.
        func compare(_ o: Version) -> Int {
            let n = max(segments.count, o.segments.count)
            for i in 0..<n {
                let a = i < segments.count ? segments[i] : 0
                let b = i < o.segments.count ? o.segments[i] : 0
                if a != b { return a < b ? -1 : 1 }
            }
            if prerelease == o.prerelease { return 0 }
            if prerelease.isEmpty { return 1 }
            if o.prerelease.isEmpty { return -1 }
            return Self.comparePrerelease(prerelease, o.prerelease)
        }

        static func comparePrerelease(_ a: String, _ b: String) -> Int {
            let pa = a.split(separator: "."), pb = b.split(separator: ".")
            for i in 0..<max(pa.count, pb.count) {
                guard i < pa.count else { return -1 }
                guard i < pb.count else { return 1 }
                let x = pa[i], y = pb[i]
                if x == y { continue }
                switch (Int64(x), Int64(y)) {
                case let (m?, n?): return m < n ? -1 : 1
                case (_?, nil): return -1
                case (nil, _?): return 1
                default: return x < y ? -1 : 1
                }
            }
            return 0
        }
    }

    /// Whether `version` satisfies every clause of `constraint`; false when either does not parse.
    public static func matches(_ version: String, constraint: String, semver: Bool = false) -> Bool {
        guard let v = Version(version) else { return false }
        let clauses = constraint.split(separator: ",", omittingEmptySubsequences: false)
        var parsed: [(String, Version)] = []
        for clause in clauses {
            let text = clause.trimmingCharacters(in: .whitespaces)
            let ops = ["~>", ">=", "<=", "!=", ">", "<", "="]
            let op = ops.first { text.hasPrefix($0) } ?? ""
            guard let c = Version(String(text.dropFirst(op.count))) else { return false }
            parsed.append((op, c))
        }
        return parsed.allSatisfy { check(v, $0.0, $0.1) }
    }

    static func prereleaseCheck(_ v: Version, _ c: Version) -> Bool {
        switch (!v.prerelease.isEmpty, !c.prerelease.isEmpty) {
        case (true, true): return v.segments == c.segments
        case (true, false): return false
        default: return true
        }
    }

    static func check(_ v: Version, _ op: String, _ c: Version) -> Bool {
        switch op {
        case "", "=": return v.compare(c) == 0
        case "!=": return v.compare(c) != 0
        case ">": return prereleaseCheck(v, c) && v.compare(c) > 0
        case "<": return prereleaseCheck(v, c) && v.compare(c) < 0
        case ">=": return prereleaseCheck(v, c) && v.compare(c) >= 0
        case "<=": return prereleaseCheck(v, c) && v.compare(c) <= 0
        default: return pessimistic(v, c)
        }
    }

    /// `~>`: at least `c`, and equal in every specified segment but the last.
    static func pessimistic(_ v: Version, _ c: Version) -> Bool {
        if !prereleaseCheck(v, c) || (!c.prerelease.isEmpty && v.prerelease.isEmpty) { return false }
        if v.compare(c) < 0 { return false }
        if c.segments.count > v.segments.count { return false }
        for i in 0..<(c.specified - 1) where v.segments[i] != c.segments[i] { return false }
        return c.segments[c.specified - 1] <= v.segments[c.specified - 1]
    }
}

extension NomadVersion {
    /// Whether go-version would accept `constraint` (every clause `op version`).
    public static func isValidConstraint(_ constraint: String) -> Bool {
        constraint.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { clause in
            let text = clause.trimmingCharacters(in: .whitespaces)
            let op = ["~>", ">=", "<=", "!=", ">", "<", "="].first { text.hasPrefix($0) } ?? ""
            return Version(String(text.dropFirst(op.count))) != nil
        }
    }
}
