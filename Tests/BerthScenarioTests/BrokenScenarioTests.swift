import Foundation
import Testing
import BerthScenario

/// One file of the broken-scenario corpus (Tests/BerthScenarioTests/Broken) and
/// what its first diagnostic must say. Lines and columns are 1-based and were
/// worked out by reading the file: the column is where the offending key or
/// value starts (the opening `{` or `-` for a whole mapping or list item).
struct BrokenCase: Sendable, CustomTestStringConvertible {
    var file: String
    var line: Int
    var column: Int
    /// The field path, "" for problems with the file as a whole (syntax, missing top-level keys).
    var path: String
    /// Substrings the message must contain (all of them).
    var message: [String]
    /// A substring the hint must contain, if the diagnostic must have one.
    var hint: String?
    /// How many diagnostics the file produces (one problem per file, so usually 1).
    var count: Int
    /// The file the diagnostic points into when it is not the scenario itself
    /// (a KubeSchedulerConfiguration under Broken/kube-config/).
    var locatedIn: String?

    init(_ file: String, _ line: Int, _ column: Int, _ path: String, _ message: String...,
         hint: String? = nil, count: Int = 1, in locatedIn: String? = nil) {
        self.locatedIn = locatedIn
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
        self.hint = hint
        self.count = count
    }

    var testDescription: String { file }
}

let brokenCases: [BrokenCase] = [
    // MARK: Syntax and file shape
    BrokenCase("yaml-unclosed-bracket.yaml", 7, 10, "", "invalid YAML", "flow mapping at line 6"),
    BrokenCase("yaml-tab-indentation.yaml", 5, 1, "", "invalid YAML", "tab"),
    BrokenCase("yaml-bad-indentation.yaml", 6, 6, "", "invalid YAML"),
    BrokenCase("json-missing-comma.json", 8, 3, "", "invalid YAML", "expected ','"),
    BrokenCase("duplicate-yaml-key.yaml", 7, 7, "", "duplicate key \"count\"", hint: "first given at line 5"),
    BrokenCase("empty.yaml", 1, 1, "", "the file is empty"),
    BrokenCase("top-level-list.yaml", 2, 1, "", "expected a scenario mapping, got a list"),
    BrokenCase("missing-name.yaml", 1, 1, "", "missing required key \"name\""),
    BrokenCase("missing-cluster.yaml", 1, 1, "", "missing required key \"cluster\""),
    BrokenCase("unknown-top-level-key.yaml", 7, 1, "workload", "unknown key \"workload\"",
               hint: "did you mean \"workloads\"?"),

    // MARK: Types
    BrokenCase("count-not-a-number.yaml", 5, 14, "cluster.pools[0].count", "expected a whole number, got \"three\""),
    BrokenCase("json-count-as-string.json", 5, 36, "cluster.pools[0].count", "expected a whole number, got \"2\"",
               hint: "quoted"),
    BrokenCase("capacity-is-a-list.yaml", 6, 17, "cluster.pools[0].capacity", "expected a mapping, got a list"),

    // MARK: Quantities and resources
    BrokenCase("negative-quantity.yaml", 11, 21, "workloads[0].requests.cpu", "must not be negative"),
    BrokenCase("quantity-with-words.yaml", 7, 14, "cluster.pools[0].capacity.cpu", "quantity", "got \"2 cores\""),
    BrokenCase("quantity-bad-suffix.yaml", 11, 35, "workloads[0].requests.memory", "quantity", "got \"1.5Gib\""),
    BrokenCase("unknown-resource-name.yaml", 11, 16, "workloads[0].requests.cpus", "unknown resource \"cpus\"",
               hint: "did you mean \"cpu\"?"),
    BrokenCase("allocatable-exceeds-capacity.yaml", 7, 41, "cluster.pools[0].allocatable.memory",
               "allocatable memory", "exceeds capacity"),

    // MARK: Durations and arrivals
    BrokenCase("duration-without-unit.yaml", 2, 10, "horizon", "expected a duration", "has no unit"),
    BrokenCase("duration-in-words.yaml", 11, 12, "workloads[0].start", "expected a duration", "got \"5 minutes\""),
    BrokenCase("unknown-arrival-process.yaml", 10, 24, "workloads[0].arrival.process",
               "unknown arrival process \"possion\"", hint: "did you mean \"poisson\"?"),
    BrokenCase("rate-without-unit.yaml", 12, 13, "workloads[0].arrival.rate", "expected a rate", "has no unit"),
    BrokenCase("arrival-end-before-start.yaml", 10, 61, "workloads[0].arrival.end", "must not be before start"),
    BrokenCase("zero-interarrival.yaml", 10, 48, "workloads[0].arrival.interval", "mean greater than 0s"),
    BrokenCase("fixed-arrival-with-start.yaml", 10, 52, "workloads[0].arrival.start", "does not apply to process fixed",
               hint: "shift the times"),
    BrokenCase("tasks-per-job-list.yaml", 11, 20, "workloads[0].tasks_per_job", "got a list", hint: "empirical"),

    // MARK: Failures
    BrokenCase("failures-unknown-pool.yaml", 10, 13, "failures.node_failures[0].pool", "no pool named \"generla\"",
               hint: "did you mean \"general\"?"),
    BrokenCase("failures-random-without-horizon.yaml", 9, 3, "failures", "needs a horizon", hint: "horizon"),
    BrokenCase("failures-times-not-increasing.yaml", 11, 18, "failures.node_failures[0].at_s[1]", "increasing order"),
    BrokenCase("maintenance-without-horizon.yaml", 15, 5, "failures.maintenance", "needs a horizon", hint: "horizon"),
    BrokenCase("disruption-budget-over-100-percent.yaml", 13, 42, "workloads[0].disruption_budget.max_unavailable",
               "must not be greater than 100%"),
    BrokenCase("disruption-budget-bad-percent.yaml", 13, 40, "workloads[0].disruption_budget.min_available",
               "expected a whole number or a percentage"),
    BrokenCase("grace-period-negative.yaml", 13, 33, "workloads[0].termination_grace_period_s", "must be at least 0"),
    BrokenCase("recovery-unknown-system.yaml", 8, 13, "failures.recovery", "unknown recovery system \"nomda\"", hint: "auto, kubernetes, nomad"),
    BrokenCase("recovery-foreign-setting.yaml", 10, 5, "failures.recovery.backoff_factor", "is a marathon setting, but the recovery system is swarm",
               hint: "system: marathon"),
    BrokenCase("recovery-bad-delay-function.yaml", 10, 47, "failures.recovery.reschedule.delay_function", "unknown delay function \"exponentail\"",
               hint: "did you mean \"exponential\"?"),
    BrokenCase("recovery-max-delay-below-delay.yaml", 11, 7, "failures.recovery.reschedule", "max_delay_s (60.0) must not be less than delay_s (120.0)",
               hint: "raise max_delay_s"),
    BrokenCase("recovery-backoff-factor-below-one.yaml", 8, 62, "failures.recovery.backoff_factor", "must be at least 1.0"),
    BrokenCase("restart-policy-always-on-batch.yaml", 14, 21, "workloads[0].restart_policy",
               "cannot use restart policy Always", hint: "OnFailure, Never"),

    // MARK: Workflows
    BrokenCase("workflow-unknown-dependency.yaml", 14, 55, "workloads[0].tasks[1].depends_on[0]",
               "unknown task \"extarct\" in depends_on", hint: "did you mean \"extract\"?"),
    BrokenCase("workflow-cycle.yaml", 15, 22, "workloads[0].tasks[0].depends_on[0]",
               "form a cycle: extract → transform → load → extract", hint: "must be a DAG"),
    BrokenCase("workflow-bad-cron.yaml", 10, 22, "workloads[0].schedule.cron", "hour field \"25\"", "not a value in 0-23"),
    BrokenCase("workflow-without-horizon.yaml", 10, 15, "workloads[0].schedule", "never stops", hint: "horizon"),

    BrokenCase("memory-usage-without-limit.yaml", 13, 19, "workloads[0].memory_usage", "needs a memory_limit", hint: "limits.memory"),
    BrokenCase("checkpoint-on-service.yaml", 12, 28, "workloads[0].checkpoint_interval_s", "batch workloads only"),

    // MARK: Distributions
    BrokenCase("unknown-distribution.yaml", 11, 22, "workloads[0].duration.dist",
               "unknown distribution \"exponentail\"", hint: "did you mean \"exponential\"?"),
    BrokenCase("distribution-missing-parameter.yaml", 11, 15, "workloads[0].duration",
               "missing required key \"sigma\""),
    BrokenCase("lognormal-sigma-zero.yaml", 14, 14, "workloads[0].duration.sigma", "sigma must be greater than 0"),
    BrokenCase("distribution-foreign-parameter.yaml", 11, 46, "workloads[0].duration.stddev",
               "\"stddev\" is not a parameter of exponential", hint: "exponential takes mean"),

    // MARK: Keys, names and kinds
    BrokenCase("unknown-pool-key.yaml", 7, 7, "cluster.pools[0].zone", "unknown key \"zone\"",
               hint: "did you mean \"zones\"?"),
    BrokenCase("unknown-workload-key.yaml", 13, 5, "workloads[0].nodeSelector", "unknown key \"nodeSelector\"",
               hint: "did you mean \"node_selector\"?"),
    BrokenCase("unknown-scheduler.yaml", 2, 12, "scheduler", "unknown scheduler \"best-fitt\"",
               hint: "did you mean \"best-fit\"?"),
    BrokenCase("kube-profile-on-generic.yaml", 2, 47, "scheduler.scoring_strategy",
               "\"scoring_strategy\" applies only to Kubernetes presets", hint: "name: kubernetes"),
    BrokenCase("nomad-algorithm-on-kubernetes.yaml", 2, 52, "scheduler.scheduler_algorithm",
               "\"scheduler_algorithm\" applies only to Nomad presets", hint: "name: nomad"),
    BrokenCase("nomad-unknown-operator.yaml", 12, 56, "workloads[0].nomad.constraints[0].operator",
               "unknown operator \"regex\"", hint: "did you mean \"regexp\"?"),
    BrokenCase("nomad-affinity-weight-zero.yaml", 12, 65, "workloads[0].nomad.affinities[0].weight",
               "an affinity weight cannot be 0"),
    BrokenCase("nomad-system-type-on-service.yaml", 9, 19, "workloads[0].nomad.type",
               "job type system does not fit a service workload", hint: "kind daemonset"),
    BrokenCase("nomad-spread-over-100.yaml", 14, 13, "workloads[0].nomad.spread[0].target",
               "spread target percentages add up to 110, more than 100"),
    BrokenCase("nomad-preemption-without-plans.yaml", 5, 22, "scheduler.preemption_config",
               "preemption needs Nomad's evaluation/plan model", hint: "num_schedulers must not be 0"),
    BrokenCase("unknown-score-plugin.yaml", 4, 28, "scheduler.disabled_score_plugins[0]",
               "unknown score plugin \"NodeResourcesBalancedAlocation\"", hint: "did you mean \"NodeResourcesBalancedAllocation\"?"),
    // expect: entries are parsed when the file loads; the column is the problem's inside the entry.
    BrokenCase("expect-single-equals.yaml", 14, 17, "expect[1]", "\"=\" is not an operator (use \"==\")",
               hint: "unscheduled == 0"),
    // A quoted entry: its text starts one column after the opening quote.
    BrokenCase("expect-placement-ordering.yaml", 14, 29, "expect[0]", "placements and strings compare only with == or !=",
               hint: "placement("),
    BrokenCase("backoff-limit-on-service.yaml", 12, 20, "workloads[0].backoff_limit",
               "\"backoff_limit\" does not apply to a service workload"),
    BrokenCase("unknown-workload-kind.yaml", 9, 11, "workloads[0].kind", "unknown workload kind \"job\"",
               hint: "service, batch"),
    BrokenCase("unknown-taint-effect.yaml", 8, 57, "cluster.pools[0].taints[0].effect",
               "unknown taint effect \"NoSchedul\"", hint: "did you mean \"NoSchedule\"?"),
    BrokenCase("toleration-exists-with-value.yaml", 16, 16, "workloads[0].tolerations[0].value",
               "must be empty when operator is Exists"),
    BrokenCase("missing-requests.yaml", 8, 5, "workloads[0]", "missing required key \"requests\""),
    BrokenCase("duplicate-workload-names.yaml", 12, 11, "workloads[1].name", "duplicate workload name \"web\"",
               hint: "workloads[0]"),
    BrokenCase("duplicate-pool-names.yaml", 7, 13, "cluster.pools[1].name", "duplicate pool name \"general\"",
               hint: "cluster.pools[0]"),
    BrokenCase("colliding-name-prefix.yaml", 10, 20, "cluster.pools[1].name_prefix",
               "node name \"node-0\" is also produced by pool \"small\"", hint: "name_prefix"),

    // MARK: The cluster as a whole
    BrokenCase("no-pools.yaml", 3, 10, "cluster.pools", "the cluster has no nodes"),
    BrokenCase("zero-count.yaml", 4, 5, "cluster.pools", "the cluster has no nodes"),
    BrokenCase("task-larger-than-every-node.yaml", 14, 32, "workloads[0].requests.memory",
               "larger than every node", "memory"),
    BrokenCase("node-selector-matches-nothing.yaml", 13, 20, "workloads[0].node_selector",
               "matches none of the 3 nodes", hint: "tier=general"),
    BrokenCase("initial-unknown-node.yaml", 9, 11, "initial[0].node", "no node named \"gpu-2\"",
               hint: "did you mean \"gpu-0\"?"),
    BrokenCase("initial-does-not-fit.yaml", 9, 87, "initial[1].requests[\"nvidia.com/gpu\"]",
               "does not fit on node \"gpu-0\"", "nvidia.com/gpu would be 12 of 8"),

    // MARK: Docker Swarm and Amazon ECS vocabulary
    BrokenCase("swarm-bad-constraint.yaml", 12, 40, "workloads[0].placement.constraints[1]",
               "invalid constraint \"node.labels.zone=eu-1\"", "expected one operator from ==, !=", hint: "node.labels.zone==eu-1"),
    BrokenCase("swarm-spread-not-a-label.yaml", 13, 19, "workloads[0].placement.preferences[0].spread",
               "cannot spread over \"node.hostname\"", "node.labels.NAME"),
    BrokenCase("mesos-unknown-constraint-operator.yaml", 11, 39, "workloads[0].marathon_constraints[0][1]",
               "unknown constraint operator \"UNIQUe\"", hint: "did you mean \"UNIQUE\"?"),
    BrokenCase("mesos-max-per-without-number.yaml", 11, 47, "workloads[0].marathon_constraints[0][2]",
               "MAX_PER needs a whole number value", hint: "e.g. [rack, MAX_PER, \"2\"]"),
    BrokenCase("mesos-options-on-kubernetes.yaml", 4, 10, "scheduler.mesos",
               "\"mesos\" applies only to Mesos presets", hint: "e.g. name: mesos-drf"),
    BrokenCase("mesos-unknown-framework-type.yaml", 6, 21, "scheduler.mesos.frameworks.spark.type",
               "unknown framework type \"spark\"", hint: "one of: marathon, batch"),
    BrokenCase("mesos-framework-two-roles.yaml", 17, 11, "workloads[1].role",
               "framework \"spark\" already has role \"analytics\"", hint: "use role: analytics"),
    BrokenCase("mesos-reservation-unknown-node.yaml", 5, 31, "scheduler.mesos.reservations.analytics",
               "names \"agnet\", which is neither a node nor a pool"),
    BrokenCase("mesos-constraints-on-batch-framework.yaml", 12, 27, "workloads[0].marathon_constraints",
               "only Marathon frameworks check marathon_constraints", hint: "framework: marathon"),
    BrokenCase("architecture-on-kubernetes.yaml", 4, 17, "scheduler.architecture",
               "\"architecture\" applies only to the decision-time presets", hint: "monolithic-multipath"),
    BrokenCase("architecture-unknown-conflict-mode.yaml", 6, 20, "scheduler.architecture.conflict_mode",
               "unknown conflict mode \"sequence-number\"", hint: "did you mean \"sequence-numbers\"?"),
    BrokenCase("architecture-per-class-on-single-path.yaml", 6, 14, "scheduler.architecture.service",
               "\"service\" decision times apply to monolithic-multipath and omega", hint: "name: monolithic-multipath"),
    BrokenCase("architecture-max-attempts-zero.yaml", 4, 32, "scheduler.architecture.max_attempts",
               "must be at least 1, got 0"),
    BrokenCase("ecs-bad-query.yaml", 13, 53, "workloads[0].placement_constraints[0].expression",
               "invalid cluster query", "in expects a list", hint: "attribute:ecs.availability-zone in ["),
    BrokenCase("ecs-binpack-field.yaml", 12, 32, "workloads[0].placement_strategy[0].field",
               "unknown binpack field \"memroy\"", hint: "did you mean \"memory\"?"),
    BrokenCase("ecs-strategy-on-swarm.yaml", 4, 23, "scheduler.placement_strategy",
               "\"placement_strategy\" applies only to ECS presets", hint: "ecs-spread"),

    // MARK: Several mistakes (all reported; see `reportsEveryIndependentMistake`)
    BrokenCase("several-mistakes.yaml", 3, 10, "horizon", "expected a duration", "got \"2 hours\"", count: 4),

    // MARK: Kubernetes profiles (errors inside the KubeSchedulerConfiguration file)
    BrokenCase("kube-config-duplicate-profile.yaml", 5, 20, "profiles[1].schedulerName", "Duplicate value: \"batch-scheduler\"",
               hint: "profiles[0]", in: "kube-config/duplicate-profile.yaml"),
    BrokenCase("kube-config-system-with-constraints.yaml", 8, 13, "profiles[0].pluginConfig[0].args.defaultConstraints",
               "\"System\": when .defaultConstraints are not empty", hint: "defaultingType: List",
               in: "kube-config/system-with-constraints.yaml"),
    BrokenCase("kube-config-selector-in-default-constraint.yaml", 12, 30,
               "profiles[0].pluginConfig[0].args.defaultConstraints[0].labelSelector", "must not define a selector",
               in: "kube-config/selector-in-default-constraint.yaml"),
    BrokenCase("kube-config-backoff-max-below-initial.yaml", 4, 23, "podMaxBackoffSeconds",
               "must be greater than or equal to PodInitialBackoffSeconds", in: "kube-config/backoff-max-below-initial.yaml"),
    BrokenCase("kube-config-unknown-filter-plugin.yaml", 7, 19, "profiles[0].plugins.filter.disabled[0].name",
               "unknown plugin \"TaintTolerations\"", hint: "did you mean \"TaintToleration\"?", in: "kube-config/unknown-filter-plugin.yaml"),
    BrokenCase("unknown-pod-scheduler-name.yaml", 11, 23, "workloads[0].pod.scheduler_name",
               "no scheduler profile named \"default-schedular\"", hint: "did you mean \"default-scheduler\"?"),
]

/// The corpus folder, copied into the test bundle.
func brokenFolder() throws -> URL {
    try #require(Bundle.module.url(forResource: "Broken", withExtension: nil), "the Broken resource folder is missing")
}

func brokenFiles() throws -> [String] {
    let folder = try brokenFolder()
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    return names.filter { name in
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
        return name != "README.md" && !name.hasPrefix(".") && !isDirectory.boolValue  // kube-config/ holds referenced files
    }.sorted()
}

/// Loads a corpus file, which must fail, and returns its diagnostics.
func diagnostics(of file: String) throws -> (path: String, [Diagnostic]) {
    let path = try brokenFolder().appendingPathComponent(file).path
    do {
        let scenario = try ScenarioLoader.load(path: path)
        Issue.record("\(file) loaded without errors as scenario \"\(scenario.name)\"")
        return (path, [])
    } catch {
        return (path, error.diagnostics)
    }
}

@Suite("Broken scenario corpus")
struct BrokenScenarioTests {
    @Test("first diagnostic: location, path, message, hint", arguments: brokenCases)
    func firstDiagnostic(_ c: BrokenCase) throws {
        var (path, found) = try diagnostics(of: c.file)
        if let other = c.locatedIn { path = try brokenFolder().appendingPathComponent(other).path }
        let first = try #require(found.first, "no diagnostics for \(c.file)")
        #expect(found.count == c.count, "diagnostics:\n\(found.map(\.description).joined(separator: "\n"))")
        #expect(first.location.file == path)
        #expect(first.location.line == c.line, "\(first)")
        #expect(first.location.column == c.column, "\(first)")
        #expect(first.path == c.path, "\(first)")
        for part in c.message {
            #expect(first.message.contains(part), "message \"\(first.message)\" lacks \"\(part)\"")
        }
        if let hint = c.hint {
            #expect(first.hint?.contains(hint) == true, "hint \(first.hint ?? "nil") lacks \"\(hint)\"")
        }
        // The rendered form editors and CI parse.
        let prefix = "\(path):\(c.line):\(c.column): error: " + (c.path.isEmpty ? "" : "\(c.path): ")
        #expect(first.description.hasPrefix(prefix), "\(first.description)")
    }

    @Test("every corpus file has exactly one row, and every row a file")
    func everyFileHasARow() throws {
        let files = try brokenFiles()
        let rows = brokenCases.map(\.file)
        #expect(Set(rows).count == rows.count, "a file has two rows")
        #expect(Set(files).subtracting(rows).sorted() == [], "files without a row in brokenCases")
        #expect(Set(rows).subtracting(files).sorted() == [], "rows without a file in Broken/")
        #expect(files.count >= 24)
    }

    @Test("the corpus README lists every file")
    func readmeListsEveryFile() throws {
        let readme = try String(contentsOf: try brokenFolder().appendingPathComponent("README.md"), encoding: .utf8)
        for file in try brokenFiles() {
            #expect(readme.contains("`\(file)`"), "README.md does not list \(file)")
        }
    }

    @Test("a file with several independent mistakes reports every one, in file order")
    func reportsEveryIndependentMistake() throws {
        let (_, found) = try diagnostics(of: "several-mistakes.yaml")
        #expect(found.map(\.path) == ["horizon", "cluster.pools[0].zone", "workloads[1].duration.sigma",
                                      "workloads[1].requests.cpus"])
        #expect(found.map(\.location.line) == [3, 9, 18, 19])
        #expect(found[1].hint == "did you mean \"zones\"?")
        #expect(found[2].message.contains("sigma must be greater than 0"))
        #expect(found[3].hint == "did you mean \"cpu\"?")
    }

    @Test("several mistakes in text are reported together, not one per round")
    func severalMistakesInText() throws {
        let text = """
            name: two-mistakes
            seed: -3
            cluster:
              pools:
                - {name: a, count: 1, capacity: {cpu: 4, memory: 8Gi}, price_per_hour: cheap}
            workloads:
              - {name: w, kind: service, replicas: 1, requests: {cpu: 1}, priorty: 5}
            """
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.load(text: text, file: "t.yaml") }
        #expect(error.diagnostics.map(\.path) == ["seed", "cluster.pools[0].price_per_hour", "workloads[0].priorty"])
        #expect(error.diagnostics.last?.hint == "did you mean \"priority\"?")
        #expect(error.description.split(separator: "\n").count == 3)
    }

    @Test("a duplicate key in a flow mapping points at the repeat")
    func duplicateKeyInFlowMapping() throws {
        let text = "name: x\ncluster: {pools: [{name: a, count: 1, capacity: {cpu: 1, cpu: 2}}]}\n"
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.load(text: text, file: "t.yaml") }
        let d = try #require(error.diagnostics.first)
        #expect(d.location.line == 2)
        #expect(d.location.column == 58)
        #expect(d.message.contains("duplicate key \"cpu\""))
        #expect(d.hint == "first given at line 2, column 50")
    }

    @Test("a missing file is a diagnostic, not a crash")
    func missingFile() throws {
        let path = try brokenFolder().appendingPathComponent("no-such-file.yaml").path
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.load(path: path) }
        #expect(error.diagnostics.first?.message.contains("cannot read") == true)
    }
}
