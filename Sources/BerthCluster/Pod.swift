/// A container of a pod: requests and limits by resource name (a key that is
/// absent is *unset*, which kube-scheduler treats differently from an explicit 0).
public struct ContainerSpec: Hashable, Sendable {
    public var name: String
    public var image: String
    public var requests: [String: Int64]
    public var limits: [String: Int64]
    public init(name: String, image: String = "", requests: [String: Int64] = [:], limits: [String: Int64] = [:]) {
        self.name = name
        self.image = image
        self.requests = requests
        self.limits = limits
    }
}

/// core/v1 `NodeSelectorOperator`.
public enum NodeSelectorOperator: String, Sendable, CaseIterable, Hashable {
    case `in` = "In", notIn = "NotIn", exists = "Exists", doesNotExist = "DoesNotExist", gt = "Gt", lt = "Lt"
}

/// core/v1 `NodeSelectorRequirement`.
public struct NodeSelectorRequirement: Hashable, Sendable {
    public var key: String
    public var op: NodeSelectorOperator
    public var values: [String]
    public init(key: String, op: NodeSelectorOperator, values: [String] = []) {
        self.key = key
        self.op = op
        self.values = values
    }

    /// Re-implements k8s.io/component-helpers `nodeaffinity` requirement matching
    /// (labels.Selector semantics): `Gt`/`Lt` compare the label as an integer
    /// with the single value; a missing label fails In/Exists/Gt/Lt and passes
    /// NotIn/DoesNotExist.
    public func matches(_ labels: [String: String]) -> Bool {
        let value = labels[key]
        switch op {
        case .in: return value.map { values.contains($0) } ?? false
        case .notIn: return value.map { !values.contains($0) } ?? true
        case .exists: return value != nil
        case .doesNotExist: return value == nil
        case .gt, .lt:
            guard let value, let have = Int64(value), values.count == 1, let want = Int64(values[0]) else { return false }
            return op == .gt ? have > want : have < want
        }
    }
}

/// core/v1 `NodeSelectorTerm`: requirements are ANDed. `matchFields` supports
/// only `metadata.name`, as upstream.
public struct NodeSelectorTerm: Hashable, Sendable {
    public var matchExpressions: [NodeSelectorRequirement]
    public var matchFields: [NodeSelectorRequirement]
    public init(matchExpressions: [NodeSelectorRequirement] = [], matchFields: [NodeSelectorRequirement] = []) {
        self.matchExpressions = matchExpressions
        self.matchFields = matchFields
    }

    /// An empty term matches nothing (upstream: "null or empty term matches no objects").
    public func matches(labels: [String: String], nodeName: String) -> Bool {
        if matchExpressions.isEmpty && matchFields.isEmpty { return false }
        let fields = ["metadata.name": nodeName]
        return matchExpressions.allSatisfy { $0.matches(labels) } && matchFields.allSatisfy { $0.matches(fields) }
    }
}

/// core/v1 `PreferredSchedulingTerm`.
public struct PreferredSchedulingTerm: Hashable, Sendable {
    public var weight: Int32
    public var preference: NodeSelectorTerm
    public init(weight: Int32, preference: NodeSelectorTerm) {
        self.weight = weight
        self.preference = preference
    }
}

/// core/v1 `NodeAffinity`. `required == nil` means no required terms; terms are ORed.
public struct NodeAffinitySpec: Hashable, Sendable {
    public var required: [NodeSelectorTerm]?
    public var preferred: [PreferredSchedulingTerm]
    public init(required: [NodeSelectorTerm]? = nil, preferred: [PreferredSchedulingTerm] = []) {
        self.required = required
        self.preferred = preferred
    }
}

/// A host port a container binds (core/v1 `ContainerPort` with `hostPort`).
public struct HostPort: Hashable, Sendable {
    public var port: Int32
    public var proto: String
    public var hostIP: String
    public init(port: Int32, proto: String = "TCP", hostIP: String = "0.0.0.0") {
        self.port = port
        self.proto = proto
        self.hostIP = hostIP
    }

    /// Upstream `HostPortInfo` conflict: same protocol and port, and either IP is
    /// the wildcard 0.0.0.0 or they are equal.
    public func conflicts(with other: HostPort) -> Bool {
        port == other.port && proto == other.proto
            && (hostIP == "0.0.0.0" || other.hostIP == "0.0.0.0" || hostIP == other.hostIP)
    }
}

/// A container image present on a node (core/v1 `ContainerImage`).
public struct NodeImage: Hashable, Sendable {
    public var names: [String]
    public var sizeBytes: Int64
    public init(names: [String], sizeBytes: Int64) {
        self.names = names
        self.sizeBytes = sizeBytes
    }
}

/// The Kubernetes-specific parts of a task written as a pod. A reference type
/// so `TaskSpec` stays cheap to copy; immutable once built.
public final class PodDetails: Sendable {
    public let containers: [ContainerSpec]
    public let initContainers: [ContainerSpec]
    /// `spec.nodeName` (the NodeName filter).
    public let nodeName: String?
    public let nodeAffinity: NodeAffinitySpec?
    public let priorityClassName: String?
    /// Host ports the pod's containers bind (the NodePorts filter).
    public let hostPorts: [HostPort]
    /// Inter-pod affinity and anti-affinity (the InterPodAffinity plugin).
    public let podAffinity: PodAffinitySpec?
    /// `spec.topologySpreadConstraints` (the PodTopologySpread plugin).
    public let topologySpreadConstraints: [TopologySpreadConstraint]
    /// `spec.schedulerName`: the kube-scheduler profile that schedules the pod.
    public let schedulerName: String
    /// Upstream `v1.DefaultSchedulerName`.
    public static let defaultSchedulerName = "default-scheduler"
    /// `requests()` and `requests(nonMissing:)` with the scheduler's non-zero
    /// defaults, computed once (the pod is immutable, and the plugins ask once
    /// per cycle for every pod of a workload).
    public let plainRequests: [String: Int64]
    public let nonZeroRequests: [String: Int64]
    /// The non-zero defaults as a `nonMissing` map (upstream
    /// `schedutil.DefaultMilliCPURequest`, `DefaultMemoryRequest`).
    public static let nonZeroDefaults: [String: Int64] = [
        "cpu": TaskSpec.defaultNonZeroCPU, "memory": TaskSpec.defaultNonZeroMemory,
    ]

    public init(containers: [ContainerSpec], initContainers: [ContainerSpec] = [], nodeName: String? = nil,
                nodeAffinity: NodeAffinitySpec? = nil, priorityClassName: String? = nil, hostPorts: [HostPort] = [],
                podAffinity: PodAffinitySpec? = nil, topologySpreadConstraints: [TopologySpreadConstraint] = [],
                schedulerName: String = PodDetails.defaultSchedulerName) {
        self.schedulerName = schedulerName
        self.podAffinity = podAffinity
        self.hostPorts = hostPorts
        self.topologySpreadConstraints = topologySpreadConstraints
        self.containers = containers
        self.initContainers = initContainers
        self.nodeName = nodeName
        self.nodeAffinity = nodeAffinity
        self.priorityClassName = priorityClassName
        self.plainRequests = Self.computeRequests(containers, initContainers, nonMissing: [:])
        self.nonZeroRequests = Self.computeRequests(containers, initContainers, nonMissing: Self.nonZeroDefaults)
    }

    /// Effective requests as upstream `resource.PodRequests` (v1.28, no sidecars,
    /// no overhead): the sum over containers, then per resource the max with
    /// each init container. With `nonMissing`, an *unset* request of a resource
    /// in that map counts as the map's value (the scheduler's non-zero defaults);
    /// an explicit 0 stays 0.
    public func requests(nonMissing: [String: Int64] = [:]) -> [String: Int64] {
        if nonMissing.isEmpty { return plainRequests }
        if nonMissing == Self.nonZeroDefaults { return nonZeroRequests }
        return Self.computeRequests(containers, initContainers, nonMissing: nonMissing)
    }

    private static func computeRequests(_ containers: [ContainerSpec], _ initContainers: [ContainerSpec],
                                        nonMissing: [String: Int64]) -> [String: Int64] {
        func effective(_ c: ContainerSpec) -> [String: Int64] {
            var r = c.requests
            for (name, value) in nonMissing where r[name] == nil { r[name] = value }
            return r
        }
        var total: [String: Int64] = [:]
        for c in containers { for (k, v) in effective(c) { total[k, default: 0] += v } }
        for c in initContainers { for (k, v) in effective(c) { total[k] = max(total[k] ?? 0, v) } }
        return total
    }
}
