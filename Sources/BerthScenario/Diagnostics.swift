/// Where something is in a scenario file (1-based line and column).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in a scenario: where, which field, what was expected.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    /// The field path, e.g. `workloads[2].requests.cpu` (empty for the whole file).
    public var path: String
    public var message: String
    /// A "did you mean …?" suggestion or other hint.
    public var hint: String?

    public init(location: SourceLocation, path: String, message: String, hint: String? = nil) {
        self.location = location
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// `file:line:column: error: path: message (hint)` — the format editors and CI parse.
    public var description: String {
        var text = "\(location): error: "
        if !path.isEmpty { text += "\(path): " }
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// Every problem found while loading a scenario. Thrown once, after the whole
/// file has been read, so a user fixes all mistakes in one round.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics during one load.
final class DiagnosticBag {
    private(set) var items: [Diagnostic] = []
    let file: String
    init(file: String) { self.file = file }

    /// Takes over another bag's diagnostics (a file read on behalf of this one).
    func absorb(_ other: DiagnosticBag) { items += other.items }

    func add(_ diagnostic: Diagnostic) { items.append(diagnostic) }

    func add(line: Int, column: Int, path: String, _ message: String, hint: String? = nil) {
        items.append(Diagnostic(location: SourceLocation(file: file, line: line, column: column),
                                path: path, message: message, hint: hint))
    }
}

/// "Did you mean …?" by edit distance: the closest candidate within
/// max(1, ⌊length/3⌋) edits, ties broken by candidate order.
public func suggestion(for word: String, among candidates: [String]) -> String? {
    let limit = max(1, word.count / 3)
    var best: (String, Int)?
    for candidate in candidates {
        let d = editDistance(word.lowercased(), candidate.lowercased())
        if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
    }
    return best?.0
}

/// Levenshtein distance.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
