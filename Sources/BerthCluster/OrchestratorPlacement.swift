/// Per-task placement details written in Docker Swarm's or Amazon ECS's own
/// vocabulary. Like ``PodDetails``: a `final class`, immutable and shared by
/// every task of a workload, so ``TaskSpec`` stays small.
public final class PlacementDetails: Sendable {
    public let swarm: SwarmPlacementSpec?
    public let ecs: ECSPlacementSpec?
    public init(swarm: SwarmPlacementSpec? = nil, ecs: ECSPlacementSpec? = nil) {
        self.swarm = swarm
        self.ecs = ecs
    }
}

// MARK: Docker Swarm

/// swarmkit `api.Placement` of a service: constraints, spread preferences,
/// platforms and `MaxReplicas` (compose `deploy.placement`).
public struct SwarmPlacementSpec: Sendable, Hashable {
    public var constraints: [SwarmConstraint]
    /// `spread` descriptors in order, e.g. `node.labels.rack` (one tree level each).
    public var preferences: [String]
    public var platforms: [SwarmPlatform]
    /// 0 means unlimited (upstream: the filter is enabled only when > 0).
    public var maxReplicas: UInt64
    public init(constraints: [SwarmConstraint] = [], preferences: [String] = [], platforms: [SwarmPlatform] = [], maxReplicas: UInt64 = 0) {
        self.constraints = constraints
        self.preferences = preferences
        self.platforms = platforms
        self.maxReplicas = maxReplicas
    }
}

/// One parsed swarmkit constraint `key op value` (`manager/constraint`).
public struct SwarmConstraint: Sendable, Hashable {
    public enum Operator: Sendable, Hashable { case equal, notEqual }
    public var key: String
    public var op: Operator
    public var value: String
    public init(key: String, op: Operator, value: String) {
        self.key = key
        self.op = op
        self.value = value
    }
}

/// swarmkit `api.Platform`: empty fields match anything.
public struct SwarmPlatform: Sendable, Hashable {
    public var os: String
    public var architecture: String
    public init(os: String = "", architecture: String = "") {
        self.os = os
        self.architecture = architecture
    }
}

// MARK: Amazon ECS

/// An ECS service's `placementStrategy` and `placementConstraints`.
public struct ECSPlacementSpec: Sendable, Hashable {
    /// nil: the scheduler preset's strategy chain applies.
    public var strategy: [ECSPlacementStrategy]?
    public var constraints: [ECSPlacementConstraint]
    public init(strategy: [ECSPlacementStrategy]? = nil, constraints: [ECSPlacementConstraint] = []) {
        self.strategy = strategy
        self.constraints = constraints
    }
}

/// One `PlacementStrategy` entry: `type` and `field`.
public enum ECSPlacementStrategy: Sendable, Hashable, CustomStringConvertible {
    /// The instance with the least remaining amount of the resource (catalog index).
    case binpack(resource: String)
    /// The value of `field` (`instanceId`/`host` or `attribute:NAME`) with the fewest tasks of the group.
    case spread(field: String)
    case random

    public var description: String {
        switch self {
        case .binpack(let r): "binpack(\(r))"
        case .spread(let f): "spread(\(f))"
        case .random: "random"
        }
    }
}

/// One `PlacementConstraint`.
public enum ECSPlacementConstraint: Sendable, Hashable {
    /// Each task of the group on a different container instance.
    case distinctInstance
    /// The instance must satisfy a cluster query language expression.
    case memberOf(ECSQuery, source: String)
}

/// A parsed cluster query language expression.
public indirect enum ECSQuery: Sendable, Hashable {
    public enum Op: String, Sendable, Hashable, CaseIterable {
        case equal = "==", notEqual = "!=", greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
        case exists = "exists", notExists = "!exists", `in` = "in", notIn = "!in", matches = "=~", notMatches = "!~"
    }
    case compare(subject: String, op: Op, arguments: [String])
    case and(ECSQuery, ECSQuery)
    case or(ECSQuery, ECSQuery)
    case not(ECSQuery)
}
