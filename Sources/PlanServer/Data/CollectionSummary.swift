import FeatureStore
import GeoModel
import Planning

/// One layer as the collection endpoints describe it: the store's catalogue entry (titles, type,
/// and the GeoData catalogue's fields it keeps as metadata), the live item count, the extent of
/// the features and the style from Styles/.
struct CollectionSummary: Sendable {
    var layer: LayerInfo
    var itemCount: Int
    /// WGS84 extent of the features; nil for a layer without located features.
    var extent: BoundingBox?
    var style: JSONValue?

    var id: String { layer.id }
    var title: String { layer.titleEN }
    var description: String? { layer.metadata["description"]?.objectValue?["en"]?.stringValue }
    var descriptionZh: String? { layer.metadata["description"]?.objectValue?["zh"]?.stringValue }
    /// Context layers (districts, rivers) frame the map; they are not planned works.
    var isContext: Bool { layer.metadata["context"] == .bool(true) }
    var planSection: String? { layer.metadata["plan_section"]?.stringValue }
}

/// Reading the layer catalogue for the endpoints, through the atlas.
struct LayerDirectory: Sendable {
    let atlas: Atlas

    /// Every layer, in catalogue order, with extents.
    func summaries() async throws -> [CollectionSummary] {
        var summaries: [CollectionSummary] = []
        for id in try await atlas.layerIDs() {
            guard let layer = try await atlas.store.layer(id) else { continue }  // dropped meanwhile
            summaries.append(try await summary(of: layer))
        }
        return summaries
    }

    /// One layer with its extent; 404 when there is none.
    func summary(_ id: String) async throws -> CollectionSummary {
        try await summary(of: try await existing(id))
    }

    /// The layer named in a path; 404 when there is none.
    func existing(_ id: String) async throws -> LayerInfo {
        guard let layer = try await atlas.store.layer(id) else {
            throw ProblemDetails.notFound("there is no layer '\(ProblemDetails.quoted(id))'; /collections lists them")
        }
        return layer
    }

    /// Layer ids named by a query parameter, checked: 400 naming the parameter and the first unknown
    /// id. Nil (the parameter was not given) stays nil.
    func checked(_ requested: [String]?, parameter: String) async throws -> [String]? {
        guard let requested else { return nil }
        // The atlas's list of ids, not the store's layer summaries: those count every layer's features.
        let all = try await atlas.layerIDs()
        if let unknown = requested.first(where: { !all.contains($0) }) {
            throw ProblemDetails.invalid(parameter, must: "layer ids from /collections (\(all.joined(separator: ", ")))",
                                         got: unknown)
        }
        return requested
    }

    private func summary(of layer: LayerInfo) async throws -> CollectionSummary {
        // The atlas keeps a snapshot of each layer at its current revision for near and overlap
        // queries: it knows the count and the extent without scanning the store again.
        let snapshot = try await atlas.snapshot(of: layer.id)
        return CollectionSummary(layer: layer, itemCount: snapshot.features.count, extent: snapshot.extent,
                                 style: atlas.catalogue?.styles[layer.id])
    }
}
