public import GeoModel

/// Converts coordinates from one `CRS` to another, east/north axis order at both ends.
///
/// A value type that is cheap to create and safe to share between tasks. The PROJ objects behind it are created
/// once per PROJ context and CRS pair and reused (see `ProjSessionPool`); each call borrows a context that no other
/// thread is using.
///
/// GCJ-02 is reached through WGS 84: `X -> GCJ-02` is `X -> WGS 84` (PROJ) then the GCJ-02 formula, and the
/// reverse likewise. For CGCS2000-based systems this treats CGCS2000 and WGS 84 as the same datum, as PROJ's own
/// CGCS2000 <-> WGS 84 operation does (a ballpark no-op): they differ by centimetres, far below GCJ-02's accuracy.
///
/// Inputs are checked: every value must be finite, and a longitude/latitude must lie within [-180, 180] x [-90, 90].
/// A point PROJ cannot transform (outside the projection's domain) is an error, as is any non-finite result.
public struct CoordinateTransform: Hashable, Sendable {
    public let source: CRS
    public let target: CRS

    public init(from source: CRS, to target: CRS) {
        self.source = source
        self.target = target
    }

    /// The transform that undoes this one.
    public var inverse: CoordinateTransform { CoordinateTransform(from: target, to: source) }

    public func transform(_ coordinate: Coordinate) throws(ProjectionError) -> Coordinate {
        try transformed([coordinate])[0]
    }

    /// Transforms every coordinate in one batch (one PROJ call per step). On error `coordinates` is left unchanged.
    public func transform(_ coordinates: inout [Coordinate]) throws(ProjectionError) {
        coordinates = try transformed(coordinates)
    }

    /// The same geometry with every coordinate transformed, in one batch. EMPTY geometries stay EMPTY.
    public func transform(_ geometry: Geometry) throws(ProjectionError) -> Geometry {
        try transform([geometry])[0]
    }

    /// The same geometries with every coordinate transformed, all in one batch (one PROJ call per step, where a call
    /// per geometry costs more than the arithmetic for small ones). EMPTY geometries stay EMPTY.
    public func transform(_ geometries: [Geometry]) throws(ProjectionError) -> [Geometry] {
        var flat: [Coordinate] = []
        flat.reserveCapacity(geometries.reduce(0) { $0 + $1.coordinateCount })
        for geometry in geometries { geometry.forEachCoordinate { flat.append($0) } }
        let results = try transformed(flat)
        // mapCoordinates visits coordinates in the same storage order as forEachCoordinate.
        var next = results.startIndex
        return geometries.map { geometry in
            geometry.mapCoordinates { _ in
                defer { next += 1 }
                return results[next]
            }
        }
    }

    private enum Step {
        case proj(CRSPair)
        case wgs84ToGCJ02
        case gcj02ToWGS84
    }

    private var steps: [Step] {
        if source == target { return [] }
        switch (source, target) {
        case (.gcj02, .wgs84): return [.gcj02ToWGS84]
        case (.gcj02, _): return [.gcj02ToWGS84, .proj(CRSPair(from: .wgs84, to: target))]
        case (.wgs84, .gcj02): return [.wgs84ToGCJ02]
        case (_, .gcj02): return [.proj(CRSPair(from: source, to: .wgs84)), .wgs84ToGCJ02]
        default: return [.proj(CRSPair(from: source, to: target))]
        }
    }

    private func transformed(_ input: [Coordinate]) throws(ProjectionError) -> [Coordinate] {
        for coordinate in input {
            if let problem = problem(with: coordinate) {
                throw .transformFailed(from: source, to: target, coordinate: coordinate, reason: problem)
            }
        }
        var current = input
        for step in steps {
            switch step {
            case .wgs84ToGCJ02:
                for i in current.indices { current[i] = GCJ02.fromWGS84(current[i]) }
            case .gcj02ToWGS84:
                for i in current.indices { current[i] = GCJ02.toWGS84(current[i]) }
            case .proj(let pair):
                let batch = current
                let result: ProjBatchResult
                do {
                    result = try ProjSessionPool.shared.withSession { session throws(ProjectionError) in
                        try session.transform(batch, pair)
                    }
                } catch {
                    if case .transformUnavailable(_, _, let reason) = error {
                        throw .transformUnavailable(from: source, to: target, reason: reason)
                    }
                    throw error
                }
                switch result {
                case .success(let output):
                    current = output
                case .failure(let index, let reason):
                    throw .transformFailed(from: source, to: target, coordinate: input[index], reason: reason)
                }
            }
        }
        return current
    }

    /// Why `c` cannot be a coordinate in `source`, or nil when it can.
    private func problem(with c: Coordinate) -> String? {
        guard c.x.isFinite, c.y.isFinite, c.z?.isFinite ?? true else {
            return "coordinates must be finite numbers"
        }
        if source.isGeographic {
            if !(-90.0...90.0).contains(c.y) { return "latitude \(c.y) is outside [-90, 90]" }
            if !(-180.0...180.0).contains(c.x) { return "longitude \(c.x) is outside [-180, 180]" }
        }
        return nil
    }
}
