import Yams

extension ScenarioDecoder {
    /// `expect:` — a list of assertion strings (docs/ci.md). Syntax is checked
    /// here, with the column of the problem inside the entry; metric and workload
    /// names are checked against the run's reports by BerthHarness
    /// (`ExpectationCheck.diagnostics`), which `berth validate` also calls.
    func decodeExpectations(_ field: Field) -> [ScenarioExpectation] {
        (field.sequence() ?? []).compactMap { (entry: Field) -> ScenarioExpectation? in
            guard let text = entry.nonEmptyString() else { return nil }
            // A quoted scalar's text starts one column after its mark.
            let shift = entry.scalar?.style == .plain ? 0 : 1
            func at(_ offset: Int) -> SourceLocation {
                SourceLocation(file: bag.file, line: entry.line, column: entry.column + shift + offset)
            }
            do throws(ExpectationParser.ParseError) {
                let p = try ExpectationParser.parse(text)
                return ScenarioExpectation(left: p.left, op: p.op, right: p.right, text: text, location: at(0),
                                   leftLocation: at(p.leftOffset), rightLocation: at(p.rightOffset))
            } catch {
                let loc = at(error.offset)
                bag.add(line: loc.line, column: loc.column, path: entry.path, error.message,
                        hint: "e.g. unscheduled == 0, wait_s_p95 < 30, placement(\"db-0\").zone != placement(\"db-1\").zone")
                return nil
            }
        }
    }
}
