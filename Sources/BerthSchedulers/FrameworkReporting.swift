import BerthCluster

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
