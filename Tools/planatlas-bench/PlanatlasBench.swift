import ArgumentParser
import Foundation
import Planning

/// `planatlas-bench`: runs one of issue 8's workloads through planatlas's own planning code and
/// prints one line of JSON for the harness (Tools/bench/run.py; interface in Tools/bench/README.md).
@main
struct PlanatlasBench: AsyncParsableCommand {
    static let productVersion = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "planatlas-bench",
        abstract: "Times planatlas on a benchmark workload of Tools/bench and writes its answers.",
        discussion: "stdout carries one line of result JSON; logs go to stderr.",
        subcommands: [NearRadius.self, NearestK.self, OverlapPairs.self, ExportGeoJSON.self])
}

struct CommonOptions: ParsableArguments {
    @Option(help: "Dataset folder made by Tools/bench/generate.py.")
    var data: String

    @Option(help: "Where to write the answers (CSV, or GeoJSON for w3).")
    var answers: String

    @Option(help: "Timed repetitions of the build and the work.")
    var `repeat` = 3

    func validate() throws {
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1, got \(`repeat`)") }
    }

    func file(_ name: String) -> String { URL(fileURLWithPath: data).appendingPathComponent(name).path }
}

struct MetricOptions: ParsableArguments {
    @Option(help: "Metric CRS of distances and areas; planatlas measures in its own frame, EPSG:4550.")
    var crs = "EPSG:4550"

    func validate() throws {
        // planatlas measures in Atlas.metricFrame only: another CRS would compare other numbers.
        let frame = Atlas.metricFrame
        guard crs.uppercased() == frame.identifier else {
            throw ValidationError("planatlas measures in \(frame.identifier) (\(frame.name)), not \(crs)")
        }
    }
}
