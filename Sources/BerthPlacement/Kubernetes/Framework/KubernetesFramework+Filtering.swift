import BerthCluster

/// Uncached filtering of one node: for nominated nodes (reservations) and
/// for checks outside the cycle's cached window walk.
extension KubernetesFramework {
    /// Every active filter on `node`, first with the `reserved` (nominated,
    /// pending) pods added to the node and to a copy of the cycle state
    /// (PreFilter `AddPod` extensions), then — if that passed and pods were
    /// added — on the node as it is: upstream `RunFilterPluginsWithNominatedPods`
    /// (pods with affinity may need the nominated pods absent). Returns the
    /// first rejection, nil when the node is feasible. Uncached: reservations
    /// are rare and short-lived.
    func filterWithReservations(_ pod: PodInfo, node: Int, reserved: [Int32], view: ClusterView, state: CycleState,
                                active: [Bool]) -> Status? {
        func run(_ state: CycleState) -> Status? { firstRejection(pod, node: node, view: view, state: state, active: active) }
        let others = reserved.filter { $0 != pod.id }
        if !others.isEmpty {
            let extensions = profile.preFilters.compactMap { $0 as? any PreFilterExtensions }
            let withNominated = state.clone()
            let rejection: Status? = view.dryRun(on: node) { session in
                let info = NodeInfo(index: node, view: view)
                for t in others {
                    session.add(t)
                    for e in extensions { _ = e.addPod(withNominated, pod: pod, adding: t, node: info) }
                }
                return run(withNominated)
            }
            if let rejection { return rejection }
        }
        return run(state)
    }

    /// Every active filter on `node` in profile order, uncached: the first
    /// rejection (tagged with its plugin), nil when the node is feasible.
    func firstRejection(_ pod: PodInfo, node: Int, view: ClusterView, state: CycleState, active: [Bool]) -> Status? {
        let filters = profile.filters
        let info = NodeInfo(index: node, view: view)
        for k in filters.indices where active[k] {
            let status = filters[k].filter(state, pod: pod, node: info)
            if !status.isSuccess { return Status(status.code, status.reasons, plugin: filters[k].name) }
        }
        return nil
    }
}
