import ArgumentParser
import Foundation
import GeoEngine
import GeoModel
import Planning

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write layers as GeoJSON for map viewers, streamed from the store.",
        discussion: """
            --crs EPSG:4326 (default, RFC 7946), EPSG:4550 (CGCS2000 Gauss-Kruger CM 123E, the zone
            Shenyang lies in), EPSG:4549 (CM 120E), EPSG:4490, EPSG:32651, EPSG:3857, or GCJ-02 for
            Amap and Tencent based viewers.
            """)

    @OptionGroup var atlasOptions: AtlasOptions

    @Option(help: ArgumentHelp("The layer to export.", valueName: "ID")) var layer: String?
    @Flag(help: "Export every layer, one file each, into --output (a folder, default ./export).") var all = false
    @Option(help: ArgumentHelp("Output file (one layer; default: standard output) or folder (--all).", valueName: "PATH"))
    var output: String?
    @Option(help: ArgumentHelp("Output coordinate reference system.", valueName: "CRS")) var crs: String = "EPSG:4326"
    @Option(help: ArgumentHelp("Only features meeting this WGS84 box.", valueName: "MINLON,MINLAT,MAXLON,MAXLAT"))
    var bbox: String?
    @Flag(help: "Add the layer's simplestyle properties (stroke, fill, marker-color ...) to each feature.") var style = false

    func validate() throws {
        guard (layer == nil) != !all else { throw ValidationError("give exactly one of --layer ID or --all") }
        _ = try parsedCRS()
        _ = try parsedBBox()
    }

    func parsedCRS() throws -> CRS {
        do { return try CRS(parsing: crs) } catch { throw ValidationError("--crs: \(error)") }
    }

    func parsedBBox() throws -> BoundingBox? {
        guard let bbox else { return nil }
        let numbers = bbox.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 4, let minX = numbers[0], let minY = numbers[1], let maxX = numbers[2], let maxY = numbers[3],
              minX <= maxX, minY <= maxY, (-180...180).contains(minX), (-180...180).contains(maxX),
              (-90...90).contains(minY), (-90...90).contains(maxY) else {
            throw ValidationError("--bbox wants minlon,minlat,maxlon,maxlat in degrees with min <= max, got '\(bbox)'")
        }
        return BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }

    func run() async throws {
        let crs = try parsedCRS()
        let box = try parsedBBox()
        try await atlasOptions.withAtlas { atlas in
            let ids = all ? try await atlas.layerIDs() : [layer!]
            let folder = all ? URL(filePath: output ?? "export", directoryHint: .isDirectory) : nil
            if let folder { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
            for id in ids {
                let sink: FileSink
                let path = folder.map { $0.appending(path: "\(id).geojson").path } ?? output
                do { sink = try path.map { try FileSink(path: $0) } ?? .standardOutput() } catch {
                    throw CommandFailure("cannot write \(path ?? "standard output"): \(error)")
                }
                let progress = Progress(label: "exporting \(id)", total: nil)
                let request = ExportRequest(layer: id, crs: crs, bbox: box, includeStyle: style)
                let count: Int
                do { count = try await atlas.export(request, to: sink, progress: progress.update) } catch {
                    throw CommandFailure("\(error)")
                }
                if path != nil { try sink.close() }
                progress.finish()
                if let path { printError("\(id): \(count) features -> \(path)") }
            }
        }
    }
}
