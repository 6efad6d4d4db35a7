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
    /// Shortest distance from the query location to the geometry in metres: 0 on a line or
    /// inside a polygon. Measured in EPSG:4550 (under 0.01 % from the geodesic over the city).
    public var distanceMetres: Double
    /// The feature's id.
    public let featureID: FeatureID
    /// The hit refers to its feature in the snapshot's array instead of holding a copy: a radius
    /// query returns hundreds of hits, and copying each feature's references cost more than
    /// finding it.
    private let features: [StoredFeature]
    private let position: Int

    public var feature: StoredFeature { features[position] }

    init(layer: String, featureID: FeatureID, features: [StoredFeature], position: Int, distanceMetres: Double) {
        self.layer = layer
        self.featureID = featureID
        self.features = features
        self.position = position
        self.distanceMetres = distanceMetres
    }

    public static func == (a: NearHit, b: NearHit) -> Bool {
        a.layer == b.layer && a.distanceMetres == b.distanceMetres && a.feature == b.feature
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(layer)
        hasher.combine(distanceMetres)
        hasher.combine(feature)
    }
}

extension Atlas {
    public func near(_ query: NearQuery) async throws(PlanningError) -> [NearHit] {
        try query.validate()
        let q = try query.metricLocation()
        var hits: [NearHit] = []
        let layers = try await layerIDs(query.layers)
        for layerID in layers {
            let snapshot = try await snapshot(of: layerID)
            hits += try snapshot.near(query, metricLocation: q)
        }
        // Each layer's hits arrive in the final order; hits of several layers are merged by it.
        if layers.count > 1 { hits.sort(by: NearHit.precedes) }
        return query.capped(hits)
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
    func capped(_ hits: [NearHit]) -> [NearHit] {
        var cap = limit ?? Int.max
        if case .nearest(let k) = reach { cap = min(cap, k) }
        return hits.count > cap ? Array(hits.prefix(cap)) : hits
    }
}

extension NearHit {
    /// Nearest first, then by layer, then by id; the ids' text is only formed for equal distances.
    static func precedes(_ a: NearHit, _ b: NearHit) -> Bool {
        if a.distanceMetres != b.distanceMetres { return a.distanceMetres < b.distanceMetres }
        if a.layer != b.layer { return a.layer < b.layer }
        return a.featureID.description < b.featureID.description
    }
}

extension LayerSnapshot {
    /// The answer to `query` from this layer alone (its `layers` are not consulted): the same
    /// hits, in the same order, as `Atlas.near` gives for a query of just this layer.
    public func near(_ query: NearQuery) throws(PlanningError) -> [NearHit] {
        try query.validate()
        return query.capped(try near(query, metricLocation: query.metricLocation()))
    }

    /// Hits in `NearHit.precedes` order.
    func near(_ query: NearQuery, metricLocation q: Coordinate) throws(PlanningError) -> [NearHit] {
        let statuses = query.statuses
        let near = try near()
        let neighbors: [Neighbor]
        do {
            neighbors = try near.shapes.withDistances(from: q) { distanceTo throws(SpatialIndexError) in
                // Features filtered out by status measure as infinitely far, so k-nearest still finds k.
                let distance: (Int) -> Double = { item in
                    if !statuses.isEmpty {
                        guard let status = features[near.indexed[item]].feature.properties["status"]?.stringValue,
                              statuses.contains(status)
                        else { return .infinity }
                    }
                    return distanceTo(item)
                }
                switch query.reach {
                case .within(let metres):
                    return try near.index.neighbors(of: query.location, within: metres, exactDistance: distance)
                case .nearest(let k):
                    return try near.index.nearest(to: query.location, k: k, maxDistance: 1e8, exactDistance: distance)
                }
            }
        } catch {
            throw .invalidParameter(name: "lon/lat", reason: error.description)
        }
        var hits: [NearHit] = []
        hits.reserveCapacity(neighbors.count)
        for n in neighbors where n.distance.isFinite {
            hits.append(NearHit(layer: layer.id, featureID: near.ids[n.index], features: features,
                                position: near.indexed[n.index], distanceMetres: n.distance))
        }
        // The index orders equal distances by item; the answer orders them by id.
        var start = 0
        while start < hits.count {
            var end = start + 1
            while end < hits.count && hits[end].distanceMetres == hits[start].distanceMetres { end += 1 }
            if end - start > 1 { hits[start..<end].sort(by: NearHit.precedes) }
            start = end
        }
        return hits
    }
}
