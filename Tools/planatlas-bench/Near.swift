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

    /// Every query's answer in memory: the hits of each query in turn (feature id and distance in
    /// metres, 16 bytes a hit: at 2.8 million hits every byte is a page to fault in) and how many
    /// hits each query has.
    struct Answers {
        var hits: [(feature: Int64, distance: Double)] = []
        var counts: [Int] = []
    }

    func run() async throws {
        var clock = PhaseClock()
        let (features, queries) = try await clock.time("load") {
            (try Inputs.features(common.file("features.geojson"), layer: "w1"),
             try Inputs.queries(common.file("queries.geojson")))
        }
        let layer = LayerInfo(id: "w1", titleZH: "W1", titleEN: "W1", geometryType: .geometryCollection)
        var answers = Answers()
        var indexBytes = 0
        for repetition in 1...common.repeat {
            // The snapshot projects; its near index is built by the first near query, here up front.
            let snapshot = try await clock.time("project") { try await LayerSnapshot(layer: layer, features: features) }
            try await clock.time("index") { try snapshot.prepareNearQueries() }
            indexBytes = snapshot.indexMemoryFootprint
            let answer = try await clock.time("query") { try answerAll(queries, snapshot, expectedHits: answers.hits.count) }
            if repetition > 1 && answer.hits.count != answers.hits.count {
                throw BenchFailure("repetition \(repetition) found \(answer.hits.count) rows, the first \(answers.hits.count)")
            }
            answers = answer
        }
        let written = try write(answers, of: queries)
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

    /// Every query's hits; `expectedHits` (the previous repetition's count) sizes the array once,
    /// as a caller collecting answers of a known size would.
    private func answerAll(_ queries: [(id: Int64, location: Coordinate)], _ snapshot: LayerSnapshot,
                           expectedHits: Int) throws -> Answers {
        var answers = Answers()
        answers.hits.reserveCapacity(expectedHits)
        answers.counts.reserveCapacity(queries.count)
        for query in queries {
            let hits = try snapshot.near(NearQuery(location: query.location, reach: reach))
            for hit in hits { answers.hits.append((try Inputs.integer(hit.featureID), hit.distanceMetres)) }
            answers.counts.append(hits.count)
        }
        return answers
    }

    /// The answers file, a row per hit; returns the number of rows.
    private func write(_ answers: Answers, of queries: [(id: Int64, location: Coordinate)]) throws -> Int {
        let ranked: Bool
        switch reach {
        case .within: ranked = false
        case .nearest: ranked = true
        }
        var csv = CSVFile(header: ranked ? "query_id,rank,feature_id,distance_m" : "query_id,feature_id,distance_m")
        var first = 0
        for (query, count) in zip(queries, answers.counts) {
            for (rank, hit) in answers.hits[first..<first + count].enumerated() {
                csv.row(ranked ? [query.id, Int64(rank + 1), hit.feature] : [query.id, hit.feature], hit.distance, decimals: 2)
            }
            first += count
        }
        try csv.write(to: common.answers)
        return answers.hits.count
    }
}
