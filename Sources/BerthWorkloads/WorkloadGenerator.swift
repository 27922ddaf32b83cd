import BerthCluster
import BerthSimulation

/// The live side of one ``WorkloadSpec``: draws arrival times, job sizes and
/// task durations, each from the workload's own named stream
/// (`arrivals/<name>`, `sizes/<name>`, `durations/<name>`), so adding a
/// workload or a failure process never shifts another workload's draws.
/// A trace workload draws nothing: it submits its pre-loaded rows, grouped by
/// identical submit time, one arrival per group.
public final class WorkloadGenerator {
    public let spec: WorkloadSpec
    public let index: Int32
    /// This workload's first `TaskSpec.shape`; a trace workload uses
    /// `shapeBase ..< shapeBase + spec.shapeCount`, one per distinct request set.
    public let shapeBase: Int32
    private let requests: [Int64]
    private let nonZero: (cpu: Int64, memory: Int64)
    private let arrivals: RandomStream
    private let sizes: RandomStream
    private let durations: RandomStream
    private let interarrival: Sampler?
    private let sizeSampler: Sampler?
    private let durationSampler: Sampler?
    private let fixedTimes: [Int64]
    private var arrivalsMade = 0
    private var jobsMade: Int32 = 0
    /// Trace: request vector per local shape, and the index of the next row to submit.
    private let traceVectors: [[Int64]]
    private var traceCursor = 0

    /// `shapeBase` defaults to `index`, which is right when no earlier workload is a
    /// trace; the simulator passes the running sum of earlier workloads' `shapeCount`.
    /// The cluster's nodes (DaemonSets create one pod per eligible node).
    private let nodes: [NodeSpec]

    public init(spec: WorkloadSpec, index: Int32, catalog: ResourceCatalog, streams: RandomStreams, shapeBase: Int32? = nil,
                nodes: [NodeSpec] = []) {
        self.nodes = nodes
        self.spec = spec
        self.index = index
        self.shapeBase = shapeBase ?? index
        requests = spec.template.requestVector(catalog)
        nonZero = spec.template.nonZeroRequests
        var vectors = [[Int64]](repeating: [], count: spec.trace?.shapeCount ?? 0)
        for task in spec.trace?.tasks ?? [] where vectors[Int(task.shape)].isEmpty {
            vectors[Int(task.shape)] = TaskTemplate(requests: task.requests).requestVector(catalog)
        }
        traceVectors = vectors
        arrivals = streams.stream(.arrivals, spec.name)
        sizes = streams.stream(.sizes, spec.name)
        durations = streams.stream(.durations, spec.name)
        switch spec.arrival?.process {
        case .poisson(let rate)?: interarrival = Sampler(.exponential(mean: 1 / rate))
        case .interarrival(let d)?: interarrival = Sampler(d)
        default: interarrival = nil
        }
        if case .fixed(let times)? = spec.arrival?.process { fixedTimes = times.sorted() } else { fixedTimes = [] }
        if case .distribution(let d) = spec.tasksPerJob { sizeSampler = Sampler(d) } else { sizeSampler = nil }
        durationSampler = spec.duration.map(Sampler.init)
    }

    /// The first arrival instant (µs), or nil if the workload never arrives.
    public func firstArrival() -> Int64? {
        switch spec.kind {
        case .service: return spec.replicas > 0 ? spec.startMicros : nil
        case .daemonset: return spec.startMicros
        case .workflow: return nil  // DAG runs are created by the simulator's workflow controller
        case .batch: return nextArrival(after: spec.arrival?.startMicros ?? 0)
        case .trace: return spec.trace?.tasks.first?.submitMicros
        }
    }

    /// The arrival following one at `micros`, or nil when the process is over.
    public func nextArrival(after micros: Int64) -> Int64? {
        if spec.kind == .trace {
            // makeTasks() has moved the cursor past the group just submitted.
            guard let tasks = spec.trace?.tasks, traceCursor < tasks.count else { return nil }
            return tasks[traceCursor].submitMicros
        }
        guard spec.kind == .batch, let arrival = spec.arrival else { return nil }
        if let limit = arrival.limit, arrivalsMade >= limit { return nil }
        let next: Int64
        if let sampler = interarrival {
            next = micros &+ max(0, sampler.sampleMicros(arrivals))
        } else {
            guard arrivalsMade < fixedTimes.count else { return nil }
            next = fixedTimes[arrivalsMade]
        }
        if let end = arrival.endMicros, next > end { return nil }
        arrivalsMade += 1
        return next
    }

    /// A service's replica number `index` (`<name>-<index>`), for a scale-up.
    public func serviceTask(index: Int) -> TaskSpec {
        task(name: "\(spec.name)-\(index)", job: 0, duration: nil)
    }

    /// The tasks that arrive at one arrival instant.
    public func makeTasks() -> [TaskSpec] {
        switch spec.kind {
        case .service:
            return (0..<spec.replicas).map { task(name: "\(spec.name)-\($0)", job: 0, duration: nil) }
        case .batch:
            var tasks: [TaskSpec] = []
            for _ in 0..<(spec.arrival?.burst ?? 1) {
                let job = jobsMade
                jobsMade += 1
                let count: Int = switch spec.tasksPerJob {
                case .fixed(let n): n
                case .distribution: sizeSampler?.sampleCount(sizes) ?? 1
                }
                for t in 0..<count {
                    let d = durationSampler?.sampleMicros(durations) ?? 0
                    tasks.append(task(name: "\(spec.name)-\(job)-\(t)", job: job, duration: d))
                }
            }
            return tasks
        case .trace:
            return traceGroup()
        case .daemonset:
            return daemonPods()
        case .workflow:
            return []
        }
    }

    /// The DaemonSet controller's pods (upstream `NodeShouldRunDaemonPod`, then
    /// scheduling by the default scheduler): one per node whose labels match the
    /// node selector and whose NoSchedule/NoExecute taints are tolerated, pinned
    /// with a `kubernetes.io/hostname` selector (upstream pins with a
    /// `metadata.name` node-affinity field; the effect is the same). Each pod is
    /// its own shape: one that does not fit says nothing about the next.
    func daemonPods() -> [TaskSpec] {
        var tasks: [TaskSpec] = []
        for node in nodes {
            var probe = TaskSpec(name: "", requests: [], nodeSelector: spec.template.nodeSelector, tolerations: spec.template.tolerations)
            probe.pod = nil
            var eligible = node
            eligible.unschedulable = false  // DaemonSet pods tolerate node.kubernetes.io/unschedulable
            guard probe.isAllowed(on: eligible) else { continue }
            if let required = spec.template.pod?.nodeAffinity?.required,
               !required.contains(where: { $0.matches(labels: node.labels, nodeName: node.name) }) { continue }
            // Nomad system/sysbatch jobs: only nodes that pass the job's constraints, datacenters and pool.
            if let nomad = spec.template.nomad, !nomad.acceptsStatically(node) { continue }
            var t = task(name: "\(spec.name)-\(node.name)", job: 0, duration: nil)
            t.nodeSelector[NodeLabel.hostname] = node.name
            t.shape = -1
            tasks.append(t)
        }
        return tasks
    }

    /// The rows sharing the next submit time, expanded into their instances.
    private func traceGroup() -> [TaskSpec] {
        guard let trace = spec.trace, traceCursor < trace.tasks.count else { return [] }
        let at = trace.tasks[traceCursor].submitMicros
        var tasks: [TaskSpec] = []
        while traceCursor < trace.tasks.count, trace.tasks[traceCursor].submitMicros == at {
            let row = trace.tasks[traceCursor]
            traceCursor += 1
            let labels = spec.template.labels.merging(row.labels) { _, trace in trace }
            for i in 0..<row.instances {
                let name = row.instances == 1 ? "\(spec.name)-\(row.name)" : "\(spec.name)-\(row.name)-\(i)"
                var t = TaskSpec(name: name, workload: index, job: row.job, requests: traceVectors[Int(row.shape)],
                                 priority: row.priority, labels: labels, nodeSelector: spec.template.nodeSelector,
                                 tolerations: spec.template.tolerations, durationMicros: row.durationMicros,
                                 shape: shapeBase &+ row.shape,
                                 // Trace rows always set cpu and memory, so an explicit 0 stays 0.
                                 nonZeroCPU: traceVectors[Int(row.shape)][ResourceCatalog.cpu],
                                 nonZeroMemory: traceVectors[Int(row.shape)][ResourceCatalog.memory])
                t.placement = spec.template.placement
                t.nomad = spec.template.nomad
                t.mesos = spec.template.mesos
                t.preemptionPolicy = spec.template.preemptionPolicy
                tasks.append(t)
            }
        }
        return tasks
    }

    private func task(name: String, job: Int32, duration: Int64?) -> TaskSpec {
        var t = TaskSpec(name: name, workload: index, job: job, requests: requests, priority: spec.template.priority,
                         labels: spec.template.labels, nodeSelector: spec.template.nodeSelector,
                         tolerations: spec.template.tolerations, durationMicros: duration, shape: shapeBase,
                         pod: spec.template.pod, nonZeroCPU: nonZero.cpu, nonZeroMemory: nonZero.memory)
        t.nomad = spec.template.nomad
        t.placement = spec.template.placement
        t.mesos = spec.template.mesos
        t.preemptionPolicy = spec.template.preemptionPolicy
        return t
    }
}
