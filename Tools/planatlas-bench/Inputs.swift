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
        text.append(contentsOf: header.utf8)
        text.append(UInt8(ascii: "\n"))
    }

    /// One row: the integers, then `value` with `decimals` places (0...9).
    mutating func row(_ integers: [Int64], _ value: Double, decimals: Int) {
        for n in integers {
            text.append(contentsOf: String(n).utf8)
            text.append(UInt8(ascii: ","))
        }
        appendFixed(value, decimals: decimals)
        text.append(UInt8(ascii: "\n"))
    }

    /// `value` as printf's `%.*f` writes it: rounded on its exact binary value, ties to even.
    /// The product value × 10^decimals is formed exactly as hi + lo (lo from a fused
    /// multiply-add), so the rounding looks at the true fraction, not at a rounded product.
    private mutating func appendFixed(_ value: Double, decimals: Int) {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let hi = value.magnitude * scale
        guard value.isFinite, hi < 0x1p52 else {
            text.append(contentsOf: String(format: "%.*f", decimals, value).utf8)
            return
        }
        let lo = (-hi).addingProduct(value.magnitude, scale)
        var scaled = UInt64(hi)
        let aboveHalf = ((hi - Double(scaled)) - 0.5) + lo
        if aboveHalf > 0 || (aboveHalf == 0 && scaled & 1 == 1) { scaled += 1 }
        if value < 0 { text.append(UInt8(ascii: "-")) }
        let divisor = UInt64(scale)
        text.append(contentsOf: String(scaled / divisor).utf8)
        if decimals > 0 {
            text.append(UInt8(ascii: "."))
            let fraction = String(scaled % divisor)
            for _ in fraction.count..<decimals { text.append(UInt8(ascii: "0")) }
            text.append(contentsOf: fraction.utf8)
        }
    }

    func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text).write(to: url)
    }
}
