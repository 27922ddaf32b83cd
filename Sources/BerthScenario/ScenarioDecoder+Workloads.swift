import BerthCluster
import BerthSimulation
import BerthWorkloads

/// A decoded workload with the fields validation points at.
struct WorkloadDraft {
    var spec: WorkloadSpec
    var field: Field
    var requestsField: Field
}

struct InitialDraft {
    var spec: InitialTaskSpec
    var field: Field
    var nodeField: Field
}

extension ScenarioDecoder {
    static let workloadKeys = ["name", "kind", "replicas", "start", "requests", "pod", "priority", "priority_class_name",
                               "labels", "node_selector",
                               "tolerations", "arrival", "tasks_per_job", "parallelism", "backoff_limit", "duration", "trace",
                               "placement", "placement_strategy", "placement_constraints", "nomad",
                               "framework", "role", "marathon_constraints"] + crashKeys + ["disruption_budget"] + workflowKeys
        + memoryKeys + ["termination_grace_period_s", "pod_failure_policy", "scale"]
    static let serviceOnly = ["replicas", "start", "scale"]
    static let batchOnly = ["arrival", "tasks_per_job", "parallelism", "backoff_limit", "duration", "pod_failure_policy"]
    /// Keys a trace workload does not take: its rows carry requests, times and durations.
    static let notForTrace = ["requests", "pod", "priority_class_name", "replicas", "start", "arrival", "tasks_per_job", "parallelism", "backoff_limit",
                              "pod_failure_policy", "scale",
                              "duration"]

    func decodeWorkloads(_ field: Field) -> [WorkloadDraft] {
        let drafts = (field.sequence() ?? []).compactMap(decodeWorkload)
        uniqueNames(drafts.map { ($0, $0.field) }, name: \.spec.name, what: "workload")
        return drafts
    }

    /// The shared requests and constraints. `requestsRequired: false` (trace
    /// workloads) takes no requests and returns `owner` as the requests field.
    func decodeTemplate(_ map: [String: Field], owner: Field, requestsRequired: Bool = true,
                        kind: WorkloadKind? = nil) -> (TaskTemplate, Field)? {
        // A pod's containers carry the requests; then `requests` must not be given too.
        let pod = map["pod"].flatMap(decodePod)
        if let p = map["pod"], map["requests"] != nil {
            p.error("give requests either at the workload (requests) or per container (pod.containers[].requests), not both")
        }
        // Likewise a Nomad block with `resources` (MHz, MB).
        let nomad = map["nomad"].flatMap { decodeNomad($0, kind: kind) }
        let nomadResources = map["nomad"]?.lookup("resources")
        if let r = nomadResources, map["requests"] != nil || map["pod"] != nil {
            r.error("give requests once: nomad.resources (MHz, MB), or requests / pod, not both")
        }
        let fromPod = map["pod"] != nil
        let fromNomad = map["nomad"] != nil && !fromPod && map["requests"] == nil
        let requestsField = requestsRequired && !fromPod && !fromNomad ? map.required("requests", in: owner)
            : (map["pod"] ?? nomadResources ?? map["nomad"] ?? owner)
        let requests = fromNomad ? nomad?.1 : fromPod ? pod?.requests() : requestsRequired ? requestsField.flatMap(decodeResources) : [:]
        // A trace's rows carry their own priorities (docs/scenario-format.md, "Priority classes").
        let (priority, preemptionPolicy) = resolvePriority(map, classes: kind != .trace)
        let labels = map["labels"]?.stringMap() ?? [:]
        let selector = map["node_selector"]?.stringMap() ?? [:]
        let tolerations = map["tolerations"].map(decodeTolerations) ?? []
        guard let requests, let requestsField else { return nil }
        if requests.isEmpty && requestsRequired && !fromPod {
            requestsField.error("requests must name at least one resource, e.g. {cpu: 500m, memory: 256Mi}")
        }
        var template = TaskTemplate(requests: requests, priority: priority, labels: labels, nodeSelector: selector,
                                    tolerations: tolerations, pod: pod)
        template.preemptionPolicy = preemptionPolicy
        template.nomad = nomad?.0
        template.placement = decodePlacementDetails(map)
        template.mesos = decodeMesosDetails(map)
        return (template, requestsField)
    }

    func decodeWorkload(_ field: Field) -> WorkloadDraft? {
        guard let map = field.mapping(allowed: Self.workloadKeys) else { return nil }
        let name = map.required("name", in: field)?.nonEmptyString()
        let kind = map.required("kind", in: field)?.oneOf(WorkloadKind.allCases.map { ($0.rawValue, $0) }, what: "workload kind")
        guard let name, let kind else {
            _ = decodeTemplate(map, owner: field)
            return nil
        }
        let template = decodeTemplate(map, owner: field, requestsRequired: kind != .trace && kind != .workflow, kind: kind)
        guard let (template, requestsField) = template else { return nil }
        let misplaced = switch kind {
        case .service: Self.batchOnly + ["trace"]
        case .batch: Self.serviceOnly + ["trace"]
        case .trace: Self.notForTrace
        case .daemonset: Self.batchOnly + ["trace", "replicas", "scale"]
        case .workflow: Self.batchOnly + Self.serviceOnly + ["trace", "pod", "nomad"]
        }
        if kind != .workflow { for key in Self.workflowKeys { map[key]?.error("\"\(key)\" applies only to a workflow workload") } }
        for key in misplaced { map[key]?.error("\"\(key)\" does not apply to a \(kind.rawValue) workload") }
        var spec = WorkloadSpec(name: name, kind: kind, template: template)
        switch kind {
        case .trace:
            let traceField = map.required("trace", in: field, what: "the trace to replay")
            spec.trace = traceField.flatMap { decodeTrace($0, priority: map["priority"] != nil ? template.priority : nil,
                                                          priorityField: map["priority"]) }
            guard spec.trace != nil else { return nil }
        case .service where template.nomad?.count != nil:
            // Nomad's task group `count` is the number of replicas.
            if let f = map["replicas"] { f.error("give either replicas or nomad.count, not both") }
            spec.replicas = template.nomad?.count ?? 0
            spec.startMicros = map["start"]?.duration() ?? 0
            spec.scale = map["scale"].map { decodeScale($0, start: spec.startMicros) } ?? []
        case .service:
            spec.replicas = map.required("replicas", in: field)?.int(min: 0, max: 10_000_000) ?? 0
            spec.startMicros = map["start"]?.duration() ?? 0
            spec.scale = map["scale"].map { decodeScale($0, start: spec.startMicros) } ?? []
        case .daemonset:
            spec.startMicros = map["start"]?.duration() ?? 0
        case .workflow:
            guard let workflow = decodeWorkflow(map, owner: field) else { return nil }
            spec.workflow = workflow
        case .batch:
            spec.arrival = map.required("arrival", in: field, what: "when jobs arrive").flatMap(decodeArrival)
            spec.duration = map.required("duration", in: field, what: "how long each task runs").flatMap { decodeDistribution($0, timed: true) }
            spec.parallelism = map["parallelism"]?.int(min: 1, max: 1_000_000)
            if let count = template.nomad?.count {  // Nomad's task group `count` is each job's size
                if let f = map["tasks_per_job"] { f.error("give either tasks_per_job or nomad.count, not both") }
                spec.tasksPerJob = .fixed(max(1, count))
            }
            spec.backoffLimit = map["backoff_limit"]?.int(min: 0, max: 1_000_000) ?? 6
            spec.podFailurePolicy = map["pod_failure_policy"].flatMap {
                decodePodFailurePolicy($0, containerNames: template.pod.map { ($0.containers + $0.initContainers).map(\.name) })
            }
            if let f = map["tasks_per_job"] {
                if case .scalar = f.node, let n = f.int(min: 1, max: 1_000_000) {
                    spec.tasksPerJob = .fixed(n)
                } else if case .mapping = f.node {
                    if let d = decodeDistribution(f, timed: false) { spec.tasksPerJob = .distribution(d) }
                } else if case .sequence = f.node {
                    f.error("expected a whole number or a distribution like {dist: uniform, min: 2, max: 12}, got a list",
                            hint: "for a choice among values use {dist: empirical, values: [...]}")
                }
            }
        }
        return WorkloadDraft(spec: spec, field: field, requestsField: requestsField)
    }

    static let scaleKeys = ["at", "replicas"]

    /// `scale:` — the service's desired replica count over the run, each step
    /// after the service's start and after the previous step.
    func decodeScale(_ field: Field, start: Int64) -> [ScaleStep] {
        var steps: [ScaleStep] = []
        for item in field.sequence() ?? [] {
            guard let map = item.mapping(allowed: Self.scaleKeys) else { continue }
            let at = map.required("at", in: item, what: "when the replica count changes, e.g. 1h")?.duration()
            let replicas = map.required("replicas", in: item)?.int(min: 0, max: 10_000_000)
            guard let at, let replicas else { continue }
            if at <= start {
                (map["at"] ?? item).error("must be after the service's start (\(SimTime.decimalSeconds(start)) s)",
                                          hint: "the replicas at the start are the workload's replicas")
                continue
            }
            if let last = steps.last, at <= last.atMicros {
                (map["at"] ?? item).error("must be after the previous step (\(SimTime.decimalSeconds(last.atMicros)) s): steps are in time order")
                continue
            }
            steps.append(ScaleStep(atMicros: at, replicas: replicas))
        }
        return steps
    }

    static let arrivalKeys = ["process", "at", "rate", "interval", "burst", "start", "end", "limit"]
    static let processKeys: [String: [String]] = ["fixed": ["at"], "poisson": ["rate"], "interarrival": ["interval"]]

    func decodeArrival(_ field: Field) -> ArrivalSpec? {
        guard let map = field.mapping(allowed: Self.arrivalKeys) else { return nil }
        let processName = map.required("process", in: field)?.oneOf([("fixed", "fixed"), ("poisson", "poisson"), ("interarrival", "interarrival")], what: "arrival process")
        let burst = map["burst"]?.int(min: 1, max: 1_000_000) ?? 1
        let start = map["start"]?.duration() ?? 0
        let end = map["end"]?.duration()
        let limit = map["limit"]?.int(min: 1)
        if let end, end < start { map["end"]?.error("must not be before start") }
        guard let processName else { return nil }
        if processName == "fixed", let f = map["start"] {
            f.error("\"start\" does not apply to process fixed: its times are absolute", hint: "shift the times in \"at\" instead")
        }
        for (other, keys) in Self.processKeys.sorted(by: { $0.key < $1.key }) where other != processName {
            for key in keys { map[key]?.error("\"\(key)\" does not apply to process \(processName)") }
        }
        let process: ArrivalProcess?
        switch processName {
        case "fixed":
            let times = map.required("at", in: field, what: "a list of times")?.sequence()?.compactMap { $0.duration() }
            if let times, times.isEmpty { map["at"]?.error("must list at least one time") }
            process = times.map { ArrivalProcess.fixed($0) }
        case "poisson":
            process = map.required("rate", in: field, what: "like \"2/m\"").flatMap { f -> ArrivalProcess? in
                guard let text = f.string() else { return nil }
                switch RateParser.parsePerSecond(text) {
                case .success(let rate): return .poisson(ratePerSecond: rate)
                case .failure(let e): f.error("expected \(e.expected), got \(f.got): \(e.detail)"); return nil
                }
            }
        default:
            process = map.required("interval", in: field).flatMap { f -> ArrivalProcess? in
                guard let d = decodeDistribution(f, timed: true) else { return nil }
                // A zero mean would put every arrival at the same instant, forever.
                if let mean = d.mean, !(mean > 0) {
                    f.error("the inter-arrival time must have a mean greater than 0s (arrivals would never advance time)")
                    return nil
                }
                return .interarrival(d)
            }
        }
        guard let process else { return nil }
        return ArrivalSpec(process: process, burst: burst, startMicros: start, endMicros: end, limit: limit)
    }

    static let initialKeys = ["name", "node", "requests", "priority", "priority_class_name", "labels", "duration"]

    func decodeInitial(_ field: Field) -> [InitialDraft] {
        let drafts: [InitialDraft] = (field.sequence() ?? []).compactMap { f in
            guard let map = f.mapping(allowed: Self.initialKeys) else { return nil }
            let name = map.required("name", in: f)?.nonEmptyString()
            let nodeField = map.required("node", in: f)
            let node = nodeField?.nonEmptyString()
            let template = decodeTemplate(map, owner: f)
            let duration = map["duration"]?.duration()
            guard let name, let node, let nodeField, let (template, _) = template else { return nil }
            return InitialDraft(spec: InitialTaskSpec(name: name, node: node, template: template, durationMicros: duration),
                                field: f, nodeField: nodeField)
        }
        uniqueNames(drafts.map { ($0, $0.field) }, name: \.spec.name, what: "initial task")
        return drafts
    }
}
