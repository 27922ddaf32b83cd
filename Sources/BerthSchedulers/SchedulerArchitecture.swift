import BerthCluster
import BerthSimulation

/// *When* are decisions made, by whom, and how are they committed?
///
/// An architecture owns its queues and calls a ``PlacementPolicy`` for *where*.
/// The simulator tells it about new tasks and freed resources and asks it to
/// run a scheduling pass at an instant; it commits binds through the
/// ``Cluster`` and returns the tasks it bound.
public protocol SchedulerArchitecture: AnyObject {
    var name: String { get }
    /// Tasks waiting in this architecture's queues.
    var queuedCount: Int { get }
    /// A task was submitted (it is pending in `cluster`).
    func enqueue(_ task: Int32, in cluster: Cluster)
    /// Resources were released somewhere: tasks that could not fit may fit now.
    func resourcesFreed(in cluster: Cluster)
    /// Runs a scheduling pass at `micros`; returns the tasks bound, in bind order.
    func schedule(in cluster: Cluster, at micros: Int64, random: RandomStream) -> [Int32]
}

/// An architecture that reacts to node changes (a node went down, came back,
/// was cordoned) beyond "resources were freed". The simulator calls
/// ``SchedulerArchitecture/resourcesFreed(in:)`` on every node change and this
/// as well when the architecture conforms.
/// A scheduler whose preemption respects PodDisruptionBudgets (kube-scheduler's
/// DefaultPreemption); the harness hands it the budgets' current status.
public protocol DisruptionBudgetAware: SchedulerArchitecture {
    func useDisruptionBudgets(_ budgets: any DisruptionBudgetLister)
}

public protocol NodeEventAware: SchedulerArchitecture {
    /// A node's state changed (upstream kube-scheduler: a `Node` update event).
    func nodeChanged(in cluster: Cluster)
}
