public import Hummingbird
public import Logging
public import Planning

/// The planatlas HTTP service: OGC API - Features (Part 1, and Part 4 writes when a token is
/// configured), the planning endpoints, and the viewer.
///
/// `atlas` answers every data endpoint: its store holds the layers, all writes go through
/// `Atlas.apply` so that its near and overlap snapshots stay fresh. Without one (nil) the service
/// serves only its landing page, conformance, API document and the viewer's files.
///
/// Run it with `try await buildApplication(…).runService()`: the service stops gracefully on
/// SIGTERM and SIGINT, finishing the requests in flight. `onServerRunning` is called with the
/// port once the service listens (the one the system chose when the configuration says 0).
public func buildApplication(configuration: ServerConfiguration, atlas: Atlas?,
                             logger: Logger = Logger(label: "planatlas.http"),
                             onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in })
    -> some ApplicationProtocol
{
    let router = buildRouter(configuration: configuration, atlas: atlas)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "planatlas"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// The router: middleware outermost first (access log, CORS, security headers, gzip, problem
/// details), then every endpoint, the writes behind the bearer token.
public func buildRouter(configuration: ServerConfiguration, atlas: Atlas?) -> Router<BasicRequestContext> {
    let endpoints = APIEndpoints(configuration: configuration, atlas: atlas).all
    let router = Router(context: PlanContext.self)
    router.add(middleware: AccessLogMiddleware())
    if !configuration.corsAllowedOrigins.isEmpty {
        router.add(middleware: CORSPolicyMiddleware(allowedOrigins: configuration.corsAllowedOrigins))
    }
    router.add(middleware: SecurityHeadersMiddleware(tileURL: configuration.tileURL))
    router.add(middleware: CompressionMiddleware())
    router.add(middleware: ProblemMiddleware(operations: endpoints.map(\.operation)))

    let writes = configuration.writeToken.map { router.group().add(middleware: BearerTokenMiddleware(token: $0)) }
    for endpoint in endpoints {
        let responder: @Sendable (Request, PlanContext) async throws -> Response = { request, context in
            try await endpoint.respond(to: request, context: context, configuration: configuration)
        }
        if endpoint.requiresToken {
            // APIEndpoints only lists writes when a token is configured.
            writes?.on(RouterPath(endpoint.routerPath), method: endpoint.method, use: responder)
        } else {
            router.on(RouterPath(endpoint.routerPath), method: endpoint.method, use: responder)
        }
        if endpoint.method == .get {
            router.on(RouterPath(endpoint.routerPath), method: .head) { request, context in
                try await responder(request, context).withoutBody()
            }
        }
    }
    return router
}

extension Response {
    /// The answer to HEAD: the GET response's headers without its body. Content-Length stays when
    /// known (Hummingbird sets it from a body of known length); a streamed body's length is not
    /// known, and then none is claimed rather than 0.
    func withoutBody() -> Response {
        let body = headers[.contentLength] == nil ? ResponseBody { writer in try await writer.finish(nil) } : ResponseBody()
        // `init` keeps a Content-Length header that is there; the `body` setter would overwrite it.
        return Response(status: status, headers: headers, body: body)
    }
}

/// Which endpoints exist for this configuration and this atlas: the one list the router, the 405
/// check and the OpenAPI document are all built from.
struct APIEndpoints {
    let all: [Endpoint]

    init(configuration: ServerConfiguration, atlas: Atlas?) {
        let bodies = RequestBodyReader(maximumBytes: configuration.maximumBodyBytes,
                                       vertexLimit: VertexLimit(maximum: configuration.maximumVertices))
        var endpoints = ServiceEndpoints(configuration: configuration, servesData: atlas != nil,
                                         servesWrites: atlas != nil && configuration.acceptsWrites).endpoints
        if let atlas {
            let layers = LayerDirectory(atlas: atlas)
            endpoints += CollectionEndpoints(layers: layers).endpoints
            if configuration.acceptsWrites {
                endpoints += WriteEndpoints(layers: layers, bodies: bodies).endpoints
            }
            endpoints += PlanningEndpoints(layers: layers, bodies: bodies).endpoints
        }
        endpoints.append(ServiceEndpoints.api(documenting: endpoints.map(\.operation) + [ServiceEndpoints.apiOperation]))
        all = endpoints
    }

    /// The operations a service with data (and, if `writes`, editing) offers: what /api documents then.
    static func operations(servingData: Bool, writes: Bool) -> [APIOperation] {
        var operations = ServiceEndpoints.operations
        if servingData {
            operations += CollectionEndpoints.operations
            if writes { operations += WriteEndpoints.operations }
            operations += PlanningEndpoints.operations
        }
        return operations + [ServiceEndpoints.apiOperation]
    }
}

extension Endpoint {
    /// Decodes and checks the query, then calls the handler.
    func respond(to request: Request, context: PlanContext, configuration: ServerConfiguration) async throws -> Response {
        let query = try QueryParameters(rawQuery: request.uri.query)
        let allowed = operation.allowedQueryNames
        if !operation.checksUnknownParametersItself { try query.rejectUnknown(allowed: allowed) }
        let input = EndpointInput(request: request, context: context, query: query, allowedQueryNames: allowed,
                                  links: LinkBuilder(request: request, configuration: configuration))
        var response = try await handler(input)
        // JSON or HTML by Accept: caches must keep the two apart.
        if operation.offersHTML { response.headers[values: .vary].append("Accept") }
        return response
    }
}
