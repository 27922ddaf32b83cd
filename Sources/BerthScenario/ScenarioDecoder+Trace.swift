import BerthCluster
import BerthSimulation
import BerthWorkloads
import Foundation

extension ScenarioDecoder {
    static let traceKeys = ["format", "path", "time_scale", "start", "window", "limit", "memory_scale", "instance_scale"]
    static let traceWindowKeys = ["from", "to"]
    static let fromTraceKeys = ["format", "path", "limit"]

    /// `path` relative to the scenario file's folder (absolute paths are kept): trace files, scheduler configs.
    func resolvePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: bag.file).absoluteURL.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL.path
    }

    /// The text of the file named at `pathField`, or nil after a diagnostic there.
    func readTraceText(_ pathField: Field) -> (text: String, resolved: String)? {
        guard let path = pathField.nonEmptyString() else { return nil }
        let resolved = resolvePath(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: resolved) else {
            pathField.error("cannot read the trace file \"\(path)\" (resolved to \(resolved)): does it exist?",
                            hint: "paths are relative to the scenario file's folder")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            pathField.error("the trace file \(resolved) is not UTF-8 text")
            return nil
        }
        return (text, resolved)
    }

    /// Reports a malformed trace row at the `path` field: which file, line and column.
    func traceRowError(_ error: TraceError, file: String, at pathField: Field) {
        pathField.error("bad row in trace file \(file): \(error.description)")
    }

    /// A workload's `trace:` mapping, read and selected. `priority` is the
    /// workload's `priority` key, if given (formats that carry their own reject it).
    func decodeTrace(_ field: Field, priority: Int32?, priorityField: Field?) -> TraceWorkload? {
        guard let map = field.mapping(allowed: Self.traceKeys) else { return nil }
        let format = map.required("format", in: field)?.oneOf(TraceFormat.allCases.map { ($0.rawValue, $0) }, what: "trace format")
        let pathField = map.required("path", in: field, what: "the trace file, relative to this scenario file")
        var timeScale = 1.0
        if let f = map["time_scale"], let value = f.double() {
            if value > 0 { timeScale = value } else { f.error("must be greater than 0, got \(value)") }
        }
        let start = map["start"]?.duration() ?? 0
        var from: Int64 = 0
        var to: Int64?
        if let windowField = map["window"], let window = windowField.mapping(allowed: Self.traceWindowKeys) {
            from = window["from"]?.duration() ?? 0
            to = window["to"]?.duration()
            if let t = to, t <= from { window["to"]?.error("must be after \"from\"") }
        }
        let limit = map["limit"]?.int(min: 1)
        var memoryScale: Int64?
        if let f = map["memory_scale"], let value = f.quantity(.whole) {
            if value > 0 { memoryScale = value } else { f.error("must be greater than 0") }
        }
        var instanceScale = 1.0
        if let f = map["instance_scale"], let value = f.double() {
            if value > 0 && value <= 1 { instanceScale = value } else { f.error("must be greater than 0 and at most 1, got \(value)") }
        }
        guard let format, let pathField else { return nil }
        switch format {
        case .alibabaGPU2023:
            if let f = map["memory_scale"] { f.error("\"memory_scale\" does not apply to \(format.rawValue): its memory is in MiB") }
            if let f = map["instance_scale"] { f.error("\"instance_scale\" does not apply to \(format.rawValue): each row is one pod") }
            if let priorityField { priorityField.error("\"priority\" does not apply to a \(format.rawValue) trace: each pod's priority comes from its qos") }
        case .alibabaBatch2017:
            if map["memory_scale"] == nil {
                field.error("missing required key \"memory_scale\" (the memory that normalized 1.0 stands for, e.g. 64Gi)")
            }
        }
        guard let (text, resolved) = readTraceText(pathField) else { return nil }
        var read: TraceRead
        let resources: Set<String>
        do {
            switch format {
            case .alibabaGPU2023:
                read = try AlibabaGPU2023Pods.read(text)
                resources = ["cpu", "memory", AlibabaGPU2023Pods.gpuResource]
            case .alibabaBatch2017:
                guard let memoryScale else { return nil }
                read = try AlibabaBatch2017.read(text, memoryPerUnit: memoryScale)
                resources = ["cpu", "memory"]
                if let priority { for i in read.tasks.indices { read.tasks[i].priority = priority } }
            }
        } catch {
            traceRowError(error, file: resolved, at: pathField)
            return nil
        }
        let selection = TraceSelection(fromMicros: from, toMicros: to, startMicros: start, timeScale: timeScale, limit: limit,
                                       instanceScale: instanceScale)
        let trace = TraceWorkload(format: format, path: resolved, read: read, selection: selection, resourceNames: resources)
        if trace.tasks.isEmpty {
            (map["window"] ?? field).error("selects none of the \(read.tasks.count) replayable rows of \(resolved)")
            return nil
        }
        return trace
    }

    /// A pool's `from_trace:` mapping: the nodes of a node-list trace.
    func decodeFromTrace(_ field: Field) -> [TraceNode]? {
        guard let map = field.mapping(allowed: Self.fromTraceKeys) else { return nil }
        let format = map.required("format", in: field)?.oneOf(NodeTraceFormat.allCases.map { ($0.rawValue, $0) }, what: "node trace format")
        let pathField = map.required("path", in: field, what: "the node list, relative to this scenario file")
        let limit = map["limit"]?.int(min: 1)
        guard let format, let pathField, let (text, resolved) = readTraceText(pathField) else { return nil }
        do {
            switch format {
            case .alibabaGPU2023Nodes:
                let nodes = try AlibabaGPU2023Nodes.read(text, limit: limit)
                if nodes.isEmpty { pathField.error("the node list \(resolved) has no nodes") }
                return nodes
            }
        } catch {
            traceRowError(error, file: resolved, at: pathField)
            return nil
        }
    }

    /// Every shape of a trace workload must fit some node when the cluster is
    /// empty; otherwise its rows would wait forever. Reports how many rows cannot.
    func checkTraceFits(_ draft: WorkloadDraft, nodes: [NodeSpec], catalog: ResourceCatalog) {
        guard let trace = draft.spec.trace else { return }
        var fits = [Bool?](repeating: nil, count: trace.shapeCount)
        var misfits = 0
        var example: TraceTask?
        for task in trace.tasks {
            let s = Int(task.shape)
            if fits[s] == nil {
                let spec = TaskSpec(name: task.name, requests: TaskTemplate(requests: task.requests).requestVector(catalog),
                                    nodeSelector: draft.spec.template.nodeSelector, tolerations: draft.spec.template.tolerations)
                fits[s] = nodes.contains { node in
                    (spec.isAllowed(on: node) || node.unschedulable) && (0..<catalog.count).allSatisfy { spec.requests[$0] <= node.allocatable[$0] }
                }
            }
            if fits[s] == false {
                misfits += task.instances
                if example == nil { example = task }
            }
        }
        guard misfits > 0, let example else { return }
        let asked = example.requests.sorted { $0.key < $1.key }.map { key, value in
            "\(key) \(Quantity.format(value, unit: key == "cpu" ? .milli : .whole))"
        }.joined(separator: ", ")
        (draft.field.lookup("trace") ?? draft.field).error(
            "\(misfits) of the \(trace.taskCount) selected tasks fit no node, e.g. \(example.name) (\(asked))",
            hint: "add nodes that can hold them, or narrow the window")
    }
}
