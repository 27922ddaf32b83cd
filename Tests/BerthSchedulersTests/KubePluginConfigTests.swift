import BerthSchedulers
import Testing

/// How a profile's `plugins` become plugin lists: upstream tables from
/// pkg/scheduler/apis/config/v1/default_plugins_test.go (`TestMergePlugins`)
/// and pkg/scheduler/framework/runtime/framework_test.go
/// (`TestNewFrameworkMultiPointExpansion`), then the in-tree defaults.
@Suite struct KubePluginConfigTests {
    typealias P = KubePlugin
    typealias Set_ = KubePluginSet

    struct MergeCase: CustomTestStringConvertible, Sendable {
        var name: String
        var defaults: Set_
        var custom: Set_
        var want: Set_
        var testDescription: String { name }
    }

    /// TestMergePlugins (one extension point per row; the multi-point rows are split per point).
    static let mergeCases: [MergeCase] = [
        MergeCase(name: "AppendCustomPlugin", defaults: Set_(enabled: [P("DefaultPlugin1"), P("DefaultPlugin2")]),
                  custom: Set_(enabled: [P("CustomPlugin")]),
                  want: Set_(enabled: [P("DefaultPlugin1"), P("DefaultPlugin2"), P("CustomPlugin")])),
        MergeCase(name: "InsertAfterDefaultPlugins2", defaults: Set_(enabled: [P("DefaultPlugin1"), P("DefaultPlugin2")]),
                  custom: Set_(enabled: [P("CustomPlugin"), P("DefaultPlugin2")], disabled: ["DefaultPlugin2"]),
                  want: Set_(enabled: [P("DefaultPlugin1"), P("CustomPlugin"), P("DefaultPlugin2")], disabled: ["DefaultPlugin2"])),
        MergeCase(name: "InsertBeforeAllPlugins", defaults: Set_(enabled: [P("DefaultPlugin1"), P("DefaultPlugin2")]),
                  custom: Set_(enabled: [P("CustomPlugin"), P("DefaultPlugin1"), P("DefaultPlugin2")], disabled: ["*"]),
                  want: Set_(enabled: [P("CustomPlugin"), P("DefaultPlugin1"), P("DefaultPlugin2")], disabled: ["*"])),
        MergeCase(name: "ReorderDefaultPlugins", defaults: Set_(enabled: [P("DefaultPlugin1"), P("DefaultPlugin2")]),
                  custom: Set_(enabled: [P("DefaultPlugin2"), P("DefaultPlugin1")], disabled: ["*"]),
                  want: Set_(enabled: [P("DefaultPlugin2"), P("DefaultPlugin1")], disabled: ["*"])),
        MergeCase(name: "ApplyNilCustomPlugin", defaults: Set_(enabled: [P("DefaultPlugin1"), P("DefaultPlugin2")]),
                  custom: Set_(), want: Set_(enabled: [P("DefaultPlugin1"), P("DefaultPlugin2")])),
        MergeCase(name: "CustomPluginOverrideDefaultPlugin", defaults: Set_(enabled: [P("Plugin1"), P("Plugin2"), P("Plugin3")]),
                  custom: Set_(enabled: [P("Plugin1", weight: 2), P("Plugin3", weight: 3)]),
                  want: Set_(enabled: [P("Plugin1", weight: 2), P("Plugin2"), P("Plugin3", weight: 3)])),
        MergeCase(name: "OrderPreserveAfterOverride", defaults: Set_(enabled: [P("Plugin1"), P("Plugin2"), P("Plugin3")]),
                  custom: Set_(enabled: [P("Plugin2", weight: 2), P("Plugin1", weight: 1)]),
                  want: Set_(enabled: [P("Plugin1", weight: 1), P("Plugin2", weight: 2), P("Plugin3")])),
        MergeCase(name: "RepeatedCustomPlugin", defaults: Set_(enabled: [P("Plugin1"), P("Plugin2"), P("Plugin3")]),
                  custom: Set_(enabled: [P("Plugin1"), P("Plugin2", weight: 2), P("Plugin3"), P("Plugin2", weight: 4)]),
                  want: Set_(enabled: [P("Plugin1"), P("Plugin2", weight: 4), P("Plugin3"), P("Plugin2", weight: 2)])),
        MergeCase(name: "Append custom MultiPoint plugin", defaults: Set_(enabled: [P("DefaultPlugin1"), P("DefaultPlugin2")]),
                  custom: Set_(enabled: [P("CustomPlugin")]),
                  want: Set_(enabled: [P("DefaultPlugin1"), P("DefaultPlugin2"), P("CustomPlugin")])),
        MergeCase(name: "Append disabled Multipoint plugins (multiPoint)", defaults: Set_(enabled: [P("DefaultPlugin1"), P("DefaultPlugin2")]),
                  custom: Set_(enabled: [P("CustomPlugin"), P("CustomPlugin2")], disabled: ["DefaultPlugin2"]),
                  want: Set_(enabled: [P("DefaultPlugin1"), P("CustomPlugin"), P("CustomPlugin2")], disabled: ["DefaultPlugin2"])),
        MergeCase(name: "Append disabled Multipoint plugins (score)", defaults: Set_(),
                  custom: Set_(disabled: ["CustomPlugin2"]), want: Set_(disabled: ["CustomPlugin2"])),
        MergeCase(name: "override default MultiPoint plugins with custom value", defaults: Set_(enabled: [P("DefaultPlugin")]),
                  custom: Set_(enabled: [P("DefaultPlugin", weight: 5)]), want: Set_(enabled: [P("DefaultPlugin", weight: 5)])),
        MergeCase(name: "disabled MultiPoint plugin in default set", defaults: Set_(enabled: [P("DefaultPlugin")], disabled: ["DefaultPlugin2"]),
                  custom: Set_(enabled: [P("CustomPlugin")]),
                  want: Set_(enabled: [P("DefaultPlugin"), P("CustomPlugin")], disabled: ["DefaultPlugin2"])),
        MergeCase(name: "multipoint with only disabled gets merged", defaults: Set_(enabled: [P("DefaultPlugin")]),
                  custom: Set_(disabled: ["DefaultPlugin"]), want: Set_(disabled: ["DefaultPlugin"])),
    ]

    @Test(arguments: mergeCases) func mergePlugins(_ c: MergeCase) {
        #expect(KubePluginConfig.merge(c.defaults, c.custom) == c.want)
    }

    // MARK: TestNewFrameworkMultiPointExpansion

    /// The upstream test registry: testPlugin implements every extension point
    /// but PreEnqueue; scorePlugin1/2 PreScore and Score; scoreWithNormalizePlugin1 Score.
    static let registry: [String: Set<KubeExtensionPoint>] = [
        "testPlugin": Set(KubeExtensionPoint.allCases).subtracting([.multiPoint, .preEnqueue]),
        "scorePlugin1": [.preScore, .score], "scorePlugin2": [.preScore, .score],
        "scoreWithNormalizePlugin1": [.score], "queueSortPlugin": [.queueSort], "bindPlugin": [.bind],
    ]
    static let everyPoint: [KubeExtensionPoint] = [.queueSort, .preFilter, .filter, .postFilter, .reserve, .permit, .preBind, .bind, .postBind]

    struct ExpansionCase: CustomTestStringConvertible, Sendable {
        var name: String
        var plugins: [KubeExtensionPoint: KubePluginSet]
        /// Expected lists at the points that differ from `[testPlugin]` (others: testPlugin only).
        var want: [KubeExtensionPoint: [String]] = [:]
        var weights: [String: Int64] = [:]
        var onlyTheseExpected = false
        var wantError: String?
        var testDescription: String { name }
    }

    static let expansionCases: [ExpansionCase] = [
        ExpansionCase(name: "plugin expansion", plugins: [.multiPoint: Set_(enabled: [P("testPlugin", weight: 5)])],
                      want: [.preScore: ["testPlugin"], .score: ["testPlugin"]], weights: ["testPlugin": 5]),
        ExpansionCase(name: "disable MultiPoint plugin at some extension points",
                      plugins: [.multiPoint: Set_(enabled: [P("testPlugin")]), .preScore: Set_(disabled: ["testPlugin"]),
                                .score: Set_(disabled: ["testPlugin"])],
                      want: [.preScore: [], .score: []]),
        ExpansionCase(name: "Multiple MultiPoint plugins", plugins: [.multiPoint: Set_(enabled: [P("testPlugin"), P("scorePlugin1")])],
                      want: [.preScore: ["testPlugin", "scorePlugin1"], .score: ["testPlugin", "scorePlugin1"]],
                      weights: ["testPlugin": 1, "scorePlugin1": 1]),
        ExpansionCase(name: "disable MultiPoint extension",
                      plugins: [.multiPoint: Set_(enabled: [P("testPlugin"), P("scorePlugin1")]), .preScore: Set_(disabled: ["*"])],
                      want: [.preScore: [], .score: ["testPlugin", "scorePlugin1"]], weights: ["testPlugin": 1, "scorePlugin1": 1]),
        ExpansionCase(name: "Reorder MultiPoint plugins (specified extension takes precedence)",
                      plugins: [.multiPoint: Set_(enabled: [P("scoreWithNormalizePlugin1"), P("testPlugin"), P("scorePlugin1")]),
                                .score: Set_(enabled: [P("scorePlugin1"), P("testPlugin")])],
                      want: [.preScore: ["testPlugin", "scorePlugin1"], .score: ["scorePlugin1", "testPlugin", "scoreWithNormalizePlugin1"]],
                      weights: ["scorePlugin1": 1, "testPlugin": 1, "scoreWithNormalizePlugin1": 1]),
        ExpansionCase(name: "Reorder MultiPoint plugins (specified extension only takes precedence when it exists in MultiPoint)",
                      plugins: [.multiPoint: Set_(enabled: [P("testPlugin"), P("scorePlugin1")]),
                                .score: Set_(enabled: [P("scoreWithNormalizePlugin1"), P("scorePlugin1"), P("testPlugin")])],
                      want: [.preScore: ["testPlugin", "scorePlugin1"], .score: ["scorePlugin1", "testPlugin", "scoreWithNormalizePlugin1"]],
                      weights: ["scorePlugin1": 1, "testPlugin": 1, "scoreWithNormalizePlugin1": 1]),
        ExpansionCase(name: "Override MultiPoint plugins weights",
                      plugins: [.multiPoint: Set_(enabled: [P("testPlugin"), P("scorePlugin1")]),
                                .score: Set_(enabled: [P("scorePlugin1", weight: 5), P("testPlugin", weight: 3)])],
                      want: [.preScore: ["testPlugin", "scorePlugin1"], .score: ["scorePlugin1", "testPlugin"]],
                      weights: ["scorePlugin1": 5, "testPlugin": 3]),
        ExpansionCase(name: "disable and enable MultiPoint plugins with '*'",
                      plugins: [.multiPoint: Set_(enabled: [P("queueSortPlugin"), P("bindPlugin"), P("scorePlugin1")], disabled: ["*"])],
                      want: [.queueSort: ["queueSortPlugin"], .preScore: ["scorePlugin1"], .score: ["scorePlugin1"], .bind: ["bindPlugin"]],
                      weights: ["scorePlugin1": 1], onlyTheseExpected: true),
        ExpansionCase(name: "disable and enable MultiPoint plugin by name",
                      plugins: [.multiPoint: Set_(enabled: [P("bindPlugin"), P("queueSortPlugin"), P("scorePlugin1")], disabled: ["scorePlugin1"])],
                      want: [.queueSort: ["queueSortPlugin"], .preScore: ["scorePlugin1"], .score: ["scorePlugin1"], .bind: ["bindPlugin"]],
                      weights: ["scorePlugin1": 1], onlyTheseExpected: true),
        ExpansionCase(name: "Expect 'already registered' error",
                      plugins: [.multiPoint: Set_(enabled: [P("testPlugin"), P("testPlugin")])], wantError: "already registered"),
        ExpansionCase(name: "Override MultiPoint plugins weights and avoid a plugin being loaded multiple times",
                      plugins: [.multiPoint: Set_(enabled: [P("testPlugin"), P("scorePlugin1")]),
                                .score: Set_(enabled: [P("scorePlugin1", weight: 5), P("scorePlugin2", weight: 5), P("testPlugin", weight: 3)])],
                      want: [.preScore: ["testPlugin", "scorePlugin1"], .score: ["scorePlugin1", "testPlugin", "scorePlugin2"]],
                      weights: ["scorePlugin1": 5, "testPlugin": 3, "scorePlugin2": 5]),
    ]

    @Test(arguments: expansionCases) func newFrameworkMultiPointExpansion(_ c: ExpansionCase) {
        // The upstream test hands NewFramework the profile as given (no defaulting).
        let (resolved, problems) = KubePluginConfig.expand(c.plugins, profile: "test", registry: Self.registry)
        if let wantError = c.wantError {
            #expect(problems.contains { $0.contains(wantError) }, "\(problems)")
            return
        }
        #expect(problems.isEmpty, "\(problems)")
        for point in KubeExtensionPoint.allCases where point != .multiPoint && point != .preEnqueue {
            let want = c.want[point] ?? (c.onlyTheseExpected || !Self.everyPoint.contains(point) ? [] : ["testPlugin"])
            #expect(resolved.at(point) == want, "\(point)")
        }
        let scoring = Set(resolved.at(.score))
        #expect(resolved.weights.filter { scoring.contains($0.key) } == c.weights)
    }

    // MARK: The in-tree defaults

    @Test func defaultProfileMatchesV128() {
        let (r, problems) = KubePluginConfig.resolve([:], profile: "default-scheduler")
        #expect(problems.isEmpty)
        #expect(r.at(.queueSort) == ["PrioritySort"] && r.at(.bind) == ["DefaultBinder"] && r.at(.postFilter) == ["DefaultPreemption"])
        #expect(r.at(.filter) == ["NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts",
                                  "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity"])
        #expect(r.at(.preFilter) == ["NodeAffinity", "NodePorts", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity"])
        #expect(r.at(.score) == ["TaintToleration", "NodeAffinity", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity",
                                 "NodeResourcesBalancedAllocation", "ImageLocality"])
        #expect(r.weights == KubernetesProfiles.defaultWeights)
    }

    @Test func disablingFiltersAndReenablingFirst() {
        // filter: disable every default, then enable NodeName and TaintToleration:
        // only those filter; PreFilter keeps its defaults.
        let (r, problems) = KubePluginConfig.resolve([.filter: Set_(enabled: [P("TaintToleration"), P("NodeName")], disabled: ["*"])],
                                                     profile: "p")
        #expect(problems.isEmpty)
        #expect(r.at(.filter) == ["TaintToleration", "NodeName"])
        #expect(r.at(.preFilter).count == 5)
        // Enabling a default at filter only moves it to the front (an explicit override).
        let moved = KubePluginConfig.resolve([.filter: Set_(enabled: [P("InterPodAffinity")])], profile: "p").plugins
        #expect(moved.at(.filter).first == "InterPodAffinity" && moved.at(.filter).count == 8)
        // Disabling at multiPoint removes the plugin everywhere; at filter only there.
        let gone = KubePluginConfig.resolve([.multiPoint: Set_(disabled: ["TaintToleration"])], profile: "p").plugins
        #expect(!gone.at(.filter).contains("TaintToleration") && !gone.at(.score).contains("TaintToleration"))
        let filterOnly = KubePluginConfig.resolve([.filter: Set_(disabled: ["TaintToleration"])], profile: "p").plugins
        #expect(!filterOnly.at(.filter).contains("TaintToleration") && filterOnly.at(.score).contains("TaintToleration"))
    }

    @Test func frameworkErrors() {
        func problems(_ plugins: [KubeExtensionPoint: KubePluginSet]) -> [String] { KubePluginConfig.resolve(plugins, profile: "p").problems }
        #expect(problems([.score: Set_(enabled: [P("NodeName")])]) == ["plugin \"NodeName\" does not extend ScorePlugin plugin"])
        #expect(problems([.multiPoint: Set_(disabled: ["*"])]).contains {
            $0.hasPrefix("only one queue sort plugin required for profile with scheduler name \"p\", but got 0")
        })
        #expect(problems([.bind: Set_(disabled: ["DefaultBinder"])]) == ["at least one bind plugin is needed for profile with scheduler name \"p\""])
        // Volume plugins are accepted and inert.
        #expect(problems([.filter: Set_(enabled: [P("VolumeBinding")])]).isEmpty)
    }
}
