import FuzzSupport
import GeoModel

/// JSONValue(parsing:) on arbitrary bytes. Besides not crashing, every value that parses, put in
/// a feature's properties, writes with GeoJSONWriter and reads back equal.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    let maxDepth = 64
    guard let value = try? JSONValue(parsing: bytes, maxDepth: maxDepth) else { return 0 }
    // The Feature document and its properties object add two levels above the value.
    let feature = Feature(geometry: nil, properties: ["value": value])
    let written: [UInt8]
    do {
        written = try GeoJSONWriter.encode(feature, options: .init(maxDepth: maxDepth + 2))
    } catch {
        propertyViolated("parsed but could not write: \(error)")
    }
    do {
        let again = try GeoJSONReader(options: .init(maxDepth: maxDepth + 2)).readFeature(written)
        if again != feature { propertyViolated("written and read back unequal: \(String(decoding: written, as: UTF8.self))") }
    } catch {
        propertyViolated("written but could not read back (\(error)): \(String(decoding: written, as: UTF8.self))")
    }
    return 0
}
