import ArgumentParser
import BerthScenario
import BerthSchedulers
import Foundation

/// Writes a line to standard error.
func printError(_ text: String) {
    var stderr = StandardError()
    print(text, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}

/// Loads a scenario, or prints its diagnostics and exits with status 2.
func loadScenarioOrExit(_ path: String) throws -> Scenario {
    do {
        return try ScenarioLoader.load(path: path)
    } catch {
        printError(error.description)
        throw ExitCode(2)
    }
}

/// Resolves `--scheduler NAME`, or prints a suggestion and exits with status 2.
func schedulerOrExit(_ name: String?) throws -> SchedulerSpec? {
    guard let name else { return nil }
    if let preset = SchedulerRegistry.preset(named: name) { return preset.spec }
    let hint = suggestion(for: name, among: SchedulerRegistry.names).map { " (did you mean \"\($0)\"?)" } ?? ""
    printError("berth: unknown scheduler \"\(name)\"\(hint); known: \(SchedulerRegistry.names.joined(separator: ", "))")
    throw ExitCode(2)
}
