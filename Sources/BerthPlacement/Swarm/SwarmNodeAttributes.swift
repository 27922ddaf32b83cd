import BerthCluster

/// How a Berth node answers swarmkit's node attributes. Berth nodes have one
/// label map, so `node.labels.X` and `engine.labels.X` both read label `X`.
///
/// | swarmkit | Berth |
/// |---|---|
/// | `node.id`, `node.hostname` | the node name (`kubernetes.io/hostname` label if set) |
/// | `node.role` | label `node.role`, default `worker` |
/// | `node.platform.os` | label `node.platform.os`, else `kubernetes.io/os`, default `linux` |
/// | `node.platform.arch` | label `node.platform.arch`, else `kubernetes.io/arch`, default `x86_64` |
/// | `node.labels.X`, `engine.labels.X` | label `X` |
public enum SwarmNodeAttributes {
    public static let nodeLabelPrefix = "node.labels."
    public static let engineLabelPrefix = "engine.labels."

    public static func hostname(_ n: NodeSpec) -> String { n.labels[NodeLabel.hostname] ?? n.name }
    public static func role(_ n: NodeSpec) -> String { n.labels["node.role"] ?? "worker" }
    public static func os(_ n: NodeSpec) -> String { n.labels["node.platform.os"] ?? n.labels["kubernetes.io/os"] ?? "linux" }
    public static func architecture(_ n: NodeSpec) -> String {
        n.labels["node.platform.arch"] ?? n.labels["kubernetes.io/arch"] ?? "x86_64"
    }

    /// The label named by a `node.labels.X` / `engine.labels.X` descriptor (prefix
    /// compared case-insensitively, label name case-sensitively, as upstream), or
    /// nil when the descriptor has neither prefix.
    public static func labelName(_ descriptor: String) -> String? {
        for prefix in [nodeLabelPrefix, engineLabelPrefix] where descriptor.count > prefix.count {
            if descriptor.prefix(prefix.count).lowercased() == prefix { return String(descriptor.dropFirst(prefix.count)) }
        }
        return nil
    }
}
