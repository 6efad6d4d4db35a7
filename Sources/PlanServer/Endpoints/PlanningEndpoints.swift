import GeoEngine
import GeoModel
import Hummingbird
import Planning

/// The planning queries: /near, /overlaps (GET and POST), /export/{layer} and /rules, answered by
/// the atlas. Results are GeoJSON in the shape the command line prints too (`NearHit.asFeature`,
/// `Overlap.asFeature`, `OverlapReport.summary`).
struct PlanningEndpoints {
    let layers: LayerDirectory
    let bodies: RequestBodyReader

    var endpoints: [Endpoint] { [nearEndpoint, overlapPairs, overlapCandidate, export, rules] }
    static let operations = [nearOperation, overlapPairsOperation, overlapCandidateOperation, exportOperation, rulesOperation]

    static let nearOperation = APIOperation(
            method: .get, path: "/near", operationID: "near", summary: "What lies near a place",
            description: "Features within `radius` metres of the point, or its `k` nearest, sorted by distance. Each "
                + "feature carries the extra properties `layer` and `distance_m` (0 inside polygons and on lines).",
            tag: "Planning",
            queryParameters: [Parameters.lon.spec, Parameters.lat.spec, Parameters.radius.spec, Parameters.k.spec,
                              Parameters.nearLayers.spec, Parameters.status.spec, Parameters.nearLimit.spec],
            responses: [.document("Features by distance.", jsonType: MediaTypes.geoJSON, schema: "NearResult"), .badRequest,
                        .serverError])

    private var nearEndpoint: Endpoint {
        Endpoint(Self.nearOperation) { [layers] input in
            let query = input.query
            let point = Coordinate(lon: try query.require(Parameters.lon), lat: try query.require(Parameters.lat))
            let radius = try query.value(Parameters.radius)
            let k = try query.value(Parameters.k)
            let reach: NearQuery.Reach
            switch (radius, k) {
            case (let radius?, nil): reach = .within(metres: radius)
            case (nil, let k?): reach = .nearest(k)
            case (nil, nil):
                throw ProblemDetails(.invalidParameter, detail: "give 'radius' (metres) or 'k' (number of nearest features)",
                                     parameter: "radius")
            case (.some, .some):
                throw ProblemDetails(.invalidParameter, detail: "give 'radius' or 'k', not both", parameter: "k")
            }
            let requested = try await layers.checked(try query.value(Parameters.nearLayers), parameter: "layers")
            let statuses = try query.value(Parameters.status)
            let hits = try await layers.atlas.near(NearQuery(
                location: point, reach: reach, layers: requested ?? [], statuses: Set(statuses ?? []),
                limit: try query.value(Parameters.nearLimit) ?? Parameters.defaultNearLimit))

            var echo: JSONObject = ["lon": .number(point.lon), "lat": .number(point.lat)]
            switch reach {
            case .within(let metres): echo["radius"] = .number(metres)
            case .nearest(let k): echo["k"] = .integer(Int64(k))
            }
            let searched: [String] = if let requested { requested } else { try await layers.atlas.layerIDs() }
            echo["layers"] = .array(searched.map(JSONValue.string))
            if let statuses { echo["status"] = .array(statuses.map(JSONValue.string)) }
            return Response(status: .ok, headers: [.contentType: MediaTypes.geoJSON],
                            body: GeoJSONBody.collection(hits.map { $0.asFeature() },
                                                         leading: ["query": .object(echo),
                                                                   "numberReturned": .integer(Int64(hits.count))]))
        }
    }

    static let overlapPairsOperation = APIOperation(
            method: .get, path: "/overlaps", operationID: "overlaps", summary: "Where planned zones overlap",
            description: "Either the overlapping pairs between two layers (layers=A,B, optionally buffered), or the "
                + "conflict rules of the catalogue (rules=all or rule ids). Overlap means the interiors meet with "
                + "positive area, so a zone lying wholly inside another counts.",
            tag: "Planning",
            queryParameters: [Parameters.layerPair.spec, Parameters.buffer.spec, Parameters.rules.spec],
            responses: [.document("One feature per overlapping pair.", jsonType: MediaTypes.geoJSON, schema: "OverlapResult"),
                        .badRequest, .serverError])

    private var overlapPairs: Endpoint {
        Endpoint(Self.overlapPairsOperation) { [layers] input in
            let query = input.query
            let pair = try await layers.checked(try query.value(Parameters.layerPair), parameter: "layers")
            let rules = try query.value(Parameters.rules)
            let buffer = try query.value(Parameters.buffer)
            let overlapQuery: OverlapQuery
            var echo: JSONObject = [:]
            switch (pair, rules) {
            case (let pair?, nil):
                overlapQuery = OverlapQuery(subject: .layers(pair[0], pair[1]), bufferMetres: buffer)
                echo["layers"] = .array(pair.map(JSONValue.string))
                echo["buffer"] = .number(buffer ?? 0)
            case (nil, let rules?):
                if buffer != nil {
                    throw ProblemDetails(.invalidParameter, detail: "'buffer' applies to layers=A,B only; rules carry their own buffers",
                                         parameter: "buffer")
                }
                let ids = try Self.checkedRules(rules, in: layers.atlas.catalogue)
                overlapQuery = OverlapQuery(subject: .rules(ids))
                echo["rules"] = .array((ids.isEmpty ? ["all"] : ids).map(JSONValue.string))
            case (nil, nil):
                throw ProblemDetails(.invalidParameter, detail: "give 'layers' (two layer ids A,B) or 'rules' (all, or rule ids)",
                                     parameter: "layers")
            case (.some, .some):
                throw ProblemDetails(.invalidParameter, detail: "give 'layers' or 'rules', not both", parameter: "rules")
            }
            return Self.overlapResponse(try await layers.atlas.overlaps(overlapQuery), query: echo)
        }
    }

    /// `rules=all` (every rule: an empty list for Planning) or rule ids, each checked against the catalogue.
    static func checkedRules(_ requested: [String], in catalogue: Catalogue?) throws(ProblemDetails) -> [String] {
        guard let catalogue else {
            throw ProblemDetails(.invalidParameter, detail: "this service was started without a GeoData catalogue, so it has "
                                     + "no conflict rules; use layers=A,B", parameter: "rules")
        }
        if requested == ["all"] { return [] }
        let known = catalogue.rules.map(\.id)
        if let unknown = requested.first(where: { !known.contains($0) }) {
            throw ProblemDetails.invalid("rules", must: "all, or rule ids from /rules (\(known.joined(separator: ", ")))", got: unknown)
        }
        return requested
    }

    static let overlapCandidateOperation = APIOperation(
            method: .post, path: "/overlaps", operationID: "overlapsOfCandidate",
            summary: "Where a proposed geometry overlaps the plan",
            description: "The body is a GeoJSON geometry or Feature (WGS84): the candidate is checked against every layer, "
                + "or those given in `layers`. Layer A of each pair is the candidate.",
            tag: "Planning", queryParameters: [Parameters.candidateLayers.spec, Parameters.buffer.spec],
            requestBody: RequestBodyDoc(description: "A GeoJSON geometry or Feature.",
                                        content: WriteEndpoints.featureTypes.map {
                                            ($0, ["oneOf": [Schemas.ref("Geometry"), Schemas.ref("Feature")]])
                                        }),
            responses: [.document("One feature per overlapping pair.", jsonType: MediaTypes.geoJSON, schema: "OverlapResult"),
                        .badRequest, .problem(413, "The body, or its geometry's vertex count, is larger than the service accepts."),
                        .problem(415, "The body is not sent as GeoJSON."),
                        .problem(422, "The candidate geometry is invalid (GEOS's reason)."), .serverError])

    private var overlapCandidate: Endpoint {
        Endpoint(Self.overlapCandidateOperation) { [layers, bodies] input in
            let requested = try await layers.checked(try input.query.value(Parameters.candidateLayers), parameter: "layers")
            let buffer = try input.query.value(Parameters.buffer)
            let candidate: Geometry
            var name = OverlapQuery.candidateLayer
            switch try await bodies.geoJSON(from: input.request, accepting: WriteEndpoints.featureTypes) {
            case .geometry(let geometry):
                candidate = geometry
            case .feature(let feature):
                guard let geometry = feature.geometry else {
                    throw ProblemDetails(.malformedBody, detail: "the candidate Feature has no geometry", parameter: "body.geometry")
                }
                candidate = geometry
                name = feature.properties["name"]?.stringValue ?? name
            case .featureCollection:
                throw ProblemDetails(.malformedBody, detail: "the candidate must be one GeoJSON geometry or Feature, got a "
                                         + "FeatureCollection", parameter: "body.type")
            }
            let report = try await layers.atlas.overlaps(
                OverlapQuery(subject: .candidate(candidate, name: name, layers: requested ?? []), bufferMetres: buffer))
            var echo: JSONObject = ["candidate": .string(name)]
            let checked: [String] = if let requested { requested } else { try await layers.atlas.layerIDs() }
            echo["layers"] = .array(checked.map(JSONValue.string))
            echo["buffer"] = .number(buffer ?? 0)
            return Self.overlapResponse(report, query: echo)
        }
    }

    static let exportOperation = APIOperation(
            method: .get, path: "/export/{layer}", operationID: "exportLayer", summary: "A whole layer as a GeoJSON download",
            description: "Streamed; gzip-compressed when the client accepts it. In a projected CRS the file carries the "
                + "legacy GeoJSON `crs` member that QGIS and GDAL read.",
            tag: "Planning", pathParameters: [.path("layer", "Layer id, as listed by /collections.")],
            queryParameters: [Parameters.crs.spec, Parameters.style.spec],
            responses: [ResponseDoc(status: 200, description: "The layer as a GeoJSON attachment.",
                                    content: [(MediaTypes.geoJSON, Schemas.ref("FeatureCollection"))],
                                    headers: ["Content-Disposition": "attachment; filename=\"<layer>.geojson\""]),
                        .badRequest, .notFound, .serverError])

    private var export: Endpoint {
        Endpoint(Self.exportOperation) { [layers] input in
            let layer = try await layers.existing(try input.pathParameter("layer")).id
            let request = ExportRequest(layer: layer, crs: try input.query.value(Parameters.crs) ?? .wgs84,
                                        includeStyle: try input.query.value(Parameters.style) ?? false)
            var headers: HTTPFields = [
                .contentType: MediaTypes.geoJSON,
                .contentDisposition: "attachment; filename=\"\(Self.fileName(layer: layer)).geojson\"",
            ]
            if let code = request.crs.epsgCode { headers[.contentCrs] = "<http://www.opengis.net/def/crs/EPSG/0/\(code)>" }
            let atlas = layers.atlas
            // Streamed from the store feature by feature: the layer is never in memory whole.
            let body = ResponseBody { writer in
                let sink = ResponseSink(writer: writer)
                try await atlas.export(request, to: sink)
                try await sink.finish()
            }
            return Response(status: .ok, headers: headers, body: body)
        }
    }

    static let rulesOperation = APIOperation(
            method: .get, path: "/rules", operationID: "getRules", summary: "The conflict-rule catalogue",
            tag: "Planning", responses: [.document("GeoData/conflict-rules.json.", schema: "RuleCatalogue"), .badRequest, .serverError])

    private var rules: Endpoint {
        Endpoint(Self.rulesOperation) { [layers] _ in
            try Responses.json(Self.ruleCatalogue(layers.atlas.catalogue))
        }
    }

    /// GeoData/conflict-rules.json as the catalogue read it, each rule with a short title built from its
    /// layers' titles (the viewer lists results by it).
    static func ruleCatalogue(_ catalogue: Catalogue?) -> JSONValue {
        let rules: [JSONValue] = (catalogue?.rules ?? []).map { rule in
            let titles = rule.layers.map { catalogue?.layer($0)?.title ?? LocalizedText(zh: $0, en: $0) }
            var buffers = JSONObject()
            for layer in rule.layers { if let metres = rule.bufferMetres[layer] { buffers[layer] = .number(metres) } }
            var object: JSONObject = [
                "id": .string(rule.id),
                "title": .string(titles.map(\.en).joined(separator: " × ")),
                "title_zh": .string(titles.map(\.zh).joined(separator: " × ")),
                "layers": .array(rule.layers.map(JSONValue.string)),
                "buffer_m": .object(buffers),
                "severity": .string(rule.severity.rawValue),
            ]
            if let description = rule.description {
                object["description"] = ["zh": .string(description.zh), "en": .string(description.en)]
            }
            return .object(object)
        }
        return ["rules": .array(rules)]
    }

    /// Layer ids are identifiers already; anything else is replaced so the header stays well-formed.
    static func fileName(layer: String) -> String {
        String(layer.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "_" })
    }

    /// One feature per overlapping pair, the totals in `summary` and what was asked in `query`.
    static func overlapResponse(_ report: OverlapReport, query: JSONObject) -> Response {
        Response(status: .ok, headers: [.contentType: MediaTypes.geoJSON],
                 body: GeoJSONBody.collection(report.overlaps.map { $0.asFeature() },
                                              leading: ["query": .object(query), "summary": .object(report.summary)]))
    }
}
