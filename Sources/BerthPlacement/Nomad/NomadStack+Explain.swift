import BerthCluster
import BerthSimulation

extension NomadPlacement {
    /// `berth explain`: a fresh evaluation for the task's job, the same Select
    /// `place` would run (same shuffle from the same stream), then every node
    /// the Select did not reach is run through the chain too, marked not
    /// evaluated. Scores are in millionths; `weighted` is the component's share
    /// of the normalised score (value / number of appended scores), so the
    /// shares of a node add up to its `total`.
    public func explain(_ task: Int32, _ spec: TaskSpec, in view: ClusterView, random: RandomStream) -> CycleResult {
        let ev = NomadEvaluation(task: task, spec: spec, view: view, config: config, random: random,
                                 eligible: eligible(spec, view), jobTasks: jobTasks(spec, view))
        var rows: [NodeEvaluation?] = Array(repeating: nil, count: view.nodeCount)
        let (chosen, examined) = select(ev, spec, view) { node, e in rows[Int(node)] = e }
        let p = pipeline(ev)
        let base = Set(ev.nodes)
        for i in 0..<view.nodeCount where rows[i] == nil {
            if let reason = Self.outsideReason(Int32(i), base, ev, view) {
                rows[i] = NodeEvaluation(node: i, evaluated: false, feasible: false, rejectedBy: reason.0, reason: reason.1)
                continue
            }
            _ = rank(Int32(i), ev, spec, view, p) { node, e in
                var e = e
                e.evaluated = false
                rows[Int(node)] = e
            }
        }
        var evaluations = rows.enumerated().map { $0.element ?? NodeEvaluation(node: $0.offset, evaluated: false, feasible: false) }
        if let chosen { evaluations[Int(chosen.node)].selected = true }
        var diagnosis: [String: Int] = [:]
        if chosen == nil {
            for e in evaluations where !e.feasible { diagnosis[e.reason ?? "", default: 0] += 1 }
        }
        return CycleResult(selected: chosen.map { Int($0.node) }, feasibleNodes: evaluations.count(where: \.feasible),
                           evaluatedNodes: examined, diagnosis: diagnosis, evaluations: evaluations, scorePluginNames: p.scoreNames)
    }

    /// Why a node is not among the evaluation's base nodes (upstream `readyNodesInDCsAndPool`).
    static func outsideReason(_ node: Int32, _ base: Set<Int32>, _ ev: NomadEvaluation, _ view: ClusterView) -> (String, String)? {
        if base.contains(node) { return nil }
        let n = view.node(Int(node))
        if view.isDown(Int(node)) { return ("status", "node is down") }
        if n.unschedulable { return ("eligibility", "node is ineligible for scheduling") }
        if ev.pinned { return ("pinned", "the allocation is for another node") }
        if let d = ev.details, !NomadTarget.datacenterMatches(n, d.datacenters) {
            return ("datacenter", "datacenter \(NomadTarget.datacenter(n)) not in \(d.datacenters.joined(separator: ","))")
        }
        return ("node_pool", "node pool \(n.pool) is not \(ev.details?.nodePool ?? "")")
    }
}
