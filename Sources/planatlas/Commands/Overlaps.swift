import ArgumentParser
import Foundation
import GeoModel
import Planning

struct Overlaps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find where planned zones overlap, with areas in m², hectares and mu.",
        discussion: """
            Overlap means the interiors intersect with positive area: touching zones do not overlap,
            a zone wholly inside another does. Line and point layers need a corridor --buffer in metres.
            Areas are measured in EPSG:4550 (CGCS2000 Gauss-Kruger CM 123E). 1 mu = 10000/15 m².
            """)

    @OptionGroup var atlasOptions: AtlasOptions

    @Option(help: ArgumentHelp("Two layer ids, A,B (the same id twice checks a layer against itself).", valueName: "A,B"))
    var layers: String?
    @Flag(help: "Run the conflict rules of GeoData/conflict-rules.json.") var rules = false
    @Option(name: .customLong("rule"), help: ArgumentHelp("With --rules, only this rule (repeatable).", valueName: "ID"))
    var ruleIDs: [String] = []
    @Option(help: ArgumentHelp("A GeoJSON file with a candidate geometry (or Feature) to check against every layer.", valueName: "FILE"))
    var candidate: String?
    @Option(help: ArgumentHelp("Corridor buffer in metres for line and point layers and the candidate.", valueName: "M"))
    var buffer: Double?
    @Option(help: "table, geojson or csv.") var format: OutputFormat = .table

    func validate() throws {
        let subjects = [layers != nil, rules, candidate != nil].filter { $0 }.count
        guard subjects == 1 else { throw ValidationError("give exactly one of --layers A,B, --rules or --candidate FILE") }
        if !ruleIDs.isEmpty && !rules { throw ValidationError("--rule needs --rules") }
        if let layers, layers.split(separator: ",", omittingEmptySubsequences: false).count != 2 {
            throw ValidationError("--layers wants two layer ids separated by a comma, got '\(layers)'")
        }
    }

    func run() async throws {
        let subject: OverlapQuery.Subject
        if let layers {
            let ids = layers.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            subject = .layers(ids[0], ids[1])
        } else if let candidate {
            subject = .candidate(try Self.readCandidate(candidate), name: candidate, layers: [])
        } else {
            subject = .rules(ruleIDs)
        }
        let report = try await atlasOptions.withAtlas { atlas in
            do { return try await atlas.overlaps(OverlapQuery(subject: subject, bufferMetres: buffer)) } catch {
                throw CommandFailure("\(error)")
            }
        }
        try output(report)
    }

    private func output(_ report: OverlapReport) throws {
        switch format {
        case .geojson:
            try printFeatureCollection(report.overlaps.map { $0.asFeature() }, members: ["summary": .object(report.summary)])
        case .csv:
            let columns = ["rule", "severity", "layer_a", "id_a", "name_a", "layer_b", "id_b", "name_b",
                           "area_m2", "area_ha", "area_mu", "share_a_pct", "share_b_pct"]
            print(csvLine(columns))
            for overlap in report.overlaps {
                let p = overlap.asFeature().properties
                print(csvLine(columns.map { text(p[$0]) }))
            }
        case .table:
            var table = TextTable(
                headers: ["rule", "severity", "A", "B", "area m²", "ha", "mu", "% of A", "% of B"],
                alignments: [.left, .left, .left, .left, .right, .right, .right, .right, .right])
            for overlap in report.overlaps {
                let a = overlap.featureA.map { "\(overlap.layerA)/\($0.id) \(text($0.feature.properties["name"]))" } ?? overlap.layerA
                let b = "\(overlap.layerB)/\(overlap.featureB.id) \(text(overlap.featureB.feature.properties["name"]))"
                table.append([overlap.rule?.id ?? "", overlap.rule?.severity.rawValue ?? "", a, b,
                              String(format: "%.0f", overlap.area.squareMetres), String(format: "%.2f", overlap.area.hectares),
                              String(format: "%.1f", overlap.area.mu), String(format: "%.1f", overlap.shareAPercent),
                              String(format: "%.1f", overlap.shareBPercent)])
            }
            print(table.render(), terminator: "")
            let total = report.totalArea
            print(String(format: "%d overlapping pair%@, %.0f m² = %.2f ha = %.1f mu in all",
                         report.overlaps.count, report.overlaps.count == 1 ? "" : "s", total.squareMetres, total.hectares, total.mu))
        }
    }

    /// The candidate's geometry: a GeoJSON geometry, a Feature, or a FeatureCollection of one feature.
    static func readCandidate(_ path: String) throws -> Geometry {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("\(path): cannot read the file") }
        let object: GeoJSONObject
        do { object = try GeoJSONReader().read(Array(data)) } catch { throw CommandFailure("\(path): \(error)") }
        switch object {
        case .geometry(let g): return g
        case .feature(let f):
            guard let g = f.geometry else { throw CommandFailure("\(path): the feature has no geometry") }
            return g
        case .featureCollection(let c):
            guard c.features.count == 1, let g = c.features[0].geometry else {
                throw CommandFailure("\(path): a candidate file holds one geometry or one feature, found \(c.features.count) features")
            }
            return g
        }
    }
}
