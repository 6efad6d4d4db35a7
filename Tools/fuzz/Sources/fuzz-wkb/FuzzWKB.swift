import FuzzSupport
import GeoModel

/// Geometry(wkb:) on arbitrary bytes. Besides not crashing, for every input that reads: writing
/// it in either byte order and reading that back gives the same geometry, and writing is
/// deterministic (NaN coordinates compare by their bytes, since NaN != NaN).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    let geometry: Geometry
    do {
        geometry = try Geometry(wkb: bytes)
    } catch {
        _ = error.description  // messages are built lazily; they must not trap either
        return 0
    }
    let little = geometry.wkb(byteOrder: .littleEndian)
    for order in [WKBByteOrder.littleEndian, .bigEndian] {
        let written = geometry.wkb(byteOrder: order)
        let again: Geometry
        do {
            again = try Geometry(wkb: written)
        } catch {
            propertyViolated("\(order) WKB written from a read geometry does not read back: \(error)")
        }
        if again.wkb(byteOrder: .littleEndian) != little || (!hasNaN(geometry) && again != geometry) {
            propertyViolated("\(order) WKB round trip changed the geometry: \(geometry) became \(again)")
        }
    }
    return 0
}

private func hasNaN(_ geometry: Geometry) -> Bool {
    var found = false
    geometry.forEachCoordinate { c in
        if c.x.isNaN || c.y.isNaN || (c.z?.isNaN ?? false) { found = true }
    }
    return found
}
