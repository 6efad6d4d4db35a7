import ArgumentParser
import FeatureStore
import Foundation
import GeoModel
import Planning

/// W3: a layer of polygons written out as GeoJSON, as `planatlas export --layer ID` does it:
/// `Atlas.export` streaming the layer from the embedded SpatiaLite store into a file.
struct ExportGeoJSON: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "w3", abstract: "Export: a layer to GeoJSON.")

    @OptionGroup var common: CommonOptions
    /// Accepted for a uniform command line: the export is RFC 7946 (WGS84) whatever the metric CRS.
    @OptionGroup var metric: MetricOptions

    func run() async throws {
        var clock = PhaseClock()
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("planatlas-bench-w3-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let layer = LayerInfo(id: "w3", titleZH: "W3", titleEN: "W3", geometryType: .polygon)

        // Load: the polygons go into the store the product exports from.
        let (store, count) = try await clock.time("load") {
            let features = try Inputs.features(common.file("polygons.geojson"), layer: layer.id)
            let store = try await SpatiaLiteStore(path: folder.appendingPathComponent("w3.sqlite").path)
            try await store.createLayer(layer)
            let written = try await store.apply(features.map { .insert($0.feature, layer: layer.id) },
                                                options: WriteOptions(), progress: nil)
            return (store, written.inserted)
        }
        let atlas = Atlas(store: store)
        var exported = 0
        for _ in 1...common.repeat {
            let output = URL(fileURLWithPath: common.answers).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            exported = try await clock.time("export") {
                let sink = try FileSink(path: common.answers)
                let written = try await atlas.export(ExportRequest(layer: layer.id), to: sink)
                try sink.close()
                return written
            }
        }
        await store.close()
        guard exported == count else { throw BenchFailure("exported \(exported) features of \(count)") }
        let bytes = try FileManager.default.attributesOfItem(atPath: common.answers)[.size] as? Int ?? 0
        try BenchResult(
            workload: "w3", options: common, crs: nil, features: count, threads: 2, clock: clock,
            resultRows: exported, outputBytes: bytes,
            notes: "Atlas.export from the embedded SpatiaLite store: the store's reader decodes the next batch "
                + "(WKB, properties JSON) while GeoJSONWriter writes this one; 7 decimals, which the "
                + "6-decimal data fills with 6"
        ).emit()
    }
}
