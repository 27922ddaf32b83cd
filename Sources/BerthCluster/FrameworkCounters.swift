/// What one second-level scheduler (a Mesos framework) did over a run.
/// Here, below both the architectures that count it (BerthSchedulers) and the
/// reports that print it (BerthReports), so neither needs the other.
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
