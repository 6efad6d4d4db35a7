import FuzzSupport
import GeoModel

/// GeoJSONReader on arbitrary bytes. Besides not crashing, for every input:
/// - `read`, `readFeatureCollection`/`readFeature`/`readGeometry` and `forEachFeature` agree;
/// - a document that reads writes again with GeoJSONWriter (exact coordinates, rings as they
///   are) and reads back equal; with the writer's default options it still reads back.
///
/// Each input is read twice: with the service's default options, and with projected-coordinate
/// options and a small depth limit, so that the limit's edges are within the fuzzer's reach.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    check(bytes, options: GeoJSONReader.Options())
    check(bytes, options: GeoJSONReader.Options(maxDepth: 8, validatesLonLatRange: false, crsMember: .ignore))
    return 0
}

private func check(_ bytes: [UInt8], options: GeoJSONReader.Options) {
    let reader = GeoJSONReader(options: options)
    let object: GeoJSONObject
    do {
        object = try reader.read(bytes)
    } catch {
        // A document that does not read cannot stream either.
        if (try? streamed(bytes, reader)) != nil {
            propertyViolated("read failed (\(error)) but forEachFeature succeeded")
        }
        return
    }
    checkEntryPoints(bytes, reader, object)
    checkRoundTrip(object, reader)
}

private struct StopReading: Error {}

/// The features `forEachFeature` delivers, checking their indices.
private func streamed(_ bytes: [UInt8], _ reader: GeoJSONReader) throws -> [Feature] {
    var features: [Feature] = []
    try reader.forEachFeature(in: bytes) { index, feature in
        if index != features.count { propertyViolated("forEachFeature index \(index) after \(features.count) features") }
        features.append(feature)
    }
    return features
}

private func checkEntryPoints(_ bytes: [UInt8], _ reader: GeoJSONReader, _ object: GeoJSONObject) {
    let expected: [Feature]
    switch object {
    case .geometry(let geometry):
        if (try? reader.readGeometry(bytes)) != geometry { propertyViolated("readGeometry differs from read") }
        if (try? streamed(bytes, reader)) != nil { propertyViolated("forEachFeature accepted a geometry document") }
        return
    case .feature(let feature):
        if (try? reader.readFeature(bytes)) != feature { propertyViolated("readFeature differs from read") }
        expected = [feature]
    case .featureCollection(let collection):
        if (try? reader.readFeatureCollection(bytes)) != collection {
            propertyViolated("readFeatureCollection differs from read")
        }
        expected = collection.features
    }
    do {
        if try streamed(bytes, reader) != expected { propertyViolated("forEachFeature delivered other features than read") }
    } catch {
        propertyViolated("read succeeded but forEachFeature failed: \(error)")
    }
    // The caller's error stops the reading at once and comes back as it was thrown.
    guard !expected.isEmpty else { return }
    let limit = bytes.count % expected.count + 1
    var delivered = 0
    do {
        try reader.forEachFeature(in: bytes) { _, _ in
            delivered += 1
            if delivered == limit { throw StopReading() }
        }
        propertyViolated("forEachFeature finished although the caller stopped it at feature \(limit)")
    } catch is StopReading {
        if delivered != limit { propertyViolated("forEachFeature went on after the caller's error") }
    } catch {
        propertyViolated("forEachFeature replaced the caller's error with \(error)")
    }
}

private func checkRoundTrip(_ object: GeoJSONObject, _ reader: GeoJSONReader) {
    let exact = GeoJSONWriter.Options(coordinatePrecision: nil, enforcesRightHandRule: false,
                                      maxDepth: reader.options.maxDepth)
    let written: [UInt8]
    do {
        written = try encode(object, exact)
    } catch {
        propertyViolated("read but could not write: \(error)")
    }
    do {
        let again = try reader.read(written)
        if again != object { propertyViolated("written and read back unequal: \(String(decoding: written, as: UTF8.self))") }
    } catch {
        propertyViolated("written but could not read back (\(error)): \(String(decoding: written, as: UTF8.self))")
    }

    // Rounded coordinates and the right-hand rule change values, but the output must still read.
    var rounded = GeoJSONWriter.Options()
    rounded.maxDepth = reader.options.maxDepth
    do {
        let text = try encode(object, rounded)
        do {
            _ = try reader.read(text)
        } catch {
            propertyViolated("default writer output does not read back (\(error)): \(String(decoding: text, as: UTF8.self))")
        }
    } catch {
        propertyViolated("read but the default writer refused it: \(error)")
    }
}

private func encode(_ object: GeoJSONObject, _ options: GeoJSONWriter.Options) throws(GeoJSONError) -> [UInt8] {
    switch object {
    case .geometry(let geometry): try GeoJSONWriter.encode(geometry, options: options)
    case .feature(let feature): try GeoJSONWriter.encode(feature, options: options)
    case .featureCollection(let collection): try GeoJSONWriter.encode(collection, options: options)
    }
}
