public import GeoEngine
public import GeoModel

// The seams between the HTTP layer and the data. PlanServer knows these small protocols only; the
// store (FeatureStore) and the domain (Planning) satisfy them through thin adapters wired by the
// `planatlas serve` command. Implementations throw `ProblemDetails` for anything the client caused
// (unknown layer: .notFound or .invalid("layers", …); stale version: .preconditionFailed; invalid
// geometry: .invalidGeometry(reason)); any other error is reported as a 500 and logged.

/// One layer as the OGC collection endpoints describe it.
public struct CollectionSummary: Hashable, Sendable {
    public var id: String
    public var title: String
    public var titleZh: String
    public var description: String?
    /// The layer's single-part type; its multi-part form is stored too.
    public var geometryType: GeometryType
    /// Context layers (districts, rivers) frame the map; they are not planned works.
    public var isContext: Bool
    public var planSection: String?
    /// WGS84 extent of the stored features; nil for an empty layer.
    public var extent: BoundingBox?
    public var itemCount: Int
    /// The layer's style (the Styles/<id>.json object), sent as `planatlas:style`.
    public var style: JSONValue?
    /// Property names clients may filter items by (`?status=planned`); any other unknown name is a 400.
    public var filterableProperties: [String]

    public init(id: String, title: String, titleZh: String, description: String? = nil, geometryType: GeometryType,
                isContext: Bool, planSection: String? = nil, extent: BoundingBox?, itemCount: Int, style: JSONValue? = nil,
                filterableProperties: [String]) {
        self.id = id
        self.title = title
        self.titleZh = titleZh
        self.description = description
        self.geometryType = geometryType
        self.isContext = isContext
        self.planSection = planSection
        self.extent = extent
        self.itemCount = itemCount
        self.style = style
        self.filterableProperties = filterableProperties
    }
}

/// The layer catalogue with live extents and counts.
public protocol CollectionCatalogue: Sendable {
    func collections() async throws -> [CollectionSummary]
    /// nil when there is no such layer.
    func collection(_ id: String) async throws -> CollectionSummary?
}

/// Equality of a feature property with the text of a query parameter (`?status=planned`).
public struct PropertyFilter: Hashable, Sendable {
    public var property: String
    /// The value as the client wrote it; strings compare as is, numbers by their JSON text.
    public var value: String

    public init(property: String, value: String) {
        self.property = property
        self.value = value
    }
}

/// One page of `/collections/{id}/items`.
public struct ItemQuery: Hashable, Sendable {
    /// Only features whose geometry intersects the box (WGS84).
    public var bbox: BoundingBox?
    /// All filters must hold.
    public var filters: [PropertyFilter]
    public var limit: Int
    public var offset: Int

    public init(bbox: BoundingBox?, filters: [PropertyFilter], limit: Int, offset: Int) {
        self.bbox = bbox
        self.filters = filters
        self.limit = limit
        self.offset = offset
    }
}

public struct ItemPage: Sendable {
    /// At most `limit` features, in a stable order (so that offsets page through all of them).
    public var features: [Feature]
    /// How many features match the query in all, whatever the page.
    public var numberMatched: Int

    public init(features: [Feature], numberMatched: Int) {
        self.features = features
        self.numberMatched = numberMatched
    }
}

/// A stored feature and its version, the ETag that writes must quote in If-Match.
public struct VersionedFeature: Sendable {
    public var feature: Feature
    /// Opaque; changes whenever the feature does. Letters, digits, '-' and '.' only.
    public var version: String

    public init(feature: Feature, version: String) {
        self.feature = feature
        self.version = version
    }
}

/// Reads features of a layer. The caller has already checked that the layer exists.
public protocol FeatureQuerying: Sendable {
    func items(in collection: String, matching query: ItemQuery) async throws -> ItemPage
    /// nil when the layer has no feature with this id.
    func item(_ id: String, in collection: String) async throws -> VersionedFeature?
}

/// Changes features of a layer (OGC API - Features Part 4). Geometry validity and type are
/// checked here, with GEOS's reason in a 422.
public protocol FeatureEditing: Sendable {
    /// Stores a new feature; its id is kept when given (409 if taken) or assigned when nil.
    func insert(_ feature: Feature, into collection: String) async throws -> VersionedFeature
    /// Replaces the feature if its version is still `expectedVersion` (else 412).
    func replace(_ id: String, in collection: String, with feature: Feature, expectedVersion: String) async throws
        -> VersionedFeature
    /// Deletes the feature if its version is still `expectedVersion` (else 412).
    func delete(_ id: String, in collection: String, expectedVersion: String) async throws
}

/// `/near`: features near a point.
public struct NearRequest: Hashable, Sendable {
    public enum Reach: Hashable, Sendable {
        /// Everything within this many metres (geodesic), nearest first.
        case radius(metres: Double)
        /// The k nearest features.
        case nearest(k: Int)
    }

    public var point: Coordinate
    public var reach: Reach
    /// nil means every layer.
    public var layers: [String]?
    /// nil means any status.
    public var statuses: [String]?
    public var limit: Int

    public init(point: Coordinate, reach: Reach, layers: [String]?, statuses: [String]?, limit: Int) {
        self.point = point
        self.reach = reach
        self.layers = layers
        self.statuses = statuses
        self.limit = limit
    }
}

public struct NearHit: Sendable {
    public var layer: String
    public var feature: Feature
    /// Geodesic metres from the point; 0 inside a polygon or on a line.
    public var distanceMetres: Double

    public init(layer: String, feature: Feature, distanceMetres: Double) {
        self.layer = layer
        self.feature = feature
        self.distanceMetres = distanceMetres
    }
}

public protocol NearSearching: Sendable {
    /// Hits sorted by distance, nearest first.
    func near(_ request: NearRequest) async throws -> [NearHit]
}

/// `/overlaps`: where planned zones overlap (interiors meet with positive area).
public enum OverlapRequest: Hashable, Sendable {
    /// Every overlapping pair between layers A and B (A may equal B), each buffered by `bufferMetres`.
    case layers(String, String, bufferMetres: Double)
    /// The conflict rules of the catalogue: all of them (nil) or these ids.
    case rules([String]?)
    /// A candidate geometry (WGS84) against every layer, or these.
    case candidate(Geometry, layers: [String]?)
}

public struct OverlapPair: Sendable {
    public struct Side: Sendable {
        public var layer: String
        public var id: FeatureID?
        public var name: String?
        /// Share of this side's own area that lies in the overlap, in percent.
        public var sharePercent: Double
        public var bufferMetres: Double?

        public init(layer: String, id: FeatureID?, name: String?, sharePercent: Double, bufferMetres: Double?) {
            self.layer = layer
            self.id = id
            self.name = name
            self.sharePercent = sharePercent
            self.bufferMetres = bufferMetres
        }
    }

    public var a: Side
    public var b: Side
    /// The intersection, WGS84.
    public var geometry: Geometry
    public var areaSquareMetres: Double
    public var rule: String?
    public var severity: String?

    public init(a: Side, b: Side, geometry: Geometry, areaSquareMetres: Double, rule: String?, severity: String?) {
        self.a = a
        self.b = b
        self.geometry = geometry
        self.areaSquareMetres = areaSquareMetres
        self.rule = rule
        self.severity = severity
    }
}

public protocol OverlapChecking: Sendable {
    func overlaps(_ request: OverlapRequest) async throws -> [OverlapPair]
    /// The conflict-rule catalogue (GeoData/conflict-rules.json) as served by `/rules`.
    func ruleCatalogue() async throws -> JSONValue
}

/// `/export/{layer}`: a whole layer, streamed.
public protocol LayerExporting: Sendable {
    /// Calls `emit` with every feature of the layer, in `crs`, in a stable order; with `includeStyle`
    /// each carries the layer's simplestyle properties. The caller has checked that the layer exists.
    func exportLayer(_ layer: String, crs: CRS, includeStyle: Bool, emit: (Feature) async throws -> Void) async throws
}

/// Everything behind the data endpoints. Without it (`nil`), the service still serves its landing
/// page, conformance, API document and the viewer's files.
public struct PlanServerServices: Sendable {
    public var catalogue: any CollectionCatalogue
    public var features: any FeatureQuerying
    /// nil for a read-only store; writes are also off while no token is configured.
    public var editor: (any FeatureEditing)?
    public var near: any NearSearching
    public var overlaps: any OverlapChecking
    public var exporter: any LayerExporting

    public init(catalogue: any CollectionCatalogue, features: any FeatureQuerying, editor: (any FeatureEditing)?,
                near: any NearSearching, overlaps: any OverlapChecking, exporter: any LayerExporting) {
        self.catalogue = catalogue
        self.features = features
        self.editor = editor
        self.near = near
        self.overlaps = overlaps
        self.exporter = exporter
    }
}
