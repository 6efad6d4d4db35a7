// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for planatlas's readers. A package of its own, so that fuzz executables and
// the sanitizer flags never enter the main package's build. Build and run with Tools/fuzz/run.sh;
// the build needs `-Xswiftc -sanitize=fuzzer,address` on the command line so that the code under
// test (GeoModel and its dependencies) is instrumented too, not only these targets.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

/// A fuzz target is one file with `@_cdecl("LLVMFuzzerTestOneInput")` and no top-level code;
/// libFuzzer supplies `main`.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: dependencies + ["FuzzSupport"],
                      swiftSettings: strict)
}

let geoModel = Target.Dependency.product(name: "GeoModel", package: "planatlas")

let package = Package(
    name: "planatlas-fuzz",
    dependencies: [.package(name: "planatlas", path: "../..")],
    targets: [
        .target(name: "FuzzSupport", swiftSettings: strict),
        fuzzTarget("fuzz-geojson", [geoModel]),
        fuzzTarget("fuzz-wkb", [geoModel]),
        fuzzTarget("fuzz-json", [geoModel]),
        // The HTTP query-parameter parser gets `fuzzTarget("fuzz-query", [<its product>])` here
        // once it exists, plus a corpus in Tests/Fuzz/corpus/fuzz-query and an entry in run.sh.
    ],
    swiftLanguageModes: [.v6]
)
