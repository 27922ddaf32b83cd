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
                                      "cluster", "workloads", "initial", "expect", "failures", "priority_classes"]

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
        let root = try compose(text, file: file, expected: "a scenario mapping with \"name\" and \"cluster\"")
        let decoded = ScenarioDecoder(bag: bag).decode(Field(node: root, path: "", bag: bag), file: file)
        guard bag.items.isEmpty, let scenario = decoded else { throw ScenarioError(inFileOrder(bag.items)) }
        return scenario
    }

    /// The YAML node tree of `text`, or a located syntax error; an empty file
    /// is an error saying `expected` is what it should hold.
    static func compose(_ text: String, file: String, expected: String) throws(ScenarioError) -> Node {
        do {
            if let node = try Yams.compose(yaml: text) { return node }
        } catch {
            throw ScenarioError([syntaxDiagnostic(error, file: file, text: text)])
        }
        throw ScenarioError([Diagnostic(location: SourceLocation(file: file, line: 1, column: 1), path: "",
                                        message: "the file is empty: expected \(expected)")])
    }

    /// Diagnostics sorted by line and column (stable), so the report follows the
    /// file and does not depend on the order checks ran in (some iterate dictionaries).
    static func inFileOrder(_ items: [Diagnostic]) -> [Diagnostic] {
        items.enumerated().sorted { a, b in
            let (x, y) = (a.element.location, b.element.location)
            return (x.line, x.column, a.offset) < (y.line, y.column, b.offset)
        }.map(\.element)
    }

    static func syntaxDiagnostic(_ error: any Error, file: String, text: String) -> Diagnostic {
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
            // Yams marks the first use; point at the repeat, which is the line to delete.
            let key = duplicates.first ?? ""
            let first = context.mark
            let (line, column) = repeatedKey(key, firstLine: first.line, firstColumn: first.column, in: text)
                ?? (first.line, first.column)
            let others = duplicates.dropFirst().map { "\"\($0)\"" }
            let also = others.isEmpty ? "" : "; also repeated: \(others.joined(separator: ", "))"
            return Diagnostic(location: SourceLocation(file: file, line: line, column: column), path: "",
                              message: "duplicate key \"\(key)\" in one mapping\(also)",
                              hint: "first given at line \(first.line), column \(first.column)")
        case .reader(let problem, _, _, _)?:
            return Diagnostic(location: SourceLocation(file: file, line: 1, column: 1), path: "", message: "unreadable text: \(problem)")
        default:
            return Diagnostic(location: SourceLocation(file: file, line: 1, column: 1), path: "", message: "invalid YAML: \(error)")
        }
    }

    /// Where `key`, first used at (`firstLine`, `firstColumn`) (1-based), is used again
    /// in the same mapping: for a block mapping, the next line that starts with it at
    /// the same column before the mapping ends; for a flow mapping, its next use as a key.
    static func repeatedKey(_ key: String, firstLine: Int, firstColumn: Int, in text: String) -> (Int, Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        let (row, col) = (firstLine - 1, firstColumn - 1)
        guard !key.isEmpty, row >= 0, row < lines.count, col >= 0, col <= lines[row].count else { return nil }
        let keyChars = Array(key)
        func isKey(_ line: [Character], at i: Int) -> Bool {
            var j = i
            var quote: Character?
            if j < line.count, line[j] == "\"" || line[j] == "'" { quote = line[j]; j += 1 }
            guard j + keyChars.count <= line.count, Array(line[j..<(j + keyChars.count)]) == keyChars else { return false }
            j += keyChars.count
            if let quote { guard j < line.count, line[j] == quote else { return false }; j += 1 }
            while j < line.count, line[j] == " " { j += 1 }
            return j < line.count && line[j] == ":" && (i == 0 || " \t{,".contains(line[i - 1]))
        }
        let isBlock = lines[row][..<col].allSatisfy { $0 == " " || $0 == "-" }
        if isBlock {
            for r in (row + 1)..<max(row + 1, lines.count) {
                let line = lines[r]
                guard let start = line.firstIndex(where: { $0 != " " }), line[start] != "#" else { continue }
                if start < col { return nil }
                if start == col, isKey(line, at: col) { return (r + 1, col + 1) }
            }
            return nil
        }
        var (r, c) = (row, col + keyChars.count)
        while r < lines.count {
            while c < lines[r].count {
                if isKey(lines[r], at: c) { return (r + 1, c + 1) }
                c += 1
            }
            (r, c) = (r + 1, 0)
        }
        return nil
    }
}
