public import FeatureStore
public import GeoEngine
import GeoModel
import Synchronization

/// The planning service: answers near, overlap and export questions over a feature store.
///
/// Queries run on in-memory layer snapshots (metric geometry plus a packed R-tree) rather than
/// in SQL, so both stores answer identically and fast. Writes go through `apply`, which drops the
/// snapshots of the layers it touched; the next query rebuilds them from the store.
public final class Atlas: Sendable {
    /// Where metric work happens: CGCS2000 / 3-degree Gauss-Kruger CM 123E, the zone Shenyang
    /// lies in. Its scale error over the municipality is under 3e-5, so distances and areas
    /// agree with geodesic ones to better than 0.01 %.
    public static let metricFrame = CRS.metricFrame

    public let store: any FeatureStore
    public let catalogue: Catalogue?
    let toMetric = CoordinateTransform(from: .wgs84, to: Atlas.metricFrame)
    let fromMetric = CoordinateTransform(from: Atlas.metricFrame, to: .wgs84)

    private let snapshots = Mutex<[String: Task<LayerSnapshot, any Error>]>([:])

    public init(store: any FeatureStore, catalogue: Catalogue? = nil) {
        self.store = store
        self.catalogue = catalogue
    }

    /// Layer ids in catalogue order; `requested` (if not empty) is checked against them.
    public func layerIDs(_ requested: [String] = []) async throws(PlanningError) -> [String] {
        let all: [String]
        do { all = try await store.layers().map(\.layer.id) } catch { throw .store(error) }
        for id in requested where !all.contains(id) { throw .unknownLayer(id) }
        return requested.isEmpty ? all : requested
    }

    /// The query-ready snapshot of a layer, built once and shared until the layer changes.
    public func snapshot(of layerID: String) async throws(PlanningError) -> LayerSnapshot {
        let task = snapshots.withLock { tasks in
            if let existing = tasks[layerID] { return existing }
            let task = Task { try await self.buildSnapshot(layerID) }
            tasks[layerID] = task
            return task
        }
        do {
            return try await task.value
        } catch {
            // A failed build is not cached: the next query tries again.
            snapshots.withLock { tasks in _ = tasks.removeValue(forKey: layerID) }
            if let planning = error as? PlanningError { throw planning }
            throw .catalogue("cannot load layer '\(layerID)': \(error)")
        }
    }

    /// Applies writes to the store and forgets the snapshots of the layers they touched.
    @discardableResult
    public func apply(_ changes: [FeatureChange], options: WriteOptions = WriteOptions(),
                      progress: (@Sendable (Int) -> Void)? = nil) async throws(StoreError) -> WriteSummary {
        defer { invalidate(layers: Set(changes.map(\.layer))) }
        return try await store.apply(changes, options: options, progress: progress)
    }

    /// Drops cached snapshots, e.g. after another process wrote to the store.
    public func invalidate(layers: Set<String>? = nil) {
        snapshots.withLock { tasks in
            if let layers { for id in layers { tasks.removeValue(forKey: id) } } else { tasks.removeAll() }
        }
    }

    private func buildSnapshot(_ layerID: String) async throws -> LayerSnapshot {
        guard let info = try await store.layer(layerID) else { throw PlanningError.unknownLayer(layerID) }
        var features: [StoredFeature] = []
        for try await stored in store.features(inLayer: layerID, batchSize: 5000) { features.append(stored) }
        return try LayerSnapshot(layer: info, features: features, toMetric: toMetric)
    }
}

extension FeatureChange {
    var layer: String {
        switch self {
        case .insert(_, let layer), .replace(_, let layer, _), .delete(_, let layer, _): layer
        }
    }
}
