public import GeoModel
public import OrderedCollections

/// Where planatlas keeps its features: layers of GeoJSON-like features with a spatial index,
/// transactional writes and a version per feature for optimistic concurrency.
///
/// Two implementations pass the same contract tests: `SpatiaLiteStore` (one embedded file, the
/// default) and `PostGISStore` (PostgreSQL + PostGIS, for many service instances).
///
/// Semantics shared by both:
/// - Layers are values (a column), never table names, so a layer id may hold any text but NUL.
/// - A layer declares a single-part geometry type and takes it and its multi-part form
///   (`.polygon` takes Polygon and MultiPolygon); `.geometryCollection` takes every type.
///   Features without geometry (GeoJSON `null`) are allowed in every layer; EMPTY geometries of
///   an accepted type too.
/// - Feature ids are required and unique within their layer as text: the string "5" and the
///   number 5 are the same id (an OGC API item path cannot tell them apart). Whether the id was
///   a string or a number is kept and comes back unchanged.
/// - Properties keep their key order; geometry comes back exactly as written (Z and EMPTY parts
///   included), unless it was repaired.
/// - Geometry validity is GEOS's (through SpatiaLite or PostGIS): invalid geometry is refused
///   with GEOS's reason, or repaired with MakeValid when `WriteOptions.repairInvalid` is set.
/// - Every write gives the feature a new version from one store-wide increasing counter, so a
///   version (an HTTP ETag) never repeats, not even after a delete and a new insert.
/// - `apply` is all-or-nothing: one bad change leaves the store as it was, and the error names
///   that change's position (0-based) and id.
public protocol FeatureStore: Sendable {
    /// Adds a layer to the catalogue. Throws `.layerExists` or `.invalidLayer`.
    func createLayer(_ layer: LayerInfo) async throws(StoreError)

    /// The catalogue in creation order, each layer with its feature count.
    func layers() async throws(StoreError) -> [LayerSummary]

    /// Each layer's revision. It changes whenever a feature of the layer is inserted, replaced or
    /// deleted (by this process or any other), so a cache of a layer is current exactly while its
    /// revision is unchanged. Cheap: reads no feature. Layers come in creation order.
    func revisions() async throws(StoreError) -> OrderedDictionary<String, Int64>

    /// The layer with this id, or nil.
    func layer(_ id: String) async throws(StoreError) -> LayerInfo?

    /// Removes a layer and all its features. Throws `.unknownLayer`.
    func dropLayer(_ id: String) async throws(StoreError)

    /// Applies every change in one transaction: all of them or, on the first error, none.
    /// `progress`, when given, is called with the number of changes applied so far, every
    /// `WriteOptions.progressInterval` changes and once at the end.
    @discardableResult
    func apply(
        _ changes: sending some Sequence<FeatureChange>,
        options: WriteOptions,
        progress: (@Sendable (Int) -> Void)?
    ) async throws(StoreError) -> WriteSummary

    /// The feature with this id in this layer, or nil. Throws `.unknownLayer`.
    func feature(_ id: FeatureID, in layer: String) async throws(StoreError) -> StoredFeature?

    /// One page of the features matching `query`, and how many match in all.
    func query(_ query: FeatureQuery) async throws(StoreError) -> QueryPage

    /// How many features match `query` (its limit and offset are ignored).
    func count(_ query: FeatureQuery) async throws(StoreError) -> Int

    /// Up to `limit` features of a layer that follow `cursor`, in insertion order. The building
    /// block of `features(inLayer:)`; each batch is read on its own, so a layer is never loaded
    /// into memory whole.
    func batch(ofLayer layer: String, after cursor: FeatureCursor?, limit: Int) async throws(StoreError) -> FeatureBatch

    /// Releases connections. Calls after `close()` throw `.closed`.
    func close() async
}

/// A layer of the catalogue.
public struct LayerInfo: Hashable, Sendable {
    /// Stable identifier (e.g. "metro_lines"). Any text without NUL, 1...256 characters.
    public var id: String
    public var titleZH: String
    public var titleEN: String
    /// The single-part type the layer holds; the multi-part form is accepted too. A multi-part
    /// type given here is stored as its single-part form.
    public var geometryType: GeometryType
    /// Further catalogue entries (plan section, style, source ...), kept as given.
    public var metadata: JSONObject

    public init(id: String, titleZH: String, titleEN: String, geometryType: GeometryType, metadata: JSONObject = [:]) {
        self.id = id
        self.titleZH = titleZH
        self.titleEN = titleEN
        self.geometryType = geometryType.singular
        self.metadata = metadata
    }

    /// Whether features of `type` belong in this layer.
    public func accepts(_ type: GeometryType) -> Bool {
        geometryType == .geometryCollection || type.singular == geometryType.singular
    }
}

public struct LayerSummary: Hashable, Sendable {
    public var layer: LayerInfo
    public var featureCount: Int

    public init(layer: LayerInfo, featureCount: Int) {
        self.layer = layer
        self.featureCount = featureCount
    }
}

/// A feature as stored: its layer, its id (also in `feature.id`) and its current version.
public struct StoredFeature: Hashable, Sendable {
    public var layer: String
    public var id: FeatureID
    public var feature: Feature
    /// Changes on every write; use it as the ETag and as `expectedVersion`.
    public var version: Int64

    public init(layer: String, id: FeatureID, feature: Feature, version: Int64) {
        self.layer = layer
        self.id = id
        self.feature = feature
        self.version = version
    }
}

/// One write of a batch.
public enum FeatureChange: Hashable, Sendable {
    /// The layer the change writes to.
    public var layerID: String {
        switch self {
        case .insert(_, let layer), .replace(_, let layer, _), .delete(_, let layer, _): layer
        }
    }

    /// Adds a feature; its id must be new in the layer.
    case insert(Feature, layer: String)
    /// Replaces the feature with the same id. With `expectedVersion`, only if it is still that version.
    case replace(Feature, layer: String, expectedVersion: Int64?)
    /// Deletes a feature. With `expectedVersion`, only if it is still that version.
    case delete(FeatureID, layer: String, expectedVersion: Int64?)
}

public struct WriteOptions: Hashable, Sendable {
    /// Repair invalid geometry with MakeValid instead of refusing it.
    public var repairInvalid: Bool
    /// How many changes between two `progress` calls.
    public var progressInterval: Int

    public init(repairInvalid: Bool = false, progressInterval: Int = 1000) {
        self.repairInvalid = repairInvalid
        self.progressInterval = max(1, progressInterval)
    }
}

public struct WriteSummary: Hashable, Sendable {
    public var inserted = 0
    public var replaced = 0
    public var deleted = 0
    /// Features whose geometry was repaired (only with `repairInvalid`).
    public var repaired = 0
    /// The version given by the last insert or replace, nil if there was none.
    public var lastVersion: Int64?

    public init() {}
}

/// Which features a query selects. Filters combine with AND.
public struct FeatureQuery: Hashable, Sendable {
    /// Layers to search; empty means every layer.
    public var layers: [String]
    /// Features whose geometry intersects this lon/lat box (minX <= maxX; no antimeridian wrap).
    public var bbox: BoundingBox?
    /// Features within a geodesic distance of a point; results then come nearest first.
    public var near: NearFilter?
    /// Property equality: the key holds exactly this scalar (string, number, bool or null).
    /// Numbers compare by value, so 1 matches 1.0.
    public var properties: [PropertyFilter]
    /// Page size; nil for every match.
    public var limit: Int?
    public var offset: Int

    public init(layers: [String] = [], bbox: BoundingBox? = nil, near: NearFilter? = nil,
                properties: [PropertyFilter] = [], limit: Int? = nil, offset: Int = 0) {
        self.layers = layers
        self.bbox = bbox
        self.near = near
        self.properties = properties
        self.limit = limit
        self.offset = offset
    }
}

public struct NearFilter: Hashable, Sendable {
    /// WGS84 lon/lat.
    public var center: Coordinate
    /// Geodesic distance on the WGS84 ellipsoid, in metres.
    public var radiusMetres: Double

    public init(center: Coordinate, radiusMetres: Double) {
        self.center = center
        self.radiusMetres = radiusMetres
    }
}

public struct PropertyFilter: Hashable, Sendable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

public struct FeatureMatch: Hashable, Sendable {
    public var feature: StoredFeature
    /// Geodesic distance from the query's `near` centre in metres (0 inside a polygon); nil
    /// without a `near` filter.
    public var distanceMetres: Double?

    public init(feature: StoredFeature, distanceMetres: Double?) {
        self.feature = feature
        self.distanceMetres = distanceMetres
    }
}

/// A page of query results: nearest first for a `near` query, otherwise in insertion order.
public struct QueryPage: Hashable, Sendable {
    public var matches: [FeatureMatch]
    /// All matches, ignoring limit and offset.
    public var totalCount: Int

    public init(matches: [FeatureMatch], totalCount: Int) {
        self.matches = matches
        self.totalCount = totalCount
    }
}

/// Where a layer's stream stopped; opaque outside the stores.
public struct FeatureCursor: Hashable, Sendable {
    let rowKey: Int64
}

public struct FeatureBatch: Hashable, Sendable {
    public var features: [StoredFeature]
    /// Pass it to the next `batch` call; nil when the layer has no more features.
    public var next: FeatureCursor?

    public init(features: [StoredFeature], next: FeatureCursor?) {
        self.features = features
        self.next = next
    }
}

// MARK: - Conveniences built on the requirements

extension FeatureStore {
    /// Inserts one feature and returns its version.
    @discardableResult
    public func insert(_ feature: Feature, into layer: String, options: WriteOptions = WriteOptions()) async throws(StoreError) -> Int64 {
        try await single(.insert(feature, layer: layer), options: options)!
    }

    /// Replaces the feature with `feature.id`; with `expectedVersion`, only if it is still that
    /// version (otherwise `.versionMismatch`). Returns the new version.
    @discardableResult
    public func replace(_ feature: Feature, in layer: String, expectedVersion: Int64? = nil,
                        options: WriteOptions = WriteOptions()) async throws(StoreError) -> Int64 {
        try await single(.replace(feature, layer: layer, expectedVersion: expectedVersion), options: options)!
    }

    /// Deletes a feature; with `expectedVersion`, only if it is still that version.
    public func delete(_ id: FeatureID, from layer: String, expectedVersion: Int64? = nil) async throws(StoreError) {
        _ = try await single(.delete(id, layer: layer, expectedVersion: expectedVersion), options: WriteOptions())
    }

    /// Inserts many features into one layer, all or none.
    @discardableResult
    public func insert<Features: Sequence<Feature>>(
        contentsOf features: sending Features, into layer: String, options: WriteOptions = WriteOptions(),
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws(StoreError) -> WriteSummary {
        try await apply(features.lazy.map { FeatureChange.insert($0, layer: layer) }, options: options, progress: progress)
    }

    /// Every feature of a layer in insertion order, read in batches of `batchSize`.
    public func features(inLayer layer: String, batchSize: Int = 1000) -> FeatureStream {
        FeatureStream(store: self, layer: layer, batchSize: max(1, batchSize))
    }

    /// True when the catalogue has no layer: the store has never been seeded.
    public func isEmpty() async throws(StoreError) -> Bool {
        try await layers().isEmpty
    }

    public func hasLayer(_ id: String) async throws(StoreError) -> Bool {
        try await layer(id) != nil
    }

    /// A one-change batch; its errors carry no position.
    private func single(_ change: FeatureChange, options: WriteOptions) async throws(StoreError) -> Int64? {
        do {
            return try await apply(CollectionOfOne(change), options: options, progress: nil).lastVersion
        } catch {
            throw error.withoutPosition
        }
    }
}

/// Every feature of a layer, fetched batch by batch as it is consumed.
public struct FeatureStream: AsyncSequence, Sendable {
    public typealias Element = StoredFeature
    public typealias Failure = StoreError

    let store: any FeatureStore
    let layer: String
    let batchSize: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(store: store, layer: layer, batchSize: batchSize)
    }

    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = StoredFeature
        public typealias Failure = StoreError

        let store: any FeatureStore
        let layer: String
        let batchSize: Int
        private var buffer: [StoredFeature] = []
        private var position = 0
        private var cursor: FeatureCursor?
        private var finished = false

        init(store: any FeatureStore, layer: String, batchSize: Int) {
            self.store = store
            self.layer = layer
            self.batchSize = batchSize
        }

        public mutating func next() async throws(StoreError) -> StoredFeature? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(StoreError) -> StoredFeature? {
            while position == buffer.count {
                if finished { return nil }
                let batch = try await store.batch(ofLayer: layer, after: cursor, limit: batchSize)
                buffer = batch.features
                position = 0
                cursor = batch.next
                finished = batch.next == nil
            }
            defer { position += 1 }
            return buffer[position]
        }
    }
}
