/// An architecture with second-level schedulers (Mesos frameworks) whose
/// fairness the reports show (docs/reports.md, frameworks.csv). The simulator
/// asks for the shares at every sample.
public protocol FrameworkReporting: SchedulerArchitecture {
    /// Every registered framework, in registration order, with its dominant
    /// share now (offered + allocated over the pool, unweighted).
    func frameworkShares() -> [(framework: String, role: String, share: Double)]
    /// Counters per framework, in registration order.
    func frameworkCounters() -> [FrameworkCounters]
}

/// What one framework did over a run.
public struct FrameworkCounters: Sendable, Equatable {
    public var framework: String
    public var role: String
    public var offersReceived: Int
    public var offersDeclined: Int
    public var offersRescinded: Int
    public var tasksLaunched: Int
    /// CPU core-seconds that sat in this framework's offers without being used.
    public var offeredUnusedCoreSeconds: Double
    public init(framework: String, role: String, offersReceived: Int, offersDeclined: Int, offersRescinded: Int,
                tasksLaunched: Int, offeredUnusedCoreSeconds: Double) {
        self.framework = framework
        self.role = role
        self.offersReceived = offersReceived
        self.offersDeclined = offersDeclined
        self.offersRescinded = offersRescinded
        self.tasksLaunched = tasksLaunched
        self.offeredUnusedCoreSeconds = offeredUnusedCoreSeconds
    }
}
