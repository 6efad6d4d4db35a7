public import FeatureStore
import GeoEngine
public import GeoModel
import Foundation

/// An immutable, query-ready copy of one layer: the stored features in WGS84, their geometry in
/// the metric frame (EPSG:4550, metres), and a spatial index. Queries share a snapshot without
/// locks; a write to the layer makes the atlas build a new one.
public struct LayerSnapshot: Sendable {
    public let layer: LayerInfo
    public let features: [StoredFeature]
    /// Each feature's geometry in `Atlas.metricFrame`; nil for a feature without geometry or EMPTY.
    public let metric: [Geometry?]
    /// The WGS84 box of all the features' geometry; nil when no feature has any.
    public let extent: BoundingBox?
    /// Index over the features that have geometry, in the index's storage order (along a
    /// Hilbert curve): item `i` is feature `indexed[i]`, and `shapes` holds its metric geometry
    /// at position `i`, so the candidates of one query are measured from neighbouring memory
    /// and their ids (`indexedIDs[i]`) read from there too.
    let nearIndex: GeographicNearIndex
    let indexed: [Int]
    let indexedIDs: [FeatureID]
    let shapes: PlanarShapes

    /// The snapshot of `features` (WGS84, as a store returns them): the atlas builds one from its
    /// store on the first query of a layer; other callers (tools, tests) may build one from
    /// features already in memory. Throws `.unprojectable` naming the first feature that cannot
    /// be taken into the metric frame, `.index` when the index cannot be built.
    ///
    /// The projection, most of the work, runs in slices on all cores.
    public init(layer: LayerInfo, features: [StoredFeature]) async throws(PlanningError) {
        self.layer = layer
        self.features = features
        let slices = try await Self.projectInSlices(features, layer: layer.id)
        var metric: [Geometry?] = []
        var boxes: [BoundingBox] = []
        var withGeometry: [Int] = []
        var extent: BoundingBox?
        metric.reserveCapacity(features.count)
        for slice in slices {
            metric += slice.metric
            boxes += slice.boxes
            withGeometry += slice.withGeometry
            if let box = slice.extent { extent = extent.map { $0.union(box) } ?? box }
        }
        self.metric = metric
        self.extent = extent
        do {
            let order = try GeographicNearIndex.storageOrder(of: boxes)
            indexed = order.map { withGeometry[$0] }
            indexedIDs = indexed.map { features[$0].id }
            nearIndex = try GeographicNearIndex(boxes: order.map { boxes[$0] })
            // Packed slice by slice while each slice's geometry was at hand, then put in order.
            shapes = try PlanarShapes(gathering: order, from: slices.map(\.shapes))
        } catch {
            throw .index(layer: layer.id, reason: error.description)
        }
    }

    /// One slice of the features, projected: metric geometry for every feature, and for those
    /// with geometry the padded lon/lat box, the feature's position and the packed shape.
    private struct ProjectedSlice: Sendable {
        var metric: [Geometry?] = []
        var boxes: [BoundingBox] = []
        var withGeometry: [Int] = []
        var extent: BoundingBox?
        var shapes: PlanarShapes
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
                var slices = [ProjectedSlice?](repeating: nil, count: starts.count)
                for try await (n, slice) in group { slices[n] = slice }
                return slices.compactMap { $0 }
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
        var lonLat: [Coordinate] = []
        for i in range {
            guard let geometry = features[i].feature.geometry, !geometry.isEmpty else { continue }
            geometry.forEachCoordinate { lonLat.append($0) }
        }
        var projected = lonLat
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
            guard let box = padded(lonLat[first..<next], metric: projected[first..<next]) else { continue }
            boxes.append(box)
            withGeometry.append(i)
        }
        var shapes = PlanarShapes(reservingShapes: withGeometry.count, coordinates: projected.count)
        do {
            for i in withGeometry { if let geometry = metric[i - range.lowerBound] { try shapes.append(geometry) } }
        } catch {
            throw .index(layer: layer, reason: error.description)
        }
        return ProjectedSlice(metric: metric, boxes: boxes, withGeometry: withGeometry,
                              extent: BoundingBox(covering: lonLat), shapes: shapes)
    }

    /// Bytes held by the near index: its tree, the item-to-feature tables and the packed shapes.
    public var indexMemoryFootprint: Int {
        nearIndex.memoryFootprint + indexed.capacity * MemoryLayout<Int>.stride
            + indexedIDs.capacity * MemoryLayout<FeatureID>.stride + shapes.memoryFootprint
    }

    /// The lon/lat box of a feature's coordinates, padded so that it holds the feature as the
    /// metric frame draws it: a straight edge in the frame bows out of its end points' lon/lat box
    /// by about s²·tan φ / 8R; pad by that (plus a metre) so the index never misses the feature.
    private static func padded(_ lonLat: ArraySlice<Coordinate>, metric: ArraySlice<Coordinate>) -> BoundingBox? {
        guard let first = lonLat.first, var previous = metric.first else { return nil }
        var box = BoundingBox(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        for c in lonLat { box.extend(to: c) }
        guard box.width > 0 || box.height > 0 else { return box }
        var longestEdgeSquared = 0.0
        for c in metric {
            let (dx, dy) = (c.x - previous.x, c.y - previous.y)
            longestEdgeSquared = max(longestEdgeSquared, dx * dx + dy * dy)
            previous = c
        }
        let latitude = min(max(abs(box.minY), abs(box.maxY)), 89) * .pi / 180
        let bowMetres = longestEdgeSquared * tan(latitude) / (8 * 6_356_752) + 1
        let dy = bowMetres / 110_574
        let dx = bowMetres / (111_320 * cos(latitude))
        return box.expanded(dx: dx, dy: dy)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
