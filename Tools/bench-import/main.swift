// Import benchmark for the SpatiaLite store: generates points, lines and polygons over Shenyang
// and imports them in one all-or-nothing batch, then prints the time, the rate, the peak
// resident memory (getrusage) and the file size, and times a few indexed queries.
//
//   swift build -c release --product bench-import
//   .build/release/bench-import [--count 1000000] [--path FILE] [--keep]
//
// The features are generated lazily while they are written, so memory measures the store,
// not an array of input.
import FeatureStore
import Foundation
import GeoModel

struct Options {
    var count = 1_000_000
    var path: String?
    var keep = false

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--count": count = iterator.next().flatMap { Int($0.replacingOccurrences(of: "_", with: "")) } ?? count
            case "--path": path = iterator.next()
            case "--keep": keep = true
            default:
                FileHandle.standardError.write(Data("usage: bench-import [--count N] [--path FILE] [--keep]\n".utf8))
                exit(2)
            }
        }
    }
}

/// Feature i: a point, a 4-vertex line or a square polygon, spread over ~30 km x 20 km.
func generated(_ i: Int) -> FeatureChange {
    let column = Double(i % 1000)
    let row = Double((i / 1000) % 1000)
    let lon: Double = 123.25 + column * 0.0003
    let lat: Double = 41.70 + row * 0.0002
    let properties: JSONObject = [
        "name": .string("feature \(i)"), "status": i % 7 == 0 ? "planned" : "existing", "n": .integer(Int64(i)),
    ]
    let step = 0.0001
    switch i % 3 {
    case 0:
        return .insert(Feature(id: .number(Int64(i)), geometry: .point(Point(x: lon, y: lat)), properties: properties),
                       layer: "bench_points")
    case 1:
        let line = LineString([Coordinate(x: lon, y: lat), Coordinate(x: lon + step, y: lat + step),
                               Coordinate(x: lon + 2 * step, y: lat), Coordinate(x: lon + 3 * step, y: lat + step)])
        return .insert(Feature(id: .number(Int64(i)), geometry: .lineString(line), properties: properties),
                       layer: "bench_lines")
    default:
        let ring = [Coordinate(x: lon, y: lat), Coordinate(x: lon + step, y: lat), Coordinate(x: lon + step, y: lat + step),
                    Coordinate(x: lon, y: lat + step), Coordinate(x: lon, y: lat)]
        return .insert(Feature(id: .number(Int64(i)), geometry: .polygon(Polygon(exterior: ring)), properties: properties),
                       layer: "bench_polygons")
    }
}

/// Peak resident set size of this process so far, in MiB (Linux reports ru_maxrss in KiB).
func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let path = options.path ?? FileManager.default.temporaryDirectory
    .appendingPathComponent("planatlas-bench-\(ProcessInfo.processInfo.processIdentifier).sqlite").path
for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }

do {
    let clock = ContinuousClock()
    let store = try await SpatiaLiteStore(path: path)
    for (id, type) in [("bench_points", GeometryType.point), ("bench_lines", .lineString), ("bench_polygons", .polygon)] {
        try await store.createLayer(LayerInfo(id: id, titleZH: id, titleEN: id, geometryType: type))
    }
    let rssBefore = peakRSSMiB()
    let count = options.count
    let start = clock.now
    let summary = try await store.apply((0..<count).lazy.map(generated),
                                        options: WriteOptions(progressInterval: 100_000)) { done in
        FileHandle.standardError.write(Data("  \(done) features\n".utf8))
    }
    let importTime = seconds(clock.now - start)
    let fileBytes = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
    let walBytes = ((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size]) as? Int) ?? 0

    var timings: [String] = []
    for (name, query) in [
        // Inside the generated extent for any count >= 10,000 (rows start at latitude 41.70).
        ("bbox 0.01 x 0.002 deg", FeatureQuery(bbox: BoundingBox(minX: 123.35, minY: 41.700, maxX: 123.36, maxY: 41.702),
                                               limit: 100)),
        ("near 200 m", FeatureQuery(near: NearFilter(center: Coordinate(x: 123.40, y: 41.701), radiusMetres: 200),
                                    limit: 100)),
        ("property status=planned, layer points", FeatureQuery(layers: ["bench_points"],
            properties: [PropertyFilter(key: "status", value: "planned")], limit: 100)),
    ] {
        let queryStart = clock.now
        let page = try await store.query(query)
        timings.append(String(format: "  %@: %d of %d matches in %.1f ms", name, page.matches.count, page.totalCount,
                              seconds(clock.now - queryStart) * 1000))
    }
    await store.close()

    print("bench-import: \(summary.inserted) features (points, 4-vertex lines, squares) into SpatiaLite, one transaction")
    print(String(format: "  import time: %.1f s (%.0f features/s)", importTime, Double(summary.inserted) / importTime))
    print(String(format: "  peak RSS: %.1f MiB (%.1f MiB before the import)", peakRSSMiB(), rssBefore))
    print(String(format: "  file: %.1f MiB (+ %.1f MiB WAL)", Double(fileBytes) / 1_048_576, Double(walBytes) / 1_048_576))
    print("  queries after import:")
    timings.forEach { print($0) }
    print("  database: \(path)\(options.keep ? " (kept)" : "")")
} catch {
    FileHandle.standardError.write(Data("bench-import failed: \(error)\n".utf8))
    exit(1)
}
if !options.keep {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}
