import Foundation
import Testing
@testable import GeoModel
import TestSupport

/// Helpers shared by the GeoJSON suites.
enum GeoJSONTestSupport {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/geojson"),
                               "missing fixture \(name)")
        return [UInt8](try Data(contentsOf: url))
    }

    /// The document re-serialised by Foundation with sorted keys: two documents that mean the
    /// same JSON get the same text, whatever their member order, spacing or number spelling.
    /// (Foundation is used here, in the tests only, as an independent JSON implementation.)
    static func canonicalJSON(_ bytes: [UInt8]) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }

    /// The error a read throws, or nil if it succeeds.
    static func readError(_ text: String, options: GeoJSONReader.Options = .init()) -> GeoJSONError? {
        readError(bytes(text), options: options)
    }

    static func readError(_ bytes: [UInt8], options: GeoJSONReader.Options = .init()) -> GeoJSONError? {
        do {
            _ = try GeoJSONReader(options: options).read(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// The text a writer produces for one geometry document, without the final newline.
    static func written(_ geometry: Geometry, options: GeoJSONWriter.Options = .init()) throws -> String {
        String(text(try GeoJSONWriter.encode(geometry, options: options)).dropLast())
    }

    static func point(_ x: Double, _ y: Double, _ z: Double? = nil) -> Coordinate { Coordinate(x: x, y: y, z: z) }
}

