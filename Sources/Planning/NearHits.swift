public import FeatureStore
import GeoEngine
public import GeoModel

/// One feature found by a near query. It refers to its layer's near index, which holds the
/// layer's features, rather than holding a copy of the feature.
public struct NearHit: Hashable, Sendable {
    /// Shortest distance from the query location to the geometry in metres: 0 on a line or
    /// inside a polygon. Measured in EPSG:4550 (under 0.01 % from the geodesic over the city).
    public let distanceMetres: Double
    public let featureID: FeatureID
    private let source: LayerNearIndex
    private let item: Int

    init(_ source: LayerNearIndex, item: Int, featureID: FeatureID, distanceMetres: Double) {
        self.source = source
        self.item = item
        self.featureID = featureID
        self.distanceMetres = distanceMetres
    }

    /// The id of the layer the feature belongs to.
    public var layer: String { source.layer }
    public var feature: StoredFeature { source.features[source.indexed[item]] }

    public static func == (a: NearHit, b: NearHit) -> Bool {
        a.layer == b.layer && a.distanceMetres == b.distanceMetres && a.feature == b.feature
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(layer)
        hasher.combine(distanceMetres)
        hasher.combine(feature)
    }
}

/// The hits of a near query: nearest first, equal distances by layer id, then by feature id.
///
/// Kept as (layer, item, distance, feature id) per hit, with each layer's near index held once; a
/// `NearHit` is made when read. A 500 m query over a million features finds hundreds of hits, and
/// building a value per hit with its own reference to the layer cost more than finding them (a
/// reference count round trip each, whose atomic operation also kept the reads around it from
/// overlapping). The ids are read when the hits are collected, in a loop that does nothing else,
/// so that their cache misses overlap.
public struct NearHits: RandomAccessCollection, Sendable {
    private struct Entry: Sendable {
        /// Position in `layers`.
        var layer: Int32
        var item: Int32
        var distance: Double
        var id: FeatureID
    }

    private var layers: [LayerNearIndex]
    private var entries: [Entry]

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }

    public subscript(position: Int) -> NearHit {
        let entry = entries[position]
        return NearHit(layers[Int(entry.layer)], item: Int(entry.item), featureID: entry.id, distanceMetres: entry.distance)
    }

    /// One layer's hits from the index's answer (nearest first, equal distances by item).
    init(_ layer: LayerNearIndex, _ neighbors: [Neighbor]) {
        layers = [layer]
        entries = neighbors.map {
            Entry(layer: 0, item: Int32(truncatingIfNeeded: $0.index), distance: $0.distance, id: layer.ids[$0.index])
        }
        // Only equal distances are out of order: the index orders them by item, the answer by id.
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].distance == entries[start].distance { end += 1 }
            if end - start > 1 { entries[start..<end].sort(by: precedes) }
            start = end
        }
    }

    /// The hits of several layers, each in order, merged into one answer.
    init(merging parts: [NearHits]) {
        guard parts.count != 1 else {
            self = parts[0]
            return
        }
        layers = []
        entries = []
        for part in parts {
            let offset = Int32(layers.count)
            layers += part.layers
            entries += part.entries.lazy.map { Entry(layer: $0.layer + offset, item: $0.item, distance: $0.distance, id: $0.id) }
        }
        entries.sort(by: precedes)
    }

    /// The first `count` hits.
    func keepingFirst(_ count: Int) -> NearHits {
        guard count < entries.count else { return self }
        var first = self
        first.entries.removeSubrange(count...)
        return first
    }

    /// Nearest first, then by layer id, then by feature id; the ids' text is only formed for equal distances.
    private func precedes(_ a: Entry, _ b: Entry) -> Bool {
        if a.distance != b.distance { return a.distance < b.distance }
        let (layerA, layerB) = (layers[Int(a.layer)].layer, layers[Int(b.layer)].layer)
        if layerA != layerB { return layerA < layerB }
        return a.id.description < b.id.description
    }
}

extension NearHits: Equatable {
    /// Equal when they hold equal hits (layer, feature and distance) in the same order.
    public static func == (a: NearHits, b: NearHits) -> Bool {
        a.elementsEqual(b)
    }
}
