public import FeatureStore
import Foundation
import GeoModel

extension Catalogue {
    /// The store's description of a catalogue layer; the catalogue's own fields travel along as
    /// metadata so the service can show them without the GeoData folder.
    public func storeLayer(_ layer: LayerDescription) -> LayerInfo {
        var metadata: JSONObject = ["context": .bool(layer.context), "style": .string(layer.style)]
        metadata["plan_section"] = layer.planSection.map(JSONValue.string) ?? .null
        if let description = layer.description {
            metadata["description"] = ["zh": .string(description.zh), "en": .string(description.en)]
        }
        return LayerInfo(id: layer.id, titleZH: layer.title.zh, titleEN: layer.title.en,
                         geometryType: layer.geometryType, metadata: metadata)
    }

    /// Creates every layer of the catalogue in the store and loads its GeoJSON file, all layers in
    /// one transaction: a bad feature anywhere leaves the store without any of them.
    /// Returns the number of features written.
    @discardableResult
    public func seed(_ store: any FeatureStore) async throws(PlanningError) -> Int {
        var changes: [FeatureChange] = []
        for layer in layers {
            let url = fileURL(of: layer)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw .catalogue("cannot read \(url.path)")
            }
            do {
                try GeoJSONReader().forEachFeature(in: Array(data)) { _, feature in
                    changes.append(.insert(feature, layer: layer.id))
                }
            } catch {
                throw .catalogue("\(layer.file): \(error)")
            }
        }
        var created: [String] = []
        do {
            for layer in layers where try await !store.hasLayer(layer.id) {
                try await store.createLayer(storeLayer(layer))
                created.append(layer.id)
            }
            return try await store.apply(changes, options: WriteOptions(), progress: nil).inserted
        } catch {
            // Leave no empty layers behind: the next start should seed again from scratch.
            for id in created { try? await store.dropLayer(id) }
            throw .store(error)
        }
    }
}
