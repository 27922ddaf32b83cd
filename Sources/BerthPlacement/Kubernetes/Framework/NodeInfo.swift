import BerthCluster

/// The pod being scheduled with its derived quantities (upstream `framework.PodInfo`
/// plus what `computePodResourceRequest` derives).
public struct PodInfo: Sendable {
    public let id: Int32
    public let spec: TaskSpec
    public var requests: [Int64] { spec.requests }
    public var pod: PodDetails? { spec.pod }
    public var labels: [String: String] { spec.labels }
    public var priority: Int32 { spec.priority }

    public init(id: Int32 = -1, spec: TaskSpec) {
        self.id = id
        self.spec = spec
    }

    /// Whether the pod sets a request for resource `name` at all (any container).
    /// Without pod details, a non-zero entry in the request vector counts as set.
    public func hasRequest(_ name: String, catalog: ResourceCatalog) -> Bool {
        if let pod { return (pod.containers + pod.initContainers).contains { $0.requests[name] != nil } }
        guard let i = catalog.index(of: name) else { return false }
        return spec.requests[i] > 0
    }
}

/// One node as the plugins see it (upstream `framework.NodeInfo`): read-only.
public struct NodeInfo {
    public let index: Int
    public let view: ClusterView

    public init(index: Int, view: ClusterView) {
        self.index = index
        self.view = view
    }

    public var name: String { view.nodeName(index) }
    public var labels: [String: String] { view.labels(index) }
    public var taints: [Taint] { view.taints(index) }
    /// `spec.unschedulable` (cordoned).
    public var unschedulable: Bool { view.isCordoned(index) }
    /// The node is down (failed): Berth's stand-in for a NotReady node (see ``NodeUnschedulable``).
    public var isDown: Bool { view.isNotReady(index) }
    public var images: [NodeImage] { view.images(index) }
    public var catalog: ResourceCatalog { view.catalog }
    public func allocatable(_ r: Int) -> Int64 { view.allocatable(index, r) }
    /// Σ requests of the pods on the node (upstream `NodeInfo.Requested`).
    public func requested(_ r: Int) -> Int64 { view.allocated(index, r) }
    /// Σ non-zero-defaulted cpu of the pods on the node (`NodeInfo.NonZeroRequested.MilliCPU`).
    public var nonZeroRequestedCPU: Int64 { view.nonZeroRequested(index).cpu }
    public var nonZeroRequestedMemory: Int64 { view.nonZeroRequested(index).memory }
    public var usedPorts: [HostPort] { view.usedPorts(index) }
    /// The pods on the node.
    public var pods: [Int32] { view.tasks(on: index) }
    public var podCount: Int { Int(view.runningCount(index)) }
}

/// All nodes, for PreFilter/PreScore plugins that need the whole cluster.
public struct NodeList {
    public let view: ClusterView
    public init(view: ClusterView) { self.view = view }
    public var count: Int { view.nodeCount }
    public subscript(i: Int) -> NodeInfo { NodeInfo(index: i, view: view) }
}

/// Some nodes of one cluster view, as the PreScore and batch Score plugins
/// see them (upstream passes `[]*framework.NodeInfo`). It holds node indices
/// and makes each ``NodeInfo`` on access: building an array of `NodeInfo`
/// per cycle retained and released the cluster once per node, a tenth of the
/// run time at 5,000 nodes (docs/performance.md).
public struct NodeSet: RandomAccessCollection, ExpressibleByArrayLiteral {
    public let view: ClusterView?
    /// The nodes' indices in the view, in order (not the collection's positions).
    public let nodeIndices: [Int]

    public init(view: ClusterView, indices: [Int]) {
        self.view = view
        self.nodeIndices = indices
    }

    /// The nodes of `infos` (which must share one view).
    public init(_ infos: [NodeInfo]) {
        view = infos.first?.view
        nodeIndices = infos.map(\.index)
    }

    public init(arrayLiteral elements: NodeInfo...) { self.init(elements) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { nodeIndices.count }
    public subscript(position: Int) -> NodeInfo {
        // A non-empty set always has a view (both initialisers take it from the nodes).
        NodeInfo(index: nodeIndices[position], view: view.unsafelyUnwrapped)
    }
}
