import FeatureStore
import Foundation
import GeoModel

/// Why a benchmark run could not go on; printed on stderr with a non-zero exit.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A generated GeoJSON file (Tools/bench/generate.py) read as a store would hand its features
/// to the planning layer: every feature with its integer id.
enum Inputs {
    static func features(_ path: String, layer: String) throws -> [StoredFeature] {
        guard let data = FileManager.default.contents(atPath: path) else { throw BenchFailure("cannot read \(path)") }
        var features: [StoredFeature] = []
        try GeoJSONReader().forEachFeature(in: data) { index, feature in
            guard let id = feature.id else { throw BenchFailure("\(path): feature \(index) has no id") }
            features.append(StoredFeature(layer: layer, id: id, feature: feature, version: 1))
        }
        return features
    }

    /// The integer a generated feature id holds.
    static func integer(_ id: FeatureID) throws -> Int64 {
        switch id {
        case .number(let n): return n
        case .string(let s):
            guard let n = Int64(s) else { throw BenchFailure("feature id '\(s)' is not an integer") }
            return n
        }
    }

    /// Query points in order of their id.
    static func queries(_ path: String) throws -> [(id: Int64, location: Coordinate)] {
        var queries: [(id: Int64, location: Coordinate)] = []
        for stored in try features(path, layer: "queries") {
            guard case .point(let point) = stored.feature.geometry, let location = point.coordinate else {
                throw BenchFailure("\(path): query \(stored.id) is not a Point")
            }
            queries.append((try integer(stored.id), location))
        }
        queries.sort { $0.id < $1.id }
        return queries
    }
}

/// Answer rows written as the harness's CSV: integers as integers, `\n` line ends, no quoting.
struct CSVFile {
    private var text: [UInt8] = []

    init(header: String) {
        text.reserveCapacity(1 << 20)
        append(header)
        text.append(UInt8(ascii: "\n"))
    }

    mutating func append(_ s: String) { text.append(contentsOf: s.utf8) }

    /// One row; `Double`s are written with `decimals` places, rounded as printf's `%.*f` does.
    mutating func row(_ integers: [Int64], _ value: Double, decimals: Int) {
        for n in integers {
            append(String(n))
            text.append(UInt8(ascii: ","))
        }
        append(String(format: "%.*f", decimals, value))
        text.append(UInt8(ascii: "\n"))
    }

    func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text).write(to: url)
    }
}
