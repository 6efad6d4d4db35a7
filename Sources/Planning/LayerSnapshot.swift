public import FeatureStore
import GeoEngine
public import GeoModel

/// An immutable, query-ready copy of one layer: the stored features in WGS84, their geometry in
/// the metric frame (EPSG:4550, metres), and a spatial index. Queries share a snapshot without
/// locks; a write to the layer makes the atlas build a new one.
public struct LayerSnapshot: Sendable {
    public let layer: LayerInfo
    public let features: [StoredFeature]
    /// Each feature's geometry in `Atlas.metricFrame`; nil for a feature without geometry or EMPTY.
    public let metric: [Geometry?]
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
    public init(layer: LayerInfo, features: [StoredFeature]) throws(PlanningError) {
        let toMetric = CoordinateTransform(from: .wgs84, to: Atlas.metricFrame)
        self.layer = layer
        self.features = features
        var metric: [Geometry?] = []
        var boxes: [BoundingBox] = []
        var withGeometry: [Int] = []
        metric.reserveCapacity(features.count)
        for (i, stored) in features.enumerated() {
            guard let geometry = stored.feature.geometry, !geometry.isEmpty, let box = geometry.boundingBox else {
                metric.append(nil)
                continue
            }
            let projected: Geometry
            do { projected = try toMetric.transform(geometry) } catch {
                throw .unprojectable(layer: layer.id, id: stored.id, reason: error.description)
            }
            metric.append(projected)
            boxes.append(Self.padded(box, metric: projected))
            withGeometry.append(i)
        }
        self.metric = metric
        do {
            let order = try GeographicNearIndex.storageOrder(of: boxes)
            indexed = order.map { withGeometry[$0] }
            indexedIDs = indexed.map { features[$0].id }
            nearIndex = try GeographicNearIndex(boxes: order.map { boxes[$0] })
            shapes = try PlanarShapes(indexed.lazy.map { metric[$0]! })
        } catch {
            throw .index(layer: layer.id, reason: error.description)
        }
    }

    /// Bytes held by the near index: its tree, the item-to-feature tables and the packed shapes.
    public var indexMemoryFootprint: Int {
        nearIndex.memoryFootprint + indexed.capacity * MemoryLayout<Int>.stride
            + indexedIDs.capacity * MemoryLayout<FeatureID>.stride + shapes.memoryFootprint
    }

    /// A straight edge in the metric plane bows out of its end points' lon/lat box by about
    /// s²·tan φ / 8R; pad the box by that (plus a metre) so the index never misses the feature.
    private static func padded(_ box: BoundingBox, metric: Geometry) -> BoundingBox {
        guard box.width > 0 || box.height > 0 else { return box }
        var longestEdge = 0.0
        var previous: Coordinate?
        metric.forEachCoordinate { c in
            if let p = previous { longestEdge = max(longestEdge, hypot(c.x - p.x, c.y - p.y)) }
            previous = c
        }
        let latitude = min(max(abs(box.minY), abs(box.maxY)), 89) * .pi / 180
        let bowMetres = longestEdge * longestEdge * tan(latitude) / (8 * 6_356_752) + 1
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
