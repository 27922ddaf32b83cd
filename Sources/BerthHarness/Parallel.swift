/// Runs independent pieces of work on at most `jobs` concurrent tasks and
/// returns their results in index order, so what is built from them does not
/// depend on `jobs` or on which finished first.
enum Parallel {
    /// - Parameters:
    ///   - count: the pieces, `0..<count`.
    ///   - body: computes piece `i` (on any thread).
    ///   - finished: called on the calling task after each piece, with (index, pieces finished so far).
    static func map<T: Sendable>(_ count: Int, jobs: Int, _ body: @escaping @Sendable (Int) throws(RunError) -> T,
                                 finished: (Int, Int) -> Void = { _, _ in }) async throws(RunError) -> [T] {
        guard count > 0 else { return [] }
        var results = [T?](repeating: nil, count: count)
        do {
            try await withThrowingTaskGroup(of: (Int, T).self) { group in
                var next = 0
                let width = max(1, min(jobs, count))
                while next < width {
                    let i = next
                    group.addTask { (i, try body(i)) }
                    next += 1
                }
                var done = 0
                while let (i, value) = try await group.next() {
                    results[i] = value
                    done += 1
                    finished(i, done)
                    if next < count {
                        let j = next
                        group.addTask { (j, try body(j)) }
                        next += 1
                    }
                }
            }
        } catch let error as RunError {
            throw error
        } catch {
            throw .internalInconsistency("\(error)")
        }
        return results.compactMap { $0 }
    }
}
