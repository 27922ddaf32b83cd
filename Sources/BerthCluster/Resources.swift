/// The resource dimensions of one scenario, in a fixed order.
///
/// The four standard Kubernetes resources always come first — `cpu`
/// (millicores), `memory` and `ephemeral-storage` (bytes), `pods` (count) —
/// then extended resources (`nvidia.com/gpu`, …) sorted by name. Resource
/// vectors everywhere are plain `[Int64]` indexed by this catalog, so the hot
/// path never hashes a resource name.
public struct ResourceCatalog: Hashable, Sendable {
    public static let cpu = 0
    public static let memory = 1
    public static let ephemeralStorage = 2
    public static let pods = 3
    public static let standardNames = ["cpu", "memory", "ephemeral-storage", "pods"]

    public let names: [String]

    /// A catalog of the standard resources plus the given extended ones.
    public init(extended: some Sequence<String>) {
        let extra = Set(extended).subtracting(ResourceCatalog.standardNames).sorted()
        names = ResourceCatalog.standardNames + extra
    }

    public var count: Int { names.count }

    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// Whether a resource is counted in whole units (pods, extended resources)
    /// rather than millis (cpu) — used when parsing and formatting quantities.
    public func isMilli(_ index: Int) -> Bool { index == ResourceCatalog.cpu }

    /// Whether `name` is a legal resource name: a standard name or an extended
    /// resource written as a domain-prefixed name (`example.com/foo`).
    public static func isValidName(_ name: String) -> Bool {
        if standardNames.contains(name) { return true }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0].contains(".") else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || "-._/".contains($0) }
    }

    /// A vector of zeros of this catalog's width.
    public func zeros() -> [Int64] { Array(repeating: 0, count: count) }

    /// A CSV-safe column stem: `nvidia.com/gpu` → `nvidia_com_gpu`, `ephemeral-storage` → `ephemeral_storage`.
    public func columnStem(_ index: Int) -> String {
        String(names[index].map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}

/// Kubernetes taint effects (core/v1 `TaintEffect`).
public enum TaintEffect: String, Sendable, CaseIterable, Hashable {
    case noSchedule = "NoSchedule"
    case preferNoSchedule = "PreferNoSchedule"
    case noExecute = "NoExecute"
}

/// A node taint (core/v1 `Taint`).
public struct Taint: Hashable, Sendable {
    public var key: String
    public var value: String
    public var effect: TaintEffect
    public init(key: String, value: String = "", effect: TaintEffect) {
        self.key = key
        self.value = value
        self.effect = effect
    }
}

/// A task's toleration (core/v1 `Toleration`), matched as upstream
/// `Toleration.ToleratesTaint` does: an empty effect matches every effect; the
/// `Exists` operator with an empty key matches every taint; `Equal` compares values.
public struct Toleration: Hashable, Sendable {
    public enum Operator: String, Sendable, CaseIterable { case equal = "Equal", exists = "Exists" }
    public var key: String
    public var op: Operator
    public var value: String
    public var effect: TaintEffect?
    /// For `NoExecute`: how long the task stays bound after the taint appears (nil: forever).
    public var tolerationSeconds: Int64?

    public init(key: String = "", op: Operator = .equal, value: String = "", effect: TaintEffect? = nil, tolerationSeconds: Int64? = nil) {
        self.key = key
        self.op = op
        self.value = value
        self.effect = effect
        self.tolerationSeconds = tolerationSeconds
    }

    /// Re-implements k8s.io/api/core/v1 `(*Toleration).ToleratesTaint`.
    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, effect != taint.effect { return false }
        if !key.isEmpty && key != taint.key { return false }
        switch op {
        case .exists: return true
        case .equal: return value == taint.value
        }
    }
}
