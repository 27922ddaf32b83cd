import BerthCluster

/// Builders for Kubernetes-style test pods: containers with explicit requests
/// (a resource left out of a container's map is *unset*, as in a pod spec).
extension TaskBuilder {
    /// A task written as a pod. Each container is a map of resource name →
    /// quantity text ("500m", "2", "1Gi"); cpu is read in millis, the rest
    /// whole. The request vector is upstream `PodRequests` (Σ containers, max
    /// with each init container) over the catalog's resources — requests of
    /// resources outside the catalog stay in the pod details only — with
    /// `pods` = 1; `nonZeroCPU` / `nonZeroMemory` are the same with the
    /// scheduler's non-zero defaults (100m, 200Mi) for unset container requests.
    public static func pod(_ name: String, catalog: ResourceCatalog = ResourceCatalog(extended: []),
                           containers: [[String: String]], initContainers: [[String: String]] = []) -> TaskBuilder {
        func container(_ i: Int, _ prefix: String, _ texts: [String: String]) -> ContainerSpec {
            var requests: [String: Int64] = [:]
            for (resource, text) in texts {
                guard case .success(let v) = Quantity.parse(text, unit: resource == "cpu" ? .milli : .whole) else {
                    preconditionFailure("bad test quantity \(resource)=\(text)") // trap-ok: test fixture typo
                }
                requests[resource] = v
            }
            return ContainerSpec(name: "\(prefix)\(i)", requests: requests)
        }
        let details = PodDetails(containers: containers.enumerated().map { container($0, "c", $1) },
                                 initContainers: initContainers.enumerated().map { container($0, "init", $1) })
        let requests = details.requests()
        var vector = catalog.zeros()
        for (resource, value) in requests {
            if let i = catalog.index(of: resource) { vector[i] = value }
        }
        vector[ResourceCatalog.pods] = 1
        let nonZero = details.requests(nonMissing: ["cpu": TaskSpec.defaultNonZeroCPU, "memory": TaskSpec.defaultNonZeroMemory])
        var builder = TaskBuilder(name, catalog: catalog)
        builder.spec = TaskSpec(name: name, requests: vector, pod: details,
                                nonZeroCPU: nonZero["cpu"] ?? 0, nonZeroMemory: nonZero["memory"] ?? 0)
        return builder
    }
}

/// A cluster of nodes given by capacity (resource name → quantity text) over
/// a catalog with `extended` resources, with pods (container lists) bound in
/// order to the given node indexes. Nodes allow 110 pods unless `pods` is set.
public func makeKubeCluster(extended: [String] = [], nodes: [[String: String]],
                            existing: [(containers: [[String: String]], node: Int)] = []) -> Cluster {
    let catalog = ResourceCatalog(extended: extended)
    let builders = nodes.enumerated().map { i, capacity in NodeBuilder("node\(i + 1)", catalog: catalog).capacity(capacity) }
    let pods = existing.enumerated().map { i, pod in
        (TaskBuilder.pod("existing\(i)", catalog: catalog, containers: pod.containers), pod.node)
    }
    return makeCluster(builders, existing: pods)
}
