import BerthCluster

/// Builder additions for the Kubernetes node plugins' tests (NodeName,
/// NodePorts, NodeAffinity, TaintToleration, ImageLocality). Methods carry a
/// `with` prefix so they do not collide with other builder extensions.
extension NodeBuilder {
    /// Adds a container image present on the node (core/v1 `ContainerImage`).
    public func withImage(_ names: [String], sizeBytes: Int64) -> NodeBuilder {
        var copy = self
        copy.spec.images.append(NodeImage(names: names, sizeBytes: sizeBytes))
        return copy
    }

    public func withImages(_ images: [NodeImage]) -> NodeBuilder {
        var copy = self
        copy.spec.images += images
        return copy
    }

    public func withTaints(_ taints: [Taint]) -> NodeBuilder {
        var copy = self
        copy.spec.taints += taints
        return copy
    }
}

extension TaskBuilder {
    /// The mutable fields of ``PodDetails`` (which is immutable once built).
    public struct PodFields {
        public var containers: [ContainerSpec]
        public var initContainers: [ContainerSpec]
        public var nodeName: String?
        public var nodeAffinity: NodeAffinitySpec?
        public var priorityClassName: String?
        public var hostPorts: [HostPort]
    }

    /// Rebuilds the task's pod details after `change` (starting from none: no containers).
    public func withPod(_ change: (inout PodFields) -> Void) -> TaskBuilder {
        let old = spec.pod
        var fields = PodFields(containers: old?.containers ?? [], initContainers: old?.initContainers ?? [],
                               nodeName: old?.nodeName, nodeAffinity: old?.nodeAffinity,
                               priorityClassName: old?.priorityClassName, hostPorts: old?.hostPorts ?? [])
        change(&fields)
        var copy = self
        copy.spec.pod = PodDetails(containers: fields.containers, initContainers: fields.initContainers,
                                   nodeName: fields.nodeName, nodeAffinity: fields.nodeAffinity,
                                   priorityClassName: fields.priorityClassName, hostPorts: fields.hostPorts)
        return copy
    }

    /// Containers (and init containers) running these images, named c0, c1, … / i0, i1, ….
    public func withImages(_ images: [String], initImages: [String] = []) -> TaskBuilder {
        withPod {
            $0.containers = images.enumerated().map { ContainerSpec(name: "c\($0.offset)", image: $0.element) }
            $0.initContainers = initImages.enumerated().map { ContainerSpec(name: "i\($0.offset)", image: $0.element) }
        }
    }

    /// `spec.nodeName`.
    public func withNodeName(_ name: String) -> TaskBuilder { withPod { $0.nodeName = name } }

    public func withNodeAffinity(_ affinity: NodeAffinitySpec?) -> TaskBuilder { withPod { $0.nodeAffinity = affinity } }

    public func withHostPorts(_ ports: [HostPort]) -> TaskBuilder { withPod { $0.hostPorts = ports } }

    /// Host ports written as upstream's test helper does: `"UDP/127.0.0.1/8080"`.
    public func withHostPorts(_ specs: String...) -> TaskBuilder { withHostPorts(specs.map(HostPort.init(testSpec:))) }

    public func withTolerations(_ tolerations: [Toleration]) -> TaskBuilder {
        var copy = self
        copy.spec.tolerations += tolerations
        return copy
    }
}

extension HostPort {
    /// Parses `"PROTO/IP/PORT"` (upstream nodeports test helper `newPod`).
    public init(testSpec: String) {
        let parts = testSpec.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let port = Int32(parts[2]) else {
            preconditionFailure("bad test host port \(testSpec)") // trap-ok: test fixture typo
        }
        self.init(port: port, proto: parts[0], hostIP: parts[1])
    }
}
