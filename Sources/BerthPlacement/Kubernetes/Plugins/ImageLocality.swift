import BerthCluster

/// Score: favours nodes that already hold the pod's container images, damped by
/// how widely each image has spread so pods do not pile onto the few nodes that
/// pulled an image first.
///
/// For pod containers $C$ (init containers included) and node $n$,
/// $S_n = \sum_{c \in C,\ \mathrm{img}(c) \in n} \lfloor \mathrm{size}(\mathrm{img}(c)) \cdot N_{\mathrm{img}(c)} / N \rfloor$,
/// where $N_i$ is the number of nodes holding image $i$ and $N$ the number of
/// nodes in the cluster. With $lo = 23\,\mathrm{Mi}$ and $hi = 1000\,\mathrm{Mi} \cdot |C|$,
/// the score is $\lfloor 100\,(\mathrm{clamp}(S_n, lo, hi) - lo) / (hi - lo) \rfloor$.
/// Image names in the pod get the implicit `:latest` tag when they carry none;
/// node image names are compared as listed. No normalisation step.
///
/// Upstream: pkg/scheduler/framework/plugins/imagelocality/image_locality.go (v1.28).
/// Berth simplifies: the per-image node counts ($N_i$) are counted once per run
/// from the nodes' static image lists (``ClusterView/imageNodeCount(_:)``)
/// instead of the scheduler cache's `ImageStateSummary`.
public struct ImageLocality: ScorePlugin {
    public var isNodeLocal: Bool { true }
    public static let name = "ImageLocality"
    public static let mb: Int64 = 1024 * 1024
    /// Upstream `minThreshold`: below this the score is 0.
    public static let minThreshold: Int64 = 23 * mb
    /// Upstream `maxContainerThreshold`: per container, at or above it the score is 100.
    public static let maxContainerThreshold: Int64 = 1000 * mb
    /// Upstream `parsers.DefaultImageTag`.
    public static let defaultImageTag = "latest"
    /// CycleState key of the per-image node counts.
    public static let stateKey = "Score" + name

    public var name: String { Self.name }

    public init() {}

    /// Upstream `normalizedImageName`: append `:latest` unless the last `:` comes after the last `/`.
    public static func normalizedImageName(_ name: String) -> String {
        let lastColon = name.lastIndex(of: ":").map { name.distance(from: name.startIndex, to: $0) } ?? -1
        let lastSlash = name.lastIndex(of: "/").map { name.distance(from: name.startIndex, to: $0) } ?? -1
        return lastColon <= lastSlash ? name + ":" + defaultImageTag : name
    }

    /// Upstream `calculatePriority`.
    public static func calculatePriority(sumScores: Int64, numContainers: Int) -> Int64 {
        let maxThreshold = maxContainerThreshold * Int64(numContainers)
        var sum = sumScores
        if sum < minThreshold {
            sum = minThreshold
        } else if sum > maxThreshold {
            sum = maxThreshold
        }
        return maxNodeScore * (sum - minThreshold) / (maxThreshold - minThreshold)
    }

    /// Upstream `scaledImageScore`: size × spread, truncated.
    public static func scaledImageScore(size: Int64, numNodes: Int, totalNodes: Int) -> Int64 {
        guard totalNodes > 0 else { return 0 }
        let spread = Double(numNodes) / Double(totalNodes)
        return Int64(Double(size) * spread)
    }

    /// The pod's images (init containers first, then containers), normalised.
    static func podImages(_ pod: PodInfo) -> [String] {
        pod.pod.map(images(of:)) ?? []
    }

    static func images(of details: PodDetails) -> [String] {
        (details.initContainers + details.containers).map { normalizedImageName($0.image) }
    }

    /// How many nodes of the cluster hold each of `images` (a node listing a
    /// name twice counts once); images no node holds are left out.
    public static func nodeCounts(of images: Set<String>, in view: ClusterView) -> [String: Int] {
        var counts: [String: Int] = [:]
        for name in images {
            let n = view.imageNodeCount(name)
            if n > 0 { counts[name] = n }
        }
        return counts
    }

    /// Upstream `sumImageScores`.
    static func sumImageScores(images: [String], node: NodeInfo, counts: [String: Int], totalNodes: Int) -> Int64 {
        var sizes: [String: Int64] = [:]
        for image in node.images {
            for name in image.names where sizes[name] == nil { sizes[name] = image.sizeBytes }
        }
        var sum: Int64 = 0
        for name in images {
            if let size = sizes[name] {
                sum += scaledImageScore(size: size, numNodes: counts[name] ?? 0, totalNodes: totalNodes)
            }
        }
        return sum
    }

    /// Per-cycle cache: the pod's normalised images and how many nodes hold each.
    struct CycleImages {
        var images: [String]
        var counts: [String: Int]
    }

    public func score(_ state: CycleState, pod: PodInfo, node: NodeInfo) -> (Int64, Status) {
        let cycle: CycleImages
        if let cached = state.read(Self.stateKey, as: CycleImages.self) {
            cycle = cached
        } else {
            if let store = state.persistent, let details = pod.pod {
                // The images and their node counts are the same for every cycle of
                // one pod spec on one cluster (node images are static).
                cycle = store.object(Self.stateKey) { PodImagesMemo() }.images(details, view: node.view)
            } else {
                let images = Self.podImages(pod)
                cycle = CycleImages(images: images, counts: Self.nodeCounts(of: Set(images), in: node.view))
            }
            state.write(Self.stateKey, cycle)
        }
        // A node without images scores the minimum without building its size map.
        let sum = node.images.isEmpty || cycle.counts.isEmpty
            ? 0 : Self.sumImageScores(images: cycle.images, node: node, counts: cycle.counts, totalNodes: node.view.nodeCount)
        return (Self.calculatePriority(sumScores: sum, numContainers: cycle.images.count), .success)
    }
}

/// Per framework: each pod spec's normalised images and their node counts,
/// computed once per cluster (keyed by the `PodDetails` object, which the memo
/// keeps alive so its identity cannot be reused).
final class PodImagesMemo {
    private var clusterSerial: UInt64 = .max
    private var known: [ObjectIdentifier: (details: PodDetails, cycle: ImageLocality.CycleImages)] = [:]

    func images(_ details: PodDetails, view: ClusterView) -> ImageLocality.CycleImages {
        if view.clusterSerial != clusterSerial {
            clusterSerial = view.clusterSerial
            known.removeAll()
        }
        if let hit = known[ObjectIdentifier(details)] { return hit.cycle }
        let images = ImageLocality.images(of: details)
        let cycle = ImageLocality.CycleImages(images: images, counts: ImageLocality.nodeCounts(of: Set(images), in: view))
        if known.count >= 4096 { known.removeAll() }  // bound the memo (trace replays)
        known[ObjectIdentifier(details)] = (details, cycle)
        return cycle
    }
}
