import CPROJ
import Foundation
import GeoEngine

/// The one line of JSON the harness reads from stdout (schema `planatlas-bench/1`, described in
/// Tools/bench/README.md).
struct BenchResult: Encodable {
    var schema = "planatlas-bench/1"
    var tool = "planatlas"
    var toolVersion = BenchResult.versions
    var workload: String
    var data: String
    var answers: String
    var crs: String?
    var features: Int
    var queries: Int?
    var threads: Int
    var phases: [String: [Double]]
    var cpu: [String: [Double]]
    var peakResidentBytes = PhaseClock.peakResidentBytes()
    var resultRows: Int
    var outputBytes: Int
    var indexBytes: Int?
    var notes: String

    enum CodingKeys: String, CodingKey {
        case schema, tool, workload, data, answers, crs, threads, notes
        case toolVersion = "tool_version"
        case features = "n_features"
        case queries = "n_queries"
        case phases = "phases_s"
        case cpu = "cpu_s"
        case peakResidentBytes = "peak_rss_bytes"
        case resultRows = "result_rows"
        case outputBytes = "output_bytes"
        case indexBytes = "index_bytes"
    }

    init(workload: String, options: CommonOptions, crs: String?, features: Int, queries: Int? = nil,
         threads: Int, clock: PhaseClock, resultRows: Int, outputBytes: Int = 0, indexBytes: Int? = nil, notes: String) {
        self.workload = workload
        self.data = options.data
        self.answers = options.answers
        self.crs = crs
        self.features = features
        self.queries = queries
        self.threads = threads
        self.phases = clock.wall
        self.cpu = clock.cpu
        self.resultRows = resultRows
        self.outputBytes = outputBytes
        self.indexBytes = indexBytes
        self.notes = notes
    }

    /// planatlas's version with the GEOS and PROJ it runs on.
    static var versions: String {
        let proj = String(cString: proj_info().release)
        return "planatlas \(PlanatlasBench.productVersion) (GEOS \(GEOSContext.libraryVersion), \(proj))"
    }

    /// Prints the result as one line on stdout.
    func emit() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(self), as: UTF8.self))
    }
}
