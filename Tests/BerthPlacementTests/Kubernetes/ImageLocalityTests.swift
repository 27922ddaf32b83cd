import BerthCluster
import BerthPlacement
import BerthTestSupport
import Testing

/// Port of upstream imagelocality/image_locality_test.go (v1.28):
/// `TestImageLocalityPriority` and `TestNormalizedImageName`.
/// Notation: M = 1 MiB; spread = nodes holding the image / nodes in the cluster;
/// score = 100·(clamp(Σ size·spread, 23M, 1000M·containers) − 23M) / (1000M·containers − 23M).
@Suite struct ImageLocalityTests {
    static let mb: Int64 = 1024 * 1024

    static let node403002000: [NodeImage] = [
        NodeImage(names: ["gcr.io/40:latest", "gcr.io/40:v1", "gcr.io/40:v1"], sizeBytes: 40 * mb),
        NodeImage(names: ["gcr.io/300:latest", "gcr.io/300:v1"], sizeBytes: 300 * mb),
        NodeImage(names: ["gcr.io/2000:latest"], sizeBytes: 2000 * mb),
    ]
    static let node25010: [NodeImage] = [
        NodeImage(names: ["gcr.io/250:latest"], sizeBytes: 250 * mb),
        NodeImage(names: ["gcr.io/10:latest", "gcr.io/10:v1"], sizeBytes: 10 * mb),
    ]
    static let node60040900: [NodeImage] = [
        NodeImage(names: ["gcr.io/600:latest"], sizeBytes: 600 * mb),
        NodeImage(names: ["gcr.io/40:latest"], sizeBytes: 40 * mb),
        NodeImage(names: ["gcr.io/900:latest"], sizeBytes: 900 * mb),
    ]
    static let node300600900: [NodeImage] = [
        NodeImage(names: ["gcr.io/300:latest"], sizeBytes: 300 * mb),
        NodeImage(names: ["gcr.io/600:latest"], sizeBytes: 600 * mb),
        NodeImage(names: ["gcr.io/900:latest"], sizeBytes: 900 * mb),
    ]
    static let node400030: [NodeImage] = [
        NodeImage(names: ["gcr.io/4000:latest"], sizeBytes: 4000 * mb),
        NodeImage(names: ["gcr.io/30:latest"], sizeBytes: 30 * mb),
    ]
    static let node203040: [NodeImage] = [
        NodeImage(names: ["gcr.io/20:latest"], sizeBytes: 20 * mb),
        NodeImage(names: ["gcr.io/30:latest"], sizeBytes: 30 * mb),
        NodeImage(names: ["gcr.io/40:latest"], sizeBytes: 40 * mb),
    ]

    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let images: [String]
        var initImages: [String] = []
        let nodes: [[NodeImage]]
        let want: [Int64]
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        // node1: 40M·1/2 = 20M < 23M → 0. node2: 100·(250M·1/2 − 23M)/(2000M − 23M) = 100·102/1977 = 5.
        Row(name: "two images spread on two nodes, prefer the larger image one",
            images: ["gcr.io/40", "gcr.io/250"], nodes: [node403002000, node25010], want: [0, 5]),
        // node1: 100·((40M + 300M)·1/2 − 23M)/(2000M − 23M) = 100·147/1977 = 7. node2: none → 0.
        Row(name: "two images on one node, prefer this node",
            images: ["gcr.io/40", "gcr.io/300"], nodes: [node403002000, node25010], want: [7, 0]),
        // node1: 4000M·1/2 = 2000M ≥ 2000M → 100. node2: 10M·1/2 < 23M → 0.
        Row(name: "if exceed limit, use limit",
            images: ["gcr.io/10", "gcr.io/4000"], nodes: [node400030, node25010], want: [100, 0]),
        // node1: 100·(4000M·1/3 − 23M)/(2000M − 23M) = 100·1310.33/1977 = 66. node2: 10M·1/3 < 23M → 0. node3: 0.
        Row(name: "if exceed limit, use limit (with node which has no images present)",
            images: ["gcr.io/10", "gcr.io/4000"], nodes: [node400030, node25010, []], want: [66, 0, 0]),
        // node1: 100·(600M·2/3 + 900M·2/3 − 23M)/(3000M − 23M) = 100·977/2977 = 32.
        // node2: 100·(300M·1/3 + 600M·2/3 + 900M·2/3 − 23M)/(3000M − 23M) = 100·1077/2977 = 36. node3: 0.
        Row(name: "pod with multiple large images, node2 is preferred",
            images: ["gcr.io/300", "gcr.io/600", "gcr.io/900"], nodes: [node60040900, node300600900, []], want: [32, 36, 0]),
        // node1: 100·(30M·2/2 + 40M·1/2 − 23M)/(2000M − 23M) = 100·27/1977 = 1. node2: 100·(30M − 23M)/1977M = 0.
        Row(name: "pod with multiple small images",
            images: ["gcr.io/30", "gcr.io/40"], nodes: [node203040, node400030], want: [1, 0]),
        // Init containers count: node1: 100·(300M·1/2 − 23M)/(2000M − 23M) = 100·127/1977 = 6.
        // node2: 30M·1/2 = 15M < 23M → 0.
        Row(name: "include InitContainers: two images spread on two nodes, prefer the larger image one",
            images: ["gcr.io/30"], initImages: ["gcr.io/300"], nodes: [node403002000, node203040], want: [6, 0]),
    ]

    static func nodes(_ row: Row) -> [NodeBuilder] {
        row.nodes.enumerated().map { NodeBuilder("node\($0.offset + 1)").withImages($0.element) }
    }

    static func pod(_ row: Row) -> TaskBuilder {
        TaskBuilder("pod").withImages(row.images, initImages: row.initImages)
    }

    @Test(arguments: rows)
    func score(_ row: Row) {
        #expect(NodePluginHarness.scores(ImageLocality(), pod: Self.pod(row), nodes: Self.nodes(row)).scores == row.want)
    }

    /// Through the framework: ImageLocality has no NormalizeScore, so the
    /// normalised column equals the raw score.
    @Test(arguments: rows)
    func scoreThroughFramework(_ row: Row) {
        let profile = KubernetesProfile(name: "images", scores: [(ImageLocality(), 1)])
        let got = NodePluginHarness.frameworkScores(profile, pod: Self.pod(row), nodes: Self.nodes(row))
        #expect(got.normalized == row.want.map(Optional.some))
        #expect(got.result.evaluations.map { $0.raw.first } == row.want.map(Optional.some))
    }

    struct NameRow: Sendable, CustomTestStringConvertible {
        let name: String
        let input: String
        let output: String
        var testDescription: String { name }
    }

    /// A fixed stand-in for upstream's `getImageFakeDigest("root")` (any sha256 digest serves).
    static let digest = "sha256:4813494d137e1631bba301d5acab6e7bb7aa74ce1185d456565ef51d737677b2"

    static let nameRows: [NameRow] = [
        NameRow(name: "add :latest postfix 1", input: "root", output: "root:latest"),
        NameRow(name: "add :latest postfix 2", input: "gcr.io:5000/root", output: "gcr.io:5000/root:latest"),
        NameRow(name: "keep it as is 1", input: "root:tag", output: "root:tag"),
        NameRow(name: "keep it as is 2", input: "root@" + digest, output: "root@" + digest),
    ]

    @Test(arguments: nameRows)
    func normalizedImageName(_ row: NameRow) {
        #expect(ImageLocality.normalizedImageName(row.input) == row.output)
    }

    @Test func podWithoutContainersScoresZero() {
        let got = NodePluginHarness.scores(ImageLocality(), pod: TaskBuilder("p"), nodes: [NodeBuilder("n").withImages(Self.node25010)])
        #expect(got.scores == [0])
    }
}
