// swift-tools-version:6.0
import PackageDescription

// Layers, top to bottom (arrows point down only):
//   planatlas (CLI) -> PlanServer -> Planning -> FeatureStore -> GeoEngine -> GeoModel
//   GeoEngine wraps GEOS and PROJ; FeatureStore wraps SpatiaLite and PostgreSQL/PostGIS.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "planatlas",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "planatlas", targets: ["planatlas"]),
        .executable(name: "planatlas-bench", targets: ["planatlas-bench"]),
        .library(name: "GeoModel", targets: ["GeoModel"]),
        .library(name: "GeoEngine", targets: ["GeoEngine"]),
        .library(name: "FeatureStore", targets: ["FeatureStore"]),
        .library(name: "Planning", targets: ["Planning"]),
        .library(name: "PlanServer", targets: ["PlanServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CSpatiaLite", pkgConfig: "spatialite", providers: [.apt(["libspatialite-dev"])]),

        .target(
            name: "GeoModel",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: strict),
        .target(
            name: "GeoEngine",
            dependencies: ["GeoModel", "CGEOS", "CPROJ"],
            swiftSettings: strict),
        .target(
            name: "FeatureStore",
            dependencies: [
                "GeoModel", "CSpatiaLite",
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict),
        .target(
            name: "Planning",
            dependencies: ["GeoModel", "GeoEngine", "FeatureStore",
                           .product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: strict),
        .target(
            name: "PlanServer",
            dependencies: [
                "GeoModel", "GeoEngine", "FeatureStore", "Planning",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            // The viewer's files are served from the source tree (or a configured folder).
            exclude: ["Viewer"],
            swiftSettings: strict),
        .executableTarget(
            name: "planatlas",
            dependencies: [
                "GeoModel", "GeoEngine", "FeatureStore", "Planning", "PlanServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // Seeded randomness and other helpers shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "GeoModelTests", dependencies: ["GeoModel", "TestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "GeoEngineTests", dependencies: ["GeoEngine", "TestSupport"], swiftSettings: strict),
        // The crash-safety tests start planatlas-store-crashtest as a child process and SIGKILL it;
        // the timeout tests hold a lock on their own PostgreSQL connection (PostgresNIO).
        .testTarget(name: "FeatureStoreTests",
                    dependencies: ["FeatureStore", "planatlas-store-crashtest", "TestSupport",
                                   .product(name: "PostgresNIO", package: "postgres-nio")],
                    swiftSettings: strict),
        .testTarget(
            name: "PlanServerTests",
            dependencies: [
                "PlanServer", "GeoModel", "GeoEngine", "FeatureStore", "Planning",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: strict),
        // The oracle tests query PostGIS directly (PostgresNIO) to check planatlas's answers.
        .testTarget(name: "PlanningTests",
                    dependencies: ["Planning", "FeatureStore", "GeoEngine", "GeoModel", "TestSupport",
                                   .product(name: "PostgresNIO", package: "postgres-nio")],
                    swiftSettings: strict),
        // Runs the built planatlas binary as a child process; the dependency makes sure it is built.
        .testTarget(name: "CLITests", dependencies: ["planatlas", "GeoModel"], swiftSettings: strict),

        // Tools: a child process for the crash-safety test and the import benchmark.
        .executableTarget(name: "planatlas-store-crashtest", dependencies: ["FeatureStore"],
                          path: "Tools/store-crashtest", swiftSettings: strict),
        .executableTarget(name: "bench-import", dependencies: ["FeatureStore"],
                          path: "Tools/bench-import", swiftSettings: strict),
        // Issue 8's workloads through the product's planning code, for Tools/bench/run.sh.
        .executableTarget(
            name: "planatlas-bench",
            dependencies: [
                "GeoModel", "GeoEngine", "FeatureStore", "Planning", "CPROJ",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/planatlas-bench", swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
