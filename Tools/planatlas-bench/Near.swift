import ArgumentParser
import FeatureStore
import GeoModel
import Planning

/// W1a: every feature within the radius of each query point, nearest first.
struct NearRadius: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "w1a", abstract: "Near: all features within a radius.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var metric: MetricOptions
    @Option(help: "Search radius in metres.") var radius = 500.0

    func run() async throws {
        try await NearWorkload(name: "w1a", common: common, metric: metric, reach: .within(metres: radius)).run()
    }
}

/// W1b: the k nearest features of each query point.
struct NearestK: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "w1b", abstract: "Near: the k nearest features.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var metric: MetricOptions
    @Option(help: "Neighbours per query.") var k = 10

    func run() async throws {
        try await NearWorkload(name: "w1b", common: common, metric: metric, reach: .nearest(k)).run()
    }
}

/// Both W1 workloads as the product answers `planatlas near` and `/near`: a `LayerSnapshot` of
/// the layer (its geometry in EPSG:4550, what `Atlas` builds on a layer's first query), its near
/// index (built by the first near query, here timed on its own), then `LayerSnapshot.near` for
/// each query point, one query at a time.
struct NearWorkload {
    var name: String
    var common: CommonOptions
    var metric: MetricOptions
    var reach: NearQuery.Reach

    /// One answer row: query id, feature id, distance in metres.
    struct Row {
        var query: Int64
        var feature: Int64
        var distance: Double
    }

    func run() async throws {
        var clock = PhaseClock()
        let (features, queries) = try await clock.time("load") {
            (try Inputs.features(common.file("features.geojson"), layer: "w1"),
             try Inputs.queries(common.file("queries.geojson")))
        }
        let layer = LayerInfo(id: "w1", titleZH: "W1", titleEN: "W1", geometryType: .geometryCollection)
        var rows: [Row] = []
        var indexBytes = 0
        for repetition in 1...common.repeat {
            // The snapshot projects; its near index is built by the first near query, here up front.
            let snapshot = try await clock.time("project") { try await LayerSnapshot(layer: layer, features: features) }
            try await clock.time("index") { try snapshot.prepareNearQueries() }
            indexBytes = snapshot.indexMemoryFootprint
            let answer = try await clock.time("query") { try answerAll(queries, snapshot, expectedRows: rows.count) }
            if repetition > 1 && answer.count != rows.count {
                throw BenchFailure("repetition \(repetition) found \(answer.count) rows, the first \(rows.count)")
            }
            rows = answer
        }
        let written = try write(rows)
        let what = switch reach {
        case .within(let metres): "radius \(metres) m"
        case .nearest(let k): "k = \(k)"
        }
        try BenchResult(
            workload: name, options: common, crs: metric.crs, features: features.count, queries: queries.count,
            threads: 1, clock: clock, resultRows: written, indexBytes: indexBytes,
            notes: "LayerSnapshot (PROJ to EPSG:4550 on all cores), prepareNearQueries (packed Hilbert R-tree, "
                + "shapes in storage order), then LayerSnapshot.near per query, \(what), one thread"
        ).emit()
    }

    /// Every query's hits as rows; `expectedRows` (the previous repetition's count) sizes the
    /// array once, as a caller collecting answers of a known size would.
    private func answerAll(_ queries: [(id: Int64, location: Coordinate)], _ snapshot: LayerSnapshot,
                           expectedRows: Int) throws -> [Row] {
        var rows: [Row] = []
        rows.reserveCapacity(expectedRows)
        for query in queries {
            for hit in try snapshot.near(NearQuery(location: query.location, reach: reach)) {
                rows.append(Row(query: query.id, feature: try Inputs.integer(hit.featureID), distance: hit.distanceMetres))
            }
        }
        return rows
    }

    /// The answers file; returns the number of rows.
    private func write(_ rows: [Row]) throws -> Int {
        let ranked: Bool
        switch reach {
        case .within: ranked = false
        case .nearest: ranked = true
        }
        var csv = CSVFile(header: ranked ? "query_id,rank,feature_id,distance_m" : "query_id,feature_id,distance_m")
        var rank: Int64 = 0
        var previous: Int64?
        for row in rows {
            rank = row.query == previous ? rank + 1 : 1
            previous = row.query
            csv.row(ranked ? [row.query, rank, row.feature] : [row.query, row.feature], row.distance, decimals: 2)
        }
        try csv.write(to: common.answers)
        return rows.count
    }
}
