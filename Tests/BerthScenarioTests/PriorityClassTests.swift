import BerthCluster
import BerthScenario
import BerthWorkloads
import Testing

/// `priority_classes:` and `priority_class_name`, resolved as the Priority
/// admission plugin does (plugin/pkg/admission/priority/admission.go, v1.28).
@Suite struct PriorityClassTests {
    static func scenario(classes: String, workloads: String, initial: String = "") -> String {
        """
        name: classes
        cluster:
          pools:
            - {name: n, count: 1, capacity: {cpu: 8, memory: 32Gi}}
        \(classes)
        workloads:
        \(workloads)
        \(initial)
        """
    }

    static func diagnostics(_ text: String) -> [Diagnostic] {
        do {
            _ = try ScenarioLoader.load(text: text, file: "pc.yaml")
            return []
        } catch {
            return error.diagnostics
        }
    }

    /// A named class sets priority and preemption policy; the global default
    /// applies to pods that name none; system classes are built in; a pod
    /// block's priority_class_name counts like the workload's.
    @Test func classesResolvePriorityAndPolicy() throws {
        let s = try loadValid(Self.scenario(classes: """
            priority_classes:
              - {name: batch-low, value: 100, global_default: true}
              - {name: online, value: 5000, preemption_policy: Never, description: "serves traffic"}
            """, workloads: """
              - {name: a, kind: service, replicas: 1, requests: {cpu: 1}, priority_class_name: online}
              - {name: b, kind: service, replicas: 1, requests: {cpu: 1}}
              - {name: c, kind: service, replicas: 1, requests: {cpu: 1}, priority_class_name: system-node-critical}
              - {name: d, kind: service, replicas: 1, priority: 5000,
                 pod: {priority_class_name: online, containers: [{name: x, requests: {cpu: 1}}]}}
            """, initial: """
            initial:
              - {name: i, node: n-0, requests: {cpu: 1}}
            """))
        let t = s.workloads.map(\.template)
        #expect(t.map(\.priority) == [5000, 100, 2_000_001_000, 5000])
        #expect(t.map(\.preemptionPolicy) == [.never, .preemptLowerPriority, .preemptLowerPriority, .never])
        #expect(s.initial[0].template.priority == 100, "the global default applies to initial pods too")
    }

    /// Without classes, `priority` is taken as written (and the policy is the default).
    @Test func withoutClassesPriorityIsAsWritten() throws {
        let s = try loadValid(Self.scenario(classes: "", workloads: """
              - {name: a, kind: service, replicas: 1, requests: {cpu: 1}, priority: 42}
            """))
        #expect(s.workloads[0].template.priority == 42)
        #expect(s.workloads[0].template.preemptionPolicy == .preemptLowerPriority)
    }

    /// Of several global defaults upstream picks the lowest value; Berth, like
    /// the admission plugin, refuses a second one.
    @Test(arguments: [
        ("unknown class", """
            priority_classes:
              - {name: high, value: 10}
            """, """
              - {name: a, kind: service, replicas: 1, requests: {cpu: 1}, priority_class_name: hight}
            """, "workloads[0].priority_class_name", "no PriorityClass with name \"hight\" was found", "did you mean \"high\"?"),
        ("contradicting priority", """
            priority_classes:
              - {name: high, value: 10}
            """, """
              - {name: a, kind: service, replicas: 1, requests: {cpu: 1}, priority_class_name: high, priority: 11}
            """, "workloads[0].priority", "priority 11 contradicts PriorityClass high, which gives 10", "drop priority"),
        ("priority against the global default", """
            priority_classes:
              - {name: base, value: 1, global_default: true}
            """, """
              - {name: a, kind: service, replicas: 1, requests: {cpu: 1}, priority: 7}
            """, "workloads[0].priority", "contradicts PriorityClass base", nil),
        ("reserved prefix", """
            priority_classes:
              - {name: system-mine, value: 10}
            """, """
              - {name: a, kind: service, replicas: 1, requests: {cpu: 1}}
            """, "priority_classes[0].name", "reserved for the built-in classes", nil),
        ("value above the user limit", """
            priority_classes:
              - {name: huge, value: 1000000001}
            """, """
              - {name: a, kind: service, replicas: 1, requests: {cpu: 1}}
            """, "priority_classes[0].value", "1000000000", nil),
        ("two global defaults", """
            priority_classes:
              - {name: one, value: 1, global_default: true}
              - {name: two, value: 2, global_default: true}
            """, """
              - {name: a, kind: service, replicas: 1, requests: {cpu: 1}}
            """, "priority_classes[1].global_default", "only one default can exist", nil),
        ("bad policy", """
            priority_classes:
              - {name: p, value: 1, preemption_policy: never}
            """, """
              - {name: a, kind: service, replicas: 1, requests: {cpu: 1}}
            """, "priority_classes[0].preemption_policy", "unknown preemption policy \"never\"", "Never"),
        ("class named twice", """
            priority_classes:
              - {name: high, value: 10}
            """, """
              - {name: a, kind: service, replicas: 1, priority_class_name: high,
                 pod: {priority_class_name: high, containers: [{name: x, requests: {cpu: 1}}]}}
            """, "workloads[0].priority_class_name", "give priority_class_name once", nil),
    ])
    func badClassesAreReported(_ c: (String, String, String, String, String, String?)) {
        let d = Self.diagnostics(Self.scenario(classes: c.1, workloads: c.2))
        #expect(d.count == 1, "\(c.0): \(d)")
        guard let first = d.first else { return }
        #expect(first.path == c.3, "\(c.0)")
        #expect(first.message.contains(c.4), "\(c.0): \(first.message)")
        if let hint = c.5 { #expect(first.hint?.contains(hint) == true, "\(c.0): \(first.hint ?? "no hint")") }
        #expect(first.location.line > 1, "\(c.0): located in the file")
    }
}
