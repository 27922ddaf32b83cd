/// Reads `batch_task.csv` of Alibaba's cluster-trace-v2017 (research/study use only).
///
/// Columns, per `cluster-trace-v2017/schema.csv`: task create time, task end
/// (modify) time, job id, task id, number of instances, status, CPUs requested
/// per instance, normalized memory requested per instance. The official files
/// have no header; the copy we use has one added by a third party, so a first
/// line whose first field is not a number is skipped as a header.
///
/// Each row is a task *group*: `number_of_instances` identical tasks submitted together.
/// - Submit time: `task_create_time` seconds. Negative times are before the trace
///   started (the task already existed): they are **clamped to 0**, i.e. such
///   tasks are submitted at the trace's start — unless they also ended before
///   it (negative end time), in which case they are skipped.
/// - Duration: `task_end_time − task_create_time` (from the original, unclamped
///   create time). This is the task's lifetime in Alibaba's cluster, queueing
///   included. A `Running` row whose end time is before its create time (the end
///   column is 0: it had not ended when the trace stopped) runs until the end of the simulation.
/// - CPU: the trace's unit is undocumented for v2017; its values are 50, 100, …
///   and v2018 defines 100 = 1 core, so **cpus/100 cores** is assumed (×10 millicores).
/// - Memory: the trace gives only a fraction of an (undisclosed) machine's memory,
///   so the caller says what 1.0 is (`memoryPerUnit` bytes); rounded to whole MiB
///   (the copy we use is rounded to 9 decimals anyway; this merges near-identical
///   requests into one shape, which keeps scheduling passes short).
/// - Skipped (counted by reason, not errors): rows with status `Waiting`, rows
///   whose CPU or memory request is empty (nothing says what they would ask
///   for), and rows that ended before the trace started.
/// - Priority 0 (the workload's `priority` if it sets one); no labels.
public enum AlibabaBatch2017 {
    public static let columns = ["task_create_time", "task_end_time", "job_id", "task_id", "number_of_instances", "status",
                                 "number_of_cpus_requested_per_instance_in_the_task",
                                 "normalized_memory_requested_per_instance_in_the_task"]
    public static let statuses = ["Terminated", "Running", "Failed", "Waiting"]
    public static let skippedWaiting = "status Waiting"
    public static let skippedEmpty = "empty CPU or memory request"
    public static let skippedBeforeStart = "ended before the trace started"

    public static func read(_ text: String, memoryPerUnit: Int64) throws(TraceError) -> TraceRead {
        let rows = try TraceCSV.rows(text, columns: columns, header: .optional)
        var tasks: [TraceTask] = []
        var skipped: [String: Int] = [:]
        for row in rows {
            let created = try row.int(0, allowNegative: true)
            let ended = try row.int(1, allowNegative: true)
            let job = try row.int(2)
            let task = try row.int(3)
            guard job <= Int64(Int32.max) else { throw row.fail(2, "too large (at most \(Int32.max))") }
            let instances = try row.int(4)
            if instances < 1 { throw row.fail(4, "must be at least 1, got \(instances)") }
            let status = row.text(5)
            guard statuses.contains(where: { $0 == status }) else {
                throw row.fail(5, "unknown status \"\(status)\" (expected one of \(statuses.joined(separator: ", ")))")
            }
            if status == "Waiting" { skipped[skippedWaiting, default: 0] += 1; continue }
            if row.isEmpty(6) || row.isEmpty(7) { skipped[skippedEmpty, default: 0] += 1; continue }
            if ended < 0 && ended >= created { skipped[skippedBeforeStart, default: 0] += 1; continue }
            let cpus = try row.int(6)
            guard cpus <= Int64.max / 10 else { throw row.fail(6, "too large") }
            let normalized = try row.double(7)
            let mebibytes = (normalized * Double(memoryPerUnit) / 1_048_576).rounded()
            guard mebibytes < 8e12 else { throw row.fail(7, "too large for memory_scale") }
            let duration: Int64?
            if ended >= created {
                duration = (ended - created) * 1_000_000
            } else if status == "Running" {
                duration = nil
            } else {
                throw row.fail(1, "\(ended) is before task_create_time \(created)")
            }
            tasks.append(TraceTask(name: "j\(job)-t\(task)", traceSeconds: max(0, created), job: Int32(job),
                                   requests: ["cpu": cpus * 10, "memory": Int64(mebibytes) << 20], durationMicros: duration,
                                   instances: Int(instances)))
        }
        return TraceRead(tasks: tasks, rows: rows.count, skipped: skipped)
    }
}
