import BerthCluster

/// How NodeResourcesFit scores a feasible node (upstream `config.ScoringStrategy`).
public enum ScoringStrategy: Sendable, Hashable {
    case leastAllocated(resources: [ResourceSpec] = ResourceSpec.defaults)
    case mostAllocated(resources: [ResourceSpec] = ResourceSpec.defaults)
    case requestedToCapacityRatio(resources: [ResourceSpec] = ResourceSpec.defaults, shape: [UtilizationShapePoint])

    /// Upstream's default: LeastAllocated on cpu and memory, weight 1 each.
    public static let `default` = ScoringStrategy.leastAllocated()

    public var resources: [ResourceSpec] {
        switch self {
        case .leastAllocated(let r), .mostAllocated(let r), .requestedToCapacityRatio(let r, _): r
        }
    }

    /// The upstream type name (`LeastAllocated`, `MostAllocated`, `RequestedToCapacityRatio`).
    public var typeName: String {
        switch self {
        case .leastAllocated: "LeastAllocated"
        case .mostAllocated: "MostAllocated"
        case .requestedToCapacityRatio: "RequestedToCapacityRatio"
        }
    }

    /// Upstream `ValidateNodeResourcesFitArgs` for the strategy: weights in
    /// 1...100 and, for RequestedToCapacityRatio, a valid shape. Empty when valid.
    public func validate() -> [String] {
        var errors = ResourceSpec.validate(resources)
        if case .requestedToCapacityRatio(_, let shape) = self { errors += RequestedToCapacityRatio.validate(shape) }
        return errors
    }
}

/// A resource the node lacks for the pod (upstream `InsufficientResource`).
public struct InsufficientResource: Sendable, Equatable {
    public var resourceName: String
    public var reason: String
    public var requested: Int64
    public var used: Int64
    public var capacity: Int64
    public init(resourceName: String, reason: String, requested: Int64, used: Int64, capacity: Int64) {
        self.resourceName = resourceName
        self.reason = reason
        self.requested = requested
        self.used = used
        self.capacity = capacity
    }
}

/// The pod's effective request per resource, computed once in PreFilter
/// (upstream `preFilterState` from `computePodResourceRequest`).
public struct PodResourceRequest: Sendable, Equatable {
    /// (resource name, catalog index or nil when the cluster has no such
    /// resource, amount); `pods` is never included.
    public var entries: [(name: String, index: Int?, value: Int64)]
    public static func == (a: Self, b: Self) -> Bool {
        a.entries.map(\.name) == b.entries.map(\.name) && a.entries.map(\.index) == b.entries.map(\.index)
            && a.entries.map(\.value) == b.entries.map(\.value)
    }

    /// Upstream `PodRequests` without non-zero defaults: Σ containers, then the
    /// max with each init container. Without pod details, the task's request vector.
    public init(_ pod: PodInfo, catalog: ResourceCatalog) {
        var entries: [(name: String, index: Int?, value: Int64)] = []
        if let details = pod.pod {
            let requests = details.plainRequests
            for name in catalog.names where name != "pods" {
                entries.append((name, catalog.index(of: name), requests[name] ?? 0))
            }
            for (name, value) in requests.sorted(by: { $0.key < $1.key }) where catalog.index(of: name) == nil && name != "pods" {
                entries.append((name, nil, value))
            }
        } else {
            for (i, name) in catalog.names.enumerated() where i != ResourceCatalog.pods {
                entries.append((name, i, pod.spec.requests[i]))
            }
        }
        self.entries = entries
    }

    public func value(_ name: String) -> Int64 { entries.first { $0.name == name }?.value ?? 0 }
}

/// NodeResourcesFit. Filter: with n pods on the node and allowed pod number P,
/// n + 1 > P fails ("Too many pods"); a pod requesting nothing otherwise fits;
/// each resource r with pod request p_r > 0 fails when p_r > a_r − u_r
/// (allocatable minus the node's requested), reason "Insufficient r" —
/// extended resources listed in `ignoredResources`, or whose domain prefix is
/// in `ignoredResourceGroups`, are not checked. Score: the configured
/// ``ScoringStrategy`` over ``ResourceAllocationScorer`` (non-zero requests
/// for cpu and memory).
///
/// Upstream: pkg/scheduler/framework/plugins/noderesources/fit.go (v1.28).
/// Berth simplifies: no pod overhead, no sidecar (restartable init container)
/// check, no hugepages, no queueing hints.
public struct NodeResourcesFit: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    public var isNodeLocal: Bool { true }
    public static let pluginName = "NodeResourcesFit"
    public static let preFilterStateKey = "PreFilter" + pluginName
    public static let preScoreStateKey = "PreScore" + pluginName
    public static let reasonTooManyPods = "Too many pods"
    /// "Insufficient <resource>" (upstream `fmt.Sprintf("Insufficient %v", rName)`).
    public static func reasonInsufficient(_ resource: String) -> String { "Insufficient \(resource)" }
    public static let reasonMissingPreFilterState = "error reading \"\(preFilterStateKey)\" from cycleState: not found"

    public var name: String { Self.pluginName }
    public let strategy: ScoringStrategy
    public let ignoredResources: Set<String>
    public let ignoredResourceGroups: Set<String>
    public let scorer: ResourceAllocationScorer

    public init(strategy: ScoringStrategy = .default, ignoredResources: Set<String> = [], ignoredResourceGroups: Set<String> = []) {
        self.strategy = strategy
        self.ignoredResources = ignoredResources
        self.ignoredResourceGroups = ignoredResourceGroups
        let resources = strategy.resources
        let function: @Sendable ([Int64], [Int64]) -> Int64
        switch strategy {
        case .leastAllocated: function = LeastAllocated.scorer(resources)
        case .mostAllocated: function = MostAllocated.scorer(resources)
        case .requestedToCapacityRatio(_, let shape): function = RequestedToCapacityRatio.scorer(resources, shape: shape)
        }
        scorer = ResourceAllocationScorer(name: strategy.typeName, resources: resources, useRequested: false, scorer: function)
    }

    public func preFilter(_ state: CycleState, pod: PodInfo, nodes: NodeList) -> Status {
        state.write(Self.preFilterStateKey, PodResourceRequest(pod, catalog: nodes.view.catalog))
        return .success
    }

    public func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        guard let request = state.read(Self.preFilterStateKey, as: PodResourceRequest.self) else {
            return Status(.error, [Self.reasonMissingPreFilterState])
        }
        let insufficient = fitsRequest(request, node: node)
        if insufficient.isEmpty { return .success }
        return Status(.unschedulable, insufficient.map(\.reason))
    }

    /// Upstream `IsExtendedResourceName`: a domain-prefixed name outside the
    /// kubernetes.io namespaces (and not a `requests.` quota name).
    public static func isExtendedResourceName(_ name: String) -> Bool {
        name.contains("/") && !name.contains("kubernetes.io/") && !name.hasPrefix("requests.")
    }

    /// Upstream `fitsRequest`: every resource the node lacks, in upstream order
    /// (pods, cpu, memory, ephemeral-storage, then the others by name).
    public func fitsRequest(_ request: PodResourceRequest, node: NodeInfo) -> [InsufficientResource] {
        var result: [InsufficientResource] = []
        let pods = ResourceCatalog.pods
        let allowedPods = node.allocatable(pods)
        if Int64(node.podCount) + 1 > allowedPods {
            result.append(InsufficientResource(resourceName: "pods", reason: Self.reasonTooManyPods, requested: 1,
                                               used: Int64(node.podCount), capacity: allowedPods))
        }
        if request.entries.allSatisfy({ $0.value == 0 }) { return result }
        for entry in request.entries where entry.value > 0 {
            let standard = entry.index.map { $0 < ResourceCatalog.standardNames.count } ?? false
            if !standard && Self.isExtendedResourceName(entry.name) {
                let group = entry.name.split(separator: "/").first.map(String.init) ?? ""
                if ignoredResources.contains(entry.name) || ignoredResourceGroups.contains(group) { continue }
            }
            let allocatable = entry.index.map { node.allocatable($0) } ?? 0
            let used = entry.index.map { node.requested($0) } ?? 0
            if entry.value > allocatable - used {
                result.append(InsufficientResource(resourceName: entry.name, reason: Self.reasonInsufficient(entry.name),
                                                   requested: entry.value, used: used, capacity: allocatable))
            }
        }
        return result
    }

    public func preScore(_ state: CycleState, pod: PodInfo, nodes: NodeSet) -> Status {
        scorer.preScore(state, key: Self.preScoreStateKey, pod: pod, nodes: nodes)
    }

    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> (Int64, Status) {
        scorer.score(state, key: Self.preScoreStateKey, pod: pod, node: node)
    }
}
