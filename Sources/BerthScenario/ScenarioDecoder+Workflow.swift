import BerthWorkloads

/// `kind: workflow`: a DAG of tasks with dependencies and Airflow-style retries,
/// run on a schedule (docs/workflows.md).
extension ScenarioDecoder {
    /// Keys only a workflow takes (its own and the defaults its tasks inherit, like Airflow's `default_args`).
    static let workflowKeys = ["tasks", "schedule", "max_active_runs"] + retryKeys
    static let retryKeys = ["retries", "retry_delay_s", "retry_exponential_backoff", "max_retry_delay_s", "retry_jitter"]
    static let workflowTaskKeys = ["name", "requests", "duration", "depends_on", "crash_probability"] + retryKeys
    static let scheduleKeys = ["cron", "every", "start", "end", "limit"]

    func decodeWorkflow(_ map: [String: Field], owner: Field) -> WorkflowSpec? {
        if let f = map["restart_policy"], let policy = f.string(), policy != "Never" {
            f.error("workflow tasks run as pods with restart policy Never (a failed try is retried as a new pod)",
                    hint: "remove restart_policy, or use Never")
        }
        map["crash_rate_per_hour"]?.error("workflow tasks take crash_probability (per try), not a crash rate",
                                          hint: "give crash_probability at the workflow or per task")
        let defaults = decodeRetryDefaults(map, base: WorkflowTask(name: "", requests: [:], duration: .constant(0)))
        let defaultRequests = map["requests"].flatMap(decodeResources) ?? [:]
        let defaultCrash = map["crash_probability"].flatMap(probability)
        let schedule = map.required("schedule", in: owner, what: "when DAG runs start, e.g. {cron: \"0 2 * * *\"}")
            .flatMap(decodeSchedule)
        guard let tasksField = map.required("tasks", in: owner, what: "the DAG's tasks"), let list = tasksField.sequence() else { return nil }
        if list.isEmpty { tasksField.error("a workflow needs at least one task") }
        var tasks: [WorkflowTask] = []
        var dependsFields: [[(String, Field)]] = []
        var ok = true
        for f in list {
            guard let t = f.mapping(allowed: Self.workflowTaskKeys) else { ok = false; continue }
            let name = t.required("name", in: f)?.nonEmptyString()
            let requests = t["requests"].flatMap(decodeResources) ?? defaultRequests
            if requests.isEmpty, t["requests"] == nil {
                f.error("missing required key \"requests\"", hint: "give requests per task or once at the workflow")
            }
            let duration = t.required("duration", in: f, what: "how long each try runs").flatMap { decodeDistribution($0, timed: true) }
            var deps: [(String, Field)] = []
            if let d = t["depends_on"] {
                if case .scalar = d.node, let s = d.nonEmptyString() { deps = [(s, d)] }
                else { deps = (d.sequence() ?? []).compactMap { e in e.nonEmptyString().map { ($0, e) } } }
            }
            guard let name, let duration else { ok = false; continue }
            var task = decodeRetryDefaults(t, base: defaults)
            task.name = name
            task.requests = requests
            task.duration = duration
            task.crashProbability = t["crash_probability"].flatMap(probability) ?? defaultCrash ?? 0
            tasks.append(task)
            dependsFields.append(deps)
        }
        guard ok else { return nil }
        uniqueNames(zip(tasks, list).map { ($0, $1) }, name: \.name, what: "task")
        var index: [String: Int] = [:]
        for (i, t) in tasks.enumerated() where index[t.name] == nil { index[t.name] = i }
        for (i, deps) in dependsFields.enumerated() {
            for (name, f) in deps {
                guard let u = index[name] else {
                    let hint = suggestion(for: name, among: tasks.map(\.name)).map { "did you mean \"\($0)\"?" }
                        ?? "tasks: \(tasks.map(\.name).joined(separator: ", "))"
                    f.error("unknown task \"\(name)\" in depends_on", hint: hint)
                    ok = false
                    continue
                }
                if u == i { f.error("task \"\(name)\" depends on itself"); ok = false; continue }
                if !tasks[i].upstream.contains(u) { tasks[i].upstream.append(u) }
            }
        }
        guard ok else { return nil }
        if let cycle = WorkflowSpec.cycle(upstream: tasks.map(\.upstream)) {
            // Point at the dependency that closes the cycle: the first task's entry naming its successor on the path.
            let (from, to) = (cycle[0], cycle[1])
            let at = dependsFields[from].first(where: { index[$0.0] == to })?.1 ?? list[from]
            at.error("the tasks' dependencies form a cycle: \(cycle.reversed().map { tasks[$0].name }.joined(separator: " → "))",
                     hint: "a workflow must be a DAG: remove one of these dependencies")
            return nil
        }
        let maxActive = map["max_active_runs"]?.int(min: 1, max: 1_000_000) ?? 16
        guard let schedule else { return nil }
        return WorkflowSpec(tasks: tasks, schedule: schedule, maxActiveRuns: maxActive)
    }

    private func probability(_ f: Field) -> Double? {
        guard let p = f.double() else { return nil }
        guard p >= 0, p <= 1 else { f.error("must be between 0 and 1, got \(p)"); return nil }
        return p
    }

    /// Retry settings over `base` (Airflow defaults: retries 0, retry_delay 300 s, no back-off).
    private func decodeRetryDefaults(_ map: [String: Field], base: WorkflowTask) -> WorkflowTask {
        var task = base
        if let n = map["retries"]?.int(min: 0, max: 1000) { task.retries = n }
        if let d = map["retry_delay_s"]?.seconds() {
            if d < 0 { map["retry_delay_s"]?.error("must not be negative") } else { task.retryDelayMicros = Int64((d * 1_000_000).rounded()) }
        }
        if let b = map["retry_exponential_backoff"]?.bool() { task.exponentialBackoff = b }
        if let d = map["max_retry_delay_s"]?.seconds() {
            if d < 0 { map["max_retry_delay_s"]?.error("must not be negative") } else { task.maxRetryDelayMicros = Int64((d * 1_000_000).rounded()) }
        }
        if let j = map["retry_jitter"]?.bool() { task.retryJitter = j }
        return task
    }

    func decodeSchedule(_ field: Field) -> WorkflowSchedule? {
        if case .scalar = field.node {
            guard let text = field.nonEmptyString() else { return nil }
            return cron(text, at: field).map { WorkflowSchedule(timing: .cron($0)) }
        }
        guard let map = field.mapping(allowed: Self.scheduleKeys, what: "a cron expression or a mapping") else { return nil }
        let start = map["start"]?.duration() ?? 0
        let end = map["end"]?.duration()
        let limit = map["limit"]?.int(min: 1)
        if let end, end < start { map["end"]?.error("must not be before start") }
        let timing: WorkflowTiming?
        switch (map["cron"], map["every"]) {
        case (let c?, nil):
            timing = c.nonEmptyString().flatMap { cron($0, at: c) }.map { .cron($0) }
        case (nil, let e?):
            timing = e.duration().flatMap { v in
                guard v > 0 else { e.error("must be greater than 0s"); return nil }
                return .every(v)
            }
        case (_?, _?):
            field.error("give either \"cron\" or \"every\", not both"); return nil
        case (nil, nil):
            field.error("missing \"cron\" or \"every\"", hint: "e.g. {cron: \"0 2 * * *\"} or {every: 6h}"); return nil
        }
        guard let timing else { return nil }
        return WorkflowSchedule(timing: timing, startMicros: start, endMicros: end, limit: limit)
    }

    private func cron(_ text: String, at field: Field) -> CronExpression? {
        switch CronExpression.parse(text) {
        case .failure(let e):
            field.error("expected a cron expression like \"0 2 * * *\": \(e.message)", hint: "minute hour day-of-month month day-of-week")
            return nil
        case .success(let c):
            guard c.next(atOrAfter: 0) != nil else {
                field.error("the cron expression \"\(text)\" never matches (no such date in 8 years)")
                return nil
            }
            return c
        }
    }
}
