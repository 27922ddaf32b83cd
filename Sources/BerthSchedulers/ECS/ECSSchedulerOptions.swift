import BerthCluster

/// The ECS presets' options: the placement strategy chain tasks use when
/// their workload gives no `placement_strategy` (scheduler key `placement_strategy`).
public struct ECSSchedulerOptions: Sendable, Equatable {
    public var strategy: [ECSPlacementStrategy]
    public init(strategy: [ECSPlacementStrategy] = [.binpack(resource: "memory")]) { self.strategy = strategy }

    /// `binpack` on memory (the console's "BinPack" template).
    public static let binpack = ECSSchedulerOptions(strategy: [.binpack(resource: "memory")])
    /// Spread over Availability Zones, then binpack memory (the console default, "AZ balanced binpack").
    public static let spread = ECSSchedulerOptions(strategy: [.spread(field: "attribute:ecs.availability-zone"), .binpack(resource: "memory")])
    public static let random = ECSSchedulerOptions(strategy: [.random])
}
