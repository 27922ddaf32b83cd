import Foundation
import Yams

/// A parameter sweep (`berth sweep SWEEP.yaml`): a base scenario and
/// scenario fields to vary by path. Every combination of values (the
/// Cartesian product, first parameter slowest) is one *cell*; each cell's
/// scenario is the base file's YAML with the values put in before the
/// scenario is decoded, so it is validated like any scenario and its
/// mistakes are located (a swept value's in the sweep file). docs/sweep.md.
public struct Sweep: Sendable {
    public static let keys = ["base", "replications", "parameters"]

    /// The sweep file and the base scenario it names (resolved).
    public var file: String
    public var base: String
    public var replications: Int
    /// Parameter paths in file order, e.g. `cluster.pools[0].count`.
    public var parameters: [String]
    public var cells: [Cell]

    public struct Cell: Sendable {
        public var index: Int
        /// The value of each parameter as written (YAML text), aligned with `parameters`.
        public var values: [String]
        public var scenario: Scenario
    }
}

/// One step of a field path.
enum PathSegment: Equatable {
    case key(String)
    case index(Int)

    /// Parses `a.b[0].c` (keys of letters, digits, `_` and `-`; `["x.y"]` for other keys); nil if malformed.
    static func parse(_ path: String) -> [PathSegment]? {
        var segments: [PathSegment] = []
        var chars = Array(path)[...]
        var expectKey = true
        while !chars.isEmpty {
            if chars.first == "[" {
                chars.removeFirst()
                if chars.first == "\"" {
                    chars.removeFirst()
                    guard let close = chars.firstIndex(of: "\""), chars.dropFirst(close - chars.startIndex + 1).first == "]" else { return nil }
                    segments.append(.key(String(chars[..<close])))
                    chars = chars[(close + 2)...]
                } else {
                    guard let close = chars.firstIndex(of: "]"), let i = Int(String(chars[..<close])), i >= 0 else { return nil }
                    segments.append(.index(i))
                    chars = chars[(close + 1)...]
                }
                expectKey = false
            } else if chars.first == "." {
                guard !segments.isEmpty, !expectKey else { return nil }
                chars.removeFirst()
                expectKey = true
            } else {
                guard expectKey else { return nil }
                let key = chars.prefix { $0 != "." && $0 != "[" }
                guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return nil }
                segments.append(.key(String(key)))
                chars = chars.dropFirst(key.count)
                expectKey = false
            }
        }
        return segments.isEmpty || expectKey ? nil : segments
    }
}

extension ScenarioLoader {
    /// Loads a sweep file and builds every cell's scenario. All problems — in
    /// the sweep file, paths that do not exist in the base, values the scenario
    /// rejects — are reported together, before anything runs.
    public static func loadSweep(path: String) throws(ScenarioError) -> Sweep {
        let bag = DiagnosticBag(file: path)
        guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
            throw ScenarioError([Diagnostic(location: SourceLocation(file: path, line: 1, column: 1), path: "",
                                            message: "cannot read the file (does it exist?)")])
        }
        let root = try compose(text, file: path, expected: "a sweep mapping with \"base\" and \"parameters\"")
        let top = Field(node: root, path: "", bag: bag)
        guard let map = top.mapping(allowed: Sweep.keys, what: "a sweep mapping") else { throw ScenarioError(bag.items) }
        let replications = map["replications"]?.int(min: 1, max: 100_000) ?? 1
        let baseField = map.required("base", in: top)
        let baseName = baseField?.nonEmptyString()
        var parameters: [(path: String, segments: [PathSegment], values: [Field])] = []
        if let paramsField = map.required("parameters", in: top), let entries = paramsField.entries() {
            if entries.isEmpty { paramsField.error("expected at least one parameter, e.g. scheduler: [first-fit, worst-fit]") }
            for (key, field) in entries {
                guard let segments = PathSegment.parse(key) else {
                    (paramsField.keyField(key) ?? field).error("\"\(key)\" is not a field path", hint: "e.g. cluster.pools[0].count or workloads[1].arrival.rate")
                    continue
                }
                guard let values = field.sequence(), !values.isEmpty else {
                    if field.sequence() != nil { field.error("expected at least one value") }
                    continue
                }
                parameters.append((key, segments, values))
            }
        }
        guard bag.items.isEmpty, let baseName, let baseField else { throw ScenarioError(inFileOrder(bag.items)) }
        let basePath = baseName.hasPrefix("/") ? baseName
            : URL(fileURLWithPath: path).absoluteURL.deletingLastPathComponent().appendingPathComponent(baseName).standardizedFileURL.path
        guard let baseText = FileManager.default.contents(atPath: basePath).flatMap({ String(data: $0, encoding: .utf8) }) else {
            baseField.error("cannot read the base scenario \(basePath)")
            throw ScenarioError(bag.items)
        }
        let baseRoot = try compose(baseText, file: basePath, expected: "a scenario mapping with \"name\" and \"cluster\"")
        return try buildCells(sweepFile: path, basePath: basePath, baseRoot: baseRoot, parameters: parameters,
                              replications: replications, bag: bag)
    }

    static func buildCells(sweepFile: String, basePath: String, baseRoot: Node,
                           parameters: [(path: String, segments: [PathSegment], values: [Field])],
                           replications: Int, bag: DiagnosticBag) throws(ScenarioError) -> Sweep {
        let total = parameters.reduce(1) { $0 * $1.values.count }
        guard total <= 100_000 else {
            throw ScenarioError([Diagnostic(location: SourceLocation(file: sweepFile, line: 1, column: 1), path: "parameters",
                                            message: "\(total) cells: at most 100000")])
        }
        var cells: [Sweep.Cell] = []
        var problems: [Diagnostic] = []
        var seen = Set<String>()
        for index in 0..<total {
            var rest = index
            var choice = Array(repeating: 0, count: parameters.count)
            for p in parameters.indices.reversed() {
                choice[p] = rest % parameters[p].values.count
                rest /= parameters[p].values.count
            }
            var node = baseRoot
            var ok = true
            for (p, parameter) in parameters.enumerated() {
                let value = parameter.values[choice[p]]
                switch Self.setting(value.node, at: parameter.segments[...], in: node, walked: "") {
                case .success(let updated): node = updated
                case .failure(let error):
                    ok = false
                    let key = Field(node: value.node, path: parameter.path, bag: bag)
                    let d = Diagnostic(location: SourceLocation(file: sweepFile, line: key.line, column: key.column),
                                       path: "parameters.\(parameter.path)", message: error.description)
                    if seen.insert(d.description).inserted { problems.append(d) }
                }
            }
            guard ok else { continue }
            let values = parameters.indices.map { Self.display(parameters[$0].values[choice[$0]].node) }
            let cellBag = DiagnosticBag(file: basePath)
            let decoded = ScenarioDecoder(bag: cellBag).decode(Field(node: node, path: "", bag: cellBag), file: basePath)
            let label = "cell \(index) (" + zip(parameters, values).map { "\($0.path)=\($1)" }.joined(separator: ", ") + ")"
            for var d in cellBag.items {
                // A swept value's problem is located in the sweep file, where the value is written.
                if parameters.contains(where: { d.path == $0.path || d.path.hasPrefix($0.path + ".") || d.path.hasPrefix($0.path + "[") }) {
                    d.location.file = sweepFile
                }
                // The same mistake in many cells is reported once, for the first cell that has it.
                guard seen.insert(d.description).inserted else { continue }
                d.message = "\(label): \(d.message)"
                problems.append(d)
            }
            if cellBag.items.isEmpty, let scenario = decoded { cells.append(Sweep.Cell(index: index, values: values, scenario: scenario)) }
        }
        guard problems.isEmpty else { throw ScenarioError(problems) }
        return Sweep(file: sweepFile, base: basePath, replications: replications, parameters: parameters.map(\.path), cells: cells)
    }

    /// A value as one line of YAML text (a scalar as written; a list or mapping in flow style).
    static func display(_ node: Node) -> String {
        if case .scalar(let s) = node { return s.string }
        let text = (try? Yams.serialize(node: node, width: -1)) ?? ""
        return text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " ")
    }

    /// `node` with the value at `segments` replaced by `value` (a missing last key is added).
    static func setting(_ value: Node, at segments: ArraySlice<PathSegment>, in node: Node, walked: String) -> Result<Node, SweepPathError> {
        guard let first = segments.first else { return .success(value) }
        let rest = segments.dropFirst()
        switch (first, node) {
        case (.key(let key), .mapping(var map)):
            let here = walked.isEmpty ? key : "\(walked).\(key)"
            if let i = map.firstIndex(where: { $0.key.string == key }) {
                switch setting(value, at: rest, in: map[i].value, walked: here) {
                case .success(let child): map[i] = (key: map[i].key, value: child)
                case .failure(let e): return .failure(e)
                }
            } else if rest.isEmpty {
                map[key] = value
            } else {
                return .failure(SweepPathError("the base scenario has no \"\(here)\""))
            }
            return .success(.mapping(map))
        case (.index(let i), .sequence(var seq)):
            let here = "\(walked)[\(i)]"
            guard seq.indices.contains(i) else {
                return .failure(SweepPathError("the base scenario's \(walked) has \(seq.count) item\(seq.count == 1 ? "" : "s"); \(here) does not exist"))
            }
            switch setting(value, at: rest, in: seq[i], walked: here) {
            case .success(let child): seq[i] = child
            case .failure(let e): return .failure(e)
            }
            return .success(.sequence(seq))
        case (.key(let key), _):
            return .failure(SweepPathError("\(walked.isEmpty ? "the base scenario" : walked) is not a mapping, so it has no key \"\(key)\""))
        case (.index(let i), _):
            return .failure(SweepPathError("\(walked) is not a list, so it has no item [\(i)]"))
        }
    }
}

/// Why a sweep parameter's path does not fit the base scenario.
struct SweepPathError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
