@testable import BerthPlacement
import BerthCluster
import Foundation
import Testing

/// Victim selection of nomad `scheduler/feasible/preemption.go` (`PreemptForTaskGroup`,
/// `filterSuperset`, `scoreForTaskGroup`) and the `rank.go` preemption score, on the
/// shapes of `preemption_test.go` `TestPreemption` (cpu/memory only: Berth models no
/// networks or devices). Node: 4000 MHz, 8192 MB; the ask comes from a priority-100 job.
@Suite struct NomadPreemptionTests {
    static let mib: Int64 = 1024 * 1024
    static func vec(_ cpu: Int64, _ memoryMB: Int64) -> [Int64] { [cpu, memoryMB * mib, 0, 1] }
    static func alloc(_ id: Int32, job: Int32, priority: Int32, _ cpu: Int64, _ memoryMB: Int64, maxParallel: Int = 0) -> NomadPreemption.Candidate {
        NomadPreemption.Candidate(task: id, workload: job, job: 0, priority: priority, requests: vec(cpu, memoryMB), maxParallel: maxParallel)
    }
    static let node = vec(4000, 8192)

    static func victims(_ ask: [Int64], _ candidates: [NomadPreemption.Candidate], priority: Int32 = 100,
                        preempted: [Int32: Int] = [:]) -> [Int32] {
        NomadPreemption.preemptForTaskGroup(ask: ask, priority: priority, capacity: node, candidates: candidates,
                                            preemptedSoFar: { w, _ in preempted[w] ?? 0 }).map(\.task)
    }

    /// "No preemption because existing allocs are not low priority": every candidate within 10 of the job's priority.
    @Test func higherOrCloseProrityIsNeverPreempted() {
        let allocs = [Self.alloc(1, job: 1, priority: 95, 3200, 7256), Self.alloc(2, job: 2, priority: 91, 800, 936)]
        #expect(Self.victims(Self.vec(2000, 256), allocs).isEmpty)
    }

    /// "Preempting low priority allocs": the lowest priority group is searched first,
    /// and within it the allocation closest to the ask.
    @Test func lowestPriorityGroupFirstThenClosest() {
        let allocs = [Self.alloc(1, job: 1, priority: 30, 1000, 2048),
                      Self.alloc(2, job: 2, priority: 10, 1500, 1024),
                      Self.alloc(3, job: 3, priority: 10, 1400, 3000),
                      Self.alloc(4, job: 4, priority: 60, 100, 100)]
        // node free before preemption: 4000 − 4000 cpu, 8192 − 6172 memory = 0 / 2020.
        // ask 1400 MHz / 2800 MB: group 10 first. Distances: alloc 2 √((1−1500/1400)² + (1−1024/2800)²) = 0.64,
        // alloc 3 √(0² + (1−3000/2800)²) = 0.071 → alloc 3 alone frees 1400 / 5020 ⊇ ask.
        #expect(Self.victims(Self.vec(1400, 2800), allocs) == [3])
    }

    /// Several victims when one is not enough; filterSuperset keeps victims in order of
    /// distance to the ask, largest first, until the ask is covered.
    @Test func filterSupersetKeepsVictimsUntilTheAskIsCovered() {
        // Full node (4000 / 8000 of 8192 used). Ask 3000/6000: group 10 gives allocs 1 and 2
        // (distance √((1−500/3000)² + (1−500/6000)²) = 1.24 each), not enough; group 20's alloc 3 covers it.
        // filterSuperset: distances to the ask 1.24, 1.24, 0.17 → order 1, 2, 3; only all three cover the ask.
        let allocs = [Self.alloc(1, job: 1, priority: 10, 500, 500),
                      Self.alloc(2, job: 2, priority: 10, 500, 500),
                      Self.alloc(3, job: 3, priority: 20, 3000, 7000)]
        #expect(Self.victims(Self.vec(3000, 6000), allocs) == [1, 2, 3])
        // Upstream's filter is order-dependent: with 500/692 free and ask 3000/7000, alloc 3 alone would do,
        // but alloc 1 (distance 1.25) comes before alloc 3 (distance 0) and is kept.
        let partial = [Self.alloc(1, job: 1, priority: 10, 500, 500), Self.alloc(3, job: 3, priority: 20, 3000, 7000)]
        #expect(Self.victims(Self.vec(3000, 7000), partial) == [1, 3])
    }

    /// `scoreForTaskGroup`: 50 per allocation beyond `max_parallel` already preempted from that job.
    @Test func maxParallelPenaltySteersAwayFromAJob() {
        let allocs = [Self.alloc(1, job: 1, priority: 10, 1000, 1000, maxParallel: 1),
                      Self.alloc(2, job: 2, priority: 10, 900, 900, maxParallel: 1),
                      Self.alloc(3, job: 3, priority: 10, 1100, 1100),
                      Self.alloc(4, job: 4, priority: 95, 1000, 5192)]  // fills the node; not preemptible
        // Ask 1000/1000: alloc 1 is at distance 0 → alone.
        #expect(Self.victims(Self.vec(1000, 1000), allocs) == [1])
        // Job 1 already lost one allocation in this plan: 0 + 50. Alloc 2 (0.141, first of the tie with 3) is taken,
        // 100/100 still needed: alloc 1 √2·9 + 50 = 62.7 vs alloc 3 √2·10 = 14.1 → alloc 3. Filter: 2 (0.141), 3 (0.141).
        #expect(Self.victims(Self.vec(1000, 1000), allocs, preempted: [1: 1]) == [2, 3])
    }

    @Test func netPriorityAndPreemptionScore() {
        // rank.go netPriority: max + Σ/max = 50 + 100/50 = 52
        #expect(NomadPreemption.netPriority([50, 50]) == 52)
        #expect(NomadPreemption.preemptionScore(2048) == 0.5)
        #expect(abs(NomadPreemption.preemptionScore(52) - 1 / (1 + exp(0.0048 * (52.0 - 2048)))) < 1e-15)
        #expect(NomadPreemption.preemptionScore(52) > 0.9999)
    }
}
