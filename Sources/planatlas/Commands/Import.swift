import ArgumentParser
import FeatureStore
import Foundation
import GeoModel
import Planning

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a GeoJSON file into a layer, all or nothing.",
        discussion: """
            Every feature needs an id. The import is one transaction: a bad feature anywhere leaves
            the store as it was, and the error names that feature and the reason. Invalid geometry is
            refused with GEOS's reason unless --repair asks for MakeValid, and so is a geometry with
            more vertices than --max-vertices (the limit the HTTP service applies too).
            """)

    @OptionGroup var atlasOptions: AtlasOptions

    @Argument(help: ArgumentHelp("The GeoJSON file.", valueName: "FILE.geojson")) var file: String
    @Option(help: ArgumentHelp("The layer to load into.", valueName: "ID")) var layer: String
    @Flag(help: "Create the layer if it does not exist, for the file's geometry type, or for any geometry when the file mixes types.") var create = false
    @Flag(help: "Replace features whose id exists already instead of failing.") var replace = false
    @Flag(help: "Repair invalid geometry with GEOS MakeValid instead of refusing it.") var repair = false
    @Option(help: ArgumentHelp("The most vertices one feature's geometry may have.", valueName: "N"))
    var maxVertices = VertexLimit.standard.maximum

    func validate() throws {
        guard maxVertices > 0 else { throw ValidationError("--max-vertices must be a positive number, got \(maxVertices)") }
    }

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("\(file): cannot read the file") }
        let vertexLimit = VertexLimit(maximum: maxVertices)
        var features: [Feature] = []
        do {
            try GeoJSONReader().forEachFeature(in: Array(data)) { index, feature in
                guard feature.id != nil else {
                    throw GeoJSONError(path: "features[\(index)].id", message: "every imported feature needs an id")
                }
                do {
                    try vertexLimit.check(vertexCount: feature.geometry?.coordinateCount ?? 0, of: "the geometry")
                } catch {
                    throw GeoJSONError(path: "features[\(index)].geometry", message: "\(error) (--max-vertices)")
                }
                features.append(feature)
            }
        } catch {
            throw CommandFailure("\(file): \(error)")
        }
        let summary = try await atlasOptions.withAtlas { atlas in
            if try await !atlas.store.hasLayer(layer) {
                guard create else { throw CommandFailure("unknown layer '\(layer)'; add --create to make it") }
                let types = Set(features.compactMap { $0.geometry?.type.singular })
                guard let first = types.first else {
                    throw CommandFailure("\(file): no feature has a geometry to take the layer's type from")
                }
                // A layer typed GeometryCollection takes every geometry type.
                let type = types.count == 1 ? first : .geometryCollection
                try await atlas.store.createLayer(LayerInfo(id: layer, titleZH: layer, titleEN: layer, geometryType: type))
            }
            let existing: Set<String> = replace ? try await Self.existingIDs(in: layer, of: atlas) : []
            let changes = features.map { feature in
                existing.contains(feature.id!.description)
                    ? FeatureChange.replace(feature, layer: layer, expectedVersion: nil) : .insert(feature, layer: layer)
            }
            let progress = Progress(label: "importing into \(layer)", total: changes.count)
            do {
                let summary = try await atlas.apply(changes, options: WriteOptions(repairInvalid: repair, progressInterval: 5000),
                                                    progress: { progress.update($0) })
                progress.finish()
                return summary
            } catch {
                progress.finish()
                throw CommandFailure("\(file): \(Self.location(of: error))nothing imported: \(error)")
            }
        }
        var parts = ["\(summary.inserted) inserted"]
        if summary.replaced > 0 { parts.append("\(summary.replaced) replaced") }
        if summary.repaired > 0 { parts.append("\(summary.repaired) repaired") }
        print("\(layer): \(parts.joined(separator: ", "))")
    }

    /// "features[N]: " when the error is about the N-th change, which is the file's N-th feature,
    /// so the message points into the file the way `planatlas validate` does.
    private static func location(of error: any Error) -> String {
        let reference: FeatureReference? = switch error as? StoreError {
        case .invalidID(let r, _), .duplicateID(let r), .notFound(let r), .geometryTypeMismatch(let r, _, _),
             .invalidGeometry(let r, _), .invalidProperties(let r, _), .versionMismatch(let r, _, _): r
        case .some, nil: nil
        }
        return reference?.position.map { "features[\($0)]: " } ?? ""
    }

    private static func existingIDs(in layer: String, of atlas: Atlas) async throws -> Set<String> {
        var ids = Set<String>()
        for try await stored in atlas.store.features(inLayer: layer, batchSize: 5000) { ids.insert(stored.id.description) }
        return ids
    }
}
