// swift-tools-version: 6.1
// Berth benchmarks: a separate SwiftPM package so that the main package's
// `swift build` / `swift test` never build package-benchmark or its dependencies.
// Run from this directory: `swift package benchmark` (see docs/performance.md).
import PackageDescription

let benchmarkPlugins: [Target.PluginUsage] = [.plugin(name: "BenchmarkPlugin", package: "benchmark")]

let package = Package(
    name: "BerthBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Berth", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EventLoop",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BerthSimulation", package: "Berth"),
            ],
            path: "Benchmarks/EventLoop",
            plugins: benchmarkPlugins
        ),
        .executableTarget(
            name: "Placement",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BerthSimulation", package: "Berth"),
                .product(name: "BerthCluster", package: "Berth"),
                .product(name: "BerthPlacement", package: "Berth"),
            ],
            path: "Benchmarks/Placement",
            plugins: benchmarkPlugins
        ),
        .executableTarget(
            name: "EndToEnd",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BerthHarness", package: "Berth"),
                .product(name: "BerthScenario", package: "Berth"),
            ],
            path: "Benchmarks/EndToEnd",
            plugins: benchmarkPlugins
        ),
    ]
)
