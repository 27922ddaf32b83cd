import BerthCluster
import BerthHarness
import BerthScenario
import BerthSimulation
import BerthTestSupport
import BerthWorkloads
import Foundation
import Testing

/// Trace readers (inline snippets with hand-computed tasks, malformed rows),
/// the `kind: trace` / `from_trace` syntax, and the real Alibaba files.
@Suite struct TraceTests {
    static let gpuHeader = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time"
    static let gib: Int64 = 1 << 30
    static let mib: Int64 = 1 << 20

    static func traceError(_ body: () throws -> Void) -> TraceError? {
        do { try body() } catch let error as TraceError { return error } catch { return nil }
        return nil
    }

    // MARK: alibaba-gpu-2023 pods

    @Test func gpuPodsSnippet() throws {
        let csv = """
        \(Self.gpuHeader)
        p0,12000,16384,1,1000,,LS,Running,0,100,5
        p1,6000,12288,1,460,,BE,Failed,10,70,12

        p2,4000,1024,0,0,,Burstable,Pending,20,50,
        p3,500,512,8,1000,,Guaranteed,Running,30,,30
        """
        let read = try AlibabaGPU2023Pods.read(csv)
        #expect(read.rows == 4)
        #expect(read.skipped.isEmpty)
        let gpu = AlibabaGPU2023Pods.gpuResource
        let expected = [
            TraceTask(name: "p0", traceSeconds: 0, job: 0, requests: ["cpu": 12_000, "memory": 16 * Self.gib, gpu: 1],
                      durationMicros: 95_000_000, priority: 2, labels: ["qos": "LS"]),
            // gpu_milli 460: still one whole GPU (sharing is not modelled).
            TraceTask(name: "p1", traceSeconds: 10, job: 1, requests: ["cpu": 6_000, "memory": 12 * Self.gib, gpu: 1],
                      durationMicros: 58_000_000, priority: 0, labels: ["qos": "BE"]),
            // Never scheduled: runs deletion − creation if placed.
            TraceTask(name: "p2", traceSeconds: 20, job: 2, requests: ["cpu": 4_000, "memory": Self.gib, gpu: 0],
                      durationMicros: 30_000_000, priority: 1, labels: ["qos": "Burstable"]),
            // No deletion time: runs to the end.
            TraceTask(name: "p3", traceSeconds: 30, job: 3, requests: ["cpu": 500, "memory": 512 * Self.mib, gpu: 8],
                      durationMicros: nil, priority: 3, labels: ["qos": "Guaranteed"]),
        ]
        #expect(read.tasks == expected)
    }

    @Test(arguments: [
        ("p0,12k,16384,1,1000,,LS,Running,0,100,5", 2, "cpu_milli", "expected a whole number, got \"12k\""),
        ("p0,12000,16384,1,1000,,XX,Running,0,100,5", 2, "qos", "unknown QoS class \"XX\""),
        ("p0,12000,16384,-1,1000,,LS,Running,0,100,5", 2, "num_gpu", "must not be negative"),
        ("p0,12000,16384,1,1500,,LS,Running,0,100,5", 2, "gpu_milli", "must be at most 1000"),
        ("p0,12000,16384,1,1000,,LS,Running,0,3,5", 2, "deletion_time", "is before scheduled_time 5"),
        ("p0,12000,16384,1,1000,,LS,Running,,100,5", 2, "creation_time", "got an empty field"),
        (",12000,16384,1,1000,,LS,Running,0,100,5", 2, "name", "the pod name is empty"),
    ])
    func gpuPodsMalformedRow(row: String, line: Int, column: String, message: String) throws {
        let error = try #require(Self.traceError { _ = try AlibabaGPU2023Pods.read("\(Self.gpuHeader)\n\(row)\n") })
        #expect(error.line == line)
        #expect(error.column == column)
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasPrefix("line \(line), column \"\(column)\": "))
    }

    @Test func gpuPodsStructuralErrors() throws {
        let short = try #require(Self.traceError { _ = try AlibabaGPU2023Pods.read("\(Self.gpuHeader)\np0,1,2\n") })
        #expect(short.line == 2 && short.column == nil && short.message.contains("expected 11 fields"))
        let header = try #require(Self.traceError { _ = try AlibabaGPU2023Pods.read("sn,cpu\n") })
        #expect(header.line == 1 && header.message.contains("expected the header"))
        let quoted = try #require(Self.traceError { _ = try AlibabaGPU2023Pods.read("\(Self.gpuHeader)\n\"p0\",1,1,0,0,,LS,Running,0,1,0\n") })
        #expect(quoted.line == 2 && quoted.message.contains("quoted"))
        #expect(Self.traceError { _ = try AlibabaGPU2023Pods.read("") }?.message == "the file is empty")
        // CRLF line ends are fine.
        let crlf = try AlibabaGPU2023Pods.read("\(Self.gpuHeader)\r\np0,1,1,0,0,,LS,Running,0,1,0\r\n")
        #expect(crlf.tasks.count == 1 && crlf.tasks[0].durationMicros == 1_000_000)
    }

    // MARK: alibaba-gpu-2023 nodes

    @Test func gpuNodesSnippet() throws {
        let csv = "sn,cpu_milli,memory_mib,gpu,model\nn0,32000,262144,0,\nn1,96000,393216,8,G2\nn2,8000,32768,1,V100M16\n"
        let nodes = try AlibabaGPU2023Nodes.read(csv)
        #expect(nodes == [
            TraceNode(name: "n0", capacity: ["cpu": 32_000, "memory": 256 * Self.gib, "nvidia.com/gpu": 0]),
            TraceNode(name: "n1", capacity: ["cpu": 96_000, "memory": 384 * Self.gib, "nvidia.com/gpu": 8], labels: ["accelerator": "G2"]),
            TraceNode(name: "n2", capacity: ["cpu": 8_000, "memory": 32 * Self.gib, "nvidia.com/gpu": 1], labels: ["accelerator": "V100M16"]),
        ])
        #expect(try AlibabaGPU2023Nodes.read(csv, limit: 2).map(\.name) == ["n0", "n1"])
        let dup = try #require(Self.traceError { _ = try AlibabaGPU2023Nodes.read(csv + "n1,1,1,0,\n") })
        #expect(dup.line == 5 && dup.column == "sn" && dup.message.contains("duplicate node \"n1\" (first on line 3)"))
        let bad = try #require(Self.traceError { _ = try AlibabaGPU2023Nodes.read("sn,cpu_milli,memory_mib,gpu,model\nn0,1,x,0,\n") })
        #expect(bad.line == 2 && bad.column == "memory_mib")
    }

    // MARK: alibaba-batch-2017

    static let batchRows = """
    -10,50,1,1,3,Terminated,50,0.5
    5,0,2,3,2,Running,100,0.25
    6,9,2,4,7,Waiting,,
    7,8,3,5,1,Running,,
    -20,-5,4,6,1,Terminated,50,0.1
    100,160,5,7,4,Failed,200,0.0078125
    """

    @Test(arguments: [true, false]) func batchSnippet(withHeader: Bool) throws {
        let header = "task_create_time, task_end_time, job_id, task_id,number_of_instances, status, number_of_cpus_requested_per_instance_in_the_task,normalized_memory_requested_per_instance_in_the_task\n"
        let read = try AlibabaBatch2017.read((withHeader ? header : "") + Self.batchRows, memoryPerUnit: 64 * Self.gib)
        #expect(read.rows == 6)
        #expect(read.skipped == [AlibabaBatch2017.skippedWaiting: 1, AlibabaBatch2017.skippedEmpty: 1,
                                 AlibabaBatch2017.skippedBeforeStart: 1])
        #expect(read.tasks == [
            // Created before the trace: submitted at 0, runs its full 60 s.
            TraceTask(name: "j1-t1", traceSeconds: 0, job: 1, requests: ["cpu": 500, "memory": 32 * Self.gib],
                      durationMicros: 60_000_000, instances: 3),
            // Running, end 0: runs to the end.
            TraceTask(name: "j2-t3", traceSeconds: 5, job: 2, requests: ["cpu": 1_000, "memory": 16 * Self.gib],
                      durationMicros: nil, instances: 2),
            TraceTask(name: "j5-t7", traceSeconds: 100, job: 5, requests: ["cpu": 2_000, "memory": 512 * Self.mib],
                      durationMicros: 60_000_000, instances: 4),
        ])
    }

    @Test(arguments: [
        ("1,2,3,4,5,Cancelled,50,0.1", 1, "status", "unknown status \"Cancelled\""),
        ("1,2,3,4,0,Terminated,50,0.1", 1, "number_of_instances", "must be at least 1"),
        ("10,2,3,4,1,Terminated,50,0.1", 1, "task_end_time", "is before task_create_time 10"),
        ("1,2,3,4,1,Terminated,50,abc", 1, "normalized_memory_requested_per_instance_in_the_task", "expected a number"),
        ("1,2,x,4,1,Terminated,50,0.1", 1, "job_id", "expected a whole number"),
    ])
    func batchMalformedRow(row: String, line: Int, column: String, message: String) throws {
        let error = try #require(Self.traceError { _ = try AlibabaBatch2017.read(row + "\n", memoryPerUnit: Self.gib) })
        #expect(error.line == line && error.column == column, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    // MARK: Selection and generation

    static func read(_ specs: [(Int64, Int64, Int)]) -> TraceRead {
        TraceRead(tasks: specs.enumerated().map { i, s in
            TraceTask(name: "r\(i)", traceSeconds: s.0, job: Int32(i), requests: ["cpu": s.1], durationMicros: 1_000_000, instances: s.2)
        }, rows: specs.count)
    }

    @Test func selectionWindowsShiftsScalesAndLimits() {
        // (trace seconds, cpu, instances), deliberately out of order.
        let read = Self.read([(30, 100, 1), (10, 200, 2), (20, 100, 1), (10, 100, 1), (50, 300, 5), (5, 100, 1)])
        let selection = TraceSelection(fromMicros: 10_000_000, toMicros: 50_000_000, startMicros: 1_000_000, timeScale: 2)
        let (tasks, shapes) = selection.apply(to: read)
        #expect(tasks.map(\.name) == ["r1", "r3", "r2", "r0"])  // by time, ties in file order; 5 s and 50 s are outside
        #expect(tasks.map(\.submitMicros) == [1_000_000, 1_000_000, 6_000_000, 11_000_000])
        #expect(tasks.map(\.shape) == [0, 1, 1, 1])
        #expect(shapes == 2)
        let limited = TraceSelection(limit: 4).apply(to: read).tasks
        #expect(limited.map(\.name) == ["r5", "r1", "r3"])
        #expect(limited.map(\.instances) == [1, 2, 1])
        let scaled = TraceSelection(instanceScale: 0.5).apply(to: read).tasks
        #expect(scaled.map(\.instances) == [1, 1, 1, 1, 1, 3])  // max(1, round(n/2)); 2.5 rounds to 3
    }

    @Test func generatorGroupsArrivalsAndKeepsShapesApart() {
        let read = Self.read([(0, 100, 2), (0, 200, 1), (5, 100, 1), (9, 300, 1)])
        let trace = TraceWorkload(format: .alibabaBatch2017, path: "x.csv", read: read, selection: TraceSelection(),
                                  resourceNames: ["cpu", "memory"])
        let spec = WorkloadSpec(name: "t", kind: .trace, template: TaskTemplate(requests: [:], labels: ["team": "a"]), trace: trace)
        #expect(spec.shapeCount == 3)
        let catalog = ResourceCatalog(extended: [])
        let generator = WorkloadGenerator(spec: spec, index: 1, catalog: catalog, streams: RandomStreams(seed: 1), shapeBase: 7)
        var arrivals: [(Int64, [TaskSpec])] = []
        var next = generator.firstArrival()
        while let t = next {
            arrivals.append((t, generator.makeTasks()))
            next = generator.nextArrival(after: t)
        }
        #expect(arrivals.map(\.0) == [0, 5_000_000, 9_000_000])
        #expect(arrivals.map { $0.1.map(\.name) } == [["t-r0-0", "t-r0-1", "t-r1"], ["t-r2"], ["t-r3"]])
        let all = arrivals.flatMap(\.1)
        #expect(all.map(\.shape) == [7, 7, 8, 7, 9])
        #expect(all.map { $0.requests[ResourceCatalog.cpu] } == [100, 100, 200, 100, 300])
        #expect(all.allSatisfy { $0.requests[ResourceCatalog.pods] == 1 && $0.labels["team"] == "a" && $0.durationMicros == 1_000_000 })
        // Different requests never share a shape.
        var requestsOfShape: [Int32: [Int64]] = [:]
        for task in all { #expect(requestsOfShape.updateValue(task.requests, forKey: task.shape) ?? task.requests == task.requests) }
    }

    // MARK: Scenario syntax and located diagnostics

    /// A temporary folder holding `files`; returns its path.
    static func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("berth-trace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    static let nodesCSV = "sn,cpu_milli,memory_mib,gpu,model\nn0,32000,262144,0,\nn1,96000,393216,8,G2\n"
    static let podsCSV = "\(gpuHeader)\np0,12000,16384,1,1000,,LS,Running,0,100,5\np1,6000,12288,2,1000,,BE,Running,60,200,61\n"

    static func scenario(pool: String, workload: String) -> String {
        """
        name: t
        cluster:
          pools:
            - name: openb
        \(pool)
        workloads:
          - name: pods
            kind: trace
        \(workload)
        """
    }

    static let goodPool = "      from_trace: {format: alibaba-gpu-2023-nodes, path: data/nodes.csv}"
    static let goodWorkload = "    trace: {format: alibaba-gpu-2023, path: data/pods.csv}"

    @Test func traceScenarioLoadsAndRuns() throws {
        let dir = try Self.folder(["data/nodes.csv": Self.nodesCSV, "data/pods.csv": Self.podsCSV])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.yaml").path
        let s = try ScenarioLoader.load(text: Self.scenario(pool: Self.goodPool, workload: Self.goodWorkload), file: file)
        #expect(s.nodes.map(\.name) == ["n0", "n1"])
        let gpu = try #require(s.catalog.index(of: "nvidia.com/gpu"))
        #expect(s.nodes.map { $0.allocatable[gpu] } == [0, 8])
        #expect(s.nodes[1].labels["accelerator"] == "G2" && s.nodes[0].labels["accelerator"] == nil)
        #expect(s.nodes.allSatisfy { $0.allocatable[ResourceCatalog.pods] == 110 && $0.labels[NodeLabel.pool] == "openb" })
        let trace = try #require(s.workloads.first?.trace)
        #expect(trace.taskCount == 2 && trace.rowsRead == 2)
    }

    @Test(arguments: [
        // (pool lines, workload lines, line, column, path, message fragment)
        (goodPool, "    trace: {format: alibaba-gpu-2023, path: data/missing.csv}", 9, 45, "workloads[0].trace.path",
         "cannot read the trace file \"data/missing.csv\""),
        (goodPool, "    trace: {format: alibaba-gpu-2023, path: data/bad.csv}", 9, 45, "workloads[0].trace.path",
         "bad.csv: line 3, column \"memory_mib\": expected a whole number, got \"lots\""),
        ("      from_trace: {format: alibaba-gpu-2023-nodes, path: data/nope.csv}", goodWorkload, 5, 58,
         "cluster.pools[0].from_trace.path", "cannot read the trace file"),
        (goodPool, "    trace: {format: alibaba-batch-2017, path: data/pods.csv}", 9, 12, "workloads[0].trace",
         "missing required key \"memory_scale\""),
        (goodPool, "    trace: {format: alibaba-gpu-2023, path: data/pods.csv, window: {from: 1h, to: 2h}}", 9, 68,
         "workloads[0].trace.window", "selects none of the 2 replayable rows"),
        (goodPool, "    trace: {format: alibaba-gpu-2023, path: data/pods.csv, time_scale: 0}", 9, 72,
         "workloads[0].trace.time_scale", "must be greater than 0"),
        (goodPool + "\n      count: 3", goodWorkload, 6, 14, "cluster.pools[0].count", "does not apply to a pool with from_trace"),
        (goodPool, goodWorkload + "\n    requests: {cpu: 1}", 10, 15, "workloads[0].requests", "does not apply to a trace workload"),
        (goodPool, goodWorkload + "\n    priority: 5", 10, 15, "workloads[0].priority", "each pod's priority comes from its qos"),
        ("      from_trace: {format: alibaba-gpu-2023-nodes, path: data/nodes.csv, limit: 1}", goodWorkload, 9, 12,
         "workloads[0].trace", "2 of the 2 selected tasks fit no node"),
    ])
    func traceScenarioDiagnostics(pool: String, workload: String, line: Int, column: Int, path: String, message: String) throws {
        let badPods = "\(Self.gpuHeader)\np0,12000,16384,1,1000,,LS,Running,0,100,5\np1,6000,lots,1,1000,,BE,Running,60,200,61\n"
        let dir = try Self.folder(["data/nodes.csv": Self.nodesCSV, "data/pods.csv": Self.podsCSV, "data/bad.csv": badPods])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.yaml").path
        do {
            _ = try ScenarioLoader.load(text: Self.scenario(pool: pool, workload: workload), file: file)
            Issue.record("expected an error containing \(message)")
        } catch {
            let match = error.diagnostics.first { $0.message.contains(message) }
            let d = try #require(match, "no diagnostic with \"\(message)\" in:\n\(error.description)")
            #expect(d.path == path, "\(d)")
            #expect(d.location.line == line && d.location.column == column, "\(d)")
            #expect(d.location.file == file)
        }
    }

    // MARK: The real files (../shared/traces; CI puts it beside the repository)

    static func sharedFile(_ relative: String) throws -> String {
        let root = try #require(Repository.sharedTraces, "shared/traces is not beside the repository")
        let path = "\(root)/\(relative)"
        let data = try #require(FileManager.default.contents(atPath: path), "cannot read \(path)")
        return try #require(String(data: data, encoding: .utf8))
    }

    @Test func realNodeListMatchesTheReadme() throws {
        let nodes = try AlibabaGPU2023Nodes.read(Self.sharedFile("alibaba-gpu-v2023/openb_node_list_all_node.csv"))
        #expect(nodes.count == 1_523)
        #expect(nodes.reduce(0) { $0 + ($1.capacity["cpu"] ?? 0) } == 125_514_000)
        #expect(nodes.reduce(0) { $0 + ($1.capacity["nvidia.com/gpu"] ?? 0) } == 6_212)
        var models: [String: Int] = [:]
        for node in nodes { models[node.labels["accelerator"] ?? "none", default: 0] += 1 }
        #expect(models == ["G2": 549, "T4": 404, "none": 310, "P100": 134, "V100M16": 55, "G3": 39, "V100M32": 30, "A10": 2])
    }

    @Test func realPodListMatchesTheReadme() throws {
        let read = try AlibabaGPU2023Pods.read(Self.sharedFile("alibaba-gpu-v2023/openb_pod_list_default.csv"))
        #expect(read.rows == 8_152 && read.tasks.count == 8_152 && read.skipped.isEmpty)
        var qos: [String: Int] = [:]
        for task in read.tasks { qos[task.labels["qos"] ?? "?", default: 0] += 1 }
        #expect(qos == ["LS": 4_647, "BE": 3_398, "Burstable": 100, "Guaranteed": 7])
        #expect(read.tasks.map(\.traceSeconds).min() == 0 && read.tasks.map(\.traceSeconds).max() == 12_901_761)
        #expect(read.tasks.allSatisfy { ($0.requests["nvidia.com/gpu"] ?? -1) <= 8 })
    }

    @Test func realBatchTaskMatchesTheReadme() throws {
        let read = try AlibabaBatch2017.read(Self.sharedFile("alibaba-v2017/batch_task.csv"), memoryPerUnit: 64 * Self.gib)
        #expect(read.rows == 80_553)
        #expect(read.tasks.count + read.skippedCount == 80_553)
        #expect(read.skipped[AlibabaBatch2017.skippedWaiting] == 8_847)
        #expect(read.tasks.allSatisfy { $0.traceSeconds >= 0 && $0.traceSeconds <= 61_668 })
        #expect(Set(read.tasks.map { $0.requests["cpu"] ?? 0 }).isSubset(of: [400, 500, 550, 600, 650, 700, 750, 1_000, 2_000, 3_000, 4_000, 6_000, 8_000]))
    }

    /// The bundled replays submit exactly the rows their windows select.
    @Test func gpuReplaySubmitsTheSelectedRows() throws {
        let read = try AlibabaGPU2023Pods.read(Self.sharedFile("alibaba-gpu-v2023/openb_pod_list_default.csv"))
        let selected = read.tasks.filter { $0.traceSeconds >= 115 * 86_400 && $0.traceSeconds < 120 * 86_400 }
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/alibaba-gpu-replay.yaml"))
        #expect(scenario.nodes.count == 300)
        let trace = try #require(scenario.workloads.first?.trace)
        #expect(trace.taskCount == selected.count)
        #expect(selected.count == 919)
        let (result, violations) = try runChecked(scenario)
        #expect(violations.isEmpty)
        #expect(result.summary.submitted == selected.count)
        // Submit times: (creation − 115 d) / 50, on the simulated clock.
        let submits = result.cluster.tasks.map(\.submitMicros).sorted()
        let expected = selected.map { ($0.traceSeconds - 115 * 86_400) * 1_000_000 / 50 }.sorted()
        #expect(submits == expected)
    }

    @Test func batchReplaySubmitsTheSelectedRows() throws {
        let read = try AlibabaBatch2017.read(Self.sharedFile("alibaba-v2017/batch_task.csv"), memoryPerUnit: 64 * Self.gib)
        let selected = read.tasks.filter { $0.traceSeconds < 3_600 }
        let expected = selected.reduce(0) { $0 + max(1, Int((Double($1.instances) * 0.01).rounded())) }
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/alibaba-batch-2017-replay.yaml"))
        let trace = try #require(scenario.workloads.first?.trace)
        #expect(trace.tasks.count == selected.count)
        #expect(trace.taskCount == expected)
        let result = try Simulator(scenario: scenario).run()
        #expect(result.summary.submitted == expected)
    }
}
