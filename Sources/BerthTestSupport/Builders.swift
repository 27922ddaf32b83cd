import BerthCluster
import BerthSimulation

/// Builds a node for tests: `NodeBuilder("node1").capacity(cpu: "4", memory: "10Gi")`.
public struct NodeBuilder {
    public var spec: NodeSpec
    let catalog: ResourceCatalog

    public init(_ name: String, catalog: ResourceCatalog = ResourceCatalog(extended: [])) {
        self.catalog = catalog
        spec = NodeSpec(name: name, pool: "test", capacity: catalog.zeros())
        spec.capacity[ResourceCatalog.pods] = 110
        spec.allocatable = spec.capacity
    }

    /// Sets capacity and allocatable from quantity strings by resource name.
    public func capacity(_ resources: [String: String]) -> NodeBuilder {
        var copy = self
        for (name, text) in resources {
            guard let i = catalog.index(of: name), case .success(let v) = Quantity.parse(text, unit: name == "cpu" ? .milli : .whole) else {
                preconditionFailure("bad test quantity \(name)=\(text)") // trap-ok: test fixture typo
            }
            copy.spec.capacity[i] = v
            copy.spec.allocatable[i] = v
        }
        return copy
    }

    public func capacity(cpu: String, memory: String) -> NodeBuilder { capacity(["cpu": cpu, "memory": memory]) }

    public func labels(_ labels: [String: String]) -> NodeBuilder {
        var copy = self
        copy.spec.labels.merge(labels) { $1 }
        return copy
    }

    public func taint(_ key: String, _ value: String = "", _ effect: TaintEffect = .noSchedule) -> NodeBuilder {
        var copy = self
        copy.spec.taints.append(Taint(key: key, value: value, effect: effect))
        return copy
    }

    public func unschedulable() -> NodeBuilder {
        var copy = self
        copy.spec.unschedulable = true
        return copy
    }
}

/// Builds a task for tests: `TaskBuilder("p").requests(cpu: "1", memory: "2Gi")`.
public struct TaskBuilder {
    public var spec: TaskSpec
    let catalog: ResourceCatalog

    public init(_ name: String, catalog: ResourceCatalog = ResourceCatalog(extended: [])) {
        self.catalog = catalog
        var requests = catalog.zeros()
        requests[ResourceCatalog.pods] = 1
        spec = TaskSpec(name: name, requests: requests)
    }

    public func requests(_ resources: [String: String]) -> TaskBuilder {
        var copy = self
        for (name, text) in resources {
            guard let i = catalog.index(of: name), case .success(let v) = Quantity.parse(text, unit: name == "cpu" ? .milli : .whole) else {
                preconditionFailure("bad test quantity \(name)=\(text)") // trap-ok: test fixture typo
            }
            copy.spec.requests[i] = v
        }
        return copy
    }

    public func requests(cpu: String, memory: String) -> TaskBuilder { requests(["cpu": cpu, "memory": memory]) }

    public func nodeSelector(_ selector: [String: String]) -> TaskBuilder {
        var copy = self
        copy.spec.nodeSelector = selector
        return copy
    }

    public func toleration(_ t: Toleration) -> TaskBuilder {
        var copy = self
        copy.spec.tolerations.append(t)
        return copy
    }

    public func duration(seconds: Int64) -> TaskBuilder {
        var copy = self
        copy.spec.durationMicros = seconds * 1_000_000
        return copy
    }
}

/// A cluster from builders, with `existing` tasks bound in order (each `(task, nodeIndex)`).
public func makeCluster(_ nodes: [NodeBuilder], existing: [(TaskBuilder, Int)] = []) -> Cluster {
    let catalog = nodes.first?.catalog ?? ResourceCatalog(extended: [])
    let cluster = Cluster(catalog: catalog, nodes: nodes.map(\.spec))
    for (task, node) in existing {
        let id = cluster.submit(task.spec, at: 0)
        do { try cluster.bind(id, to: Int32(node), at: 0) } catch {
            preconditionFailure("test fixture does not fit: \(error)") // trap-ok: test fixture error
        }
    }
    return cluster
}
