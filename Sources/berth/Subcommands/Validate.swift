import ArgumentParser
import BerthScenario

extension BerthCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check scenario files without running them.",
            discussion: "Prints every problem as file:line:column: error: field.path: message, and exits 2 if any file has one.")

        @Argument(help: "Scenario files (YAML or JSON).")
        var files: [String]

        func run() throws {
            var failed = false
            for file in files {
                do {
                    let s = try ScenarioLoader.load(path: file)
                    print("\(file): ok (\(s.nodes.count) nodes, \(s.workloads.count) workloads, scheduler \(s.scheduler.preset))")
                } catch {
                    printError(error.description)
                    failed = true
                }
            }
            if failed { throw ExitCode(2) }
        }
    }
}
