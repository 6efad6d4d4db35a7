public import Planning

/// How the HTTP service runs. Built by `planatlas serve` from its flags and the environment.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The bearer token that writes must present; nil makes the service read-only.
    /// Never logged, never echoed in a response.
    public var writeToken: String?
    /// Origins allowed to call the API from a browser (CORS). Empty: same origin only; `["*"]`: any origin.
    public var corsAllowedOrigins: [String]
    /// Request bodies (writes, POST /overlaps) larger than this are refused with 413.
    public var maximumBodyBytes: Int
    /// Geometries (writes, POST /overlaps) with more vertices than this are refused with 413, as
    /// are bodies with more in all; GEOS's work grows with them (see `VertexLimit`).
    public var maximumVertices: Int
    /// The viewer's own files (Sources/PlanServer/Viewer), served at /viewer/ and as the HTML landing page.
    public var viewerDirectory: String
    /// Debian's libjs-leaflet install, served at /vendor/leaflet/.
    public var leafletDirectory: String
    /// Basemap tiles for the viewer (`https://{s}.tile.example.org/{z}/{x}/{y}.png`); nil: no basemap.
    public var tileURL: String?
    public var tileAttribution: String?
    /// Where clients reach the service (`https://plan.example.org`), for absolute links when it runs
    /// behind a proxy; nil: links are built from the request's Host header.
    public var publicBaseURL: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, writeToken: String? = nil, corsAllowedOrigins: [String] = [],
                maximumBodyBytes: Int = 16 * 1024 * 1024, maximumVertices: Int = VertexLimit.standard.maximum,
                viewerDirectory: String = ServerConfiguration.sourceViewerDirectory,
                leafletDirectory: String = "/usr/share/javascript/leaflet", tileURL: String? = nil,
                tileAttribution: String? = nil, publicBaseURL: String? = nil) {
        self.host = host
        self.port = port
        self.writeToken = writeToken.flatMap { $0.isEmpty ? nil : $0 }
        self.corsAllowedOrigins = corsAllowedOrigins
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumVertices = maximumVertices
        self.viewerDirectory = viewerDirectory
        self.leafletDirectory = leafletDirectory
        self.tileURL = tileURL
        self.tileAttribution = tileAttribution
        self.publicBaseURL = publicBaseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// Fills what the environment says: `PLANATLAS_TOKEN` (the write token) or `PLANATLAS_TOKEN_FILE`
    /// (a file holding it, see `writeToken(fromFile:)`), `PLANATLAS_CORS_ORIGINS` (comma-separated),
    /// `PLANATLAS_TILE_URL`, `PLANATLAS_TILE_ATTRIBUTION`, `PLANATLAS_PUBLIC_URL`. Flags given on the
    /// command line are applied afterwards and win.
    public mutating func apply(environment: [String: String]) throws(ConfigurationError) {
        let token = environment["PLANATLAS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let tokenFile = environment["PLANATLAS_TOKEN_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        switch (token, tokenFile) {
        case (let token?, nil): writeToken = token
        case (nil, let path?):
            do { writeToken = try Self.writeToken(fromFile: path) } catch { throw ConfigurationError("PLANATLAS_TOKEN_FILE: \(error)") }
        case (.some, .some): throw ConfigurationError("set PLANATLAS_TOKEN or PLANATLAS_TOKEN_FILE, not both")
        case (nil, nil): break
        }
        if let origins = environment["PLANATLAS_CORS_ORIGINS"] {
            corsAllowedOrigins = origins.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
        }
        if let url = environment["PLANATLAS_TILE_URL"], !url.isEmpty { tileURL = url }
        if let attribution = environment["PLANATLAS_TILE_ATTRIBUTION"], !attribution.isEmpty { tileAttribution = attribution }
        if let url = environment["PLANATLAS_PUBLIC_URL"], !url.isEmpty {
            publicBaseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
    }

    /// The viewer's folder in the source tree this binary was built from (Sources/PlanServer/Viewer):
    /// right for `swift run` and `make serve`; an installed binary is given its folder explicitly.
    public static let sourceViewerDirectory: String = {
        let thisFile = "\(#filePath)"
        let folder = thisFile.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return folder + "/Viewer"
    }()

    /// Writes are on only with a token: without one nobody could be authorised.
    public var acceptsWrites: Bool { writeToken != nil }
}

extension String {
    var trimmed: String {
        var view = self[...]
        while view.first?.isWhitespace == true { view = view.dropFirst() }
        while view.last?.isWhitespace == true { view = view.dropLast() }
        return String(view)
    }
}
