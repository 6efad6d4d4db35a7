import ArgumentParser
import Foundation
import GeoModel
import Planning

struct Near: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the features within a radius of a place, or the k nearest, nearest first.",
        discussion: """
            Distances are the shortest distance to each feature's geometry (0 on a line or inside a
            polygon), in metres, measured in EPSG:4550 (under 0.01 % from the geodesic over Shenyang).
            Batch mode: --queries FILE.csv with lines id,lon,lat answers every query in one run.
            """)

    @OptionGroup var atlasOptions: AtlasOptions

    @Option(help: "Longitude (WGS84 degrees).") var lon: Double?
    @Option(help: "Latitude (WGS84 degrees).") var lat: Double?
    @Option(help: ArgumentHelp("CSV file of id,lon,lat lines: answer each as a query.", valueName: "FILE"))
    var queries: String?
    @Option(help: ArgumentHelp("Radius in metres.", valueName: "M")) var radius: Double?
    @Option(help: ArgumentHelp("Number of nearest features.", valueName: "N")) var k: Int?
    @Option(name: .customLong("layer"), help: ArgumentHelp("Search only this layer (repeatable).", valueName: "ID"))
    var layers: [String] = []
    @Option(name: .customLong("status"), help: ArgumentHelp("Keep only features with this status (repeatable).", valueName: "S"))
    var statuses: [String] = []
    @Option(help: "At most this many hits per query.") var limit: Int?
    @Option(help: "table, geojson or csv.") var format: OutputFormat = .table

    func validate() throws {
        guard (radius == nil) != (k == nil) else { throw ValidationError("give exactly one of --radius M or --k N") }
        if queries == nil {
            guard lon != nil, lat != nil else { throw ValidationError("give --lon and --lat, or --queries FILE.csv") }
        } else if lon != nil || lat != nil {
            throw ValidationError("--queries replaces --lon/--lat; give one or the other")
        }
    }

    func run() async throws {
        let reach: NearQuery.Reach = radius.map { .within(metres: $0) } ?? .nearest(k!)
        let points = try queries.map(Self.readQueries) ?? [("", Coordinate(lon: lon!, lat: lat!))]
        let results = try await atlasOptions.withAtlas { atlas in
            var results: [(String, NearHits)] = []
            let progress = Progress(label: "queries", total: points.count)
            for (n, (id, location)) in points.enumerated() {
                let query = NearQuery(location: location, reach: reach, layers: layers, statuses: Set(statuses), limit: limit)
                do { results.append((id, try await atlas.near(query))) } catch {
                    throw CommandFailure(id.isEmpty ? "\(error)" : "query '\(id)': \(error)")
                }
                if n % 100 == 99 { progress.update(n + 1) }
            }
            progress.finish()
            return results
        }
        try output(results, batch: queries != nil)
    }

    private func output(_ results: [(String, NearHits)], batch: Bool) throws {
        switch format {
        case .geojson:
            let features = results.flatMap { id, hits in
                hits.map { hit in
                    var feature = hit.asFeature()
                    if batch { feature.properties["query_id"] = .string(id) }
                    return feature
                }
            }
            try printFeatureCollection(features)
        case .csv:
            print(csvLine((batch ? ["query_id"] : []) + ["layer", "id", "name", "name_en", "status", "distance_m"]))
            for (id, hits) in results {
                for hit in hits {
                    let p = hit.feature.feature.properties
                    print(csvLine((batch ? [id] : []) + [hit.layer, hit.feature.id.description, text(p["name"]),
                                                         text(p["name_en"]), text(p["status"]), String(format: "%.2f", hit.distanceMetres)]))
                }
            }
        case .table:
            var table = TextTable(headers: (batch ? ["query"] : []) + ["distance (m)", "layer", "id", "name", "name (en)", "status"],
                                  alignments: (batch ? [.left] : []) + [.right, .left, .left, .left, .left, .left])
            for (id, hits) in results {
                for hit in hits {
                    let p = hit.feature.feature.properties
                    table.append((batch ? [id] : []) + [String(format: "%.1f", hit.distanceMetres), hit.layer,
                                                        hit.feature.id.description, text(p["name"]), text(p["name_en"]), text(p["status"])])
                }
            }
            print(table.render(), terminator: "")
            let count = results.reduce(0) { $0 + $1.1.count }
            printError("\(count) feature\(count == 1 ? "" : "s")")
        }
    }

    /// id,lon,lat per line; a header line and blank lines are skipped. Errors name the line.
    static func readQueries(_ path: String) throws -> [(String, Coordinate)] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure("\(path): cannot read the file as UTF-8 text")
        }
        var queries: [(String, Coordinate)] = []
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if n == 0, fields.count >= 3, Double(fields[1]) == nil { continue }  // header
            guard fields.count == 3, let lon = Double(fields[1]), let lat = Double(fields[2]),
                  (-180...180).contains(lon), (-90...90).contains(lat) else {
                throw CommandFailure("\(path):\(n + 1): expected id,lon,lat with lon in -180..180 and lat in -90..90, got '\(line)'")
            }
            queries.append((fields[0], Coordinate(lon: lon, lat: lat)))
        }
        if queries.isEmpty { throw CommandFailure("\(path): no queries") }
        return queries
    }
}
