import BerthSimulation
import Testing

@Suite struct EventQueueTests {
    @Test func ordersByTimeThenClassThenInsertion() {
        var q = EventQueue<String>()
        q.push("t5-c0-a", at: SimTime(micros: 5), eventClass: 0)
        q.push("t1-c2", at: SimTime(micros: 1), eventClass: 2)
        q.push("t1-c0-a", at: SimTime(micros: 1), eventClass: 0)
        q.push("t5-c0-b", at: SimTime(micros: 5), eventClass: 0)
        q.push("t1-c0-b", at: SimTime(micros: 1), eventClass: 0)
        q.push("t0-c3", at: SimTime(micros: 0), eventClass: 3)
        var out: [String] = []
        while let (_, p) = q.pop() { out.append(p) }
        #expect(out == ["t0-c3", "t1-c0-a", "t1-c0-b", "t1-c2", "t5-c0-a", "t5-c0-b"])
    }

    /// Many equal keys: FIFO must hold (a plain heap would not promise it).
    @Test func equalKeysComeOutFIFO() {
        var q = EventQueue<Int>()
        for i in 0..<1000 { q.push(i, at: SimTime(micros: Int64(i % 7)), eventClass: UInt8(i % 3)) }
        var last: (Int64, Int, Int) = (-1, -1, -1)
        while let (t, i) = q.pop() {
            let key = (t.micros, i % 3, i)
            #expect(key > last, "popped \(key) after \(last)")
            last = key
        }
    }

    @Test func randomisedAgainstSort() {
        var q = EventQueue<Int>()
        var model: [(Int64, UInt8, Int)] = []
        var x: UInt64 = 12345
        for i in 0..<5000 {
            x = RandomStreams.splitmix64(x)
            let t = Int64(x % 100), c = UInt8((x >> 20) % 4)
            q.push(i, at: SimTime(micros: t), eventClass: c)
            model.append((t, c, i))
        }
        model.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var popped: [Int] = []
        while let (_, i) = q.pop() { popped.append(i) }
        #expect(popped == model.map(\.2))
    }
}

@Suite struct EngineTests {
    @Test func clockAdvancesMonotonicallyAndStopsAtLimit() {
        var engine = Engine<Int>()
        for t: Int64 in [30, 10, 20, 40] { engine.schedule(Int(t), afterMicros: t) }
        var seen: [Int64] = []
        engine.run(until: SimTime(micros: 30)) { e, _ in seen.append(e.now.micros) }
        #expect(seen == [10, 20, 30])
        #expect(engine.pendingEvents == 1)
        #expect(engine.now.micros == 30)
    }

    @Test func schedulingInThePastIsRejected() {
        var engine = Engine<Int>()
        engine.schedule(1, afterMicros: 100)
        _ = engine.step()
        #expect(throws: Engine<Int>.ScheduleError.self) { try engine.schedule(2, at: SimTime(micros: 50)) }
        #expect(throws: Never.self) { try engine.schedule(3, at: SimTime(micros: 100)) }
    }

    @Test func handlersCanScheduleFollowUps() {
        var engine = Engine<Int>()
        engine.schedule(0, afterMicros: 0)
        let processed = engine.run { e, n in if n < 99 { e.schedule(n + 1, afterMicros: 10) } }
        #expect(processed == 100)
        #expect(engine.now.micros == 990)
    }

    @Test func timeFormattingIsExact() {
        #expect(SimTime(micros: 12_000_500).secondsText == "12.000500")
        #expect(SimTime(micros: 0).secondsText == "0.000000")
        #expect(SimTime.decimalSeconds(-1_500_000) == "-1.500000")
        #expect(SimTime(micros: 999).secondsText == "0.000999")
    }
}
