/// Reads the pod list of Alibaba's cluster-trace-gpu-v2023 (`openb_pod_list_*.csv`;
/// Weng et al., "Beware of Fragmentation", ATC'23 — research/study use only).
///
/// Columns: `name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time`.
/// Each row is one task:
/// - submitted at `creation_time` (seconds);
/// - requests `cpu` = `cpu_milli` millicores, `memory` = `memory_mib` × 2^20 bytes,
///   `nvidia.com/gpu` = `num_gpu` whole GPUs. **GPU sharing is not modelled**: a pod
///   with `num_gpu` 1 and `gpu_milli` < 1000 still takes one whole GPU (so GPU
///   demand is over-stated for the sharing pods); `gpu_milli` is only checked to be 0–1000;
/// - `gpu_spec` (a GPU-model constraint such as `V100M16|V100M32`) is not enforced;
///   it is empty in the default pod list;
/// - runs for `deletion_time − scheduled_time` when both are present. A pod that
///   never ran (`scheduled_time` empty: phase Pending in the trace) is still
///   submitted — it is demand the real cluster could not serve — and runs, if
///   placed, for `deletion_time − creation_time` (how long its owner kept it
///   waiting); with no `deletion_time` a pod runs until the end of the simulation;
/// - priority from `qos` (``priority(ofQoS:)``), label `qos`.
public enum AlibabaGPU2023Pods {
    public static let columns = ["name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli", "gpu_spec", "qos", "pod_phase",
                                 "creation_time", "deletion_time", "scheduled_time"]
    public static let gpuResource = "nvidia.com/gpu"

    /// Queue priority by QoS class, higher first. Kubernetes' classes are ordered
    /// as the kubelet protects them (Guaranteed > Burstable > BestEffort);
    /// Alibaba's LS (latency-sensitive online service) ranks just below
    /// Guaranteed and above Burstable — it is the class their co-location
    /// scheduler protects, while BE (best effort, mostly training/batch) yields to all.
    public static let qosPriority: [(String, Int32)] = [("Guaranteed", 3), ("LS", 2), ("Burstable", 1), ("BE", 0)]

    public static func priority(ofQoS qos: Substring) -> Int32? { qosPriority.first { $0.0 == qos }?.1 }

    public static func read(_ text: String) throws(TraceError) -> TraceRead {
        let rows = try TraceCSV.rows(text, columns: columns, header: .required)
        var tasks: [TraceTask] = []
        tasks.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            let name = row.text(0)
            if name.isEmpty { throw row.fail(0, "the pod name is empty") }
            let cpu = try row.int(1)
            let memory = try row.int(2)
            guard memory <= Int64.max >> 20 else { throw row.fail(2, "too large") }
            let gpus = try row.int(3)
            if let milli = try row.optionalInt(4), milli > 1000 { throw row.fail(4, "must be at most 1000, got \(milli)") }
            let qos = row.text(6)
            guard let priority = priority(ofQoS: qos) else {
                throw row.fail(6, "unknown QoS class \"\(qos)\" (expected one of \(qosPriority.map(\.0).joined(separator: ", ")))")
            }
            let created = try row.int(8)
            let deleted = try row.optionalInt(9)
            let scheduled = try row.optionalInt(10)
            var duration: Int64?
            if let deleted {
                let began = scheduled ?? created
                if deleted < began {
                    throw row.fail(9, "\(deleted) is before \(scheduled == nil ? "creation_time" : "scheduled_time") \(began)")
                }
                duration = (deleted - began) * 1_000_000
            }
            if let scheduled, scheduled < created { throw row.fail(10, "\(scheduled) is before creation_time \(created)") }
            tasks.append(TraceTask(name: String(name), traceSeconds: created, job: Int32(truncatingIfNeeded: index),
                                   requests: ["cpu": cpu, "memory": memory << 20, gpuResource: gpus],
                                   durationMicros: duration, priority: priority, labels: ["qos": String(qos)]))
        }
        return TraceRead(tasks: tasks, rows: rows.count)
    }
}
