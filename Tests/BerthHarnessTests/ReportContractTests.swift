import BerthCluster
import BerthHarness
import BerthReports
import BerthScenario
import BerthSchedulers
import BerthTestSupport
import Foundation
import Testing

/// docs/reports.md is the column contract: its `csv-header` blocks must match
/// what the writers produce, with `<r>`/`<unit>` expanded per resource.
@Suite struct ReportContractTests {
    static func documentedHeaders() throws -> [String: String] {
        let text = try String(contentsOfFile: Repository.path("docs/reports.md"), encoding: .utf8)
        var headers: [String: String] = [:]
        let lines = text.components(separatedBy: "\n")
        for (i, line) in lines.enumerated() where line.hasPrefix("```csv-header ") {
            headers[String(line.dropFirst("```csv-header ".count))] = lines[i + 1]
        }
        return headers
    }

    /// Expands a documented header for a catalog: columns containing `<r>` form a group repeated per resource.
    static func expand(_ header: String, _ catalog: ResourceCatalog) -> [String] {
        let columns = header.split(separator: ",").map(String.init)
        let fixed = columns.filter { !$0.contains("<r>") }
        let group = columns.filter { $0.contains("<r>") }
        let units = (0..<catalog.count).map { r -> String in
            if r == ResourceCatalog.cpu { return "millicores" }
            if r == ResourceCatalog.memory || r == ResourceCatalog.ephemeralStorage || catalog.names[r].hasPrefix("hugepages-") { return "bytes" }
            return "count"
        }
        return fixed + (0..<catalog.count).flatMap { r in
            group.map { $0.replacingOccurrences(of: "<r>", with: catalog.columnStem(r)).replacingOccurrences(of: "<unit>", with: units[r]) }
        }
    }

    @Test(arguments: ["scenarios/quickstart.yaml", "scenarios/gpu-pool-taints.yaml"])
    func headersMatchTheDocs(_ file: String) throws {
        let docs = try Self.documentedHeaders()
        #expect(Set(docs.keys) == Set(RunArtifacts.deterministicFiles + [RunArtifacts.perfFile, "comparison.csv", "series.csv", "wait_cdf.csv",
                                                               RunArtifacts.frameworksFile, RunArtifacts.dagRunsFile,
                                                               RunArtifacts.schedulersFile]))
        let scenario = try ScenarioLoader.load(path: Repository.path(file))
        let result = try Simulator(scenario: scenario).run()
        for (name, table) in RunArtifacts.tables(result) + [(RunArtifacts.perfFile, RunArtifacts.perf(result))] {
            let documented = try #require(docs[name], "\(name) is not documented")
            #expect(table.header == Self.expand(documented, scenario.catalog), "\(name) header differs from docs/reports.md")
            let parsed = try #require(CSVTable.parse(table.rendered()))
            #expect(parsed.count == table.rows.count + 1)
            #expect(parsed.allSatisfy { $0.count == table.header.count }, "\(name): ragged rows")
        }
    }

    @Test func comparisonHeaderMatchesTheDocs() throws {
        let docs = try Self.documentedHeaders()
        #expect(docs["comparison.csv"]?.split(separator: ",").map(String.init) == ComparisonReport.comparisonColumns)
        #expect(docs["series.csv"]?.split(separator: ",").map(String.init) == ComparisonReport.seriesHeader)
        #expect(docs["wait_cdf.csv"]?.split(separator: ",").map(String.init) == ComparisonReport.waitCDFHeader)
    }

    /// Under a Mesos preset: frameworks.csv as documented, and timeseries.csv
    /// with `share_<framework>` per framework and `jain_index` appended.
    @Test func mesosFrameworkColumnsMatchTheDocs() throws {
        let docs = try Self.documentedHeaders()
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/mesos/drf-paper-example.yaml"))
        let result = try Simulator(scenario: scenario).run()
        let tables = Dictionary(uniqueKeysWithValues: RunArtifacts.tables(result))
        let frameworks = try #require(tables[RunArtifacts.frameworksFile])
        #expect(frameworks.header == Self.expand(try #require(docs["frameworks.csv"]), scenario.catalog))
        #expect(frameworks.rows.map { $0[0] } == ["A", "B"])
        let timeseries = try #require(tables["timeseries.csv"])
        #expect(timeseries.header == Self.expand(try #require(docs["timeseries.csv"]), scenario.catalog) + ["share_A", "share_B", "jain_index"])
        // The last sample: both dominant shares 2/3, perfectly fair.
        #expect(timeseries.rows.last?.suffix(3) == ["0.666667", "0.666667", "1.000000"])
        let generic = try Simulator(scenario: scenario, options: RunOptions(scheduler: SchedulerRegistry.preset(named: "first-fit")?.spec)).run()
        #expect(!RunArtifacts.tables(generic).contains { $0.0 == RunArtifacts.frameworksFile }, "only under Mesos")
    }

    /// With a workflow: dag_runs.csv as documented, one row per run; without, no such file.
    @Test func dagRunColumnsMatchTheDocs() throws {
        let docs = try Self.documentedHeaders()
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/failures/nightly-dag.yaml"))
        let tables = Dictionary(uniqueKeysWithValues: RunArtifacts.tables(try Simulator(scenario: scenario).run()))
        let dagRuns = try #require(tables[RunArtifacts.dagRunsFile])
        #expect(dagRuns.header == Self.expand(try #require(docs[RunArtifacts.dagRunsFile]), scenario.catalog))
        #expect(dagRuns.rows.count == 5 && dagRuns.rows.allSatisfy { $0.count == dagRuns.header.count })
    }

    /// Under a decision-time preset: schedulers.csv as documented; under others, no schedulers.csv.
    @Test(arguments: ["monolithic", "monolithic-multipath", "omega"]) func schedulerColumnsMatchTheDocs(_ preset: String) throws {
        let docs = try Self.documentedHeaders()
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/quickstart.yaml"))
        let spec = try #require(SchedulerRegistry.preset(named: preset)).spec
        let result = try Simulator(scenario: scenario, options: RunOptions(scheduler: spec)).run()
        let tables = Dictionary(uniqueKeysWithValues: RunArtifacts.tables(result))
        let schedulers = try #require(tables[RunArtifacts.schedulersFile])
        #expect(schedulers.header == Self.expand(try #require(docs["schedulers.csv"]), scenario.catalog))
        let names = preset == "omega" ? [["batch", "batch"], ["service", "service"]] : [["monolithic", "batch"], ["monolithic", "service"]]
        #expect(schedulers.rows.map { Array($0.prefix(2)) } == names)
        let generic = try Simulator(scenario: scenario).run()
        #expect(!RunArtifacts.tables(generic).contains { $0.0 == RunArtifacts.schedulersFile }, "only under decision-time presets")
    }

    @Test func rfc4180QuotingRoundTrips() throws {
        var table = CSVTable(header: ["a", "b"])
        table.append(["plain", "with,comma"])
        table.append(["with \"quote\"", "line\nbreak"])
        let text = table.rendered()
        #expect(text == "a,b\r\nplain,\"with,comma\"\r\n\"with \"\"quote\"\"\",\"line\nbreak\"\r\n")
        #expect(CSVTable.parse(text) == [["a", "b"], ["plain", "with,comma"], ["with \"quote\"", "line\nbreak"]])
        // "\r\n" is one Character in Swift: a field holding it must still be quoted.
        #expect(CSVTable.escape("two\r\nlines") == "\"two\r\nlines\"")
        #expect(CSVTable.escape("carriage\rreturn") == "\"carriage\rreturn\"")
        #expect(CSVTable.escape("zone-ä") == "zone-ä")
    }

    @Test func numbersAreLocaleFreeFixedPoint() {
        #expect(CSVNumber.fixed(0.1) == "0.100000")
        #expect(CSVNumber.fixed(1234567.5, digits: 2) == "1234567.50")
        #expect(CSVNumber.fixed(nil) == "")
        #expect(CSVNumber.fixed(.nan) == "")
    }

    /// Summary values are consistent with tasks.csv of the same run.
    @Test func summaryAgreesWithTaskLedger() throws {
        let scenario = try ScenarioLoader.load(path: Repository.path("scenarios/quickstart.yaml"))
        let result = try Simulator(scenario: scenario).run()
        let rows = try #require(CSVTable.parse(RunReports.tasks(result.cluster, workloadNames: scenario.workloads.map(\.name)).rendered()))
        let body = rows.dropFirst()
        #expect(body.count == result.summary.submitted)
        #expect(body.filter { $0[11] == "finished" }.count == result.summary.finished)
        let waits = body.compactMap { Double($0[8]) }
        #expect(waits.count == result.summary.scheduled)
        let mean = waits.reduce(0, +) / Double(waits.count)
        #expect(abs(mean - (result.summary.wait.mean ?? -1)) < 1e-9)
        #expect(waits.max() == result.summary.wait.max)
    }
}
