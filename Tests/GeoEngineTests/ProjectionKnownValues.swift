import GeoEngine
import GeoModel

/// Reference values computed outside planatlas by Tools/known-values/proj_values.py (pyproj 3.7.2 with its own
/// PROJ 9.5.1 and proj.db; coord-convert 0.2.1 for GCJ-02). Its output is recorded in proj_values.txt; the numbers
/// below are pasted from there.
enum KnownValues {
    static let mukdenPalace = Coordinate(lon: 123.4507, lat: 41.7962)
    static let taoxianAirport = Coordinate(lon: 123.4830, lat: 41.6398)

    /// The Mukden Palace in each CRS (east, north).
    static let mukdenIn: [CRS: Coordinate] = [
        .cgcs2000: Coordinate(x: 123.4507, y: 41.7962),
        .cgcs2000GK120E: Coordinate(x: 786823.167526585, y: 4634760.7413393),
        .cgcs2000GK123E: Coordinate(x: 537459.7932324919, y: 4629098.743491047),
        .utm51N: Coordinate(x: 537444.8093149278, y: 4627247.1041098945),
        .webMercator: Coordinate(x: 13742469.062073177, y: 5130499.910902192),
    ]

    /// A 1 km x 1 km square of a Gauss-Kruger CRS, its corners in lon/lat and its geodesic area.
    struct Square {
        var crs: CRS
        var southWest: Coordinate
        /// Counter-clockwise from the south-west corner.
        var cornersLonLat: [Coordinate]
        var geodesicAreaWGS84: Double
        var geodesicAreaCGCS2000: Double
    }

    static let squareGK123E = Square(
        crs: .cgcs2000GK123E,
        southWest: Coordinate(x: 537000.0, y: 4629000.0),
        cornersLonLat: [
            Coordinate(lon: 123.44516197718232, lat: 41.795332570815),
            Coordinate(lon: 123.4571930175155, lat: 41.79528532016332),
            Coordinate(lon: 123.45725701592549, lat: 41.804288412972056),
            Coordinate(lon: 123.44522429161073, lat: 41.80433567846946),
        ],
        geodesicAreaWGS84: 999965.4064769335,
        geodesicAreaCGCS2000: 999965.4064743854)

    static let squareGK120E = Square(
        crs: .cgcs2000GK120E,
        southWest: Coordinate(x: 786000.0, y: 4634000.0),
        cornersLonLat: [
            Coordinate(lon: 123.44044784859335, lat: 41.78966000351474),
            Coordinate(lon: 123.45245636958127, lat: 41.78929931874288),
            Coordinate(lon: 123.45293926138537, lat: 41.79828633182032),
            Coordinate(lon: 123.44092906887543, lat: 41.79864712971689),
        ],
        geodesicAreaWGS84: 997983.4747653604,
        geodesicAreaCGCS2000: 997983.474763453)

    /// Lon/lat in and around the metric frame's zone (CM 123E ± 1.5°; 119.5 and 126.5 E lie beyond the 3° within
    /// which planatlas computes the frame with the Evenden/Snyder series) and their EPSG:4550 position by PROJ's
    /// exact Transverse Mercator (Poder/Engsager).
    static let metricFrameExact: [(lonLat: Coordinate, metric: Coordinate)] = [
        (Coordinate(lon: 119.5, lat: 38.7), Coordinate(x: 195489.73539342062, y: 4291019.461621309)),
        (Coordinate(lon: 119.5, lat: 41.8), Coordinate(x: 209095.64152831602, y: 4635348.782049393)),
        (Coordinate(lon: 119.5, lat: 43.6), Coordinate(x: 217390.42066040926, y: 4835335.524165051)),
        (Coordinate(lon: 120.0, lat: 38.7), Coordinate(x: 239000.67054408434, y: 4289474.631327599)),
        (Coordinate(lon: 120.0, lat: 41.8), Coordinate(x: 250658.0418960617, y: 4633775.687577999)),
        (Coordinate(lon: 120.0, lat: 43.6), Coordinate(x: 257765.2063257064, y: 4833754.450274173)),
        (Coordinate(lon: 121.2, lat: 38.7), Coordinate(x: 343410.4858634608, y: 4286738.39204335)),
        (Coordinate(lon: 121.2, lat: 41.8), Coordinate(x: 350399.77027799626, y: 4630989.179522143)),
        (Coordinate(lon: 121.2, lat: 43.6), Coordinate(x: 354661.25555830135, y: 4830953.686065241)),
        (Coordinate(lon: 123.0, lat: 38.7), Coordinate(x: 500000.0, y: 4285200.198376963)),
        (Coordinate(lon: 123.0, lat: 41.8), Coordinate(x: 500000.0, y: 4629422.610994512)),
        (Coordinate(lon: 123.0, lat: 43.6), Coordinate(x: 500000.0, y: 4829379.034402213)),
        (Coordinate(lon: 123.45, lat: 38.7), Coordinate(x: 539146.0472870864, y: 4285296.315639345)),
        (Coordinate(lon: 123.45, lat: 41.8), Coordinate(x: 537399.4033631763, y: 4629520.503764377)),
        (Coordinate(lon: 123.45, lat: 43.6), Coordinate(x: 536334.4028686385, y: 4829477.433717595)),
        (Coordinate(lon: 124.6, lat: 38.7), Coordinate(x: 639189.6199909865, y: 4286415.505114376)),
        (Coordinate(lon: 124.6, lat: 41.8), Coordinate(x: 632977.4618050131, y: 4630660.343260396)),
        (Coordinate(lon: 124.6, lat: 43.6), Coordinate(x: 629189.7700743203, y: 4830623.15716353)),
        (Coordinate(lon: 126.0, lat: 38.7), Coordinate(x: 760999.3294559135, y: 4289474.631327599)),
        (Coordinate(lon: 126.0, lat: 41.8), Coordinate(x: 749341.9581039362, y: 4633775.687577999)),
        (Coordinate(lon: 126.0, lat: 43.6), Coordinate(x: 742234.7936742916, y: 4833754.450274173)),
        (Coordinate(lon: 126.5, lat: 38.7), Coordinate(x: 804510.2646065772, y: 4291019.461621309)),
        (Coordinate(lon: 126.5, lat: 41.8), Coordinate(x: 790904.3584716818, y: 4635348.782049393)),
        (Coordinate(lon: 126.5, lat: 43.6), Coordinate(x: 782609.5793395888, y: 4835335.524165051)),
    ]

    /// Geodesic inverse Mukden Palace -> Taoxian airport. pyproj gives the back azimuth at the airport
    /// (-8.785031442145595); the forward azimuth on arrival is that plus 180.
    static let mukdenToTaoxianDistanceWGS84 = 17577.72526503216
    static let mukdenToTaoxianDistanceCGCS2000 = 17577.72526484332
    static let mukdenToTaoxianInitialAzimuth = 171.19347402167645
    static let mukdenToTaoxianFinalAzimuth = -8.785031442145595 + 180

    /// 10 km from the Mukden Palace at azimuth 30 degrees (WGS84).
    static let tenKilometresNorthNorthEast = Coordinate(lon: 123.51093093387222, lat: 41.874155298694355)

    /// Latitudes 5 km due north and due south of the Mukden Palace (WGS84).
    static let fiveKilometresNorthLatitude = 41.84121675159247
    static let fiveKilometresSouthLatitude = 41.751182894408174

    /// A lon/lat polygon around the palace with a hole, and its geodesic areas (WGS84).
    static let polygonExterior = ring([(123.40, 41.77), (123.50, 41.77), (123.50, 41.83), (123.40, 41.83)])
    static let polygonHole = ring([(123.44, 41.79), (123.46, 41.79), (123.46, 41.80), (123.44, 41.80)])
    static let polygonExteriorArea = 55385652.77523041
    static let polygonHoleArea = 1846330.5504226685
    static let polygonWithHoleArea = 53539322.22480774

    /// The geodesic length of Mukden Palace -> (123.43, 41.75) -> (123.47, 41.70) -> Taoxian airport (WGS84).
    static let line = [mukdenPalace, Coordinate(lon: 123.43, lat: 41.75), Coordinate(lon: 123.47, lat: 41.70), taoxianAirport]
    static let lineLength = 18660.002946343437

    /// WGS84 -> GCJ-02 pairs from coord-convert. The last three lie outside China's box and pass through.
    static let gcj02Forward: [(name: String, wgs84: Coordinate, gcj02: Coordinate)] = [
        ("Mukden Palace", mukdenPalace, Coordinate(lon: 123.45679844641614, lat: 41.798595529464514)),
        ("Taoxian airport", taoxianAirport, Coordinate(lon: 123.48897861239931, lat: 41.64209521384997)),
        ("Tiananmen", Coordinate(lon: 116.3975, lat: 39.9087), Coordinate(lon: 116.40374357265176, lat: 39.91010349934476)),
        ("People's Square", Coordinate(lon: 121.4737, lat: 31.2304), Coordinate(lon: 121.47822305927693, lat: 31.22845773757727)),
        ("Urumqi", Coordinate(lon: 87.6168, lat: 43.8256), Coordinate(lon: 87.61964994946926, lat: 43.82680539311119)),
        ("Haikou", Coordinate(lon: 110.3312, lat: 20.0311), Coordinate(lon: 110.33557084396945, lat: 20.029053664963516)),
        ("Harbin", Coordinate(lon: 126.535, lat: 45.8038), Coordinate(lon: 126.54104035015793, lat: 45.80578152514843)),
    ]
    static let outsideChina: [(name: String, coordinate: Coordinate)] = [
        ("Tokyo", Coordinate(lon: 139.6917, lat: 35.6895)),
        ("London", Coordinate(lon: -0.1276, lat: 51.5072)),
        ("Sydney", Coordinate(lon: 151.2093, lat: -33.8688)),
    ]

    /// GCJ-02 positions (as read off a Chinese web map) and their WGS84 originals, by iterating coord-convert's
    /// forward formula to 1e-12 degrees.
    static let gcj02Inverse: [(gcj02: Coordinate, wgs84: Coordinate)] = [
        (Coordinate(lon: 123.457, lat: 41.7985), Coordinate(lon: 123.45090204882283, lat: 41.79610488835857)),
        (Coordinate(lon: 123.4895, lat: 41.642), Coordinate(lon: 123.48352324948058, lat: 41.63970631183209)),
    ]

    static func ring(_ corners: [(Double, Double)]) -> [Coordinate] {
        let points = corners.map { Coordinate(lon: $0.0, lat: $0.1) }
        return points + [points[0]]
    }
}
