import BerthSimulation

/// One task of a workflow (an Airflow task launched as a container, e.g. by the
/// KubernetesExecutor or a KubernetesPodOperator): its requests, how long it
/// runs, what it waits for and how it is retried (docs/workflows.md).
public struct WorkflowTask: Sendable, Equatable {
    public var name: String
    /// Requests by resource name (cpu: millicores; memory: bytes).
    public var requests: [String: Int64]
    /// Run time of one try (seconds), drawn once per DAG run: every try of the
    /// task in that run does the same work.
    public var duration: DistributionSpec
    /// Indices (into ``WorkflowSpec/tasks``) of the tasks this one waits for (`depends_on`).
    public var upstream: [Int]
    /// Airflow `retries`: tries after the first (default 0).
    public var retries: Int
    /// Airflow `retry_delay` (default 300 s), µs.
    public var retryDelayMicros: Int64
    /// Airflow `retry_exponential_backoff`.
    public var exponentialBackoff: Bool
    /// Airflow `max_retry_delay`, µs (nil: only Airflow's own 24 h ceiling).
    public var maxRetryDelayMicros: Int64?
    /// Whether the exponential back-off carries Airflow's jitter (a delay in
    /// [d, 2d) instead of d). Berth-only switch, default on.
    public var retryJitter: Bool
    /// Probability that one try crashes (the container exits non-zero) at a
    /// uniformly drawn point of its run (the crash model of batch workloads).
    public var crashProbability: Double

    public init(name: String, requests: [String: Int64], duration: DistributionSpec, upstream: [Int] = [], retries: Int = 0,
                retryDelayMicros: Int64 = 300_000_000, exponentialBackoff: Bool = false, maxRetryDelayMicros: Int64? = nil,
                retryJitter: Bool = true, crashProbability: Double = 0) {
        self.name = name
        self.requests = requests
        self.duration = duration
        self.upstream = upstream
        self.retries = retries
        self.retryDelayMicros = retryDelayMicros
        self.exponentialBackoff = exponentialBackoff
        self.maxRetryDelayMicros = maxRetryDelayMicros
        self.retryJitter = retryJitter
        self.crashProbability = crashProbability
    }

    /// Airflow's ceiling on an exponential back-off (`MAX_RETRY_DELAY`, 24 h since 2.6).
    public static let airflowMaxRetryDelaySeconds: Int64 = 86_400

    /// Airflow `TaskInstance.next_retry_datetime` minus the failed try's end:
    /// the wait before try `failedTry + 1`. `failedTry` is the 1-based number of
    /// the try that just failed (Airflow's `try_number`). `jitter(n)` returns a
    /// whole number in `0..<n` (Airflow: a SHA-1 of dag, task, logical date and
    /// try number, modulo n; Berth: a seeded stream).
    public func retryDelayMicros(failedTry: Int, jitter: (Int64) -> Int64) -> Int64 {
        guard exponentialBackoff else { return retryDelayMicros }
        // min_backoff = ceil(retry_delay_s * 2^(try_number - 1)), at least 1 s.
        let exponent = max(0, failedTry - 1)
        let base = Double(retryDelayMicros) / 1_000_000
        let scaled = exponent >= 62 ? Double.infinity : (base * Double(Int64(1) << exponent)).rounded(.up)
        var minBackoff: Int64 = scaled >= Double(Self.airflowMaxRetryDelaySeconds) ? Self.airflowMaxRetryDelaySeconds : Int64(scaled)
        minBackoff = max(1, minBackoff)
        // modded_hash = min_backoff + hash % min_backoff, capped by MAX_RETRY_DELAY, then by max_retry_delay.
        let seconds = min(minBackoff + (retryJitter ? jitter(minBackoff) : 0), Self.airflowMaxRetryDelaySeconds)
        var delay = seconds * 1_000_000
        if let cap = maxRetryDelayMicros { delay = min(delay, cap) }
        return delay
    }
}

/// When DAG runs are created.
public enum WorkflowTiming: Sendable, Equatable {
    /// Every `micros`, the first at the schedule's start.
    case every(Int64)
    /// At each time the cron expression matches (Airflow's `CronTriggerTimetable`).
    case cron(CronExpression)
}

public struct WorkflowSchedule: Sendable, Equatable {
    public var timing: WorkflowTiming
    /// No run before this time (µs).
    public var startMicros: Int64
    /// No run after this time (µs), if set.
    public var endMicros: Int64?
    /// At most this many runs, if set.
    public var limit: Int?

    public init(timing: WorkflowTiming, startMicros: Int64 = 0, endMicros: Int64? = nil, limit: Int? = nil) {
        self.timing = timing
        self.startMicros = startMicros
        self.endMicros = endMicros
        self.limit = limit
    }

    /// The time of run number `run` (0-based) given the previous run's time, or nil when the schedule is over.
    public func runTime(_ run: Int, previous: Int64?) -> Int64? {
        if let limit, run >= limit { return nil }
        let t: Int64?
        switch timing {
        case .every(let interval):
            t = previous.map { $0 &+ interval } ?? startMicros
        case .cron(let cron):
            t = cron.next(atOrAfter: previous.map { $0 &+ 60_000_000 } ?? startMicros)
        }
        guard let t else { return nil }
        if let endMicros, t > endMicros { return nil }
        return t
    }
}

/// A DAG of tasks (`kind: workflow`).
public struct WorkflowSpec: Sendable, Equatable {
    public var tasks: [WorkflowTask]
    public var schedule: WorkflowSchedule
    /// Airflow `max_active_runs` (default 16): runs beyond it wait, queued, until one ends.
    public var maxActiveRuns: Int

    public init(tasks: [WorkflowTask], schedule: WorkflowSchedule, maxActiveRuns: Int = 16) {
        self.tasks = tasks
        self.schedule = schedule
        self.maxActiveRuns = maxActiveRuns
    }

    /// Downstream indices of each task.
    public var downstream: [[Int]] {
        var result = [[Int]](repeating: [], count: tasks.count)
        for (i, t) in tasks.enumerated() { for u in t.upstream { result[u].append(i) } }
        return result
    }

    /// A cycle of task indices (first repeated at the end) if the graph has one.
    public static func cycle(upstream: [[Int]]) -> [Int]? {
        // 0: unvisited, 1: on the stack, 2: done.
        var state = [UInt8](repeating: 0, count: upstream.count)
        var path: [Int] = []
        func visit(_ i: Int) -> [Int]? {
            state[i] = 1
            path.append(i)
            for u in upstream[i] {
                if state[u] == 1, let start = path.firstIndex(of: u) { return Array(path[start...]) + [u] }
                if state[u] == 0, let c = visit(u) { return c }
            }
            path.removeLast()
            state[i] = 2
            return nil
        }
        for i in upstream.indices where state[i] == 0 {
            if let c = visit(i) { return c }
        }
        return nil
    }

    /// The longest path through the DAG with these task durations: the sum of
    /// the durations along it, i.e. the makespan with unlimited resources and no failures.
    public func criticalPathMicros(durations: [Int64]) -> Int64 {
        var finish = [Int64?](repeating: nil, count: tasks.count)
        func earliestFinish(_ i: Int) -> Int64 {
            if let f = finish[i] { return f }
            let start = tasks[i].upstream.map(earliestFinish).max() ?? 0
            let f = start &+ durations[i]
            finish[i] = f
            return f
        }
        return tasks.indices.map(earliestFinish).max() ?? 0
    }
}

/// A five-field cron expression (minute hour day-of-month month day-of-week)
/// with `*`, lists, ranges and steps, as Vixie cron and Airflow (croniter) read
/// it: when both day fields are restricted a day matching either one fires.
/// Day-of-week 0 and 7 are Sunday. Names (`MON`, `JAN`) and the `@daily`
/// family are accepted. Simulated time 0 is Monday 2024-01-01 00:00 UTC.
public struct CronExpression: Sendable, Equatable {
    public var minutes: Set<Int>
    public var hours: Set<Int>
    public var daysOfMonth: Set<Int>
    public var months: Set<Int>
    public var daysOfWeek: Set<Int>
    var domRestricted: Bool
    var dowRestricted: Bool
    public let text: String

    /// Days from 1970-01-01 to the simulation's epoch, 2024-01-01 (a Monday).
    public static let epochDays: Int64 = 19_723
    static let macros = ["@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
                         "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"]
    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public struct ParseError: Error, Equatable { public var message: String }

    public static func parse(_ text: String) -> Result<CronExpression, ParseError> {
        let trimmed = String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()).lowercased()
        let expanded = macros[trimmed] ?? trimmed
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            return .failure(ParseError(message: "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)"))
        }
        let specs: [(String, ClosedRange<Int>, [String], Int)] = [
            ("minute", 0...59, [], 0), ("hour", 0...23, [], 0), ("day-of-month", 1...31, [], 0),
            ("month", 1...12, monthNames, 1), ("day-of-week", 0...7, dayNames, 0),
        ]
        var sets: [Set<Int>] = []
        for (i, field) in fields.enumerated() {
            let (what, range, names, nameBase) = specs[i]
            switch parseField(field, range: range, names: names, nameBase: nameBase) {
            case .success(let s): sets.append(s)
            case .failure(let e): return .failure(ParseError(message: "\(what) field \"\(field)\": \(e.message)"))
            }
        }
        var dow = sets[4]
        if dow.remove(7) != nil { dow.insert(0) }
        return .success(CronExpression(minutes: sets[0], hours: sets[1], daysOfMonth: sets[2], months: sets[3], daysOfWeek: dow,
                                       domRestricted: !fields[2].hasPrefix("*"), dowRestricted: !fields[4].hasPrefix("*"),
                                       text: text))
    }

    static func parseField(_ field: String, range: ClosedRange<Int>, names: [String], nameBase: Int) -> Result<Set<Int>, ParseError> {
        func value(_ s: Substring) -> Int? {
            if let n = Int(s) { return range.contains(n) ? n : nil }
            if let i = names.firstIndex(of: String(s)) { return i + nameBase }
            return nil
        }
        var result = Set<Int>()
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, !pieces[0].isEmpty else { return .failure(ParseError(message: "cannot read \"\(part)\"")) }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s >= 1 else { return .failure(ParseError(message: "step \"\(pieces[1])\" must be a whole number ≥ 1")) }
                step = s
            }
            var low: Int, high: Int
            if pieces[0] == "*" {
                (low, high) = (range.lowerBound, range.upperBound)
            } else {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2, let a = value(bounds[0]) else {
                    return .failure(ParseError(message: "\"\(pieces[0])\" is not a value in \(range.lowerBound)-\(range.upperBound)"))
                }
                low = a
                high = a
                if bounds.count == 2 {
                    guard let b = value(bounds[1]), b >= a else {
                        return .failure(ParseError(message: "range \"\(pieces[0])\" must go from low to high within \(range.lowerBound)-\(range.upperBound)"))
                    }
                    high = b
                } else if pieces.count == 2 {
                    high = range.upperBound  // "5/15" means 5-max/15
                }
            }
            result.formUnion(stride(from: low, through: high, by: step))
        }
        return .success(result)
    }

    /// Civil date (month 1-12, day 1-31, weekday 0 = Sunday) of a day since the epoch.
    static func civil(day: Int64) -> (month: Int, day: Int, weekday: Int) {
        // Howard Hinnant's civil_from_days.
        let z = day + epochDays + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        let weekday = Int(((day + epochDays) % 7 + 7 + 4) % 7)  // 1970-01-01 was a Thursday
        return (m, d, weekday)
    }

    func dayMatches(_ day: Int64) -> Bool {
        let c = Self.civil(day: day)
        guard months.contains(c.month) else { return false }
        let dom = daysOfMonth.contains(c.day), dow = daysOfWeek.contains(c.weekday)
        if domRestricted && dowRestricted { return dom || dow }
        return dom && dow
    }

    /// The first matching minute at or after `micros` (rounded up to a whole
    /// minute), or nil if none comes within about 8 years.
    public func next(atOrAfter micros: Int64) -> Int64? {
        let minuteMicros: Int64 = 60_000_000
        var minute = micros <= 0 ? 0 : (micros + minuteMicros - 1) / minuteMicros
        var day = minute / 1440
        let lastDay = day + 366 * 8 + 2
        let sortedHours = hours.sorted(), sortedMinutes = minutes.sorted()
        while day <= lastDay {
            if dayMatches(day) {
                let from = minute - day * 1440
                for h in sortedHours where (h + 1) * 60 > from {
                    for m in sortedMinutes where Int64(h * 60 + m) >= from {
                        return (day * 1440 + Int64(h * 60 + m)) * minuteMicros
                    }
                }
            }
            day += 1
            minute = day * 1440
        }
        return nil
    }
}
