import ArgumentParser
import FeatureStore
import Foundation
import Planning

/// Where the features live and where the built-in data comes from; shared by every command
/// that opens the store.
struct AtlasOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A SpatiaLite file or a postgres:// URL (?connect_timeout=5&query_timeout=30: seconds to wait for a connection and for an answer). Default: $PLANATLAS_DATABASE, else ~/.local/share/planatlas/planatlas.sqlite, seeded from GeoData on first use.",
        valueName: "FILE|URL"))
    var database: String?

    @Option(name: .long, help: ArgumentHelp("The GeoData folder to seed from and read the catalogue of (default: ./GeoData or the source tree's).", valueName: "DIR"))
    var geodata: String?

    var location: StoreLocation { database.map(StoreLocation.init) ?? .default() }

    /// The GeoData folder: --geodata, $PLANATLAS_GEODATA, ./GeoData, or the one in the source
    /// tree this binary was built from.
    var geodataDirectory: URL? {
        let candidates: [String?] = [geodata, ProcessInfo.processInfo.environment["PLANATLAS_GEODATA"], "GeoData",
                          URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../../GeoData").standardized.path]
        for case let path? in candidates {
            if FileManager.default.fileExists(atPath: path + "/layers.json") { return URL(filePath: path, directoryHint: .isDirectory) }
        }
        return nil
    }

    /// Opens the store (creating it if needed), seeds an empty store from GeoData, and returns
    /// the planning service over it.
    func openAtlas() async throws -> Atlas {
        let catalogue = try geodataDirectory.map { url throws(PlanningError) in try Catalogue.load(from: url) }
        if geodata != nil && catalogue == nil { throw CommandFailure("--geodata \(geodata!): no layers.json there") }
        let store: any FeatureStore
        do { store = try await location.open() } catch {
            throw CommandFailure("cannot open the database \(location): \(error)")
        }
        if let catalogue, try await store.isEmpty() {
            let progress = Progress(label: "seeding \(location) from GeoData", total: nil)
            let count = try await catalogue.seed(store)
            progress.finish()
            printError("planatlas: seeded \(location) with \(count) features from \(catalogue.dataDirectory.path)")
        }
        return Atlas(store: store, catalogue: catalogue)
    }
}

extension AtlasOptions {
    /// Runs `body` with the opened atlas and closes the store afterwards, also on error.
    func withAtlas<T>(_ body: (Atlas) async throws -> T) async throws -> T {
        let atlas = try await openAtlas()
        do {
            let result = try await body(atlas)
            await atlas.store.close()
            return result
        } catch {
            await atlas.store.close()
            throw error
        }
    }
}

/// --format for commands that print results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, geojson, csv
}
