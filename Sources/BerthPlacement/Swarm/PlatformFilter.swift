import BerthCluster

/// The node's platform must equal one of the task's platforms, after
/// normalising `x86_64`→`amd64` and `aarch64`→`arm64`; an empty os or
/// architecture in the task matches anything. Enabled when the task lists
/// platforms. Upstream: swarmkit `manager/scheduler/filter.go` `PlatformFilter`.
public struct PlatformFilter: SwarmFilter {
    public init() {}
    public var name: String { "PlatformFilter" }
    public func isEnabled(for task: TaskSpec) -> Bool { !(task.placement?.swarm?.platforms.isEmpty ?? true) }
    public func check(_ task: TaskSpec, node: Int, state: SwarmNodeState, in view: ClusterView) -> Bool {
        let spec = view.node(node)
        let nodePlatform = SwarmPlatform(os: SwarmNodeAttributes.os(spec), architecture: SwarmNodeAttributes.architecture(spec))
        return (task.placement?.swarm?.platforms ?? []).contains { Self.equal($0, nodePlatform) }
    }
    public func explain(nodes: Int) -> String { "unsupported platform on \(swarmNodes(nodes))" }

    /// upstream `platformEqual`.
    public static func equal(_ image: SwarmPlatform, _ node: SwarmPlatform) -> Bool {
        func normal(_ arch: String) -> String { arch == "x86_64" ? "amd64" : arch == "aarch64" ? "arm64" : arch }
        let a = normal(image.architecture), b = normal(node.architecture)
        return (a.isEmpty || a == b) && (image.os.isEmpty || image.os == node.os)
    }
}
