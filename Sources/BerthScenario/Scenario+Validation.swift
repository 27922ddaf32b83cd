import BerthSchedulers
import BerthCluster
import BerthSimulation
import BerthWorkloads

extension ScenarioDecoder {
    /// Cross-field checks that need the whole cluster: every workload fits some
    /// node when empty, initial tasks name real nodes and fit there together.
    func validate(_ scenario: inout Scenario, workloads: [WorkloadDraft], initial: [InitialDraft]) {
        let catalog = scenario.catalog
        let nodes = scenario.nodes
        checkSchedulerNames(scenario.scheduler, workloads: workloads)
        guard !nodes.isEmpty else { return }
        for draft in workloads {
            let spec = draft.spec
            if spec.kind == .trace {
                checkTraceFits(draft, nodes: nodes, catalog: catalog)
                continue
            }
            if let workflow = spec.workflow {  // each DAG task has its own requests
                let list = draft.field.lookup("tasks")?.sequence() ?? []
                for (i, t) in workflow.tasks.enumerated() {
                    let task = TaskSpec(name: t.name, requests: TaskTemplate(requests: t.requests).requestVector(catalog),
                                        nodeSelector: spec.template.nodeSelector, tolerations: spec.template.tolerations)
                    let owner = i < list.count ? list[i] : draft.field
                    checkFitsSomewhere(task, nodes: nodes, catalog: catalog, requests: owner.lookup("requests") ?? draft.field.lookup("requests") ?? owner, owner: owner)
                }
                continue
            }
            let task = TaskSpec(name: spec.name, requests: spec.template.requestVector(catalog),
                                nodeSelector: spec.template.nodeSelector, tolerations: spec.template.tolerations)
            checkFitsSomewhere(task, nodes: nodes, catalog: catalog, requests: draft.requestsField, owner: draft.field)
        }
        var byName: [String: Int] = [:]
        for (i, node) in nodes.enumerated() { byName[node.name] = i }
        var used = [[Int64]](repeating: catalog.zeros(), count: nodes.count)
        for draft in initial {
            guard let n = byName[draft.spec.node] else {
                let hint = suggestion(for: draft.spec.node, among: nodes.map(\.name)).map { "did you mean \"\($0)\"?" }
                draft.nodeField.error("no node named \"\(draft.spec.node)\"", hint: hint)
                continue
            }
            let requests = draft.spec.template.requestVector(catalog)
            // A task that does not fit is reported and left out, so it does not
            // inflate the usage later tasks on the same node are judged against.
            if let r = (0..<catalog.count).first(where: { used[n][$0] + requests[$0] > nodes[n].allocatable[$0] }) {
                let unit: QuantityUnit = r == ResourceCatalog.cpu ? .milli : .whole
                (draft.field.lookup("requests")?.lookup(catalog.names[r]) ?? draft.field).error(
                    "does not fit on node \"\(draft.spec.node)\": \(catalog.names[r]) would be \(Quantity.format(used[n][r] + requests[r], unit: unit)) of \(Quantity.format(nodes[n].allocatable[r], unit: unit)) allocatable")
                continue
            }
            for r in 0..<catalog.count { used[n][r] += requests[r] }
        }
    }

    /// A pod whose `scheduler_name` names no profile would stay pending for
    /// ever (upstream: no scheduler picks it up): an error, with the profile
    /// names as hint. Other architectures ignore the key; tasks written without
    /// `pod:` go to the first profile.
    func checkSchedulerNames(_ scheduler: SchedulerSpec, workloads: [WorkloadDraft]) {
        guard scheduler.architecture == .kubernetes else { return }
        let names = scheduler.kubeProfiles.map(\.name)
        for draft in workloads {
            guard let pod = draft.spec.template.pod, !names.contains(pod.schedulerName) else { continue }
            let list = names.map { "\"\($0)\"" }.joined(separator: ", ")
            if let field = draft.field.lookup("pod")?.lookup("scheduler_name") {
                let hint = suggestion(for: pod.schedulerName, among: names).map { "did you mean \"\($0)\"?" } ?? "profiles: \(list)"
                field.error("no scheduler profile named \"\(pod.schedulerName)\": the pod would stay pending", hint: hint)
            } else {
                (draft.field.lookup("pod") ?? draft.field).error(
                    "the pod goes to scheduler \"\(pod.schedulerName)\" (the default) but no profile has that name: it would stay pending",
                    hint: "set scheduler_name to one of \(list), or name a profile \(pod.schedulerName)")
            }
        }
    }

    /// Reports a task that no node could ever run, and says why.
    func checkFitsSomewhere(_ task: TaskSpec, nodes: [NodeSpec], catalog: ResourceCatalog, requests: Field, owner: Field) {
        let allowed = nodes.filter { task.isAllowed(on: $0) || ($0.unschedulable && task.isAllowed(on: unCordoned($0))) }
        if allowed.isEmpty {
            if !task.nodeSelector.isEmpty, let selector = owner.lookup("node_selector"),
               !nodes.contains(where: { node in task.nodeSelector.allSatisfy { node.labels[$0.key] == $0.value } }) {
                selector.error("matches none of the \(nodes.count) nodes",
                               hint: "node labels: \(nodeLabelSummary(nodes))")
                return
            }
            owner.error("no node accepts this workload: its node_selector or tolerations exclude all \(nodes.count) nodes")
            return
        }
        if allowed.contains(where: { node in (0..<catalog.count).allSatisfy { task.requests[$0] <= node.allocatable[$0] } }) { return }
        for r in 0..<catalog.count {
            let largest = allowed.map { $0.allocatable[r] }.max() ?? 0
            if task.requests[r] > largest {
                let unit: QuantityUnit = r == ResourceCatalog.cpu ? .milli : .whole
                (requests.lookup(catalog.names[r]) ?? requests).error("larger than every node it may run on: \(catalog.names[r]) \(Quantity.format(task.requests[r], unit: unit)) requested, largest allocatable is \(Quantity.format(largest, unit: unit))")
                return
            }
        }
        requests.error("no single node has all of these resources at once")
    }

    /// The distinct user-visible labels of `nodes`, for hints: `tier=general, …`.
    private func nodeLabelSummary(_ nodes: [NodeSpec]) -> String {
        let wellKnown: Set<String> = [NodeLabel.hostname, NodeLabel.rack]
        let pairs = Set(nodes.flatMap { $0.labels.filter { !wellKnown.contains($0.key) }.map { "\($0.key)=\($0.value)" } })
        let sorted = pairs.sorted()
        return sorted.prefix(8).joined(separator: ", ") + (sorted.count > 8 ? ", …" : "")
    }

    private func unCordoned(_ node: NodeSpec) -> NodeSpec {
        var copy = node
        copy.unschedulable = false
        return copy
    }
}
