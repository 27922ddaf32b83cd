/// A `KubeSchedulerProfile.plugins` extension point (kubescheduler.config.k8s.io/v1 `Plugins`).
public enum KubeExtensionPoint: String, CaseIterable, Sendable {
    case multiPoint, preEnqueue, queueSort, preFilter, filter, postFilter, preScore, score, reserve, permit, preBind, bind, postBind

    /// The upstream interface name used in framework errors ("FilterPlugin", …).
    public var pluginType: String {
        let name = rawValue
        return name.prefix(1).uppercased() + name.dropFirst() + "Plugin"
    }
}

/// One `plugins.<point>.enabled` entry; `weight` matters for Score plugins only.
public struct KubePlugin: Sendable, Equatable {
    public var name: String
    public var weight: Int32?
    public init(_ name: String, weight: Int32? = nil) {
        self.name = name
        self.weight = weight
    }
}

/// `plugins.<point>`: enabled plugins in order and disabled names (`"*"`: every default).
public struct KubePluginSet: Sendable, Equatable {
    public var enabled: [KubePlugin]
    public var disabled: [String]
    public init(enabled: [KubePlugin] = [], disabled: [String] = []) {
        self.enabled = enabled
        self.disabled = disabled
    }
}

/// The plugins a profile runs at each extension point, in order, and the score weights.
public struct ResolvedKubePlugins: Sendable, Equatable {
    public var lists: [KubeExtensionPoint: [String]] = [:]
    public var weights: [String: Int64] = [:]
    public func at(_ point: KubeExtensionPoint) -> [String] { lists[point] ?? [] }
}

/// How a profile's `plugins` become the plugin lists kube-scheduler runs (v1.28):
///
/// 1. **Defaulting** (pkg/scheduler/apis/config/v1/default_plugins.go
///    `mergePlugins`/`mergePluginSet`), per extension point: the default set
///    minus the custom `disabled` names (all of it with `"*"`), a default that is
///    re-enabled is replaced in place (keeping its position, taking the custom
///    weight), then the other custom `enabled` plugins are appended. The
///    defaults are all at `multiPoint`.
/// 2. **Specific extension points** (pkg/scheduler/framework/runtime/framework.go
///    `updatePluginList`): each point's enabled plugins must implement it and
///    appear once.
/// 3. **MultiPoint expansion** (`expandMultiPointPlugins`), per point unless it
///    disables `"*"`: a multiPoint plugin that implements the point and is not
///    disabled there joins it; one also enabled at the point itself is an
///    explicit override. Order: overrides (in the point's own order), then the
///    multiPoint plugins, then the point's other plugins. (A name in
///    `multiPoint.disabled` only removes a *default*: custom multiPoint
///    plugins are appended regardless, as upstream.)
/// 4. **Weights** (`getScoreWeights`): from `score.enabled`, else `multiPoint.enabled`;
///    an unset or zero weight is 1.
/// 5. One queue-sort plugin and at least one bind plugin are required.
public enum KubePluginConfig {
    /// The extension points each in-tree plugin implements (v1.28).
    public static let extensionPoints: [String: Set<KubeExtensionPoint>] = [
        "SchedulingGates": [.preEnqueue],
        "PrioritySort": [.queueSort],
        "NodeUnschedulable": [.filter],
        "NodeName": [.filter],
        "TaintToleration": [.filter, .preScore, .score],
        "NodeAffinity": [.preFilter, .filter, .preScore, .score],
        "NodePorts": [.preFilter, .filter],
        "NodeResourcesFit": [.preFilter, .filter, .preScore, .score],
        "PodTopologySpread": [.preFilter, .filter, .preScore, .score],
        "InterPodAffinity": [.preFilter, .filter, .preScore, .score],
        "DefaultPreemption": [.postFilter],
        "NodeResourcesBalancedAllocation": [.preScore, .score],
        "ImageLocality": [.score],
        "DefaultBinder": [.bind],
    ]

    /// In-tree plugins accepted by name that have no effect in Berth (it has no
    /// volumes and no dynamic resources); they are left out of every list.
    public static let inertPlugins: Set<String> = ["VolumeRestrictions", "EBSLimits", "GCEPDLimits", "NodeVolumeLimits",
                                                   "AzureDiskLimits", "VolumeBinding", "VolumeZone", "DynamicResources"]

    /// Every plugin name a configuration may use.
    public static var knownPlugins: [String] { (Array(extensionPoints.keys) + inertPlugins).sorted() }

    /// v1.28 `getDefaultPlugins` (the modelled plugins, in order, with their weights).
    public static let defaultMultiPoint: [KubePlugin] = [
        KubePlugin("SchedulingGates"), KubePlugin("PrioritySort"), KubePlugin("NodeUnschedulable"), KubePlugin("NodeName"),
        KubePlugin("TaintToleration", weight: 3), KubePlugin("NodeAffinity", weight: 2), KubePlugin("NodePorts"),
        KubePlugin("NodeResourcesFit", weight: 1), KubePlugin("PodTopologySpread", weight: 2),
        KubePlugin("InterPodAffinity", weight: 2), KubePlugin("DefaultPreemption"),
        KubePlugin("NodeResourcesBalancedAllocation", weight: 1), KubePlugin("ImageLocality", weight: 1),
        KubePlugin("DefaultBinder"),
    ]

    /// Upstream `mergePluginSet`.
    public static func merge(_ defaults: KubePluginSet, _ custom: KubePluginSet) -> KubePluginSet {
        let disabled = custom.disabled + defaults.disabled
        let disabledSet = Set(disabled)
        var replacement: [String: (index: Int, plugin: KubePlugin)] = [:]
        for (i, p) in custom.enabled.enumerated() { replacement[p.name] = (i, p) }
        var replaced = Set<Int>()
        var enabled: [KubePlugin] = []
        if !disabledSet.contains("*") {
            for p in defaults.enabled where !disabledSet.contains(p.name) {
                if let r = replacement[p.name] {
                    enabled.append(r.plugin)
                    replaced.insert(r.index)
                } else {
                    enabled.append(p)
                }
            }
        }
        for (i, p) in custom.enabled.enumerated() where !replaced.contains(i) { enabled.append(p) }
        return KubePluginSet(enabled: enabled, disabled: disabled)
    }

    /// Steps 1–5 for one profile; `problems` are upstream's framework errors
    /// (the profile cannot be built when any is returned).
    public static func resolve(_ custom: [KubeExtensionPoint: KubePluginSet], profile: String) -> (plugins: ResolvedKubePlugins, problems: [String]) {
        var merged: [KubeExtensionPoint: KubePluginSet] = [:]
        for point in KubeExtensionPoint.allCases {
            let defaults = point == .multiPoint ? KubePluginSet(enabled: defaultMultiPoint) : KubePluginSet()
            merged[point] = merge(defaults, custom[point] ?? KubePluginSet())
        }
        return expand(merged, profile: profile)
    }

    /// Steps 2–5 on already merged plugin sets (upstream `NewFramework`), with
    /// the extension points each plugin implements taken from `registry`.
    public static func expand(_ merged: [KubeExtensionPoint: KubePluginSet], profile: String,
                              registry: [String: Set<KubeExtensionPoint>] = extensionPoints) -> (plugins: ResolvedKubePlugins, problems: [String]) {
        func implements(_ name: String, _ point: KubeExtensionPoint) -> Bool { registry[name]?.contains(point) ?? false }
        var problems: [String] = []
        var resolved = ResolvedKubePlugins()
        let specific = KubeExtensionPoint.allCases.filter { $0 != .multiPoint }
        for point in specific {
            var list: [String] = []
            for p in merged[point]?.enabled ?? [] where !inertPlugins.contains(p.name) {
                if !implements(p.name, point) {
                    problems.append("plugin \"\(p.name)\" does not extend \(point.pluginType) plugin")
                } else if list.contains(p.name) {
                    problems.append("plugin \"\(p.name)\" already registered as \"\(point.pluginType)\"")
                } else {
                    list.append(p.name)
                }
            }
            resolved.lists[point] = list
        }
        let multiPoint = (merged[.multiPoint]?.enabled ?? []).filter { !inertPlugins.contains($0.name) }
        if !multiPoint.isEmpty {
            for point in specific {
                let disabled = Set(merged[point]?.disabled ?? [])
                if disabled.contains("*") { continue }
                let enabledHere = resolved.at(point)
                var overrides = Set<String>()
                var fromMultiPoint: [String] = []
                for p in multiPoint where implements(p.name, point) && !disabled.contains(p.name) {
                    if enabledHere.contains(p.name) {
                        overrides.insert(p.name)
                    } else if fromMultiPoint.contains(p.name) {
                        problems.append("plugin \"\(p.name)\" already registered as \"\(point.pluginType)\"")
                    } else {
                        fromMultiPoint.append(p.name)
                    }
                }
                // Overrides keep the point's own order, then the multiPoint plugins, then the rest.
                resolved.lists[point] = enabledHere.filter { overrides.contains($0) } + fromMultiPoint
                    + enabledHere.filter { !overrides.contains($0) }
            }
        }
        if resolved.at(.queueSort).count != 1 {
            problems.append("only one queue sort plugin required for profile with scheduler name \"\(profile)\", but got \(resolved.at(.queueSort).count)")
        }
        if resolved.at(.bind).isEmpty {
            problems.append("at least one bind plugin is needed for profile with scheduler name \"\(profile)\"")
        }
        for p in (merged[.score]?.enabled ?? []) + multiPoint where implements(p.name, .score) && resolved.weights[p.name] == nil {
            let w = Int64(p.weight ?? 0)
            resolved.weights[p.name] = w == 0 ? 1 : w
        }
        return (resolved, problems)
    }
}
