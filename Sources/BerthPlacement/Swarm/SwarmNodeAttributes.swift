import BerthCluster

/// How a Berth node answers swarmkit's node attributes. A Berth node has one
/// label map: labels whose key starts with `engine.` are the Docker engine's
/// labels (`engine.disk: ssd` is engine label `disk`), all others are node
/// labels, so the two stay distinct as in swarmkit.
///
/// | swarmkit | Berth |
/// |---|---|
/// | `node.id`, `node.hostname` | the node name (`kubernetes.io/hostname` label if set) |
/// | `node.role` | label `node.role`, default `worker` |
/// | `node.platform.os` | label `node.platform.os`, else `kubernetes.io/os`, default `linux` |
/// | `node.platform.arch` | label `node.platform.arch`, else `kubernetes.io/arch`, default `x86_64` |
/// | `node.labels.X` | label `X` |
/// | `engine.labels.X` | label `engine.X` |
public enum SwarmNodeAttributes {
    public static let nodeLabelPrefix = "node.labels."
    public static let engineLabelPrefix = "engine.labels."

    public static func hostname(_ n: NodeSpec) -> String { n.labels[NodeLabel.hostname] ?? n.name }
    public static func role(_ n: NodeSpec) -> String { n.labels["node.role"] ?? "worker" }
    public static func os(_ n: NodeSpec) -> String { n.labels["node.platform.os"] ?? n.labels["kubernetes.io/os"] ?? "linux" }
    public static func architecture(_ n: NodeSpec) -> String {
        n.labels["node.platform.arch"] ?? n.labels["kubernetes.io/arch"] ?? "x86_64"
    }

    /// The Berth label key a `node.labels.X` (→ `X`) or `engine.labels.X`
    /// (→ `engine.X`) descriptor reads — prefixes compared case-insensitively,
    /// label names case-sensitively, as upstream — or nil for other descriptors.
    public static func labelName(_ descriptor: String) -> String? {
        for (prefix, berth) in [(nodeLabelPrefix, ""), (engineLabelPrefix, enginePrefix)] where descriptor.count > prefix.count {
            if descriptor.prefix(prefix.count).lowercased() == prefix { return berth + descriptor.dropFirst(prefix.count) }
        }
        return nil
    }

    /// The prefix of Berth label keys that are engine labels.
    public static let enginePrefix = "engine."
}
