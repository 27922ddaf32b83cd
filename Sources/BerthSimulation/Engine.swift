/// The discrete-event kernel: a clock and a queue, nothing about clusters.
///
/// Callers `schedule` payloads and drive the loop with `step()` or `run(until:_:)`.
/// Time never goes backwards: `schedule(_:at:)` rejects a time before `now`, and
/// `step` asserts that the clock only moves forward.
public struct Engine<Payload> {
    public var now: SimTime { SimTime(micros: nowMicros) }
    public var eventsProcessed: Int64 { processed }
    @usableFromInline var nowMicros: Int64 = 0
    @usableFromInline var processed: Int64 = 0
    @usableFromInline var queue = EventQueue<Payload>()

    public init() {}

    @inlinable public var pendingEvents: Int { queue.count }
    @inlinable public var nextEventTime: SimTime? { queue.nextTime }

    public enum ScheduleError: Error, Equatable { case inThePast(now: SimTime, requested: SimTime) }

    /// Schedules `payload` at absolute time `time` (≥ `now`).
    @inlinable
    public mutating func schedule(_ payload: Payload, at time: SimTime, eventClass: UInt8 = 0) throws(ScheduleError) {
        guard time >= now else { throw .inThePast(now: now, requested: time) }
        queue.push(payload, at: time, eventClass: eventClass)
    }

    /// Schedules `payload` `delayMicros` after now (a negative delay is treated as zero).
    @inlinable
    public mutating func schedule(_ payload: Payload, afterMicros delayMicros: Int64, eventClass: UInt8 = 0) {
        queue.push(payload, at: now.adding(micros: max(0, delayMicros)), eventClass: eventClass)
    }

    /// Pops the next event if it is due at or before `limit`, advancing the clock to it.
    @inlinable
    public mutating func step(until limit: SimTime = .never) -> Payload? {
        guard let t = queue.nextTime, t <= limit, let (time, payload) = queue.pop() else { return nil }
        precondition(time.micros >= nowMicros, "simulated time went backwards") // trap-ok: heap order guarantees it
        nowMicros = time.micros
        processed += 1
        return payload
    }

    /// Runs events until the queue is empty or the next one is after `limit`,
    /// handing each to `handle`. Returns the number of events processed.
    @inlinable @discardableResult
    public mutating func run(until limit: SimTime = .never, _ handle: (inout Engine, Payload) -> Void) -> Int64 {
        let start = processed
        while let payload = step(until: limit) { handle(&self, payload) }
        return processed - start
    }

    /// Moves the clock forward to `time` without an event (used to close a run at its horizon).
    public mutating func advance(to time: SimTime) {
        if time > now { nowMicros = time.micros }
    }
}
