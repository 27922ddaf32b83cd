// swift-tools-version: 6.1
// Berth — a cluster-scheduler simulator and benchmark suite.
// Module graph (one-way, top to bottom) is documented in docs/architecture.md.
import PackageDescription

let strict: [SwiftSetting] = [
    // Invariant checks that tests switch on at run time are always compiled;
    // this flag only guards extra internal assertions in debug builds.
    .define("BERTH_INTERNAL_CHECKS", .when(configuration: .debug)),
]

let package = Package(
    name: "Berth",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "berth", targets: ["berth"]),
        .library(name: "BerthHarness", targets: ["BerthHarness"]),
        .library(name: "BerthTestSupport", targets: ["BerthTestSupport"]),
        // Exported for the benchmark package in Benchmarks/ (a separate SwiftPM package).
        .library(name: "BerthSimulation", targets: ["BerthSimulation"]),
        .library(name: "BerthCluster", targets: ["BerthCluster"]),
        .library(name: "BerthPlacement", targets: ["BerthPlacement"]),
        .library(name: "BerthSchedulers", targets: ["BerthSchedulers"]),
        .library(name: "BerthScenario", targets: ["BerthScenario"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        .target(name: "BerthSimulation", dependencies: ["CGSL"], swiftSettings: strict),
        .target(name: "BerthCluster", dependencies: ["BerthSimulation"], swiftSettings: strict),
        .target(name: "BerthPlacement", dependencies: ["BerthCluster", "BerthSimulation"], swiftSettings: strict),
        .target(name: "BerthSchedulers", dependencies: ["BerthPlacement", "BerthCluster", "BerthSimulation"], swiftSettings: strict),
        .target(name: "BerthWorkloads", dependencies: ["BerthCluster", "BerthSimulation"], swiftSettings: strict),
        .target(name: "BerthFailures", dependencies: ["BerthCluster", "BerthSimulation"], swiftSettings: strict),
        .target(name: "BerthMetrics", dependencies: ["BerthCluster", "BerthSimulation", "CGSL"], swiftSettings: strict),
        .target(name: "BerthReports", dependencies: ["BerthMetrics", "BerthCluster", "BerthSimulation"], swiftSettings: strict),
        .target(
            name: "BerthScenario",
            dependencies: ["BerthSchedulers", "BerthPlacement", "BerthWorkloads", "BerthFailures", "BerthCluster", "BerthSimulation",
                           .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(
            name: "BerthHarness",
            dependencies: ["BerthScenario", "BerthReports", "BerthMetrics", "BerthSchedulers",
                           "BerthWorkloads", "BerthFailures", "BerthPlacement", "BerthCluster", "BerthSimulation"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "berth",
            dependencies: ["BerthHarness", "BerthScenario", "BerthWorkloads",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        .target(
            name: "BerthTestSupport",
            dependencies: ["BerthHarness", "BerthScenario", "BerthCluster", "BerthSimulation"],
            swiftSettings: strict
        ),
        .testTarget(name: "BerthSimulationTests", dependencies: ["BerthSimulation", "BerthTestSupport"]),
        .testTarget(name: "BerthClusterTests", dependencies: ["BerthCluster", "BerthTestSupport"]),
        .testTarget(name: "BerthPlacementTests", dependencies: ["BerthPlacement", "BerthTestSupport"]),
        .testTarget(name: "BerthSchedulersTests", dependencies: ["BerthSchedulers", "BerthPlacement", "BerthCluster", "BerthSimulation", "BerthTestSupport"]),
        .testTarget(name: "BerthScenarioTests", dependencies: ["BerthScenario", "BerthTestSupport"],
                    resources: [.copy("Broken")]),
        .testTarget(name: "BerthHarnessTests", dependencies: ["BerthHarness", "BerthFailures", "BerthMetrics", "BerthSimulation", "BerthScenario", "BerthSchedulers", "BerthReports", "BerthCluster", "BerthWorkloads", "BerthTestSupport"]),
        .testTarget(name: "BerthCLITests", dependencies: ["BerthTestSupport"]),
    ]
)
