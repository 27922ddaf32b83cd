import BerthCluster
import BerthSchedulers
import BerthSimulation
import BerthWorkloads
import Foundation
import Yams

/// Reads scenario files (YAML, or JSON — a subset of YAML) into ``Scenario``
/// values, reporting every problem with `file:line:column`, the field path and
/// what was expected. The schema is documented in docs/scenario-format.md and
/// docs/scenario.schema.json.
public enum ScenarioLoader {
    public static let topLevelKeys = ["name", "description", "seed", "horizon", "sample_interval", "scheduler",
                                      "cluster", "workloads", "initial"]

    /// Loads a file from disk.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError([Diagnostic(location: SourceLocation(file: path, line: 1, column: 1), path: "",
                                            message: "cannot read the file (does it exist?)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError([Diagnostic(location: SourceLocation(file: path, line: 1, column: 1), path: "",
                                            message: "the file is not UTF-8 text")])
        }
        return try load(text: text, file: path)
    }

    /// Loads scenario text; `file` names it in messages.
    public static func load(text: String, file: String) throws(ScenarioError) -> Scenario {
        let bag = DiagnosticBag(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                bag.add(line: 1, column: 1, path: "", "the file is empty: expected a scenario mapping with \"name\" and \"cluster\"")
                throw ScenarioError(bag.items)
            }
            root = node
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw ScenarioError([syntaxDiagnostic(error, file: file)])
        }
        let decoded = ScenarioDecoder(bag: bag).decode(Field(node: root, path: "", bag: bag), file: file)
        guard bag.items.isEmpty, let scenario = decoded else { throw ScenarioError(inFileOrder(bag.items)) }
        return scenario
    }

    /// Diagnostics sorted by line and column (stable), so the report follows the
    /// file and does not depend on the order checks ran in (some iterate dictionaries).
    static func inFileOrder(_ items: [Diagnostic]) -> [Diagnostic] {
        items.enumerated().sorted { a, b in
            let (x, y) = (a.element.location, b.element.location)
            return (x.line, x.column, a.offset) < (y.line, y.column, b.offset)
        }.map(\.element)
    }

    static func syntaxDiagnostic(_ error: any Error, file: String) -> Diagnostic {
        func at(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> Diagnostic {
            let ctx = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return Diagnostic(location: SourceLocation(file: file, line: mark.line, column: mark.column), path: "",
                              message: "invalid YAML: \(problem)\(ctx)")
        }
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _)?: return at(mark, problem, context)
        case .parser(let context, let problem, let mark, _)?: return at(mark, problem, context)
        case .composer(let context, let problem, let mark, _)?: return at(mark, problem, context)
        case .duplicatedKeysInMapping(let duplicates, let context)?:
            return Diagnostic(location: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                              path: "", message: "duplicate keys \(duplicates.joined(separator: ", ")) in one mapping")
        case .reader(let problem, _, _, _)?:
            return Diagnostic(location: SourceLocation(file: file, line: 1, column: 1), path: "", message: "unreadable text: \(problem)")
        default:
            return Diagnostic(location: SourceLocation(file: file, line: 1, column: 1), path: "", message: "invalid YAML: \(error)")
        }
    }
}
