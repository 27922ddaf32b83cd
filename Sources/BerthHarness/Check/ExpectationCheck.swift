import BerthCluster
import BerthMetrics
import BerthReports
import BerthScenario

/// Checks a scenario's `expect:` entries: names against the reports
/// (``diagnostics(_:)``, for `berth validate` and `berth check`) and values
/// against a run (``evaluate(_:)``). docs/ci.md documents the language.
public enum ExpectationCheck {
    /// A summary metric that is not a summary.csv column: tasks that never started
    /// (`tasks_submitted − tasks_scheduled`).
    public static let derivedMetrics = ["unscheduled"]

    /// Metrics available per workload as `metric["workload"]`.
    public static let workloadMetrics = ["tasks_submitted", "tasks_scheduled", "tasks_completed", "tasks_running",
                                         "tasks_pending", "tasks_killed", "unscheduled",
                                         "wait_s_mean", "wait_s_p50", "wait_s_p95", "wait_s_p99", "wait_s_max"]
        + serviceMetrics

    /// Per-workload metrics that only services have (their services.csv columns):
    /// `availability` is `availability_frac`, the fraction of time with every replica running.
    public static let serviceMetrics = ["availability", "availability_frac", "min_available_frac", "missing_replica_s",
                                        "recovery_s_p50", "recovery_s_p95", "recovery_s_max"]

    /// The summary metrics an expectation may name for `catalog`.
    public static func summaryMetrics(_ catalog: ResourceCatalog) -> [String] {
        Array(RunReports.summaryColumns(catalog).dropFirst(Comparison.identityColumns.count)) + derivedMetrics
    }

    /// Unknown metric and workload names, located at the operand.
    public static func diagnostics(_ scenario: Scenario) -> [Diagnostic] {
        let metrics = summaryMetrics(scenario.catalog)
        let workloads = scenario.workloads.map(\.name)
        var found: [Diagnostic] = []
        // A file whose expect: entries all parsed keeps them in order, so the list index is the entry's.
        for (index, e) in scenario.expectations.enumerated() {
            for (operand, location) in [(e.left, e.leftLocation), (e.right, e.rightLocation)] {
                guard case .metric(let name, let workload) = operand else { continue }
                let path = "expect[\(index)]"
                if let workload {
                    if !workloadMetrics.contains(name) {
                        let hint = suggestion(for: name, among: workloadMetrics).map { "did you mean \"\($0)\"?" }
                            ?? "per-workload metrics: \(workloadMetrics.joined(separator: ", "))"
                        found.append(Diagnostic(location: location, path: path, message: "unknown per-workload metric \"\(name)\"", hint: hint))
                    } else if !workloads.contains(workload) {
                        let hint = suggestion(for: workload, among: workloads).map { "did you mean \"\($0)\"?" }
                            ?? "workloads: \(workloads.joined(separator: ", "))"
                        found.append(Diagnostic(location: location, path: path, message: "no workload named \"\(workload)\"", hint: hint))
                    } else if serviceMetrics.contains(name), scenario.workloads.first(where: { $0.name == workload })?.kind != .service {
                        let services = scenario.workloads.filter { $0.kind == .service }.map(\.name)
                        found.append(Diagnostic(location: location, path: path,
                                                message: "\"\(name)\" needs a service, and \"\(workload)\" is not one",
                                                hint: services.isEmpty ? "this scenario has no service workload"
                                                    : "services: \(services.joined(separator: ", "))"))
                    }
                } else if !metrics.contains(name) {
                    let hint = suggestion(for: name, among: metrics).map { "did you mean \"\($0)\"?" }
                        ?? "metrics: the numeric summary.csv columns and unscheduled (docs/ci.md)"
                    found.append(Diagnostic(location: location, path: path, message: "unknown metric \"\(name)\"", hint: hint))
                }
            }
        }
        return found
    }

    /// The verdict on one expectation.
    public struct Outcome: Sendable, Equatable {
        public var expectation: ScenarioExpectation
        public var passed: Bool
        /// The values seen, e.g. `wait_s_p95 = 42.100000`, or why it could not be evaluated.
        public var detail: String
    }

    /// One operand's value in a run.
    public enum Value: Equatable, Sendable {
        case number(Double)
        case text(String)
        case missing(String)

        public var shown: String {
            switch self {
            case .number(let v): v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : CSVNumber.fixed(v)
            case .text(let s): "\"\(s)\""
            case .missing(let why): "(\(why))"
            }
        }
    }

    /// Evaluates every expectation of the run's scenario against the run.
    public static func evaluate(_ result: RunResult) -> [Outcome] {
        let values = RunValues(result)
        return result.scenario.expectations.map { e in
            let (a, b) = (values.value(e.left), values.value(e.right))
            var parts: [String] = []
            for (operand, value) in [(e.left, a), (e.right, b)] {
                if case .number = operand { continue }
                if case .string = operand { continue }
                parts.append("\(operand) = \(value.shown)")
            }
            let detail = parts.joined(separator: ", ")
            switch (a, b) {
            case (.number(let x), .number(let y)): return Outcome(expectation: e, passed: e.op.holds(x, y), detail: detail)
            case (.text(let x), .text(let y)):
                return Outcome(expectation: e, passed: e.op == .equal ? x == y : x != y, detail: detail)
            default: return Outcome(expectation: e, passed: false, detail: detail)
            }
        }
    }

    /// The run's values an expectation can name.
    public struct RunValues {
        let result: RunResult
        let summary: [String: String]

        public init(_ result: RunResult) {
            self.result = result
            let table = RunReports.summary(result.summary)
            summary = Dictionary(uniqueKeysWithValues: zip(table.header, table.rows[0]))
        }

        public func value(_ operand: ScenarioExpectation.Operand) -> Value {
            switch operand {
            case .number(let v): return .number(v)
            case .string(let s): return .text(s)
            case .metric(let name, nil):
                if name == "unscheduled" { return .number(Double(result.summary.submitted - result.summary.scheduled)) }
                guard let field = summary[name] else { return .missing("unknown metric") }
                return Double(field).map(Value.number) ?? .missing("no value in this run")
            case .metric(let name, let workload?): return workloadValue(name, workload)
            case .placement(let task, let attribute): return placement(task, attribute)
            }
        }

        func workloadValue(_ name: String, _ workload: String) -> Value {
            guard let index = result.scenario.workloads.firstIndex(where: { $0.name == workload }) else {
                return .missing("no workload \"\(workload)\"")
            }
            if ExpectationCheck.serviceMetrics.contains(name) { return serviceValue(name, workload: index) }
            let tasks = result.cluster.tasks.filter { $0.spec.workload == Int32(index) }
            let started = tasks.filter { $0.startMicros >= 0 }
            func count(_ state: TaskState) -> Value { .number(Double(tasks.filter { $0.state == state }.count)) }
            let waits = SampleStatistics(started.compactMap(\.waitSeconds))
            func stat(_ v: Double?) -> Value { v.map(Value.number) ?? .missing("no task of \(workload) started") }
            switch name {
            case "tasks_submitted": return .number(Double(tasks.count))
            case "tasks_scheduled": return .number(Double(started.count))
            case "unscheduled": return .number(Double(tasks.count - started.count))
            case "tasks_completed": return count(.finished)
            case "tasks_running": return count(.running)
            case "tasks_pending": return count(.pending)
            case "tasks_killed": return count(.killed)
            case "wait_s_mean": return stat(waits.mean)
            case "wait_s_p50": return stat(waits.p50)
            case "wait_s_p95": return stat(waits.p95)
            case "wait_s_p99": return stat(waits.p99)
            case "wait_s_max": return stat(waits.max)
            default: return .missing("unknown per-workload metric")
            }
        }

        func serviceValue(_ name: String, workload: Int) -> Value {
            let availability = result.availability
            guard let i = availability.services.firstIndex(where: { $0.workload == Int32(workload) }) else {
                return .missing("not a service")
            }
            let end = result.endMicros
            func optional(_ v: Double?, _ why: String) -> Value { v.map(Value.number) ?? .missing(why) }
            switch name {
            case "availability", "availability_frac": return optional(availability.availability(i, end: end), "the run ended before the service started")
            case "min_available_frac":
                return optional(availability.minAvailableFraction(i, end: end), "no min_available budget, or the run ended before the service started")
            case "missing_replica_s": return .number(availability.missingReplicaSeconds(i, end: end))
            case "recovery_s_p50": return optional(availability.recoveries(i).p50, "no recovery in this run")
            case "recovery_s_p95": return optional(availability.recoveries(i).p95, "no recovery in this run")
            case "recovery_s_max": return optional(availability.recoveries(i).max, "no recovery in this run")
            default: return .missing("unknown service metric")
            }
        }

        /// The node of the most recently submitted task of that name that ever
        /// started (a replaced pod keeps its name; the replacement counts).
        func placement(_ task: String, _ attribute: ScenarioExpectation.PlacementAttribute) -> Value {
            let tasks = result.cluster.tasks
            guard tasks.contains(where: { $0.spec.name == task }) else { return .missing("no task named \"\(task)\"") }
            guard let record = tasks.last(where: { $0.spec.name == task && $0.node >= 0 }) else { return .missing("never placed") }
            let node = result.cluster.nodes[Int(record.node)]
            switch attribute {
            case .node: return .text(node.name)
            case .zone: return .text(node.zone)
            case .pool: return .text(node.pool)
            case .rack: return .text(node.rack)
            }
        }
    }
}
