/// A position in the plane of its coordinate reference system. In planatlas's own data that is
/// WGS84 longitude (`x`) and latitude (`y`) in degrees, CRS84 axis order as RFC 7946 requires.
public struct Coordinate: Hashable, Sendable {
    public var x: Double
    public var y: Double
    /// Height, when the source had one. Kept so that 3D input survives a round trip.
    public var z: Double?

    public init(x: Double, y: Double, z: Double? = nil) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// Longitude and latitude in degrees: the same storage, named for geographic use.
    public init(lon: Double, lat: Double) {
        self.init(x: lon, y: lat)
    }

    public var lon: Double { x }
    public var lat: Double { y }
}
