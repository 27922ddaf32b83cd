import BerthTestSupport
import Testing
@testable import BerthScenario

/// The `expect:` language: what parses into what, and where mistakes are reported.
@Suite struct ExpectationTests {
    static func scenario(expect lines: [String]) -> String {
        """
        name: expect-test
        cluster:
          pools:
            - {name: general, count: 2, capacity: {cpu: 4, memory: 16Gi}, zones: [a, b]}
        workloads:
          - {name: db, kind: service, replicas: 2, requests: {cpu: 1, memory: 1Gi}}
        expect:

        """ + lines.map { "  - \($0)\n" }.joined()
    }

    @Test(arguments: [
        ("unscheduled == 0", ScenarioExpectation.Operand.metric("unscheduled", workload: nil), ScenarioExpectation.Operator.equal, ScenarioExpectation.Operand.number(0)),
        ("wait_s_p95 < 30", .metric("wait_s_p95", workload: nil), .less, .number(30)),
        ("tasks_preempted <= 2", .metric("tasks_preempted", workload: nil), .lessOrEqual, .number(2)),
        ("cpu_alloc_frac >= 0.5", .metric("cpu_alloc_frac", workload: nil), .greaterOrEqual, .number(0.5)),
        ("-1e-3 > wait_s_mean", .number(-0.001), .greater, .metric("wait_s_mean", workload: nil)),
        ("wait_s_p95[\"db\"]   !=  1_000", .metric("wait_s_p95", workload: "db"), .notEqual, .number(1000)),
        ("placement(\"db-0\").zone != placement(\"db-1\").zone", .placement(task: "db-0", .zone), .notEqual, .placement(task: "db-1", .zone)),
        ("placement('db-0').node == 'general-1'", .placement(task: "db-0", .node), .equal, .string("general-1")),
        ("\"general\" == placement(\"db-1\").pool", .string("general"), .equal, .placement(task: "db-1", .pool)),
        ("placement(\"db-1\").rack != \"r1\"", .placement(task: "db-1", .rack), .notEqual, .string("r1")),
    ])
    func parses(text: String, left: ScenarioExpectation.Operand, op: ScenarioExpectation.Operator, right: ScenarioExpectation.Operand) throws {
        let parsed = try ExpectationParser.parse(text)
        #expect(parsed.left == left)
        #expect(parsed.op == op)
        #expect(parsed.right == right)
    }

    @Test(arguments: [
        ("unscheduled = 0", 12, "\"=\" is not an operator"),
        ("unscheduled", 11, "expected a comparison"),
        ("wait_s_p95 <", 12, "expected a metric, number, string or placement(...) here"),
        ("wait_s_p95 < 30 30", 16, "unexpected text after the comparison"),
        ("placement(db-0).zone == \"a\"", 10, "expected a task name in quotes"),
        ("placement(\"db-0\").region == \"a\"", 18, "expected a placement attribute: node, zone, pool, rack"),
        ("placement(\"db-0\").zone < \"a\"", 23, "placements and strings compare only with == or !="),
        ("placement(\"db-0\").zone == 3", 23, "compares a number with a placement or string"),
        ("\"a\" == \"b\"", 0, "compares two strings"),
        ("wait_s_p95[db] < 3", 11, "expected a workload name in quotes"),
        ("wait_s_p95 < \"30", 13, "unterminated string"),
        ("wait_s_p95 < 3 & x", 15, "unexpected \"&\""),
    ])
    func rejects(text: String, offset: Int, message: String) {
        #expect(throws: ExpectationParser.ParseError.self) { try ExpectationParser.parse(text) }
        do {
            _ = try ExpectationParser.parse(text)
        } catch {
            #expect(error.offset == offset, "\(text)")
            #expect(error.message.contains(message), "\(text): \(error.message)")
        }
    }

    @Test func loadedWithLocations() throws {
        let text = Self.scenario(expect: ["unscheduled == 0", "'placement(\"db-0\").zone != placement(\"db-1\").zone'"])
        let scenario = try ScenarioLoader.load(text: text, file: "x.yaml")
        #expect(scenario.expectations.count == 2)
        let first = try #require(scenario.expectations.first)
        #expect(first.text == "unscheduled == 0")
        // Line 8, the entry starts at column 5; the right operand at offset 15.
        #expect(first.location == SourceLocation(file: "x.yaml", line: 8, column: 5))
        #expect(first.rightLocation == SourceLocation(file: "x.yaml", line: 8, column: 20))
        let second = scenario.expectations[1]
        // Single-quoted: the text starts one column after the quote (column 6); `placement("db-1")` at offset 26.
        #expect(second.rightLocation.column == 6 + 26)
    }

    @Test func everyMistakeOfAFileIsReported() {
        let text = Self.scenario(expect: ["unscheduled = 0", "wait_s_p95 < 30", "placement(\"x\").zone"])
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(text: text, file: "x.yaml") }
        do {
            _ = try ScenarioLoader.load(text: text, file: "x.yaml")
        } catch {
            #expect(error.diagnostics.map(\.location.line) == [8, 10])
            #expect(error.diagnostics.map(\.path) == ["expect[0]", "expect[2]"])
            #expect(error.diagnostics[0].description.hasPrefix("x.yaml:8:17: error: expect[0]: \"=\" is not an operator"))
        }
    }

    @Test func notAListIsAnError() {
        let text = Self.scenario(expect: []).replacingOccurrences(of: "expect:\n", with: "expect: unscheduled == 0\n")
        do {
            _ = try ScenarioLoader.load(text: text, file: "x.yaml")
            Issue.record("a scalar expect: loaded")
        } catch {
            #expect(error.diagnostics.first?.message.contains("expected a list") == true)
        }
    }
}
