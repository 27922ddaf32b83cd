import BerthCluster
import BerthFailures
import BerthMetrics
import BerthSimulation
import BerthWorkloads

/// The state of every DAG run of the workflow workloads (docs/workflows.md):
/// Airflow's scheduler as far as it shapes placement. A task instance is
/// submitted (a pod is created) once all its upstream tasks succeeded; a
/// failed try is retried as a new pod after the retry delay, up to `retries`;
/// a task that fails for good makes every task downstream of it
/// `upstream_failed` (trigger rule `all_success`), and the run fails once
/// nothing is left running.
struct WorkflowRuns {
    enum TaskState: Equatable {
        /// Waiting for upstream tasks (Airflow: no state yet).
        case waiting
        /// A try is pending or running in the cluster.
        case submitted
        /// A try failed; the next waits for the retry delay (Airflow `up_for_retry`).
        case upForRetry
        case success
        case failed
        case upstreamFailed
        var isFinal: Bool { self == .success || self == .failed || self == .upstreamFailed }
    }

    struct Run {
        var workload: Int32
        var number: Int
        var scheduledMicros: Int64
        var startMicros: Int64?
        var endMicros: Int64?
        var durations: [Int64]
        var criticalPathMicros: Int64
        var states: [TaskState]
        /// Tries submitted per task.
        var tries: [Int]
        /// Upstream tasks not yet succeeded, per task.
        var waitingOn: [Int]
        /// Created but waiting for `max_active_runs` (Airflow's `queued` run state).
        var queued = false
    }

    var runs: [Run] = []
    /// Cluster task → (run index, DAG task index).
    var taskOf: [Int32: (run: Int, task: Int)] = [:]
    /// Retries due at each time, in the order they became due.
    var retries: [Int64: [(run: Int, task: Int)]] = [:]
    /// Per workflow workload: runs created and the last run's time.
    var created: [Int32: (count: Int, last: Int64)] = [:]
    /// Per workflow: `durations/workflow/<name>` (task durations) and `failures/retry-jitter/<name>`.
    var durationStreams: [Int32: RandomStream] = [:]
    var jitterStreams: [Int32: RandomStream] = [:]
    /// Per workflow: runs started and not ended, and queued runs in creation order.
    var active: [Int32: Int] = [:]
    var queue: [Int32: [Int]] = [:]
}

extension Simulator {
    func workflow(_ w: Int32) -> WorkflowSpec? { scenario.workloads[Int(w)].workflow }

    /// Queues each workflow's first run.
    func startWorkflows() {
        let streams = RandomStreams(seed: seed)
        for (i, spec) in scenario.workloads.enumerated() {
            guard let wf = spec.workflow else { continue }
            let w = Int32(i)
            workflowRuns.durationStreams[w] = streams.stream(.durations, "workflow/\(spec.name)")
            workflowRuns.jitterStreams[w] = streams.stream(.failures, "retry-jitter/\(spec.name)")
            if let t = wf.schedule.runTime(0, previous: nil) { schedule(.dagRun(w), at: t) }
        }
    }

    /// The crash settings of `task`: a DAG task's own (restart policy Never), else its workload's.
    func crashSpec(for spec: TaskSpec, task: Int32) -> CrashSpec? {
        if let (run, i) = workflowRuns.taskOf[task], let wf = workflow(workflowRuns.runs[run].workload) {
            let p = wf.tasks[i].crashProbability
            return p > 0 ? CrashSpec(hazard: .probability(p), restartPolicy: .never) : nil
        }
        return scenario.crashes[spec.workload]
    }

    /// A DAG run of workflow `w` starts now: its durations are drawn and its root tasks submitted.
    func handleDagRun(_ w: Int32, at now: Int64) {
        guard let wf = workflow(w), let stream = workflowRuns.durationStreams[w] else { return }
        let number = workflowRuns.created[w]?.count ?? 0
        workflowRuns.created[w] = (number + 1, now)
        let durations = wf.tasks.map { Sampler($0.duration).sampleMicros(stream) }
        let run = WorkflowRuns.Run(workload: w, number: number, scheduledMicros: now, durations: durations,
                                   criticalPathMicros: wf.criticalPathMicros(durations: durations),
                                   states: Array(repeating: .waiting, count: wf.tasks.count),
                                   tries: Array(repeating: 0, count: wf.tasks.count), waitingOn: wf.tasks.map(\.upstream.count))
        let r = workflowRuns.runs.count
        workflowRuns.runs.append(run)
        if workflowRuns.active[w, default: 0] < wf.maxActiveRuns {
            startDagRun(r, at: now)
        } else {
            workflowRuns.runs[r].queued = true
            workflowRuns.queue[w, default: []].append(r)
        }
        if let next = wf.schedule.runTime(number + 1, previous: now) { schedule(.dagRun(w), at: next) }
        requestPass(at: now)
    }

    /// The run's root tasks are submitted (at creation, or when a slot under `max_active_runs` frees).
    private func startDagRun(_ r: Int, at now: Int64) {
        let w = workflowRuns.runs[r].workload
        guard let wf = workflow(w) else { return }
        workflowRuns.runs[r].queued = false
        workflowRuns.active[w, default: 0] += 1
        for i in wf.tasks.indices where wf.tasks[i].upstream.isEmpty { submitDagTask(run: r, task: i, at: now) }
    }

    private func submitDagTask(run r: Int, task i: Int, at now: Int64) {
        let run = workflowRuns.runs[Int(r)]
        let w = run.workload
        guard let wf = workflow(w) else { return }
        let workload = scenario.workloads[Int(w)]
        let t = wf.tasks[i]
        workflowRuns.runs[r].tries[i] += 1
        workflowRuns.runs[r].states[i] = .submitted
        let tryNumber = workflowRuns.runs[r].tries[i]
        let name = "\(workload.name)-\(run.number)-\(t.name)" + (tryNumber > 1 ? "-try\(tryNumber)" : "")
        let template = workload.template
        var spec = TaskSpec(name: name, workload: w, job: Int32(clamping: run.number),
                            requests: TaskTemplate(requests: t.requests).requestVector(scenario.catalog),
                            priority: template.priority, labels: template.labels, nodeSelector: template.nodeSelector,
                            tolerations: template.tolerations, durationMicros: run.durations[i],
                            shape: generators[Int(w)].shapeBase &+ Int32(i))
        spec.preemptionPolicy = template.preemptionPolicy
        let id = submit(spec, at: now)
        workflowRuns.taskOf[id] = (r, i)
        if tryNumber > 1 { failureLog.note("task_retried", task: id, taskName: name, cause: "retry", at: now) }
    }

    /// A pod of a DAG task started running.
    func workflowTaskStarted(_ task: Int32, at now: Int64) {
        guard let (r, _) = workflowRuns.taskOf[task], workflowRuns.runs[r].startMicros == nil else { return }
        workflowRuns.runs[r].startMicros = now
    }

    /// Whether `task` is a try of a DAG task.
    func isWorkflowTask(_ task: Int32) -> Bool { workflowRuns.taskOf[task] != nil }

    /// A try completed: downstream tasks whose upstreams have all succeeded are submitted.
    func workflowTaskSucceeded(_ task: Int32, at now: Int64) {
        guard let (r, i) = workflowRuns.taskOf[task], let wf = workflow(workflowRuns.runs[r].workload) else { return }
        workflowRuns.runs[r].states[i] = .success
        for d in wf.tasks.indices where wf.tasks[d].upstream.contains(i) {
            workflowRuns.runs[r].waitingOn[d] -= 1
            if workflowRuns.runs[r].waitingOn[d] == 0 && workflowRuns.runs[r].states[d] == .waiting {
                submitDagTask(run: r, task: d, at: now)
            }
        }
        finishRunIfDone(r, at: now)
    }

    /// A try failed (crashed, or killed by a node failure, eviction, preemption…):
    /// retried after the delay while tries remain, else the task fails for good.
    func workflowTaskFailed(_ task: Int32, at now: Int64) {
        guard let (r, i) = workflowRuns.taskOf[task], let wf = workflow(workflowRuns.runs[r].workload),
              workflowRuns.runs[r].states[i] == .submitted else { return }
        let t = wf.tasks[i]
        let tries = workflowRuns.runs[r].tries[i]
        let name = cluster.tasks[Int(task)].spec.name
        if tries <= t.retries {
            let stream = workflowRuns.jitterStreams[workflowRuns.runs[r].workload]
            let delay = t.retryDelayMicros(failedTry: tries) { n in
                // Airflow: sha1(dag#task#logical_date#try) % n; Berth: a whole number drawn uniformly from 0..<n.
                guard let stream, n > 1 else { return 0 }
                return min(n - 1, Int64(stream.uniform() * Double(n)))
            }
            workflowRuns.runs[r].states[i] = .upForRetry
            failureLog.note("task_up_for_retry", task: task, taskName: name, cause: "retry_in_\(delay % 1_000_000 == 0 ? String(delay / 1_000_000) : SimTime.decimalSeconds(delay))s", at: now)
            let due = now &+ delay
            if workflowRuns.retries[due] == nil { schedule(.dagRetry, at: due) }
            workflowRuns.retries[due, default: []].append((r, i))
            return
        }
        workflowRuns.runs[r].states[i] = .failed
        // Trigger rule all_success: everything downstream can never run.
        var stack = [i]
        let run = workflowRuns.runs[r]
        let dag = scenario.workloads[Int(run.workload)].name
        while let u = stack.popLast() {
            for d in wf.tasks.indices where wf.tasks[d].upstream.contains(u) && workflowRuns.runs[r].states[d] == .waiting {
                workflowRuns.runs[r].states[d] = .upstreamFailed
                failureLog.note("task_upstream_failed", task: -1, taskName: "\(dag)-\(run.number)-\(wf.tasks[d].name)",
                                cause: "upstream_failed", at: now)
                stack.append(d)
            }
        }
        finishRunIfDone(r, at: now)
    }

    /// Retries whose delay ends now are submitted as new pods.
    func handleDagRetry(at now: Int64) {
        for (r, i) in workflowRuns.retries.removeValue(forKey: now) ?? [] where workflowRuns.runs[r].states[i] == .upForRetry {
            submitDagTask(run: r, task: i, at: now)
        }
        requestPass(at: now)
    }

    private func finishRunIfDone(_ r: Int, at now: Int64) {
        guard workflowRuns.runs[r].endMicros == nil, workflowRuns.runs[r].states.allSatisfy(\.isFinal) else { return }
        workflowRuns.runs[r].endMicros = now
        let w = workflowRuns.runs[r].workload
        workflowRuns.active[w, default: 1] -= 1
        if var waiting = workflowRuns.queue[w], !waiting.isEmpty {
            startDagRun(waiting.removeFirst(), at: now)
            workflowRuns.queue[w] = waiting
            requestPass(at: now)
        }
    }

    /// dag_runs.csv rows, by workflow then run number.
    func dagRunRecords() -> [DagRunRecord] {
        workflowRuns.runs.sorted { ($0.workload, $0.number) < ($1.workload, $1.number) }.map { run in
            let count = { (s: WorkflowRuns.TaskState) in run.states.lazy.filter { $0 == s }.count }
            let failed = count(.failed), upstream = count(.upstreamFailed)
            let state: DagRunRecord.State = run.queued ? .queued
                : run.endMicros == nil ? .running : (failed + upstream > 0 ? .failed : .success)
            return DagRunRecord(dag: scenario.workloads[Int(run.workload)].name, run: run.number, scheduledMicros: run.scheduledMicros,
                                startMicros: run.startMicros, endMicros: run.endMicros, criticalPathMicros: run.criticalPathMicros,
                                tasks: run.states.count, succeeded: count(.success), failed: failed, upstreamFailed: upstream,
                                retries: run.tries.reduce(0) { $0 + max(0, $1 - 1) }, state: state)
        }
    }
}
