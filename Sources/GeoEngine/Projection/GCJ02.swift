#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GeoModel

/// GCJ-02, the shifted longitude/latitude of web maps in China, converted from and to WGS 84.
///
/// The forward direction is the published formula: a smooth, sine-based offset of a few hundred metres, scaled
/// to degrees on the Krasovsky 1940 ellipsoid. It is applied only inside the conventional rectangle around China
/// (the same box every public implementation uses; it also covers some neighbouring territory). Outside it the
/// position is returned unchanged. There is no closed-form inverse: `toWGS84` solves forward(w) = g by
/// fixed-point iteration, which converges because the offset changes by only ~1e-4 per unit of position.
enum GCJ02 {
    /// Krasovsky 1940: semi-major axis (metres) and first eccentricity squared, as the formula specifies.
    private static let semiMajorAxis = 6378245.0
    private static let eccentricitySquared = 0.00669342162296594323

    /// Iteration of the inverse stops once a step moves less than this (degrees; 1e-9° is about 0.1 mm).
    private static let inverseTolerance = 1e-9
    private static let inverseIterationLimit = 30

    static func isInsideChinaBox(_ c: Coordinate) -> Bool {
        (72.004...137.8347).contains(c.x) && (0.8293...55.8271).contains(c.y)
    }

    /// WGS 84 -> GCJ-02. `z` is kept as it is.
    static func fromWGS84(_ wgs: Coordinate) -> Coordinate {
        guard isInsideChinaBox(wgs) else { return wgs }
        let offset = offsetDegrees(at: wgs)
        return Coordinate(x: wgs.x + offset.lon, y: wgs.y + offset.lat, z: wgs.z)
    }

    /// GCJ-02 -> WGS 84, the position whose forward image is `gcj`, to within `inverseTolerance`.
    static func toWGS84(_ gcj: Coordinate) -> Coordinate {
        guard isInsideChinaBox(gcj) else { return gcj }
        var wgs = gcj
        for _ in 0..<inverseIterationLimit {
            let image = fromWGS84(wgs)
            let dx = image.x - gcj.x
            let dy = image.y - gcj.y
            wgs.x -= dx
            wgs.y -= dy
            if abs(dx) < inverseTolerance && abs(dy) < inverseTolerance { break }
        }
        return wgs
    }

    /// The GCJ-02 offset at a WGS 84 position, in degrees of longitude and latitude.
    private static func offsetDegrees(at c: Coordinate) -> (lon: Double, lat: Double) {
        let x = c.x - 105.0
        let y = c.y - 35.0
        let latitude = c.y * .pi / 180
        let sinLatitude = sin(latitude)
        let w = 1 - eccentricitySquared * sinLatitude * sinLatitude
        // Meridian and parallel radii of curvature on the Krasovsky ellipsoid turn metres-like offsets into degrees.
        let meridianRadius = semiMajorAxis * (1 - eccentricitySquared) / (w * w.squareRoot())
        let parallelRadius = semiMajorAxis / w.squareRoot() * cos(latitude)
        return (lon: lonShift(x, y) * 180 / (parallelRadius * .pi),
                lat: latShift(x, y) * 180 / (meridianRadius * .pi))
    }

    private static func commonWave(_ x: Double) -> Double {
        (20 * sin(6 * x * .pi) + 20 * sin(2 * x * .pi)) * 2 / 3
    }

    private static func latShift(_ x: Double, _ y: Double) -> Double {
        -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
            + commonWave(x)
            + (20 * sin(y * .pi) + 40 * sin(y / 3 * .pi)) * 2 / 3
            + (160 * sin(y / 12 * .pi) + 320 * sin(y / 30 * .pi)) * 2 / 3
    }

    private static func lonShift(_ x: Double, _ y: Double) -> Double {
        300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
            + commonWave(x)
            + (20 * sin(x * .pi) + 40 * sin(x / 3 * .pi)) * 2 / 3
            + (150 * sin(x / 12 * .pi) + 300 * sin(x / 30 * .pi)) * 2 / 3
    }
}
