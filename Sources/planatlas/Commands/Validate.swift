import ArgumentParser
import Foundation
import Planning

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a GeoJSON file, or a whole GeoData folder, and report every problem with its location.",
        discussion: """
            A file is checked as RFC 7946 GeoJSON: syntax, coordinates, GEOS validity, winding.
            A folder is checked as planatlas data: layers.json, each layer file, required properties,
            unique ids, styles and conflict rules. Exits 1 when anything is wrong.
            """)

    @Argument(help: ArgumentHelp("A .geojson file or a GeoData folder.", valueName: "PATH"))
    var path: String

    @Option(help: ArgumentHelp("The Styles folder for a GeoData check (default: Styles beside it).", valueName: "DIR"))
    var styles: String?

    func run() async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandFailure("\(path): no such file or folder")
        }
        let url = URL(filePath: path, directoryHint: isDirectory.boolValue ? .isDirectory : .notDirectory)
        let problems = isDirectory.boolValue
            ? GeoDataValidator.validateDirectory(url, stylesDirectory: styles.map { URL(filePath: $0, directoryHint: .isDirectory) })
            : GeoDataValidator.validateFile(url)
        for problem in problems { print(problem) }
        if problems.isEmpty {
            print("\(path): ok")
        } else {
            throw CommandFailure("\(path): \(problems.count) problem\(problems.count == 1 ? "" : "s")")
        }
    }
}
