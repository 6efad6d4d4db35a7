public import GeoModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A local equirectangular frame on the WGS84 ellipsoid: metres east and north of an origin
/// (λ0, φ0),
///
///     x = P(φ0) · (λ − λ0),   y = M(φ0) · (φ − φ0)      (angles in radians)
///
/// where M is the meridian radius of curvature and P = N·cos φ the radius of the parallel. It is
/// cheap and linear in longitude and latitude separately, so a lon/lat box maps exactly onto a
/// plane box. It is not a metric for exact answers; it is a frame whose distortion is known, so
/// an index can prune with it and never miss.
///
/// The bound. On the ellipsoid a step (dφ, dλ) has length² M(φ)²dφ² + P(φ)²dλ²; in the plane
/// it has length² M(φ0)²dφ² + P(φ0)²dλ². Their ratio therefore lies between the smaller and the
/// larger of kₙ = M(φ0)/M(φ) and kₑ = P(φ0)/P(φ), for every direction. Integrating along a path
/// whose latitudes stay in a band B:
///
///     plane length ≤ kmax(B) · ellipsoidal length,  ellipsoidal length ≤ plane length / kmin(B)
///
/// so for two points joined by a geodesic inside B, plane distance / kmax(B) ≤ geodesic
/// distance. A path of length L starting at latitude φ stays within φ ± L / M(0) (M is smallest
/// at the equator), which gives the band without knowing the path. `scaleRange(latitudes:)`
/// returns [kmin, kmax].
///
/// Over Shenyang's extent (41.60…42.05 N, origin 41.825 N) that is [0.99647, 1.00354]: plane
/// distances are within 0.36 % of geodesic ones, mostly from kₑ (the parallels shrink by
/// tan φ · Δφ ≈ 0.35 % across ±0.225°). Too coarse to answer "within 500 m" (1.8 m off at the
/// edges), fine for pruning. The test suite checks the bound against pyproj's geodesics.
public struct MetricPlane: Hashable, Sendable {
    /// WGS84 semi-major axis (metres) and first eccentricity squared.
    static let semiMajorAxis = 6_378_137.0
    static let eccentricitySquared: Double = {
        let flattening = 1 / 298.257223563
        return flattening * (2 - flattening)
    }()
    /// M at the equator: no path of length L changes latitude by more than L / this (radians).
    static let smallestMeridianRadius = semiMajorAxis * (1 - eccentricitySquared)

    /// The point that maps to (0, 0): longitude and latitude in degrees.
    public let origin: Coordinate
    /// Metres per radian of longitude and of latitude at the origin.
    let eastRadius: Double
    let northRadius: Double

    public init(origin: Coordinate) throws(SpatialIndexError) {
        guard origin.lon.isFinite, origin.lat > -90, origin.lat < 90 else { throw .invalidPlaneOrigin(origin) }
        self.origin = Coordinate(lon: origin.lon, lat: origin.lat)
        self.eastRadius = Self.parallelRadius(latitude: origin.lat)
        self.northRadius = Self.meridianRadius(latitude: origin.lat)
    }

    /// Metres east (x) and north (y) of the origin. Longitudes are taken the short way round
    /// from the origin's, so the frame's seam is the meridian opposite the origin.
    public func project(_ c: Coordinate) -> Coordinate {
        Coordinate(x: eastRadius * Self.radians(Self.longitudeOffset(c.lon - origin.lon)),
                   y: northRadius * Self.radians(c.lat - origin.lat))
    }

    /// The box in the plane; exact because the frame is linear in each of lon and lat. The box
    /// must lie within 180° of longitude of the origin on both sides (not straddle the seam).
    func project(_ b: BoundingBox) -> BoundingBox {
        let low = project(Coordinate(lon: b.minX, lat: b.minY))
        let high = project(Coordinate(lon: b.maxX, lat: b.maxY))
        return BoundingBox(minX: low.x, minY: low.y, maxX: high.x, maxY: high.y)
    }

    /// [kmin, kmax]: the least and greatest ratio of plane length to ellipsoidal length for any
    /// path whose latitudes (degrees) stay in `latitudes`. kmax is infinite if the band reaches
    /// a pole, where parallels have no length.
    public func scaleRange(latitudes: ClosedRange<Double>) -> ClosedRange<Double> {
        let south = Swift.max(latitudes.lowerBound, -90)
        let north = Swift.min(latitudes.upperBound, 90)
        // P shrinks and M grows with |φ|; both are monotonic on each side of the equator.
        let nearestEquator = south > 0 ? south : (north < 0 ? north : 0)
        let farthestFromEquator = Swift.abs(south) > Swift.abs(north) ? south : north
        let parallelLongest = Self.parallelRadius(latitude: nearestEquator)
        let parallelShortest = Self.parallelRadius(latitude: farthestFromEquator)
        let meridianShortest = Self.meridianRadius(latitude: nearestEquator)
        let meridianLongest = Self.meridianRadius(latitude: farthestFromEquator)
        let low = Swift.min(eastRadius / parallelLongest, northRadius / meridianLongest)
        let high = Swift.max(eastRadius / parallelShortest, northRadius / meridianShortest)
        return low...high
    }

    /// Radius of curvature along the meridian, M = a(1 − e²) / (1 − e² sin²φ)^{3/2}.
    static func meridianRadius(latitude: Double) -> Double {
        let s = sin(radians(latitude))
        let w = 1 - eccentricitySquared * s * s
        return semiMajorAxis * (1 - eccentricitySquared) / (w * w.squareRoot())
    }

    /// Radius of the parallel, P = N cos φ with N = a / √(1 − e² sin²φ); zero at the poles.
    static func parallelRadius(latitude: Double) -> Double {
        guard Swift.abs(latitude) < 90 else { return 0 }
        let phi = radians(latitude)
        let s = sin(phi)
        return semiMajorAxis * cos(phi) / (1 - eccentricitySquared * s * s).squareRoot()
    }

    static func radians(_ degrees: Double) -> Double { degrees * (.pi / 180) }

    /// A longitude difference brought into −180…180.
    static func longitudeOffset(_ d: Double) -> Double {
        d > 180 ? d - 360 : (d < -180 ? d + 360 : d)
    }
}
