import BerthCluster

/// One resource a scoring strategy looks at, with its weight (upstream
/// `config.ResourceSpec`). Valid weights are 1...100.
public struct ResourceSpec: Sendable, Hashable {
    public var name: String
    public var weight: Int64
    public init(name: String, weight: Int64 = 1) {
        self.name = name
        self.weight = weight
    }

    /// cpu and memory, weight 1 each: the default of NodeResourcesFit's
    /// strategies and of NodeResourcesBalancedAllocation.
    public static let defaults = [ResourceSpec(name: "cpu", weight: 1), ResourceSpec(name: "memory", weight: 1)]

    /// Upstream validation of `scoringStrategy.resources`: each weight must lie in 1...100.
    public static func validate(_ resources: [ResourceSpec], path: String = "scoringStrategy.resources") -> [String] {
        resources.enumerated().compactMap { i, r in
            (1...maxNodeScore).contains(r.weight) ? nil : "\(path)[\(i)].weight: Invalid value: \(r.weight): resource weight of \(r.name) not in valid range [1, \(maxNodeScore)]"
        }
    }
}

/// The machinery shared by the resource-based score plugins (upstream
/// `resourceAllocationScorer`): for each configured resource r the node's
/// allocatable a_r and its requested amount after adding the pod,
/// q_r = (node requested)_r + (pod request)_r, then a strategy's
/// `scorer(q, a)`. Resources with a_r = 0 are left out (q_r = a_r = 0 is passed).
///
/// Which "requested" is used: for cpu and memory the node's and the pod's
/// *non-zero* requests (100m / 200Mi in place of each container's unset
/// request) unless `useRequested` (BalancedAllocation), when the plain
/// requests are used; ephemeral-storage and extended resources always use
/// plain requests. An extended resource the pod does not request is bypassed
/// (a = q = 0); `pods` is not scored (upstream keeps it outside the scalar
/// resources, so it returns 0, 0 too).
///
/// Upstream: pkg/scheduler/framework/plugins/noderesources/resource_allocation.go
/// (v1.28). Berth simplifies: no pod overhead, no in-place resize.
public struct ResourceAllocationScorer: Sendable {
    public let name: String
    public let resources: [ResourceSpec]
    public let useRequested: Bool
    public let scorer: @Sendable (_ requested: [Int64], _ allocatable: [Int64]) -> Int64

    public static let resourcesNotFound = "resources not found"

    public init(name: String, resources: [ResourceSpec], useRequested: Bool,
                scorer: @escaping @Sendable (_ requested: [Int64], _ allocatable: [Int64]) -> Int64) {
        self.name = name
        self.resources = resources
        self.useRequested = useRequested
        self.scorer = scorer
    }

    /// The non-zero cpu / memory defaults (upstream `schedutil.DefaultMilliCPURequest`,
    /// `DefaultMemoryRequest`) as a `nonMissing` map for `PodDetails.requests`.
    public static var nonZeroDefaults: [String: Int64] { PodDetails.nonZeroDefaults }

    /// The pod's request of one resource (upstream `calculatePodResourceRequest`).
    public func podRequest(_ pod: PodInfo, _ resource: String, catalog: ResourceCatalog) -> Int64 {
        if let details = pod.pod {
            return (useRequested ? details.plainRequests : details.nonZeroRequests)[resource] ?? 0
        }
        // Without container details, TaskSpec carries the pod-level numbers.
        if !useRequested && resource == "cpu" { return pod.spec.nonZeroCPU }
        if !useRequested && resource == "memory" { return pod.spec.nonZeroMemory }
        guard let i = catalog.index(of: resource), i != ResourceCatalog.pods else { return 0 }
        return pod.spec.requests[i]
    }

    /// The pod's requests in `resources` order (upstream `calculatePodResourceRequestList`).
    public func podRequests(_ pod: PodInfo, catalog: ResourceCatalog) -> [Int64] {
        resources.map { podRequest(pod, $0.name, catalog: catalog) }
    }

    /// The vectors handed to the strategy: requested and allocatable per
    /// configured resource, zero where the node has none of it.
    public func vectors(_ node: NodeInfo, podRequests: [Int64]) -> (requested: [Int64], allocatable: [Int64]) {
        vectors(node, resolve(podRequests, catalog: node.catalog))
    }

    /// Per configured resource, what scoring a node needs: its catalog index
    /// (nil when the node cannot have it: unknown, `pods`, or an extended
    /// resource the pod does not request), which "requested" applies, and the
    /// pod's request. Resolved once per cycle so that Score does no string lookups.
    struct ResolvedResource {
        enum Kind { case cpu, memory, other }
        let index: Int?
        let kind: Kind
        let podRequest: Int64
    }

    func resolve(_ podRequests: [Int64], catalog: ResourceCatalog) -> [ResolvedResource] {
        resources.enumerated().map { i, r in
            let request = podRequests[i]
            let isStandard = ResourceCatalog.standardNames.contains(r.name)
            var index = catalog.index(of: r.name)
            // An extended resource the pod does not request is bypassed; pods is not scored.
            if (request == 0 && !isStandard) || index == ResourceCatalog.pods { index = nil }
            let kind: ResolvedResource.Kind = index == ResourceCatalog.cpu ? .cpu : index == ResourceCatalog.memory ? .memory : .other
            return ResolvedResource(index: index, kind: kind, podRequest: request)
        }
    }

    /// Requested-with-the-pod and allocatable per resource (upstream
    /// `calculateResourceAllocatableRequest` for each; 0 and 0 where bypassed).
    func vectors(_ node: NodeInfo, _ resolved: [ResolvedResource]) -> (requested: [Int64], allocatable: [Int64]) {
        var requested = Array(repeating: Int64(0), count: resolved.count)
        var allocatable = requested
        for (i, r) in resolved.enumerated() {
            guard let index = r.index else { continue }
            let alloc = node.allocatable(index)
            if alloc == 0 { continue }
            let onNode: Int64
            switch r.kind {
            case .cpu: onNode = useRequested ? node.requested(index) : node.nonZeroRequestedCPU
            case .memory: onNode = useRequested ? node.requested(index) : node.nonZeroRequestedMemory
            case .other: onNode = node.requested(index)
            }
            allocatable[i] = alloc
            requested[i] = onNode + r.podRequest
        }
        return (requested, allocatable)
    }

    /// The PreScore both resource plugins share: the pod's requests, once per cycle, under `key`.
    public func preScore(_ state: CycleState, key: String, pod: PodInfo, nodes: NodeSet) -> Status {
        guard let catalog = nodes.first?.catalog else { return .success }
        let requests = podRequests(pod, catalog: catalog)
        state.write(key, PodRequestsState(requests: requests, resolved: resolve(requests, catalog: catalog)))
        return .success
    }

    /// The Score both resource plugins share. Without PreScore state (PreScore not
    /// run) the requests are computed here, as upstream.
    public func score(_ state: CycleState, key: String, pod: PodInfo, node: NodeInfo) -> (Int64, Status) {
        if resources.isEmpty { return (0, Status(.error, [Self.resourcesNotFound])) }
        let resolved = state.read(key, as: PodRequestsState.self)?.resolved
            ?? resolve(podRequests(pod, catalog: node.catalog), catalog: node.catalog)
        let (requested, allocatable) = vectors(node, resolved)
        return (scorer(requested, allocatable), .success)
    }

    /// The weighted average over resources the node has (upstream `leastResourceScorer`
    /// and `mostResourceScorer` share this shape): Σ score·weight / Σ weight, integer division.
    public static func weightedAverage(_ resources: [ResourceSpec], requested: [Int64], allocatable: [Int64],
                                       score: (_ requested: Int64, _ capacity: Int64) -> Int64) -> Int64 {
        var nodeScore: Int64 = 0
        var weightSum: Int64 = 0
        for i in requested.indices where allocatable[i] != 0 {
            nodeScore += score(requested[i], allocatable[i]) * resources[i].weight
            weightSum += resources[i].weight
        }
        return weightSum == 0 ? 0 : nodeScore / weightSum
    }

    /// Upstream `resourceAllocationScorer.score`.
    public func score(_ node: NodeInfo, podRequests: [Int64]) -> (Int64, Status) {
        if resources.isEmpty { return (0, Status(.error, [Self.resourcesNotFound])) }
        let (requested, allocatable) = vectors(node, podRequests: podRequests)
        return (scorer(requested, allocatable), .success)
    }
}

/// Pre-computed pod requests in the scorer's resource order, stored by PreScore.
struct PodRequestsState {
    let requests: [Int64]
    let resolved: [ResourceAllocationScorer.ResolvedResource]
}
