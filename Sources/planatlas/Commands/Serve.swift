import ArgumentParser
import Foundation
import PlanServer
import Planning

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the plan over HTTP: OGC API - Features, /near, /overlaps, /export and the map viewer.",
        discussion: """
            Open http://127.0.0.1:8080/ in a browser for the map. GDAL (OAPIF:http://127.0.0.1:8080), QGIS and OWSLib read the same address as OGC API - Features; /api describes every endpoint.

            Writes (POST, PUT, PATCH, DELETE on /collections/{id}/items) are on only with a write token: from --token-file, else the file PLANATLAS_TOKEN_FILE names, else PLANATLAS_TOKEN itself; clients then send 'Authorization: Bearer <token>'. A token file holds one line, the token, and only its owner may read it (chmod 600), as ssh asks of a key; the token is never logged. Further settings from the environment: PLANATLAS_CORS_ORIGINS (comma-separated origins, or *), PLANATLAS_TILE_URL and PLANATLAS_TILE_ATTRIBUTION (a basemap for the viewer), PLANATLAS_PUBLIC_URL (the address clients use, behind a proxy).

            The log, one line per request included, goes to standard error. SIGTERM or Ctrl-C stop the service gracefully: the requests in flight are answered, the store is closed, and the exit status is 0.
            """)

    @Option(help: ArgumentHelp("Port to listen on; 0 lets the system choose (the address is printed).", valueName: "PORT"))
    var port: Int = 8080

    @Option(help: ArgumentHelp("Address to listen on; 0.0.0.0 for every interface.", valueName: "HOST"))
    var host: String = "127.0.0.1"

    @OptionGroup var atlasOptions: AtlasOptions

    @Option(help: ArgumentHelp("A file holding the write token (one line, readable by its owner only); wins over PLANATLAS_TOKEN and PLANATLAS_TOKEN_FILE.",
                               valueName: "PATH"))
    var tokenFile: String?

    @Option(name: .customLong("viewer"),
            help: ArgumentHelp("The map viewer's folder (default: Sources/PlanServer/Viewer of the source tree this binary was built from).",
                               valueName: "DIR"))
    var viewerDirectory: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        if let viewerDirectory, !FileManager.default.fileExists(atPath: viewerDirectory + "/index.html") {
            throw ValidationError("--viewer \(viewerDirectory): no index.html there")
        }
        // A token file that cannot be used is a usage error, found before anything starts.
        _ = try serverConfiguration()
    }

    /// The flags over the environment (`ServerConfiguration.apply(environment:)`).
    func serverConfiguration() throws -> ServerConfiguration {
        var configuration = ServerConfiguration(host: host, port: port)
        var environment = ProcessInfo.processInfo.environment
        do {
            if let tokenFile {
                // The flag wins: the environment's token settings are not even read.
                environment["PLANATLAS_TOKEN"] = nil
                environment["PLANATLAS_TOKEN_FILE"] = nil
                configuration.writeToken = try ServerConfiguration.writeToken(fromFile: tokenFile)
            }
            try configuration.apply(environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
        if let viewerDirectory { configuration.viewerDirectory = viewerDirectory }
        return configuration
    }

    func run() async throws {
        let configuration = try serverConfiguration()
        let writes = configuration.acceptsWrites ? "writes need the bearer token"
            : "read-only: give --token-file, PLANATLAS_TOKEN_FILE or PLANATLAS_TOKEN to allow writes"
        let host = self.host
        try await atlasOptions.withAtlas { atlas in
            let application = buildApplication(configuration: configuration, atlas: atlas) { port in
                printError("planatlas: serving http://\(host):\(port)/, \(writes)")
            }
            try await application.runService()
        }
    }
}
