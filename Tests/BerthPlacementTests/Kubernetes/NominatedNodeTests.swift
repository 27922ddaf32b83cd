import BerthCluster
import BerthPlacement
import BerthSimulation
import BerthTestSupport
import Testing

/// Nominated nodes (upstream `evaluateNominatedNode` and
/// `RunFilterPluginsWithNominatedPods`, pkg/scheduler/schedule_one.go and
/// framework/runtime/framework.go, v1.28).
@Suite struct NominatedNodeTests {
    struct Fit: FilterPlugin {
        var name: String { "NodeResourcesFit" }
        func filter(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
            node.view.fits(pod.requests, on: node.index) ? .success : Status(.unschedulable, ["Insufficient cpu"])
        }
    }

    /// Scores node i as table[i].
    struct Table: ScorePlugin {
        let scores: [Int64]
        var name: String { "Table" }
        func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> (Int64, Status) { (scores[node.index], .success) }
    }

    static func framework() -> KubernetesFramework {
        KubernetesFramework(profile: KubernetesProfile(name: "t", filters: [Fit()], scores: [(Table(scores: [10, 20, 90]), 1)]))
    }

    static func cluster() -> Cluster { makeCluster((0..<3).map { NodeBuilder("n\($0)").capacity(cpu: "2", memory: "8Gi") }) }

    /// A feasible nominated node is chosen alone, without scoring (node 2
    /// would score best), and the rotating start index does not move.
    @Test func feasibleNominatedNodeIsChosenWithoutScoring() {
        let fw = Self.framework()
        let cluster = Self.cluster()
        let p = cluster.submit(TaskBuilder("p").requests(cpu: "1", memory: "1Gi").spec, at: 0)
        let rng = RandomStreams(seed: 1).stream(.tieBreaks)
        let r = fw.schedule(PodInfo(id: p, spec: cluster.tasks[Int(p)].spec), in: ClusterView(cluster), random: rng, nominatedNode: 0)
        #expect(r.selected == 0 && r.evaluatedNodes == 1 && r.feasibleNodes == 1)
        #expect(fw.nextStartNodeIndex == 0)
        let free = fw.schedule(PodInfo(id: p, spec: cluster.tasks[Int(p)].spec), in: ClusterView(cluster), random: rng)
        #expect(free.selected == 2, "without a nomination the best score wins")
        #expect(fw.nextStartNodeIndex == 0, "3 nodes processed from 0: back at 0")
    }

    /// An infeasible nominated node falls back to the full cycle.
    @Test func infeasibleNominatedNodeFallsBackToAllNodes() throws {
        let fw = Self.framework()
        let cluster = makeCluster((0..<3).map { NodeBuilder("n\($0)").capacity(cpu: "2", memory: "8Gi") },
                                  existing: [(TaskBuilder("hog").requests(cpu: "2", memory: "1Gi"), 0)])
        let p = cluster.submit(TaskBuilder("p").requests(cpu: "1", memory: "1Gi").spec, at: 0)
        let r = fw.schedule(PodInfo(id: p, spec: cluster.tasks[Int(p)].spec), in: ClusterView(cluster),
                            random: RandomStreams(seed: 1).stream(.tieBreaks), nominatedNode: 0)
        #expect(r.selected == 2 && r.evaluatedNodes == 3 && r.feasibleNodes == 2)
    }

    /// Room reserved for a nominated pod is not free: with a 2-cpu pod
    /// nominated to n2 (2 cpu free), a 1-cpu pod cannot use n2 and takes the
    /// best of the rest; the cluster is unchanged afterwards (dry run).
    @Test func reservedRoomIsTaken() throws {
        let fw = Self.framework()
        let cluster = Self.cluster()
        let nominee = cluster.submit(TaskBuilder("nominee").requests(cpu: "2", memory: "1Gi").spec, at: 0)
        let p = cluster.submit(TaskBuilder("p").requests(cpu: "1", memory: "1Gi").spec, at: 0)
        let before = cluster.totalAllocated
        let r = fw.schedule(PodInfo(id: p, spec: cluster.tasks[Int(p)].spec), in: ClusterView(cluster),
                            random: RandomStreams(seed: 1).stream(.tieBreaks), reservations: [2: [nominee]])
        #expect(r.selected == 1, "n2 is reserved; n1 scores 20 > n0's 10")
        #expect(r.feasibleNodes == 2)
        #expect(r.diagnosis.isEmpty)
        #expect(cluster.totalAllocated == before && ClusterView(cluster).tasks(on: 2).isEmpty)
        // The nominee itself is not kept off its own node.
        let own = fw.schedule(PodInfo(id: nominee, spec: cluster.tasks[Int(nominee)].spec), in: ClusterView(cluster),
                              random: RandomStreams(seed: 1).stream(.tieBreaks), nominatedNode: 2, reservations: [2: [nominee]])
        #expect(own.selected == 2)
    }
}
