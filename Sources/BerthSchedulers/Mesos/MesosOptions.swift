/// The kinds of second-level scheduler Berth runs on top of the Mesos allocator.
public enum MesosFrameworkKind: String, Sendable, Equatable, CaseIterable {
    /// A Marathon-like service framework (constraints, at most
    /// `max_tasks_per_offer` launches per offer, long declines when nothing fits).
    case marathon
    /// A batch framework: first-fit of its queued tasks into each offer.
    case batch
}

/// One framework's offer-handling settings (`scheduler.mesos.frameworks.NAME`).
public struct MesosFrameworkOptions: Sendable, Equatable {
    public var kind: MesosFrameworkKind
    /// The framework's role; a workload's `role` must agree with it.
    public var role: String?
    /// `refuse_seconds` of a decline when nothing in the offer was used.
    /// Marathon: `--decline_offer_duration`, default 120000 ms
    /// (marathon `OfferProcessorConfig`); batch: the Mesos default `Filters.refuse_seconds` (5 s).
    public var declineRefuseMicros: Int64
    /// `refuse_seconds` on the unused remainder of an accepted offer
    /// (the Mesos default `Filters`, 5 s).
    public var acceptRefuseMicros: Int64 = 5_000_000
    /// Launches per offer at most (Marathon `--max_instances_per_offer`,
    /// default 5 in marathon `MarathonConf`); nil: unlimited (batch).
    public var maxTasksPerOffer: Int?
    /// Decision time per offer answered: `t_job + t_task × tasks launched`.
    public var tJobMicros: Int64 = 0
    public var tTaskMicros: Int64 = 0
    /// Suppress offers while no task waits; revive when one arrives.
    public var suppressWhenIdle = true

    public init(kind: MesosFrameworkKind) {
        self.kind = kind
        switch kind {
        case .marathon:
            declineRefuseMicros = 120_000_000
            maxTasksPerOffer = 5
        case .batch:
            declineRefuseMicros = 5_000_000
            maxTasksPerOffer = nil
        }
    }
}

/// Mesos master allocator flags and the frameworks above it (`scheduler.mesos`).
public struct MesosOptions: Sendable, Equatable {
    /// `--allocation_interval` (default 1 s).
    public var allocationIntervalMicros: Int64 = 1_000_000
    /// `--offer_timeout` (default: none, offers are never rescinded).
    public var offerTimeoutMicros: Int64? = nil
    /// `--min_allocatable_resources` (default `cpus:0.01|mem:32`): an offer is
    /// made only if it holds at least one of these quantity sets (by Berth
    /// resource name; cpu in millicores, memory in bytes). Empty: any non-empty offer.
    public var minAllocatable: [[String: Int64]] = [["cpu": 10], ["memory": 32 * 1024 * 1024]]
    /// `--weights` by role (default 1).
    public var roleWeights: [String: Double] = [:]
    /// Static reservations: role → node or pool names whose whole resources are
    /// reserved for that role (upstream `--resources=cpus(role):…`, whole agents only).
    public var reservations: [String: [String]] = [:]
    /// Frameworks by name; one not listed takes its kind from its name
    /// (`marathon`, `batch`) or from its tasks (run to the end: marathon; else batch).
    public var frameworks: [String: MesosFrameworkOptions] = [:]

    public init() {}
}
