import ArgumentParser
import FeatureStore
import Foundation
import Planning

/// W2: every intersecting pair of two polygon layers with its intersection area, as the product
/// answers `planatlas overlaps --layers A,B`: a `LayerSnapshot` of each layer, then
/// `LayerSnapshot.overlaps(with:)` (GEOS zones, a packed R-tree join, prepared-geometry tests
/// and intersections spread over the cores).
struct OverlapPairs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "w2", abstract: "Overlaps: intersecting pairs with areas.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var metric: MetricOptions

    func run() async throws {
        var clock = PhaseClock()
        let (a, b) = try await clock.time("load") {
            (try Inputs.features(common.file("layer_a.geojson"), layer: "a"),
             try Inputs.features(common.file("layer_b.geojson"), layer: "b"))
        }
        let layerA = LayerInfo(id: "a", titleZH: "A", titleEN: "A", geometryType: .polygon)
        let layerB = LayerInfo(id: "b", titleZH: "B", titleEN: "B", geometryType: .polygon)
        var rows: [(Int64, Int64, Double)] = []
        for repetition in 1...common.repeat {
            // Both snapshots at the same time, as Atlas.overlaps fetches them.
            let (left, right) = try await clock.time("project") {
                async let right = LayerSnapshot(layer: layerB, features: b)
                return (try await LayerSnapshot(layer: layerA, features: a), try await right)
            }
            let overlaps = try await clock.time("join") { try await left.overlaps(with: right) }
            var answer: [(Int64, Int64, Double)] = []
            answer.reserveCapacity(overlaps.count)
            for overlap in overlaps {
                guard let featureA = overlap.featureA else { throw BenchFailure("an overlap without its A feature") }
                answer.append((try Inputs.integer(featureA.id), try Inputs.integer(overlap.featureB.id),
                               overlap.area.squareMetres))
            }
            if repetition > 1 && answer.count != rows.count {
                throw BenchFailure("repetition \(repetition) found \(answer.count) pairs, the first \(rows.count)")
            }
            rows = answer
        }
        rows.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var csv = CSVFile(header: "id_a,id_b,area_m2")
        for (idA, idB, area) in rows { csv.row([idA, idB], area, decimals: 4) }
        try csv.write(to: common.answers)
        try BenchResult(
            workload: "w2", options: common, crs: metric.crs, features: a.count + b.count,
            threads: ProcessInfo.processInfo.activeProcessorCount, clock: clock, resultRows: rows.count,
            notes: "'project': LayerSnapshot of both layers at once (PROJ to EPSG:4550 on all cores); "
                + "'join': LayerSnapshot.overlaps(with:) = zones, R-tree join, GEOS prepared intersects, "
                + "intersections and areas on all cores"
        ).emit()
    }
}
