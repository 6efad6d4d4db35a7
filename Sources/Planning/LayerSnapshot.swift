public import FeatureStore
import GeoEngine
public import GeoModel
import Foundation
import Synchronization

/// An immutable, query-ready copy of one layer: the stored features in WGS84, their geometry in
/// the metric frame (EPSG:4550, metres), and, from the first near query on, a spatial index.
/// Queries share a snapshot without locks (but for building the index once); a write to the
/// layer makes the atlas build a new one.
public struct LayerSnapshot: Sendable {
    public let layer: LayerInfo
    public let features: [StoredFeature]
    /// Each feature's geometry in `Atlas.metricFrame`; nil for a feature without geometry or EMPTY.
    public let metric: MetricGeometries
    /// The WGS84 box of all the features' geometry; nil when no feature has any.
    public let extent: BoundingBox?
    /// The features with geometry (`withGeometry[i]` is one's position) and the boxes of their
    /// metric geometry: what the near index is built from.
    let withGeometry: [Int]
    let boxes: [BoundingBox]
    /// How many coordinates the metric geometries hold in all.
    let coordinateCount: Int
    /// Built by the first near query: overlap work never needs it.
    private let nearBuild = OnceBuilt<LayerNearIndex>()

    /// The snapshot of `features` (WGS84, as a store returns them): the atlas builds one from its
    /// store on the first query of a layer; other callers (tools, tests) may build one from
    /// features already in memory. Throws `.unprojectable` naming the first feature that cannot
    /// be taken into the metric frame.
    ///
    /// The projection, most of the work, runs in slices on all cores.
    public init(layer: LayerInfo, features: [StoredFeature]) async throws(PlanningError) {
        self.layer = layer
        self.features = features
        var boxes: [BoundingBox] = []
        var withGeometry: [Int] = []
        var extent: BoundingBox?
        var coordinateCount = 0
        let slices = try await Self.projectInSlices(features, layer: layer.id)
        for slice in slices {
            boxes += slice.boxes
            withGeometry += slice.withGeometry
            coordinateCount += slice.coordinateCount
            if let box = slice.extent { extent = extent.map { $0.union(box) } ?? box }
        }
        self.metric = MetricGeometries(slices.map(\.metric))
        self.extent = extent
        self.boxes = boxes
        self.withGeometry = withGeometry
        self.coordinateCount = coordinateCount
    }

    /// Builds what near queries need now rather than on the first near query: for a server that
    /// should answer its first query fast, or to measure the build.
    public func prepareNearQueries() throws(PlanningError) {
        _ = try near()
    }

    /// What near queries need, built once.
    func near() throws(PlanningError) -> LayerNearIndex {
        try nearBuild.value { () throws(PlanningError) in try LayerNearIndex(self) }
    }

    /// Bytes held by the near index (its tree, the item-to-feature tables and the packed shapes),
    /// or 0 before the first near query or `prepareNearQueries()`.
    public var indexMemoryFootprint: Int {
        nearBuild.existing?.memoryFootprint ?? 0
    }

    /// One slice of the features, projected: metric geometry for every feature, and for those
    /// with geometry the metric box and the feature's position.
    private struct ProjectedSlice: Sendable {
        var metric: [Geometry?] = []
        var boxes: [BoundingBox] = []
        var withGeometry: [Int] = []
        var extent: BoundingBox?
        var coordinateCount = 0
    }

    /// Fewest features per slice: enough that a slice's task costs far more than starting it.
    private static let minimumSliceSize = 2048
    /// Most features per slice, so that slices of a large layer stay in the caches.
    private static let maximumSliceSize = 16384

    private static func projectInSlices(_ features: [StoredFeature], layer: String) async throws(PlanningError)
        -> [ProjectedSlice]
    {
        // At least one slice per core when there is enough work, all of about the same size.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let sliceCount = max(min(cores, features.count / minimumSliceSize),
                             (features.count + maximumSliceSize - 1) / maximumSliceSize, 1)
        let sliceSize = (features.count + sliceCount - 1) / sliceCount
        let starts = Array(stride(from: 0, to: features.count, by: max(sliceSize, 1)))
        do {
            return try await withThrowingTaskGroup(of: (Int, ProjectedSlice).self) { group in
                for (n, start) in starts.enumerated() {
                    group.addTask {
                        (n, try project(features, start..<min(start + sliceSize, features.count), layer: layer))
                    }
                }
                var slices = [ProjectedSlice](repeating: ProjectedSlice(), count: starts.count)
                for try await (n, slice) in group { slices[n] = slice }
                return slices
            }
        } catch let error as PlanningError {
            throw error
        } catch {
            throw .index(layer: layer, reason: "\(error)")
        }
    }

    /// Projects `range` of the features with one PROJ call for all their coordinates; when that
    /// fails, feature by feature, to name the one that cannot be projected.
    private static func project(_ features: [StoredFeature], _ range: Range<Int>, layer: String) throws(PlanningError)
        -> ProjectedSlice
    {
        let toMetric = CoordinateTransform(from: .wgs84, to: Atlas.metricFrame)
        var metric: [Geometry?] = []
        var boxes: [BoundingBox] = []
        var withGeometry: [Int] = []
        // Counted first so that the batch is allocated once: growing it would copy it and fault
        // in fresh pages at every doubling.
        var projected: [Coordinate] = []
        projected.reserveCapacity(range.reduce(0) { $0 + (features[$1].feature.geometry?.coordinateCount ?? 0) })
        for i in range {
            guard let geometry = features[i].feature.geometry, !geometry.isEmpty else { continue }
            geometry.forEachCoordinate { projected.append($0) }
        }
        let extent = BoundingBox(covering: projected)  // still WGS84
        do { try toMetric.transform(&projected) } catch {
            for i in range {
                guard let geometry = features[i].feature.geometry else { continue }
                do { _ = try toMetric.transform(geometry) } catch {
                    throw .unprojectable(layer: layer, id: features[i].id, reason: error.description)
                }
            }
            // The batch failed though no feature fails alone: report the batch's reason.
            throw .index(layer: layer, reason: error.description)
        }
        metric.reserveCapacity(range.count)
        var next = 0
        for i in range {
            guard let geometry = features[i].feature.geometry, !geometry.isEmpty else {
                metric.append(nil)
                continue
            }
            let first = next
            let projectedGeometry = geometry.mapCoordinates { _ in
                defer { next += 1 }
                return projected[next]
            }
            metric.append(projectedGeometry)
            // In the metric frame a geometry's edges are straight, so the box of its vertices holds all of it.
            guard let box = BoundingBox(covering: projected[first..<next]) else { continue }
            boxes.append(box)
            withGeometry.append(i)
        }
        return ProjectedSlice(metric: metric, boxes: boxes, withGeometry: withGeometry, extent: extent,
                              coordinateCount: projected.count)
    }
}

/// Each feature's metric geometry, kept in the slices it was projected in (all of one size but the
/// last): joining them into one array would copy, and reference-count, every geometry once more.
public struct MetricGeometries: RandomAccessCollection, Sendable {
    private let slices: [[Geometry?]]
    private let sliceSize: Int
    public let endIndex: Int

    init(_ slices: [[Geometry?]]) {
        self.slices = slices
        sliceSize = Swift.max(slices.first?.count ?? 1, 1)
        endIndex = slices.reduce(0) { $0 + $1.count }
    }

    public var startIndex: Int { 0 }

    public subscript(position: Int) -> Geometry? {
        slices[position / sliceSize][position % sliceSize]
    }
}

/// What near queries need of a snapshot, and what their hits refer to: a packed R-tree over the
/// metric boxes of the features with geometry, whose items are those features in the tree's
/// storage order (along a Hilbert curve): item `i` is feature `indexed[i]` with id `ids[i]`, and
/// `shapes` holds its metric geometry at position `i`, so the candidates of one query are
/// measured, and their ids read, from neighbouring memory.
///
/// The tree is planar, in the metric frame, because distances are planar there: it measures a
/// point itself from its box (no shape read) and prunes every other feature with the exact
/// lower bound that its box distance is.
final class LayerNearIndex: Sendable {
    let layer: String
    let features: [StoredFeature]
    let tree: PackedRTree
    let indexed: [Int]
    let ids: FeatureIDs
    let shapes: PlanarShapes

    init(_ snapshot: LayerSnapshot) throws(PlanningError) {
        layer = snapshot.layer.id
        features = snapshot.features
        do {
            let order = try PackedRTree.storageOrder(of: snapshot.boxes)
            indexed = order.map { snapshot.withGeometry[$0] }
            ids = FeatureIDs(indexed.map { snapshot.features[$0].id })
            tree = try PackedRTree(boxes: order.map { snapshot.boxes[$0] })
            var shapes = PlanarShapes(reservingShapes: indexed.count, coordinates: snapshot.coordinateCount)
            for i in indexed { if let geometry = snapshot.metric[i] { try shapes.append(geometry) } }
            self.shapes = shapes
        } catch {
            throw .index(layer: snapshot.layer.id, reason: error.description)
        }
    }

    var memoryFootprint: Int {
        tree.memoryFootprint + indexed.capacity * MemoryLayout<Int>.stride
            + ids.memoryFootprint + shapes.memoryFootprint
    }
}

/// Feature ids by item, in 8 bytes each when every id is a number (as in numbered data): a near
/// query reads one per hit, and as 24-byte `FeatureID`s they would spread over three times the memory.
enum FeatureIDs: Sendable {
    case numbers([Int64])
    case any([FeatureID])

    init(_ ids: [FeatureID]) {
        var numbers: [Int64] = []
        numbers.reserveCapacity(ids.count)
        for id in ids {
            guard case .number(let n) = id else {
                self = .any(ids)
                return
            }
            numbers.append(n)
        }
        self = .numbers(numbers)
    }

    subscript(item: Int) -> FeatureID {
        switch self {
        case .numbers(let numbers): .number(numbers[item])
        case .any(let ids): ids[item]
        }
    }

    var memoryFootprint: Int {
        switch self {
        case .numbers(let numbers): numbers.capacity * MemoryLayout<Int64>.stride
        case .any(let ids): ids.capacity * MemoryLayout<FeatureID>.stride
        }
    }
}

/// A value made once, on first use, and shared from then on by every copy of its owner.
final class OnceBuilt<Value: Sendable>: Sendable {
    private let stored = Mutex<Value?>(nil)

    /// The value, made by `make` if this is the first call; concurrent first callers wait for it.
    func value(_ make: () throws(PlanningError) -> Value) throws(PlanningError) -> Value {
        try stored.withLock { (stored: inout Value?) throws(PlanningError) -> Value in
            if let stored { return stored }
            let made = try make()
            stored = made
            return made
        }
    }

    /// The value if it has been made.
    var existing: Value? { stored.withLock { $0 } }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
