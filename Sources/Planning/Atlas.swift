public import FeatureStore
public import GeoEngine
import GeoModel
import OrderedCollections
import Synchronization

/// The planning service: answers near, overlap and export questions over a feature store.
///
/// Queries run on in-memory layer snapshots (metric geometry plus a packed R-tree) rather than
/// in SQL, so both stores answer identically and fast. Each snapshot belongs to a layer revision
/// (`FeatureStore.revisions()`): a query rebuilds a layer's snapshot when the revision moved,
/// whichever process wrote to it, and writes through `apply` are seen by the next query.
public final class Atlas: Sendable {
    /// Where metric work happens: CGCS2000 / 3-degree Gauss-Kruger CM 123E, the zone Shenyang
    /// lies in. Its scale error over the municipality is under 3e-5, so distances and areas
    /// agree with geodesic ones to better than 0.01 %.
    public static let metricFrame = CRS.metricFrame

    public let store: any FeatureStore
    public let catalogue: Catalogue?
    let toMetric = CoordinateTransform(from: .wgs84, to: Atlas.metricFrame)

    /// How long a reading of the store's layer revisions is trusted before it is read again.
    /// Writes through this atlas take effect at once; writes by other processes (other service
    /// instances on one PostGIS) are seen within this interval.
    public let revisionCheckInterval: Duration

    private struct Cached {
        var revision: Int64
        var build: Task<LayerSnapshot, any Error>
    }

    private struct State {
        var revisions: OrderedDictionary<String, Int64>?
        var revisionsReadAt = ContinuousClock.Instant.now
        var snapshots: [String: Cached] = [:]
    }

    private let state = Mutex(State())

    public init(store: any FeatureStore, catalogue: Catalogue? = nil, revisionCheckInterval: Duration = .milliseconds(250)) {
        self.store = store
        self.catalogue = catalogue
        self.revisionCheckInterval = revisionCheckInterval
    }

    /// Layer ids in creation order; `requested` (if not empty) is checked against them and returned as is.
    public func layerIDs(_ requested: [String] = []) async throws(PlanningError) -> [String] {
        let known = try await revisions()
        for id in requested where known[id] == nil { throw .unknownLayer(id) }
        return requested.isEmpty ? Array(known.keys) : requested
    }

    /// The query-ready snapshot of a layer at its current revision, built once and shared by
    /// every query until the layer changes.
    public func snapshot(of layerID: String) async throws(PlanningError) -> LayerSnapshot {
        guard let revision = try await revisions()[layerID] else { throw .unknownLayer(layerID) }
        let build = state.withLock { state in
            if let cached = state.snapshots[layerID], cached.revision == revision { return cached.build }
            let build = Task { try await self.buildSnapshot(layerID) }
            state.snapshots[layerID] = Cached(revision: revision, build: build)
            return build
        }
        do {
            return try await build.value
        } catch {
            // A failed build is not kept: the next query tries again.
            state.withLock { state in
                if state.snapshots[layerID]?.revision == revision { state.snapshots[layerID] = nil }
            }
            if let planning = error as? PlanningError { throw planning }
            if let store = error as? StoreError { throw .store(store) }
            throw .catalogue("cannot load layer '\(layerID)': \(error)")
        }
    }

    /// Applies writes to the store; the next query sees them.
    @discardableResult
    public func apply(_ changes: [FeatureChange], options: WriteOptions = WriteOptions(),
                      progress: (@Sendable (Int) -> Void)? = nil) async throws(StoreError) -> WriteSummary {
        defer { invalidate() }
        return try await store.apply(changes, options: options, progress: progress)
    }

    /// Forgets the revisions read, so the next query reads them again (and rebuilds any layer
    /// that changed). Call it after writing to the store other than through `apply`.
    public func invalidate() {
        state.withLock { $0.revisions = nil }
    }

    private func revisions() async throws(PlanningError) -> OrderedDictionary<String, Int64> {
        let now = ContinuousClock.now
        if let cached = state.withLock({ state in
            state.revisions.flatMap { now - state.revisionsReadAt < revisionCheckInterval ? $0 : nil }
        }) {
            return cached
        }
        let fresh: OrderedDictionary<String, Int64>
        do { fresh = try await store.revisions() } catch { throw .store(error) }
        state.withLock { state in
            state.revisions = fresh
            state.revisionsReadAt = now
            // Snapshots of dropped layers go.
            state.snapshots = state.snapshots.filter { fresh[$0.key] != nil }
        }
        return fresh
    }

    private func buildSnapshot(_ layerID: String) async throws -> LayerSnapshot {
        guard let info = try await store.layer(layerID) else { throw PlanningError.unknownLayer(layerID) }
        var features: [StoredFeature] = []
        for try await stored in store.features(inLayer: layerID, batchSize: 5000) { features.append(stored) }
        return try await LayerSnapshot(layer: info, features: features)
    }
}
