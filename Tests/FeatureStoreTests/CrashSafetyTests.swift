import Foundation
import Testing
@testable import FeatureStore
import GeoModel

/// SIGKILL a process in the middle of a large import, then reopen the store: the import is
/// all there or not at all, and everything committed before it is intact.
@Suite struct CrashSafetyTests {
    static let importSize = 100_000
    static let committedBefore = 500

    @Test(arguments: StoreKind.underTest)
    func killingAnImportMidwayLeavesNoneOfItAndEverythingBefore(_ kind: StoreKind) async throws {
        try await withCrashStore(kind) { location, reopen in
            let child = try ChildProcess(arguments: location + [String(Self.importSize)])
            // Well inside the transaction: 20,000 of 100,000 written.
            try await child.waitForLine { $0 == "progress 20000" }
            child.kill()
            let store = try await reopen()
            #expect(try await store.count(FeatureQuery(layers: ["import"])) == 0)
            #expect(try await store.count(FeatureQuery(layers: ["before"])) == Self.committedBefore)
            // The store takes writes again: no lock or half-written page was left behind.
            try await store.insert(feature("after", point(123.4, 41.8)), into: "import")
            #expect(try await store.count(FeatureQuery(layers: ["import"])) == 1)
            await store.close()
        }
    }

    @Test(arguments: StoreKind.underTest)
    func killingAfterTheImportCommittedKeepsAllOfIt(_ kind: StoreKind) async throws {
        try await withCrashStore(kind) { location, reopen in
            let child = try ChildProcess(arguments: location + ["20000"])
            try await child.waitForLine { $0 == "committed" }
            child.kill()
            let store = try await reopen()
            #expect(try await store.count(FeatureQuery(layers: ["import"])) == 20_000)
            #expect(try await store.count(FeatureQuery(layers: ["before"])) == Self.committedBefore)
            let last = try await store.feature(.string("import-19999"), in: "import")
            #expect(last?.feature.properties["n"] == .integer(19_999))
            await store.close()
        }
    }

    /// Prepares a store with a committed layer "before" and an empty layer "import", then runs
    /// `body` with the child's location arguments and a way to reopen the store. For SpatiaLite
    /// it also checks the file's integrity after the kill.
    func withCrashStore(_ kind: StoreKind,
                        _ body: ([String], () async throws -> any FeatureStore) async throws -> Void) async throws {
        let seed: (any FeatureStore) async throws -> Void = { store in
            try await store.createLayer(LayerInfo(id: "before", titleZH: "", titleEN: "", geometryType: .point))
            try await store.createLayer(LayerInfo(id: "import", titleZH: "", titleEN: "", geometryType: .point))
            try await store.insert(contentsOf: generatedPoints(Self.committedBefore), into: "before")
        }
        switch kind {
        case .spatiaLite:
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("crash.sqlite").path
            let store = try await SpatiaLiteStore(path: path)
            try await seed(store)
            await store.close()
            try await body(["spatialite", path]) {
                #expect(try integrityCheck(path) == ["ok"])
                return try await SpatiaLiteStore(path: path)
            }
        case .postGIS:
            let url = try postgresURL()
            let schema = uniqueSchema()
            let store = try await PostGISStore(url: url, schema: schema)
            try await seed(store)
            await store.close()
            let outcome: Result<Void, any Error>
            do {
                try await body(["postgis", url, schema]) { try await PostGISStore(url: url, schema: schema) }
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            try await PostGISStore(url: url, schema: schema).dropSchema()
            try outcome.get()
        }
    }
}

/// SQLite's own consistency check of the whole file (b-trees, indexes, the R*Tree's shadow tables).
func integrityCheck(_ path: String) throws -> [String] {
    let connection = try SQLiteConnection(path: path, readOnly: true)
    var lines: [String] = []
    try connection.forEachRow("PRAGMA integrity_check", []) { lines.append($0.text(0)) }
    return lines
}

/// planatlas-store-crashtest, started with `arguments`, its stdout read line by line.
final class ChildProcess: Sendable {
    private let process: Process
    private let output: FileHandle
    private let errors: Pipe

    init(arguments: [String]) throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("planatlas-store-crashtest")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ChildError(message: "\(executable.path) is missing: build it with `swift build`")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdout = Pipe()
        errors = Pipe()
        process.standardOutput = stdout
        process.standardError = errors
        try process.run()
        self.process = process
        output = stdout.fileHandleForReading
    }

    /// Reads stdout until a line satisfies `matches`; fails if the child ends first.
    func waitForLine(_ matches: @escaping @Sendable (String) -> Bool) async throws {
        let output = output
        let errors = errors
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                var pending = Data()
                while true {
                    let chunk = output.availableData
                    if chunk.isEmpty {
                        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                        continuation.resume(throwing: ChildError(message: "the child ended early: \(stderr)"))
                        return
                    }
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                        pending.removeSubrange(pending.startIndex...newline)
                        if matches(line) {
                            continuation.resume()
                            return
                        }
                    }
                }
            }
        }
    }

    /// SIGKILL: no chance to roll back, flush or close anything.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

struct ChildError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
