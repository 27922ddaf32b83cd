import BerthCluster

/// Scores are integers in `0...maxNodeScore` (upstream `framework.MaxNodeScore`).
public let maxNodeScore: Int64 = 100

/// Every kube-scheduler plugin has a name (the one used in profiles).
public protocol KubePlugin: Sendable {
    var name: String { get }
    /// True when this plugin's Filter and Score results depend only on the pod
    /// (the same for every pod of one ``TaskSpec/shape``) and on the node's own
    /// state: its static labels, taints and images, and what runs on it. The
    /// framework then reuses a result while the node is unchanged (see
    /// ``NodeLocalCache``). Plugins that look at other nodes (PodTopologySpread,
    /// InterPodAffinity) keep the default `false`.
    var isNodeLocal: Bool { get }
}

extension KubePlugin {
    public var isNodeLocal: Bool { false }
}

/// Runs once per pod before filtering. Returns `.skip` to skip this plugin's
/// Filter for the cycle, `.unschedulable…` to reject the pod outright.
/// Upstream: `framework.PreFilterPlugin`.
public protocol PreFilterPlugin: KubePlugin {
    func preFilter(_ state: CycleState, pod: PodInfo, nodes: NodeList) -> Status
}

/// May this pod run on this node? Success, `.unschedulable` or
/// `.unschedulableAndUnresolvable` with a reason. Upstream: `framework.FilterPlugin`.
public protocol FilterPlugin: KubePlugin {
    func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status
}

/// A PreFilter plugin whose state depends on pods elsewhere in the cluster
/// keeps it up to date as preemption takes pods off a node and puts them back
/// (upstream `PreFilterExtensions.AddPod` / `RemovePod`). `node` shows the
/// node with the change already made.
public protocol PreFilterExtensions: PreFilterPlugin {
    func addPod(_ state: CycleState, pod: PodInfo, adding existing: Int32, node: NodeInfo) -> Status
    func removePod(_ state: CycleState, pod: PodInfo, removing existing: Int32, node: NodeInfo) -> Status
}

/// Runs once per pod over the feasible nodes before scoring. `.skip` skips
/// this plugin's Score. Upstream: `framework.PreScorePlugin`.
public protocol PreScorePlugin: KubePlugin {
    func preScore(_ state: CycleState, pod: PodInfo, nodes: NodeSet) -> Status
}

/// Scores one feasible node. The runner checks the (normalised) score is in
/// `0...maxNodeScore` and multiplies it by the profile's weight.
/// Upstream: `framework.ScorePlugin`.
public protocol ScorePlugin: KubePlugin {
    func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> (Int64, Status)
}

/// A score plugin that scores all feasible nodes in one call (a Berth speed-up:
/// it reads its PreScore state once instead of once per node). Must return
/// exactly what calling `score` on each node in order would.
public protocol BatchScoring: ScorePlugin {
    /// Appends one score per node of `nodes` to `scores`; stops at the first error.
    func scoreAll(_ state: CycleState, pod: PodInfo, nodes: NodeSet, into scores: inout [NodeScore]) -> Status
}

/// A score plugin that rescales its raw scores across all nodes after scoring
/// (upstream `ScoreExtensions.NormalizeScore`).
public protocol ScoreNormalizing: ScorePlugin {
    func normalizeScore(_ state: CycleState, pod: PodInfo, scores: inout [NodeScore]) -> Status
    /// When `normalizeScore` is exactly ``defaultNormalizeScore(maxPriority:reverse:scores:)``
    /// with `maxNodeScore`, its `reverse` flag (lets the framework normalise
    /// cached raw scores without building a score list); nil otherwise.
    var defaultNormalizationReverse: Bool? { get }
}

extension ScoreNormalizing {
    public var defaultNormalizationReverse: Bool? { nil }
}

public struct NodeScore: Equatable, Sendable {
    public var node: Int
    public var score: Int64
    public init(node: Int, score: Int64) {
        self.node = node
        self.score = score
    }
}

/// Per-cycle scratch space shared by a pod's plugins (upstream `framework.CycleState`).
/// Plugins store what PreFilter/PreScore computed under their own key.
public final class CycleState {
    // A handful of entries per cycle: a linear scan with String equality
    // (identical static key strings compare by identity) beats hashing.
    // Values are boxed in a generic class: reading one back is a class cast
    // (a metadata comparison), not the runtime's general existential cast.
    private var keys: [String] = []
    private var values: [AnyObject] = []
    private final class Box<T> {
        let value: T
        init(_ value: T) { self.value = value }
    }
    /// Caches a plugin may keep across cycles (owned by the framework; nil in a
    /// one-off cycle). A Berth addition: plugins use it only for results that
    /// are provably the same as recomputing (see PodTopologySpread's counters).
    public let persistent: PersistentPluginState?
    public init(persistent: PersistentPluginState? = nil) { self.persistent = persistent }

    /// A copy whose writes do not affect this state (upstream `CycleState.Clone`;
    /// the stored values are value types).
    public func clone() -> CycleState {
        let copy = CycleState(persistent: persistent)
        copy.keys = keys
        copy.values = values
        return copy
    }
    public func write<T>(_ key: String, _ value: T) {
        let box = Box(value)
        if let i = keys.firstIndex(of: key) {
            values[i] = box
        } else {
            keys.append(key)
            values.append(box)
        }
    }

    /// The value stored under `key`, nil when there is none or it was written
    /// with another type.
    public func read<T>(_ key: String, as type: T.Type = T.self) -> T? {
        guard let i = keys.firstIndex(of: key) else { return nil }
        return (values[i] as? Box<T>)?.value
    }
}

/// Helpers shared by the normalising plugins (upstream `helper.DefaultNormalizeScore`):
/// scale so that the highest score becomes `maxPriority` (integer division),
/// optionally reversed; all-zero scores become `maxPriority` when reversed, else stay 0.
public func defaultNormalizeScore(maxPriority: Int64, reverse: Bool, scores: inout [NodeScore]) {
    var maxCount = scores.first?.score ?? 0
    for entry in scores where entry.score > maxCount { maxCount = entry.score }
    if maxCount == 0 {
        if reverse { for i in scores.indices { scores[i].score = maxPriority } }
        return
    }
    for i in scores.indices {
        var s = maxPriority * scores[i].score / maxCount
        if reverse { s = maxPriority - s }
        scores[i].score = s
    }
}

/// Per-framework storage that outlives one cycle, keyed by plugin-chosen names.
public final class PersistentPluginState {
    private var storage: [String: AnyObject] = [:]
    public init() {}
    /// The object under `key`, created by `make` on first use.
    public func object<T: AnyObject>(_ key: String, _ make: () -> T) -> T {
        if let existing = storage[key] as? T { return existing }
        let made = make()
        storage[key] = made
        return made
    }
}
