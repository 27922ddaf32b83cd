import BerthSchedulers
import Testing

/// apache/mesos `src/tests/sorter_tests.cpp`, ported as tables: each step
/// changes the sorter, then the expected `sort()` order is checked.
@Suite struct MesosSorterTests {
    enum Step {
        case add(String, weight: Double = 1)
        case remove(String)
        case allocated(String, cpus: Double, mem: Double)
        case unallocated(String, cpus: Double, mem: Double)
        case addTotal(cpus: Double, mem: Double)
        case removeTotal(cpus: Double, mem: Double)
        case activate(String)
        case deactivate(String)
        case expect([String])
    }

    static func run(_ steps: [Step]) {
        let sorter = DRFSorter(resourceCount: 2)
        for step in steps {
            switch step {
            case .add(let c, let w):
                sorter.add(c)
                if w != 1 { sorter.weights[c] = w }
            case .remove(let c): sorter.remove(c)
            case .allocated(let c, let cpus, let mem): sorter.allocated(c, [cpus, mem])
            case .unallocated(let c, let cpus, let mem): sorter.unallocated(c, [cpus, mem])
            case .addTotal(let cpus, let mem): sorter.addTotal([cpus, mem])
            case .removeTotal(let cpus, let mem): sorter.removeTotal([cpus, mem])
            case .activate(let c): sorter.activate(c)
            case .deactivate(let c): sorter.deactivate(c)
            case .expect(let order): #expect(sorter.sort() == order)
            }
        }
    }

    /// TEST(SorterTest, DRFSorter)
    @Test func upstreamDRFSorter() {
        Self.run([
            .addTotal(cpus: 100, mem: 100),
            .add("a"), .allocated("a", cpus: 5, mem: 5),
            .add("b"), .allocated("b", cpus: 6, mem: 6),
            .expect(["a", "b"]),  // a = .05, b = .06
            .add("c"), .allocated("c", cpus: 1, mem: 1),
            .add("d"), .allocated("d", cpus: 3, mem: 1),
            .expect(["c", "d", "a", "b"]),  // a = .05, b = .06, c = .01, d = .03
            .remove("a"), .unallocated("b", cpus: 4, mem: 4),
            .expect(["c", "b", "d"]),  // b = .02, c = .01, d = .03
            .add("e"), .allocated("e", cpus: 1, mem: 5),
            .removeTotal(cpus: 50, mem: 0),  // total cpus 50, mem 100
            .expect(["c", "b", "e", "d"]),  // b = .04, c = .02, d = .06, e = .05
            .addTotal(cpus: 0, mem: 100),  // total cpus 50, mem 200
            .add("f"), .allocated("f", cpus: 5, mem: 1),
            .allocated("c", cpus: 0, mem: 15),
            .expect(["e", "b", "d", "c", "f"]),  // b = .04, c = .08, d = .06, e = .025, f = .1
            .deactivate("d"),
            .expect(["e", "b", "c", "f"]),
            .activate("d"),
            .expect(["e", "b", "d", "c", "f"]),
        ])
    }

    /// TEST(SorterTest, WDRFSorter)
    @Test func upstreamWDRFSorter() {
        Self.run([
            .addTotal(cpus: 100, mem: 100),
            .add("a"), .allocated("a", cpus: 5, mem: 5),
            .add("b", weight: 2), .allocated("b", cpus: 6, mem: 6),
            .expect(["b", "a"]),  // a = .05, b = .03
            .add("c"), .allocated("c", cpus: 4, mem: 4),
            .expect(["b", "c", "a"]),
            .add("d", weight: 10), .allocated("d", cpus: 10, mem: 20),
            .expect(["d", "b", "c", "a"]),  // d = .02
            .remove("b"),
            .expect(["d", "c", "a"]),
            .allocated("d", cpus: 10, mem: 25),
            .expect(["c", "d", "a"]),  // d = .045
            .add("e", weight: 0.1), .allocated("e", cpus: 1, mem: 1),
            .expect(["c", "d", "a", "e"]),  // e = .1
            .remove("a"),
            .expect(["c", "d", "e"]),
        ])
    }

    /// TEST(SorterTest, UpdateTotal): the order follows a changed total.
    @Test func upstreamUpdateTotal() {
        Self.run([
            .add("a"), .add("b"),
            .addTotal(cpus: 10, mem: 100),
            .allocated("a", cpus: 2, mem: 1),  // a = .2 (cpus)
            .allocated("b", cpus: 1, mem: 2),  // b = .1 (cpus)
            .expect(["b", "a"]),
            .removeTotal(cpus: 10, mem: 100), .addTotal(cpus: 100, mem: 10),
            .expect(["a", "b"]),  // a = .1 (mem), b = .2 (mem)
        ])
    }

    /// TEST(SorterTest, MultipleSlavesUpdateTotal): totals are summed over agents.
    @Test func upstreamMultipleSlavesUpdateTotal() {
        Self.run([
            .add("a"), .add("b"),
            .addTotal(cpus: 5, mem: 50), .addTotal(cpus: 5, mem: 50),
            .allocated("a", cpus: 2, mem: 1),  // a = .2
            .allocated("b", cpus: 1, mem: 3),  // b = .1
            .expect(["b", "a"]),
            .removeTotal(cpus: 5, mem: 50), .addTotal(cpus: 95, mem: 50),  // agent A now cpus 95
            .expect(["a", "b"]),  // a = .02 (cpus), b = .03 (mem)
        ])
    }

    /// compareDRF: equal shares go to the client allocated to fewer times, then by name.
    @Test func tieBreakByAllocationCountThenName() {
        Self.run([
            .addTotal(cpus: 10, mem: 10),
            .add("b"), .add("a"),
            .expect(["a", "b"]),  // equal share and count: by name
            .allocated("a", cpus: 1, mem: 1), .unallocated("a", cpus: 1, mem: 1),
            .expect(["b", "a"]),  // equal share 0; a was allocated to once
        ])
    }

    /// Excluded resources (Berth: `pods`) do not count towards the share.
    @Test func excludedResourcesDoNotCount() {
        let sorter = DRFSorter(resourceCount: 2, excluded: [1])
        sorter.addTotal([10, 10])
        sorter.add("a"); sorter.add("b")
        sorter.allocated("a", [1, 9])
        sorter.allocated("b", [2, 0])
        #expect(sorter.sort() == ["a", "b"])
        #expect(sorter.dominantShare("a") == 0.1)
    }
}
