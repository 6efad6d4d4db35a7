import GeoModel
import Hummingbird

/// The service's own resources: landing page, conformance, the API document, the viewer's files
/// and Leaflet. None of them needs the store.
struct ServiceEndpoints {
    let configuration: ServerConfiguration
    let servesData: Bool
    let servesWrites: Bool
    let viewer: StaticDirectory
    let leaflet: StaticDirectory

    init(configuration: ServerConfiguration, servesData: Bool, servesWrites: Bool) {
        self.configuration = configuration
        self.servesData = servesData
        self.servesWrites = servesWrites
        // The viewer changes with the code: browsers revalidate (cheap, thanks to the ETag).
        viewer = StaticDirectory(path: configuration.viewerDirectory, cacheControl: "no-cache")
        // Debian's Leaflet changes only with a package upgrade.
        leaflet = StaticDirectory(path: configuration.leafletDirectory, cacheControl: "public, max-age=86400")
    }

    var conformsTo: [String] {
        var classes = [Conformance.openAPI]
        if servesData { classes = [Conformance.core, Conformance.geoJSON, Conformance.html, Conformance.openAPI] }
        if servesWrites {
            classes += [Conformance.createReplaceDelete, Conformance.update, Conformance.optimisticLocking, Conformance.features]
        }
        return classes
    }

    /// Every endpoint here but /api, whose document depends on the whole list (see `api(documenting:)`).
    var endpoints: [Endpoint] {
        [landing, conformance, viewerConfig, viewerFiles, leafletFiles]
    }

    static let operations = [landingOperation, conformanceOperation, viewerConfigOperation, viewerFilesOperation,
                             leafletFilesOperation]

    static let landingOperation = APIOperation(
            method: .get, path: "/", operationID: "getLandingPage", summary: "Landing page",
            description: "Links to the API definition, the conformance declaration and the collections. Browsers "
                + "(Accept: text/html, or f=html) get the map viewer.",
            tag: "Capabilities", queryParameters: [Parameters.format.spec],
            responses: [.document("The landing page.", schema: "LandingPage", html: true)]
                + ResponseDoc.readErrors(hasPath: false, negotiates: true))

    private var landing: Endpoint {
        Endpoint(Self.landingOperation) { [self] input in
            let representation = try input.representation([.json, .html], jsonType: MediaTypes.json)
            let links = input.links
            var linkList: [JSONValue] = [
                links.link("/", query: [("f", "json")], rel: "self", type: MediaTypes.json, title: "This document"),
                links.link("/", query: [("f", "html")], rel: "alternate", type: "text/html", title: "The map viewer"),
                links.link("/api", rel: "service-desc", type: MediaTypes.openAPI, title: "The API definition (OpenAPI 3.0)"),
                links.link("/conformance", rel: "conformance", type: MediaTypes.json, title: "Conformance classes implemented"),
            ]
            if servesData {
                linkList.append(links.link("/collections", rel: "data", type: MediaTypes.json, title: "The plan's layers"))
            }
            let document: JSONValue = [
                "title": "planatlas — Shenyang 2021 plan",
                "description": .string("The planned works of Shenyang's 2021 plan as OGC API - Features, with planning "
                    + "queries: /near (what lies near a place), /overlaps (where planned zones overlap), /export/{layer}."),
                "links": .array(linkList),
            ]
            guard representation == .html else { return try Responses.json(document) }
            // The viewer is the HTML face of the service; without its files, a plain page of the links.
            if viewer.resolve(rawSegments: ["index.html"]) != nil {
                return try await viewer.response(rawSegments: ["index.html"], request: input.request, context: input.context)
            }
            return HTMLPage.response(title: "planatlas", document: document)
        }
    }

    static let conformanceOperation = APIOperation(
            method: .get, path: "/conformance", operationID: "getConformanceDeclaration",
            summary: "The OGC conformance classes this service implements", tag: "Capabilities",
            queryParameters: [Parameters.format.spec],
            responses: [.document("The conformance declaration.", schema: "ConformanceClasses", html: true)]
                + ResponseDoc.readErrors(hasPath: false, negotiates: true))

    private var conformance: Endpoint {
        Endpoint(Self.conformanceOperation) { [conformsTo] input in
            let representation = try input.representation([.json, .html], jsonType: MediaTypes.json)
            let document: JSONValue = [
                "conformsTo": .array(conformsTo.map { .string($0) }),
                "links": [input.links.link("/conformance", rel: "self", type: MediaTypes.json, title: "This document")],
            ]
            return try Responses.negotiated(document, as: representation, title: "Conformance")
        }
    }

    static let apiOperation = APIOperation(
        method: .get, path: "/api", operationID: "getAPIDefinition", summary: "This API definition (OpenAPI 3.0)",
        tag: "Capabilities", queryParameters: [Parameters.formatJSONOnly.spec],
        responses: [ResponseDoc(status: 200, description: "The OpenAPI 3.0 document.",
                                content: [(MediaTypes.openAPI, ["type": "object"])])]
            + ResponseDoc.readErrors(hasPath: false, negotiates: true))

    /// /api, documenting `operations` (which include it): the document is built once, only the
    /// server URL is filled in per request.
    static func api(documenting operations: [APIOperation]) -> Endpoint {
        let template = OpenAPIDocument.build(operations: operations, serverURL: "")
        return Endpoint(apiOperation) { input in
            _ = try input.representation([.json], jsonType: MediaTypes.openAPI)
            guard case .object(var document) = template else { return try Responses.json(template, type: MediaTypes.openAPI) }
            document["servers"] = [["url": .string(input.links.base)]]
            return try Responses.json(.object(document), type: MediaTypes.openAPI)
        }
    }

    /// The viewer's runtime settings (/viewer/config.json): the basemap, when one is configured.
    static let viewerConfigOperation = APIOperation(
            method: .get, path: "/viewer/config.json", operationID: "getViewerConfig",
            summary: "Basemap settings for the map viewer",
            description: "404 when no basemap is configured (PLANATLAS_TILE_URL); the viewer then shows the plan alone.",
            tag: "Viewer",
            responses: [.document("The viewer settings.", schema: "ViewerConfig"), .notFound, .serverError])

    private var viewerConfig: Endpoint {
        Endpoint(Self.viewerConfigOperation) { [configuration] _ in
            guard let tileURL = configuration.tileURL else {
                throw ProblemDetails.notFound("no basemap is configured (set PLANATLAS_TILE_URL)")
            }
            var document: JSONObject = ["tileUrl": .string(tileURL)]
            if let attribution = configuration.tileAttribution { document["attribution"] = .string(attribution) }
            return try Responses.json(.object(document), headers: [.cacheControl: "no-cache"])
        }
    }

    static let viewerFilesOperation = staticFilesOperation(path: "/viewer/{path}", operationID: "getViewerFile",
                                                           summary: "The map viewer's files")
    static let leafletFilesOperation = staticFilesOperation(path: "/vendor/leaflet/{path}", operationID: "getLeafletFile",
                                                            summary: "Leaflet, from Debian's libjs-leaflet")

    private var viewerFiles: Endpoint { staticFiles(Self.viewerFilesOperation, from: viewer) }
    private var leafletFiles: Endpoint { staticFiles(Self.leafletFilesOperation, from: leaflet) }

    private static func staticFilesOperation(path: String, operationID: String, summary: String) -> APIOperation {
        APIOperation(
            method: .get, path: path, operationID: operationID, summary: summary,
            description: "Static files with ETag revalidation. Query strings are ignored (cache busting).", tag: "Viewer",
            pathParameters: [.path("path", "File path below the directory; may contain '/'.")],
            checksUnknownParametersItself: true,
            responses: [ResponseDoc(status: 200, description: "The file."),
                        ResponseDoc(status: 304, description: "Not modified (If-None-Match matched the ETag)."), .notFound])
    }

    private func staticFiles(_ operation: APIOperation, from directory: StaticDirectory) -> Endpoint {
        Endpoint(operation) { input in
            try await directory.response(rawSegments: input.context.parameters.getCatchAll(), request: input.request,
                                         context: input.context)
        }
    }
}
