public import Hummingbird
public import Logging

/// The planatlas HTTP service: OGC API - Features (Part 1, and Part 4 writes when a token is
/// configured), the planning endpoints, and the viewer.
///
/// Run it with `try await buildApplication(…).runService()`: the service stops gracefully on
/// SIGTERM and SIGINT, finishing the requests in flight.
public func buildApplication(configuration: ServerConfiguration, services: PlanServerServices?,
                             logger: Logger = Logger(label: "planatlas.http")) -> some ApplicationProtocol {
    let router = buildRouter(configuration: configuration, services: services)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "planatlas"),
        logger: logger)
}

/// The router: middleware outermost first (access log, CORS, security headers, gzip, problem
/// details), then every endpoint, the writes behind the bearer token.
public func buildRouter(configuration: ServerConfiguration, services: PlanServerServices?) -> Router<BasicRequestContext> {
    let endpoints = APIEndpoints(configuration: configuration, services: services).all
    let router = Router(context: PlanContext.self, options: [.autoGenerateHeadEndpoints])
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
    }
    return router
}

/// Which endpoints exist for this configuration and these services: the one list the router, the
/// 405 check and the OpenAPI document are all built from.
struct APIEndpoints {
    let all: [Endpoint]

    init(configuration: ServerConfiguration, services: PlanServerServices?) {
        let bodies = RequestBodyReader(maximumBytes: configuration.maximumBodyBytes)
        let editor = configuration.acceptsWrites ? services?.editor : nil
        var endpoints = ServiceEndpoints(configuration: configuration, servesData: services != nil,
                                         servesWrites: editor != nil).endpoints
        if let services {
            endpoints += CollectionEndpoints(catalogue: services.catalogue, features: services.features).endpoints
            if let editor {
                endpoints += WriteEndpoints(catalogue: services.catalogue, features: services.features, editor: editor,
                                            bodies: bodies).endpoints
            }
            endpoints += PlanningEndpoints(catalogue: services.catalogue, near: services.near, overlaps: services.overlaps,
                                           exporter: services.exporter, bodies: bodies).endpoints
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
        return try await handler(input)
    }
}
