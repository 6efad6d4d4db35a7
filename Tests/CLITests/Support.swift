import Foundation
import GeoModel
import Testing

/// The package root, from this file's place in Tests/CLITests.
let packageRoot = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let geoDataDirectory = packageRoot.appending(path: "GeoData", directoryHint: .isDirectory)

struct ToolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What a finished child process left behind.
struct Outcome: Sendable, CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// Runs an executable with arguments in `directory`, its output collected through files (pipes could
/// fill up and stall a child that writes a lot to both).
func run(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String]) throws -> Outcome {
    let out = directory.appending(path: ".stdout-\(UUID().uuidString)")
    let err = directory.appending(path: ".stderr-\(UUID().uuidString)")
    guard FileManager.default.createFile(atPath: out.path, contents: nil),
          FileManager.default.createFile(atPath: err.path, contents: nil) else {
        throw ToolError("cannot create output files in \(directory.path)")
    }
    defer {
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    let outHandle = try FileHandle(forWritingTo: out)
    let errHandle = try FileHandle(forWritingTo: err)
    process.standardOutput = outHandle
    process.standardError = errHandle
    try process.run()
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    return Outcome(status: process.terminationStatus,
                   stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
}

/// A scratch directory with its own database: each test runs `planatlas` as a user would, in
/// there, with `PLANATLAS_DATABASE` pointing at a fresh SpatiaLite file seeded from GeoData on
/// first use.
final class Workspace {
    let directory: URL
    var database: URL { directory.appending(path: "planatlas.sqlite") }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "planatlas-cli-\(UUID().uuidString)",
                                                                     directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// The planatlas binary of this build: beside the test bundle (the test command builds both).
    static let planatlas: URL = {
        var candidates: [URL] = []
        #if os(macOS)
        candidates += Bundle.allBundles.filter { $0.bundlePath.hasSuffix(".xctest") }.map { $0.bundleURL.deletingLastPathComponent() }
        #endif
        candidates.append(Bundle.main.bundleURL)
        candidates.append(URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent())
        candidates.append(packageRoot.appending(path: ".build/debug"))
        for directory in candidates {
            let binary = directory.appending(path: "planatlas")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        return candidates[0].appending(path: "planatlas")
    }()

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PLANATLAS_DATABASE"] = database.path
        environment["PLANATLAS_GEODATA"] = geoDataDirectory.path
        return environment
    }

    /// Runs `planatlas arguments...` here.
    @discardableResult
    func planatlas(_ arguments: String...) throws -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: Self.planatlas.path) else {
            throw ToolError("no planatlas binary at \(Self.planatlas.path): build with `swift build --build-tests` first")
        }
        return try run(Self.planatlas, arguments, in: directory, environment: environment)
    }

    /// Runs another tool (GDAL's ogrinfo, ogr2ogr) found on PATH.
    func tool(_ name: String, _ arguments: String...) throws -> Outcome {
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { URL(filePath: String($0)).appending(path: name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        guard let path else { throw ToolError("\(name) is not installed (Debian: apt-get install gdal-bin); Tools/setup.sh --test installs it") }
        return try run(path, arguments, in: directory, environment: environment)
    }

    func url(_ name: String) -> URL { directory.appending(path: name) }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: url(name), atomically: true, encoding: .utf8)
    }

    /// Reads a GeoJSON file written here; `projected` for one in metres with a `crs` member.
    func read(_ name: String, projected: Bool = false) throws -> FeatureCollection {
        let options = projected ? GeoJSONReader.Options(validatesLonLatRange: false, crsMember: .ignore) : GeoJSONReader.Options()
        return try GeoJSONReader(options: options).readFeatureCollection(Array(Data(contentsOf: url(name))))
    }
}

/// Feature counts of the built-in layers, read from the GeoJSON files themselves.
func geoDataCounts() throws -> [String: Int] {
    var counts: [String: Int] = [:]
    for file in try FileManager.default.contentsOfDirectory(atPath: geoDataDirectory.path) where file.hasSuffix(".geojson") {
        let bytes = Array(try Data(contentsOf: geoDataDirectory.appending(path: file)))
        counts[String(file.dropLast(".geojson".count))] = try GeoJSONReader().readFeatureCollection(bytes).features.count
    }
    return counts
}

/// The first coordinate of a geometry.
func firstCoordinate(_ geometry: Geometry?) -> Coordinate? {
    var first: Coordinate?
    geometry?.forEachCoordinate { if first == nil { first = $0 } }
    return first
}
