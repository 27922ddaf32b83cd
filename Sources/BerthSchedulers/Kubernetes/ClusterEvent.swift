/// Cluster changes that can make an unschedulable pod schedulable
/// (upstream `framework.ClusterEvent`, the subset Berth produces).
public enum ClusterEvent: Sendable, CaseIterable {
    /// A pod was bound to a node (upstream `AssignedPodAdd`).
    case assignedPodAdd
    /// A pod left a node (upstream `AssignedPodDelete`).
    case assignedPodDelete
    /// A node appeared or changed (labels, taints, schedulability, allocatable).
    case nodeChange

    /// Which events each in-tree plugin registers interest in (upstream
    /// `EventsToRegister`, v1.28). A pod rejected by these plugins is moved back
    /// to the active or backoff queue only by these events (or by the
    /// five-minute flush). Unknown plugins get every event.
    public static func interested(in plugin: String) -> Set<ClusterEvent> {
        switch plugin {
        case "NodeResourcesFit", "NodePorts": [.assignedPodDelete, .nodeChange]
        case "InterPodAffinity", "PodTopologySpread": [.assignedPodAdd, .assignedPodDelete, .nodeChange]
        case "NodeAffinity", "TaintToleration", "NodeUnschedulable", "NodeName": [.nodeChange]
        default: Set(ClusterEvent.allCases)
        }
    }
}
