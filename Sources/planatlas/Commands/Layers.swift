import ArgumentParser
import FeatureStore

struct Layers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the layer catalogue with feature counts.")

    @OptionGroup var atlasOptions: AtlasOptions

    func run() async throws {
        let layers = try await atlasOptions.withAtlas { atlas in try await atlas.store.layers() }
        var table = TextTable(headers: ["id", "title", "title (en)", "geometry", "features"],
                              alignments: [.left, .left, .left, .left, .right])
        for summary in layers {
            let layer = summary.layer
            table.append([layer.id, layer.titleZH, layer.titleEN, layer.geometryType.rawValue, String(summary.featureCount)])
        }
        print(table.render(), terminator: "")
    }
}
