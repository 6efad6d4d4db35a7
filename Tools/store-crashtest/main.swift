// The child process of the crash-safety tests (Tests/FeatureStoreTests/CrashSafetyTests.swift):
// imports COUNT generated points into the layer "import" of an existing store in one batch,
// reporting progress on stdout, and then waits to be killed.
//
//   planatlas-store-crashtest spatialite PATH COUNT
//   planatlas-store-crashtest postgis URL SCHEMA COUNT
//
// Output lines: "progress N" every 1000 features (inside the open transaction), then
// "committed" once the batch has committed.
import FeatureStore
import Foundation
import GeoModel

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("planatlas-store-crashtest: " + message + "\n").utf8))
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
let store: any FeatureStore
let count: Int
do {
    switch arguments.first {
    case "spatialite" where arguments.count == 3:
        store = try await SpatiaLiteStore(path: arguments[1])
        count = Int(arguments[2]) ?? 0
    case "postgis" where arguments.count == 4:
        store = try await PostGISStore(url: arguments[1], schema: arguments[2])
        count = Int(arguments[3]) ?? 0
    default:
        fail("usage: planatlas-store-crashtest spatialite PATH COUNT | postgis URL SCHEMA COUNT")
    }
} catch {
    fail("cannot open the store: \(error)")
}

func generated(_ i: Int) -> Feature {
    let lon: Double = 123.0 + Double(i % 1000) * 0.001
    let lat: Double = 41.0 + Double(i / 1000) * 0.001
    let properties: JSONObject = ["n": .integer(Int64(i)), "note": "crash-safety import"]
    return Feature(id: .string("import-\(i)"), geometry: .point(Point(x: lon, y: lat)), properties: properties)
}

let features = (0..<count).lazy.map(generated)
do {
    try await store.insert(contentsOf: features, into: "import", options: WriteOptions(progressInterval: 1000)) { n in
        say("progress \(n)")
    }
} catch {
    fail("import failed: \(error)")
}
say("committed")
// Wait for SIGKILL; the test never lets this run out.
try? await Task.sleep(for: .seconds(600))
