import FeatureStore
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

extension Atlas {
    public func near(_ query: NearQuery) async throws(PlanningError) -> NearHits {
        try query.validate()
        let q = try query.metricLocation()
        var perLayer: [NearHits] = []
        for layerID in try await layerIDs(query.layers) {
            perLayer.append(try await snapshot(of: layerID).near(query, metricLocation: q))
        }
        return query.capped(NearHits(merging: perLayer))
    }
}

extension NearQuery {
    /// The location in `Atlas.metricFrame`.
    func metricLocation() throws(PlanningError) -> Coordinate {
        do { return try CoordinateTransform(from: .wgs84, to: Atlas.metricFrame).transform(location) } catch {
            throw .invalidParameter(name: "lon/lat", reason: error.description)
        }
    }

    /// The first `limit` hits (and no more than k for a k-nearest query).
    func capped(_ hits: NearHits) -> NearHits {
        var cap = limit ?? Int.max
        if case .nearest(let k) = reach { cap = min(cap, k) }
        return hits.keepingFirst(cap)
    }
}

extension LayerSnapshot {
    /// The answer to `query` from this layer alone (its `layers` are not consulted): the same
    /// hits, in the same order, as `Atlas.near` gives for a query of just this layer.
    public func near(_ query: NearQuery) throws(PlanningError) -> NearHits {
        try query.validate()
        return query.capped(try near(query, metricLocation: query.metricLocation()))
    }

    /// All hits of this layer, in `NearHits` order.
    func near(_ query: NearQuery, metricLocation q: Coordinate) throws(PlanningError) -> NearHits {
        let near = try near()
        let statuses = query.statuses
        // Features whose status is not asked for are left out of the search, so k-nearest still finds k.
        let isIncluded: ((Int) -> Bool)? = statuses.isEmpty ? nil : { item in
            guard let status = near.features[near.indexed[item]].feature.properties["status"]?.stringValue else { return false }
            return statuses.contains(status)
        }
        let neighbors: [Neighbor]
        do {
            switch query.reach {
            case .within(let metres):
                neighbors = try near.tree.neighbors(of: q, within: metres, including: isIncluded) {
                    near.shapes.distances(from: q, to: $0)
                }
            case .nearest(let k):
                neighbors = try near.shapes.withDistances(from: q) { distanceTo throws(SpatialIndexError) in
                    try near.tree.nearest(to: q, k: k, maxDistance: 1e8, including: isIncluded, exactDistance: distanceTo)
                }
            }
        } catch {
            throw .invalidParameter(name: "lon/lat", reason: error.description)
        }
        return NearHits(near, neighbors)
    }
}
