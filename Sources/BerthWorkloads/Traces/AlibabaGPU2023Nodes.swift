/// Reads the node list of Alibaba's cluster-trace-gpu-v2023
/// (`openb_node_list_*.csv`: `sn,cpu_milli,memory_mib,gpu,model`).
/// Each row is one node: `cpu` = `cpu_milli` millicores, `memory` =
/// `memory_mib` × 2^20 bytes, `nvidia.com/gpu` = `gpu`, and the label
/// `accelerator` = `model` when the node has one (G1/G2/G3 are Alibaba's
/// undisclosed internal codes).
public enum AlibabaGPU2023Nodes {
    public static let columns = ["sn", "cpu_milli", "memory_mib", "gpu", "model"]
    public static let acceleratorLabel = "accelerator"

    /// The nodes in file order; at most `limit` of them (the first ones) if given.
    public static func read(_ text: String, limit: Int? = nil) throws(TraceError) -> [TraceNode] {
        let rows = try TraceCSV.rows(text, columns: columns, header: .required)
        var nodes: [TraceNode] = []
        var seen: [Substring: Int] = [:]
        for row in rows {
            if let limit, nodes.count >= limit { break }
            let name = row.text(0)
            if name.isEmpty { throw row.fail(0, "the node name is empty") }
            if let first = seen[name] { throw row.fail(0, "duplicate node \"\(name)\" (first on line \(first))") }
            seen[name] = row.line
            let cpu = try row.int(1)
            let memory = try row.int(2)
            guard memory <= Int64.max >> 20 else { throw row.fail(2, "too large") }
            let gpus = try row.int(3)
            let model = row.text(4)
            nodes.append(TraceNode(name: String(name),
                                   capacity: ["cpu": cpu, "memory": memory << 20, AlibabaGPU2023Pods.gpuResource: gpus],
                                   labels: model.isEmpty ? [:] : [acceleratorLabel: String(model)]))
        }
        return nodes
    }
}
