public import FeatureStore
import GeoEngine
public import GeoModel

/// "What lies near this place?": features within a radius, or the k nearest, over one or many
/// layers, nearest first.
public struct NearQuery: Hashable, Sendable {
    public enum Reach: Hashable, Sendable {
        case within(metres: Double)
        case nearest(Int)
    }

    public static let maximumRadius = 50_000.0
    public static let maximumK = 1000

    /// WGS84 longitude/latitude.
    public var location: Coordinate
    public var reach: Reach
    /// Layer ids to search; empty means every layer.
    public var layers: [String]
    /// Keep only features whose `status` property is one of these; empty keeps all.
    public var statuses: Set<String>
    /// At most this many hits in all.
    public var limit: Int?

    public init(location: Coordinate, reach: Reach, layers: [String] = [], statuses: Set<String> = [], limit: Int? = nil) {
        self.location = location
        self.reach = reach
        self.layers = layers
        self.statuses = statuses
        self.limit = limit
    }

    func validate() throws(PlanningError) {
        let (lon, lat) = (location.lon, location.lat)
        guard lon.isFinite, (-180...180).contains(lon) else {
            throw .invalidParameter(name: "lon", reason: "longitude must be between -180 and 180, got \(lon)")
        }
        guard lat.isFinite, (-90...90).contains(lat) else {
            throw .invalidParameter(name: "lat", reason: "latitude must be between -90 and 90, got \(lat)")
        }
        switch reach {
        case .within(let metres):
            guard metres.isFinite, metres >= 0, metres <= Self.maximumRadius else {
                throw .invalidParameter(name: "radius", reason: "must be between 0 and \(Int(Self.maximumRadius)) metres, got \(metres)")
            }
        case .nearest(let k):
            guard (1...Self.maximumK).contains(k) else {
                throw .invalidParameter(name: "k", reason: "must be between 1 and \(Self.maximumK), got \(k)")
            }
        }
        if let limit, limit < 1 { throw .invalidParameter(name: "limit", reason: "must be at least 1, got \(limit)") }
    }
}

public struct NearHit: Hashable, Sendable {
    public var layer: String
    public var feature: StoredFeature
    /// Shortest distance from the query location to the geometry in metres: 0 on a line or
    /// inside a polygon. Measured in EPSG:4550 (under 0.01 % from the geodesic over the city).
    public var distanceMetres: Double
}

extension Atlas {
    public func near(_ query: NearQuery) async throws(PlanningError) -> [NearHit] {
        try query.validate()
        let q: Coordinate
        do { q = try toMetric.transform(query.location) } catch {
            throw .invalidParameter(name: "lon/lat", reason: error.description)
        }
        var hits: [NearHit] = []
        for layerID in try await layerIDs(query.layers) {
            let snapshot = try await snapshot(of: layerID)
            hits += try snapshot.near(query, metricLocation: q)
        }
        // Nearest first; equal distances in a stable order (layer, then id).
        hits.sort { ($0.distanceMetres, $0.layer, $0.feature.id.description) < ($1.distanceMetres, $1.layer, $1.feature.id.description) }
        var cap = query.limit ?? Int.max
        if case .nearest(let k) = query.reach { cap = min(cap, k) }
        return hits.count > cap ? Array(hits.prefix(cap)) : hits
    }
}

extension LayerSnapshot {
    func near(_ query: NearQuery, metricLocation q: Coordinate) throws(PlanningError) -> [NearHit] {
        let statuses = query.statuses
        // Features filtered out by status measure as infinitely far, so k-nearest still finds k.
        let distance: (Int) -> Double = { item in
            let i = indexed[item]
            if !statuses.isEmpty {
                guard let status = features[i].feature.properties["status"]?.stringValue, statuses.contains(status)
                else { return .infinity }
            }
            return PlanarDistance.distance(from: q, to: metric[i]!) ?? .infinity
        }
        let neighbors: [Neighbor]
        do {
            switch query.reach {
            case .within(let metres):
                neighbors = try nearIndex.neighbors(of: query.location, within: metres, exactDistance: distance)
            case .nearest(let k):
                neighbors = try nearIndex.nearest(to: query.location, k: k, maxDistance: 1e8, exactDistance: distance)
            }
        } catch {
            throw .invalidParameter(name: "lon/lat", reason: error.description)
        }
        return neighbors.compactMap { n in
            guard n.distance.isFinite else { return nil }
            let i = indexed[n.index]
            return NearHit(layer: layer.id, feature: features[i], distanceMetres: n.distance)
        }
    }
}
