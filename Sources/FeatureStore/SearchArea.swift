import Foundation
import GeoModel

// A lon/lat box that surely holds every point within a geodesic distance of a centre: the
// spatial-index prefilter of a distance query. The exact test (ellipsoidal distance) follows.
//
// Why the box is safe: a path of length r from the centre changes latitude by at most
// r / M_min, where M_min = a(1 - e²) is the smallest meridian radius of curvature (at the
// equator), so every point within r lies between lat ± dLat. Along the path each step in
// longitude dλ costs at least N cos φ |dλ| >= a cos φ |dλ|, and every point of the path is itself
// within r of the centre, so |φ| <= |lat| + dLat on it: the longitude span is at most
// r / (a cos(|lat| + dLat)). A 1 % margin covers rounding (and SpatiaLite's R*Tree stores
// float32 boxes rounded outward anyway). Near a pole, or across the antimeridian, the box takes
// every longitude.

private let wgs84SemiMajorAxis = 6_378_137.0
private let wgs84Flattening = 1 / 298.257223563
private let margin = 1.01

extension NearFilter {
    /// A box holding every point within `radiusMetres` of `center` (see above).
    var searchBox: BoundingBox {
        let e2 = wgs84Flattening * (2 - wgs84Flattening)
        let minimumMeridianRadius = wgs84SemiMajorAxis * (1 - e2)
        let dLat = radiusMetres / minimumMeridianRadius * 180 / .pi * margin
        let minLat = max(-90, center.lat - dLat)
        let maxLat = min(90, center.lat + dLat)
        let farthestLat = abs(center.lat) + dLat
        if farthestLat >= 89.9 {
            return BoundingBox(minX: -180, minY: minLat, maxX: 180, maxY: maxLat)
        }
        let dLon = radiusMetres / (wgs84SemiMajorAxis * cos(farthestLat * .pi / 180)) * 180 / .pi * margin
        if center.lon - dLon < -180 || center.lon + dLon > 180 {
            return BoundingBox(minX: -180, minY: minLat, maxX: 180, maxY: maxLat)
        }
        return BoundingBox(minX: center.lon - dLon, minY: minLat, maxX: center.lon + dLon, maxY: maxLat)
    }
}

extension FeatureQuery {
    /// Refuses queries that cannot mean anything, naming the bad value.
    func validate() throws(StoreError) {
        if let limit, limit < 0 { throw .invalidQuery("limit \(limit) is negative") }
        if offset < 0 { throw .invalidQuery("offset \(offset) is negative") }
        if let bbox {
            let values = [bbox.minX, bbox.minY, bbox.maxX, bbox.maxY]
            guard values.allSatisfy(\.isFinite) else { throw .invalidQuery("bbox \(values) has a non-finite value") }
            guard bbox.minX <= bbox.maxX, bbox.minY <= bbox.maxY else {
                throw .invalidQuery("bbox \(values) has min greater than max (boxes across the antimeridian are not supported)")
            }
        }
        if let near {
            let c = near.center
            guard c.lon.isFinite, c.lat.isFinite, (-180...180).contains(c.lon), (-90...90).contains(c.lat) else {
                throw .invalidQuery("centre [\(c.lon), \(c.lat)] is not a WGS84 longitude/latitude")
            }
            guard near.radiusMetres.isFinite, near.radiusMetres >= 0 else {
                throw .invalidQuery("radius \(near.radiusMetres) m is not a finite distance >= 0")
            }
            // Beyond a quarter of the Earth the box is the whole world and the index is no help.
            guard near.radiusMetres <= 10_000_000 else {
                throw .invalidQuery("radius \(near.radiusMetres) m is larger than 10,000 km")
            }
        }
        for filter in properties {
            switch filter.value {
            case .array, .object:
                throw .invalidQuery("property filter \(quoted(filter.key)) compares with an array or object; only strings, numbers, booleans and null can be compared")
            case .number(let d) where !d.isFinite:
                throw .invalidQuery("property filter \(quoted(filter.key)) compares with \(d)")
            default:
                if filter.key.contains("\0") { throw .invalidQuery("property key \(quoted(filter.key)) contains NUL") }
                if case .string(let s) = filter.value, s.contains("\0") {
                    throw .invalidQuery("property filter \(quoted(filter.key)) value contains NUL")
                }
            }
        }
    }
}
