import BerthCluster
import BerthPlacement
import BerthSchedulers
import BerthTestSupport
import BerthWorkloads
import Foundation
import Testing
@testable import BerthScenario

/// Keeps docs/scenario.schema.json and docs/scenario-format.md in step with the loader.
@Suite struct SchemaTests {
    // MARK: Helpers

    static func loadSchema() throws -> [String: Any] {
        let path = Repository.path("docs/scenario.schema.json")
        let data = try #require(FileManager.default.contents(atPath: path), "cannot read \(path)")
        let object = try JSONSerialization.jsonObject(with: data)
        return try #require(object as? [String: Any], "the schema is not a JSON object")
    }

    static func definition(_ name: String, in schema: [String: Any]) throws -> [String: Any] {
        let definitions = try #require(schema["definitions"] as? [String: Any], "schema has no definitions")
        return try #require(definitions[name] as? [String: Any], "schema has no definition \"\(name)\"")
    }

    /// The property names of a schema object, sorted.
    static func propertyNames(_ object: [String: Any]) throws -> [String] {
        let properties = try #require(object["properties"] as? [String: Any], "no properties in \(object)")
        return properties.keys.sorted()
    }

    static func isClosed(_ object: [String: Any]) -> Bool {
        (object["additionalProperties"] as? Bool) == false
    }

    /// The `enum` of `definitions/<name>` or of `definitions/<name>/properties/<property>`.
    static func enumValues(_ definition: String, property: String? = nil, in schema: [String: Any]) throws -> [String] {
        var node = try Self.definition(definition, in: schema)
        if let property {
            let properties = try #require(node["properties"] as? [String: Any])
            node = try #require(properties[property] as? [String: Any], "no property \(property) in \(definition)")
        }
        return try #require(node["enum"] as? [String], "no string enum at \(definition)/\(property ?? "")")
    }

    // MARK: (a) schema keys and enums match the loader

    @Test func schemaIsDraft07AndClosedAtTheTop() throws {
        let schema = try Self.loadSchema()
        #expect(schema["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
        #expect(try Self.propertyNames(schema) == ScenarioLoader.topLevelKeys.sorted())
        #expect(Self.isClosed(schema))
        #expect((schema["required"] as? [String])?.sorted() == ["cluster", "name"])
    }

    @Test(arguments: [
        ("schedulerOptions", ScenarioDecoder.schedulerKeys),
        ("cluster", ScenarioDecoder.clusterKeys),
        ("pool", ScenarioDecoder.poolKeys),
        ("taint", ScenarioDecoder.taintKeys),
        ("toleration", ScenarioDecoder.tolerationKeys),
        ("workload", ScenarioDecoder.workloadKeys),
        ("arrival", ScenarioDecoder.arrivalKeys),
        ("initial", ScenarioDecoder.initialKeys),
        ("trace", ScenarioDecoder.traceKeys),
        ("traceWindow", ScenarioDecoder.traceWindowKeys),
        ("fromTrace", ScenarioDecoder.fromTraceKeys),
        ("image", ScenarioDecoder.imageKeys),
        ("pod", ScenarioDecoder.podKeys),
        ("container", ScenarioDecoder.containerKeys),
        ("affinity", ScenarioDecoder.affinityKeys),
        ("nodeAffinity", ScenarioDecoder.nodeAffinityKeys),
        ("nodeSelectorTerm", ScenarioDecoder.nodeSelectorTermKeys),
        ("nodeSelectorRequirement", ScenarioDecoder.requirementKeys),
        ("preferredSchedulingTerm", ScenarioDecoder.preferredTermKeys),
        ("podAffinity", ScenarioDecoder.podAffinityKeys),
        ("podAffinityTerm", ScenarioDecoder.podAffinityTermKeys),
        ("weightedPodAffinityTerm", ScenarioDecoder.weightedPodAffinityTermKeys),
        ("labelSelector", ScenarioDecoder.labelSelectorKeys),
        ("labelSelectorRequirement", ScenarioDecoder.requirementKeys),
        ("topologySpreadConstraint", ScenarioDecoder.spreadKeys),
        ("swarmPlacement", ScenarioDecoder.swarmPlacementKeys),
        ("swarmPreference", ScenarioDecoder.swarmPreferenceKeys),
        ("swarmPlatform", ScenarioDecoder.swarmPlatformKeys),
        ("ecsStrategy", ScenarioDecoder.ecsStrategyKeys),
        ("ecsPlacementConstraint", ScenarioDecoder.ecsConstraintKeys),
        ("nomadJob", ScenarioDecoder.nomadKeys),
        ("nomadResources", ScenarioDecoder.nomadResourceKeys),
        ("nomadConstraint", ScenarioDecoder.nomadConstraintKeys),
        ("nomadAffinity", ScenarioDecoder.nomadAffinityKeys),
        ("nomadSpread", ScenarioDecoder.nomadSpreadKeys),
        ("nomadSpreadTarget", ScenarioDecoder.nomadTargetKeys),
        ("nomadPreemptionConfig", ScenarioDecoder.nomadPreemptionKeys),
        ("mesosOptions", ScenarioDecoder.mesosKeys),
        ("mesosFramework", ScenarioDecoder.mesosFrameworkKeys),
        ("architectureOptions", ScenarioDecoder.architectureKeys),
        ("decisionTime", ScenarioDecoder.decisionTimeKeys),
        ("failures", ScenarioDecoder.failuresKeys),
        ("nodeFailure", ScenarioDecoder.nodeFailureKeys),
        ("outage", ScenarioDecoder.outageKeys),
        ("maintenance", ScenarioDecoder.maintenanceKeys),
        ("disruptionBudget", ScenarioDecoder.budgetKeys),
        ("workflowTask", ScenarioDecoder.workflowTaskKeys),
        ("workflowSchedule", ScenarioDecoder.scheduleKeys),
        ("memoryRamp", ScenarioDecoder.rampKeys),
        ("recoverySpec", ScenarioDecoder.recoveryKeys),
        ("nomadRestart", ScenarioDecoder.nomadRestartKeys),
        ("nomadReschedule", ScenarioDecoder.nomadRescheduleKeys),
        ("priorityClass", ScenarioDecoder.priorityClassKeys),
        ("podFailurePolicy", ScenarioDecoder.podFailurePolicyKeys),
        ("podFailurePolicyRule", ScenarioDecoder.podFailurePolicyRuleKeys),
        ("onExitCodes", ScenarioDecoder.onExitCodesKeys),
        ("podConditionPattern", ScenarioDecoder.podConditionPatternKeys),
        ("scaleStep", ScenarioDecoder.scaleKeys),
    ])
    func mappingKeysMatchTheLoader(definition: String, loaderKeys: [String]) throws {
        let schema = try Self.loadSchema()
        let object = try Self.definition(definition, in: schema)
        #expect(try Self.propertyNames(object) == loaderKeys.sorted(), "definitions/\(definition)")
        #expect(Self.isClosed(object), "definitions/\(definition) must reject unknown keys")
    }

    /// Each distribution has a closed variant in both the timed and the count
    /// flavour, whose parameters are exactly the loader's.
    @Test func distributionVariantsMatchTheLoader() throws {
        let schema = try Self.loadSchema()
        #expect(Set(ScenarioDecoder.distributionKeys.keys) == Set(ScenarioDecoder.distributionNames))
        for flavour in ["timed", "count"] {
            let union = try Self.definition("\(flavour)Distribution", in: schema)
            let refs = (union["oneOf"] as? [[String: Any]] ?? []).compactMap { $0["$ref"] as? String }
            let variantRefs = refs.filter { $0.hasPrefix("#/definitions/\(flavour)Dist_") }
            let expected = ScenarioDecoder.distributionNames.map { "#/definitions/\(flavour)Dist_\($0)" }
            #expect(variantRefs.sorted() == expected.sorted(), "\(flavour)Distribution.oneOf")
            for (dist, parameters) in ScenarioDecoder.distributionKeys {
                let variant = try Self.definition("\(flavour)Dist_\(dist)", in: schema)
                #expect(try Self.propertyNames(variant) == (["dist"] + parameters).sorted(), "\(flavour)Dist_\(dist)")
                #expect(Self.isClosed(variant), "\(flavour)Dist_\(dist) must reject unknown keys")
                let properties = try #require(variant["properties"] as? [String: Any])
                let tag = try #require(properties["dist"] as? [String: Any])
                #expect(tag["const"] as? String == dist)
            }
        }
        // A timed distribution may also be a bare duration (a constant).
        let timed = try Self.definition("timedDistribution", in: schema)
        let refs = (timed["oneOf"] as? [[String: Any]] ?? []).compactMap { $0["$ref"] as? String }
        #expect(refs.contains("#/definitions/duration"))
    }

    /// A host port is a bare port number or a closed mapping with the loader's keys.
    @Test func hostPortMatchesTheLoader() throws {
        let schema = try Self.loadSchema()
        let hostPort = try Self.definition("hostPort", in: schema)
        let variants = try #require(hostPort["oneOf"] as? [[String: Any]], "definitions/hostPort needs a oneOf")
        #expect(variants.contains { $0["type"] as? String == "integer" }, "definitions/hostPort must accept a bare port number")
        let object = try #require(variants.first { $0["type"] as? String == "object" }, "definitions/hostPort needs a mapping variant")
        #expect(try Self.propertyNames(object) == ScenarioDecoder.hostPortKeys.sorted())
        #expect(Self.isClosed(object), "definitions/hostPort's mapping must reject unknown keys")
        let properties = try #require(object["properties"] as? [String: Any])
        let proto = try #require(properties["protocol"] as? [String: Any])
        // The loader's protocols (decodeContainer in ScenarioDecoder+Pod.swift).
        #expect(proto["enum"] as? [String] == ["TCP", "UDP", "SCTP"])
    }

    @Test func schedulerNamesMatchTheRegistry() throws {
        let schema = try Self.loadSchema()
        #expect(try Self.enumValues("schedulerName", in: schema) == SchedulerRegistry.names)
    }

    @Test func enumsMatchTheLoader() throws {
        let schema = try Self.loadSchema()
        #expect(try Self.enumValues("taintEffect", in: schema) == ScenarioDecoder.effects.map(\.0))
        #expect(try Self.enumValues("toleration", property: "operator", in: schema) == Toleration.Operator.allCases.map(\.rawValue))
        #expect(try Self.enumValues("workload", property: "kind", in: schema) == WorkloadKind.allCases.map(\.rawValue))
        #expect(try Set(Self.enumValues("arrival", property: "process", in: schema)) == Set(ScenarioDecoder.processKeys.keys))
        #expect(try Self.enumValues("trace", property: "format", in: schema) == TraceFormat.allCases.map(\.rawValue))
        #expect(try Self.enumValues("fromTrace", property: "format", in: schema) == NodeTraceFormat.allCases.map(\.rawValue))
        #expect(try Self.enumValues("nodeSelectorRequirement", property: "operator", in: schema)
            == NodeSelectorOperator.allCases.map(\.rawValue))
        #expect(try Self.enumValues("labelSelectorRequirement", property: "operator", in: schema)
            == PodLabelSelectorOperator.allCases.map(\.rawValue))
        #expect(try Self.enumValues("labelSelectorRequirement", property: "operator", in: schema)
            == LabelSelectorOperator.allCases.map(\.rawValue))
        #expect(try Self.enumValues("topologySpreadConstraint", property: "when_unsatisfiable", in: schema)
            == UnsatisfiableConstraintAction.allCases.map(\.rawValue))
        #expect(try Self.enumValues("nomadJob", property: "type", in: schema) == NomadDetails.JobType.allCases.map(\.rawValue))
        #expect(try Self.enumValues("nomadConstraint", property: "operator", in: schema) == NomadOperator.allCases.map(\.rawValue))
        #expect(try Self.enumValues("schedulerOptions", property: "scheduler_algorithm", in: schema)
            == NomadConfig.Algorithm.allCases.map(\.rawValue))
        #expect(try Self.enumValues("architectureOptions", property: "conflict_mode", in: schema) == ConflictMode.allCases.map(\.rawValue))
        #expect(try Self.enumValues("architectureOptions", property: "transaction_mode", in: schema)
            == TransactionMode.allCases.map(\.rawValue))
        #expect(try Self.enumValues("podFailurePolicyRule", property: "action", in: schema)
            == PodFailurePolicy.Action.allCases.map(\.rawValue))
        #expect(try Self.enumValues("onExitCodes", property: "operator", in: schema)
            == PodFailurePolicy.ExitCodeOperator.allCases.map(\.rawValue))
        #expect(try Self.enumValues("podConditionPattern", property: "status", in: schema) == ScenarioDecoder.conditionStatuses)
        #expect(try Self.enumValues("priorityClass", property: "preemption_policy", in: schema)
            == PreemptionPolicy.allCases.map(\.rawValue))
        for policy in ["node_affinity_policy", "node_taints_policy"] {
            #expect(try Self.enumValues("topologySpreadConstraint", property: policy, in: schema)
                == NodeInclusionPolicy.allCases.map(\.rawValue))
        }
    }

    // MARK: (b) every whole scenario in the doc loads

    /// The fenced blocks of `language` in a Markdown text, with the 1-based line
    /// each body starts at. Blocks of other languages are skipped.
    static func fencedBlocks(_ language: String, in markdown: String) -> [(line: Int, body: String)] {
        var blocks: [(line: Int, body: String)] = []
        var inside = false
        var wanted = false
        var body: [String] = []
        var start = 0
        for (index, raw) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !inside {
                guard trimmed.hasPrefix("```") else { continue }
                inside = true
                wanted = trimmed == "```" + language
                body = []
                start = index + 2
            } else if trimmed == "```" {
                if wanted { blocks.append((start, body.joined(separator: "\n") + "\n")) }
                inside = false
            } else {
                body.append(line)
            }
        }
        return blocks
    }

    /// Whether a YAML block is a whole scenario: its first line that is not
    /// blank or a comment is `name: …`.
    static func isWholeScenario(_ yaml: String) -> Bool {
        let first = yaml.split(separator: "\n").first { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            return !t.isEmpty && !t.hasPrefix("#")
        }
        return first?.hasPrefix("name:") ?? false
    }

    /// The block's text preceded by blank lines, so diagnostics carry the doc's own line numbers.
    static func padded(_ block: (line: Int, body: String)) -> String {
        String(repeating: "\n", count: block.line - 1) + block.body
    }

    static func docText() throws -> String {
        let path = Repository.path("docs/scenario-format.md")
        let data = try #require(FileManager.default.contents(atPath: path), "cannot read \(path)")
        return try #require(String(data: data, encoding: .utf8))
    }

    @Test func wholeScenarioExamplesInTheDocLoad() throws {
        let doc = try Self.docText()
        let scenarios = Self.fencedBlocks("yaml", in: doc).filter { Self.isWholeScenario($0.body) }
        #expect(scenarios.count >= 2, "the doc should show at least a minimal and a complete scenario")
        for block in scenarios {
            // Trace examples read ../../shared/traces relative to the doc (CI puts shared/ beside the repository).
            if block.body.contains("shared/traces/") && Repository.sharedTraces == nil { continue }
            do {
                let scenario = try ScenarioLoader.load(text: Self.padded(block), file: Repository.path("docs/scenario-format.md"))
                #expect(!scenario.nodes.isEmpty, "docs/scenario-format.md:\(block.line)")
            } catch {
                Issue.record("example at docs/scenario-format.md:\(block.line) does not load:\n\(error.description)")
            }
        }
    }

    @Test func jsonExamplesInTheDocLoad() throws {
        let doc = try Self.docText()
        let blocks = Self.fencedBlocks("json", in: doc)
        #expect(!blocks.isEmpty, "the doc should show a JSON scenario")
        for block in blocks {
            do {
                _ = try ScenarioLoader.load(text: Self.padded(block), file: "docs/scenario-format.md")
            } catch {
                Issue.record("JSON example at docs/scenario-format.md:\(block.line) does not load:\n\(error.description)")
            }
        }
    }

    /// Every key of the pod syntax (`pod:` in a workload).
    static let podKeys = ScenarioDecoder.podKeys + ScenarioDecoder.containerKeys + ScenarioDecoder.hostPortKeys
        + ScenarioDecoder.affinityKeys + ScenarioDecoder.nodeAffinityKeys + ScenarioDecoder.nodeSelectorTermKeys
        + ScenarioDecoder.requirementKeys + ScenarioDecoder.preferredTermKeys + ScenarioDecoder.podAffinityKeys
        + ScenarioDecoder.podAffinityTermKeys + ScenarioDecoder.weightedPodAffinityTermKeys
        + ScenarioDecoder.labelSelectorKeys + ScenarioDecoder.spreadKeys

    /// Keys that only make sense with a trace file; the "Trace replay" example uses them.
    static let traceOnlyKeys: Set<String> = ["trace", "from_trace"]

    /// The complete example really uses every key the loader knows (trace keys: see below).
    @Test func completeExampleUsesEveryKey() throws {
        let doc = try Self.docText()
        let example = try #require(Self.fencedBlocks("yaml", in: doc).first { $0.body.hasPrefix("name: reference-example") })
        // The kube-scheduler profile keys are shown in the Kubernetes example instead (the reference example uses a generic preset).
        // Likewise the Nomad keys are shown in the Nomad example, the Mesos keys in the Mesos example
        // (mesosExampleUsesEveryMesosKey).
        let allKeys = ScenarioLoader.topLevelKeys + ScenarioDecoder.schedulerKeys.filter {
            !ScenarioDecoder.kubeProfileKeys.contains($0) && !ScenarioDecoder.nomadSchedulerKeys.contains($0) && $0 != "mesos"
                && $0 != "architecture"
        }
            + ScenarioDecoder.clusterKeys
            + ScenarioDecoder.poolKeys + ScenarioDecoder.taintKeys + ScenarioDecoder.tolerationKeys
            + ScenarioDecoder.workloadKeys + ScenarioDecoder.arrivalKeys + ScenarioDecoder.initialKeys
            + ScenarioDecoder.distributionNames + ScenarioDecoder.imageKeys + Self.podKeys
            + ScenarioDecoder.swarmPlacementKeys + ScenarioDecoder.swarmPreferenceKeys + ScenarioDecoder.swarmPlatformKeys
            + ScenarioDecoder.ecsStrategyKeys + ScenarioDecoder.ecsConstraintKeys + ScenarioDecoder.priorityClassKeys
        for key in Set(allKeys).subtracting(Self.traceOnlyKeys).subtracting(["nomad"]).subtracting(ScenarioDecoder.workflowKeys)
                    .subtracting(ScenarioDecoder.memoryKeys) {
            let used = example.body.contains("\(key):") || example.body.contains("\(key),") || example.body.contains(" \(key)}")
            #expect(used, "the complete example does not use \"\(key)\"")
        }
    }

    /// The Mesos example uses every `scheduler.mesos` key and every framework key.
    @Test func mesosExampleUsesEveryMesosKey() throws {
        let doc = try Self.docText()
        let example = try #require(Self.fencedBlocks("yaml", in: doc).first { $0.body.hasPrefix("name: mesos-example") })
        for key in ["mesos"] + ScenarioDecoder.mesosKeys + ScenarioDecoder.mesosFrameworkKeys + ["framework", "role", "marathon_constraints"] {
            #expect(example.body.contains("\(key):") || example.body.contains("\(key),") || example.body.contains(" \(key)}"),
                    "the Mesos example does not use \"\(key)\"")
        }
    }

    /// The "Workflows" example uses every workflow, task and schedule key.
    @Test func workflowExampleUsesEveryWorkflowKey() throws {
        let doc = try Self.docText()
        let example = try #require(Self.fencedBlocks("yaml", in: doc).first { $0.body.hasPrefix("name: workflow-example") })
        for key in ScenarioDecoder.workflowKeys + ScenarioDecoder.workflowTaskKeys + ScenarioDecoder.scheduleKeys {
            #expect(example.body.contains("\(key):"), "the workflow example does not use \"\(key)\"")
        }
    }

    /// The decision-time example uses every `scheduler.architecture` key (t_job/t_task inside batch/service).
    @Test func architectureExampleUsesEveryArchitectureKey() throws {
        let doc = try Self.docText()
        let example = try #require(Self.fencedBlocks("yaml", in: doc).first { $0.body.hasPrefix("name: architecture-example") })
        for key in ["architecture"] + ScenarioDecoder.architectureKeys {
            #expect(example.body.contains("\(key):"), "the architecture example does not use \"\(key)\"")
        }
    }

    /// The "failures" example uses every failure key.
    @Test func failuresExampleUsesEveryFailureKey() throws {
        let doc = try Self.docText()
        let example = try #require(Self.fencedBlocks("yaml", in: doc).first { $0.body.hasPrefix("name: failures-example") })
        for key in ScenarioDecoder.failuresKeys + ScenarioDecoder.nodeFailureKeys + ScenarioDecoder.outageKeys
            + ScenarioDecoder.maintenanceKeys + ScenarioDecoder.budgetKeys + ["disruption_budget"]
            + ScenarioDecoder.memoryKeys + ScenarioDecoder.rampKeys {
            #expect(example.body.contains("\(key):"), "the failures example does not use \"\(key)\"")
        }
    }

    /// The "Trace replay" example uses every trace key.
    @Test func traceExampleUsesEveryTraceKey() throws {
        let doc = try Self.docText()
        let example = try #require(Self.fencedBlocks("yaml", in: doc).first { $0.body.hasPrefix("name: trace-replay-example") })
        let keys = Self.traceOnlyKeys.union(ScenarioDecoder.traceKeys).union(ScenarioDecoder.traceWindowKeys)
            .union(ScenarioDecoder.fromTraceKeys).union(TraceFormat.allCases.map(\.rawValue))
            .union(NodeTraceFormat.allCases.map(\.rawValue))
        for key in keys {
            #expect(example.body.contains("\(key):") || example.body.contains("\(key),") || example.body.contains(" \(key)\n"),
                    "the trace example does not use \"\(key)\"")
        }
    }

    /// The "Nomad" example uses every Nomad key (scheduler and workload).
    @Test func nomadExampleUsesEveryNomadKey() throws {
        let doc = try Self.docText()
        let example = try #require(Self.fencedBlocks("yaml", in: doc).first { $0.body.hasPrefix("name: nomad-example") })
        let keys = ["nomad"] + ScenarioDecoder.nomadSchedulerKeys + ScenarioDecoder.nomadPreemptionKeys
            + ScenarioDecoder.nomadKeys + ScenarioDecoder.nomadResourceKeys
            + ScenarioDecoder.nomadAffinityKeys + ScenarioDecoder.nomadSpreadKeys + ScenarioDecoder.nomadTargetKeys
        for key in Set(keys) {
            #expect(example.body.contains("\(key):") || example.body.contains("\(key),"), "the Nomad example does not use \"\(key)\"")
        }
    }
}
