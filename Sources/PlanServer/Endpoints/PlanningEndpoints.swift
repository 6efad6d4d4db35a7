import GeoEngine
import GeoModel
import Hummingbird

/// The planning queries: /near, /overlaps (GET and POST), /export/{layer} and /rules.
struct PlanningEndpoints {
    let catalogue: any CollectionCatalogue
    let near: any NearSearching
    let overlaps: any OverlapChecking
    let exporter: any LayerExporting
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
        Endpoint(Self.nearOperation) { [catalogue, near] input in
            let query = input.query
            let point = Coordinate(lon: try query.require(Parameters.lon), lat: try query.require(Parameters.lat))
            let radius = try query.value(Parameters.radius)
            let k = try query.value(Parameters.k)
            let reach: NearRequest.Reach
            switch (radius, k) {
            case (let radius?, nil): reach = .radius(metres: radius)
            case (nil, let k?): reach = .nearest(k: k)
            case (nil, nil):
                throw ProblemDetails(.invalidParameter, detail: "give 'radius' (metres) or 'k' (number of nearest features)",
                                     parameter: "radius")
            case (.some, .some):
                throw ProblemDetails(.invalidParameter, detail: "give 'radius' or 'k', not both", parameter: "k")
            }
            let requestedLayers = try query.value(Parameters.nearLayers)
            let layers = try await Self.known(requestedLayers, parameter: "layers", in: catalogue)
            let request = NearRequest(point: point, reach: reach, layers: requestedLayers, statuses: try query.value(Parameters.status),
                                      limit: try query.value(Parameters.nearLimit) ?? Parameters.defaultNearLimit)
            let hits = try await near.near(request)

            var echo: JSONObject = ["lon": .number(point.lon), "lat": .number(point.lat)]
            switch reach {
            case .radius(let metres): echo["radius"] = .number(metres)
            case .nearest(let k): echo["k"] = .integer(Int64(k))
            }
            echo["layers"] = .array(layers.map { .string($0) })
            let features = hits.map { hit in
                GeoJSONOutput.feature(hit.feature, extraProperties: ["layer": .string(hit.layer), "distance_m": .number(hit.distanceMetres)])
            }
            return Responses.json([
                "type": "FeatureCollection", "query": .object(echo), "numberReturned": .integer(Int64(features.count)),
                "features": .array(features),
            ], type: MediaTypes.geoJSON)
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
        Endpoint(Self.overlapPairsOperation) { [catalogue, overlaps] input in
            let query = input.query
            let layers = try query.value(Parameters.layerPair)
            let rules = try query.value(Parameters.rules)
            let buffer = try query.value(Parameters.buffer)
            let request: OverlapRequest
            switch (layers, rules) {
            case (let layers?, nil):
                _ = try await Self.known(layers, parameter: "layers", in: catalogue)
                request = .layers(layers[0], layers[1], bufferMetres: buffer ?? 0)
            case (nil, let rules?):
                if buffer != nil {
                    throw ProblemDetails(.invalidParameter, detail: "'buffer' applies to layers=A,B only; rules carry their own buffers",
                                         parameter: "buffer")
                }
                request = .rules(rules == ["all"] ? nil : rules)
            case (nil, nil):
                throw ProblemDetails(.invalidParameter, detail: "give 'layers' (two layer ids A,B) or 'rules' (all, or rule ids)",
                                     parameter: "layers")
            case (.some, .some):
                throw ProblemDetails(.invalidParameter, detail: "give 'layers' or 'rules', not both", parameter: "rules")
            }
            return Self.overlapResponse(try await overlaps.overlaps(request))
        }
    }

    static let overlapCandidateOperation = APIOperation(
            method: .post, path: "/overlaps", operationID: "overlapsOfCandidate",
            summary: "Where a proposed geometry overlaps the plan",
            description: "The body is a GeoJSON geometry or Feature (WGS84): the candidate is checked against every layer, "
                + "or those given in `layers`. Layer A of each pair is the candidate.",
            tag: "Planning", queryParameters: [Parameters.candidateLayers.spec],
            requestBody: RequestBodyDoc(description: "A GeoJSON geometry or Feature.",
                                        content: WriteEndpoints.featureTypes.map {
                                            ($0, ["oneOf": [Schemas.ref("Geometry"), Schemas.ref("Feature")]])
                                        }),
            responses: [.document("One feature per overlapping pair.", jsonType: MediaTypes.geoJSON, schema: "OverlapResult"),
                        .badRequest, .problem(413, "The body is larger than the service accepts."),
                        .problem(415, "The body is not sent as GeoJSON."),
                        .problem(422, "The candidate geometry is invalid (GEOS's reason)."), .serverError])

    private var overlapCandidate: Endpoint {
        Endpoint(Self.overlapCandidateOperation) { [catalogue, overlaps, bodies] input in
            let layers = try input.query.value(Parameters.candidateLayers)
            _ = try await Self.known(layers, parameter: "layers", in: catalogue)
            let body = try await bodies.json(from: input.request, accepting: WriteEndpoints.featureTypes)
            let candidate = try GeoJSONInput.candidateGeometry(body)
            return Self.overlapResponse(try await overlaps.overlaps(.candidate(candidate, layers: layers)))
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
        Endpoint(Self.exportOperation) { [catalogue, exporter] input in
            let layer = try await CollectionEndpoints.existing(try input.pathParameter("layer"), in: catalogue).id
            let crs = try input.query.value(Parameters.crs) ?? .wgs84
            let includeStyle = try input.query.value(Parameters.style) ?? false
            var headers: HTTPFields = [
                .contentType: MediaTypes.geoJSON,
                .contentDisposition: "attachment; filename=\"\(Self.fileName(layer: layer)).geojson\"",
            ]
            if let code = crs.epsgCode { headers[.contentCrs] = "<http://www.opengis.net/def/crs/EPSG/0/\(code)>" }
            let body = ResponseBody { writer in
                var buffer = ByteBuffer()
                buffer.writeString(Self.exportPrefix(layer: layer, crs: crs))
                var first = true
                try await exporter.exportLayer(layer, crs: crs, includeStyle: includeStyle) { feature in
                    if !first { buffer.writeInteger(UInt8(ascii: ",")) }
                    first = false
                    JSONWriter.write(GeoJSONOutput.feature(feature), into: &buffer)
                    // Hand over ~64 KiB at a time: few writes, little memory, whatever the layer's size.
                    if buffer.readableBytes >= 64 * 1024 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                buffer.writeStaticString("]}")
                try await writer.write(buffer)
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }
    }

    static let rulesOperation = APIOperation(
            method: .get, path: "/rules", operationID: "getRules", summary: "The conflict-rule catalogue",
            tag: "Planning", responses: [.document("GeoData/conflict-rules.json.", schema: "RuleCatalogue"), .badRequest, .serverError])

    private var rules: Endpoint {
        Endpoint(Self.rulesOperation) { [overlaps] _ in
            Responses.json(try await overlaps.ruleCatalogue())
        }
    }

    /// `{"type":"FeatureCollection",…,"features":[`: the head of a streamed export.
    static func exportPrefix(layer: String, crs: CRS) -> String {
        var object: JSONObject = ["type": "FeatureCollection", "name": .string(layer)]
        if let code = crs.epsgCode, crs != .wgs84 {
            object["crs"] = ["type": "name", "properties": ["name": .string("urn:ogc:def:crs:EPSG::\(code)")]]
        }
        object["planatlas:crs"] = .string(crs.identifier)
        var text = JSONWriter.string(.object(object))
        text.removeLast()
        return text + ",\"features\":["
    }

    /// Layer ids are identifiers already; anything else is replaced so the header stays well-formed.
    static func fileName(layer: String) -> String {
        String(layer.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "_" })
    }

    /// The requested layer ids, checked against the catalogue (400 naming the first unknown one); all
    /// ids when none were requested.
    static func known(_ requested: [String]?, parameter: String, in catalogue: any CollectionCatalogue) async throws -> [String] {
        let all = try await catalogue.collections().map(\.id)
        guard let requested else { return all }
        if let unknown = requested.first(where: { !all.contains($0) }) {
            throw ProblemDetails.invalid(parameter, must: "layer ids from /collections (\(all.joined(separator: ", ")))", got: unknown)
        }
        return requested
    }

    static func overlapResponse(_ pairs: [OverlapPair]) -> Response {
        var total = 0.0
        let features: [JSONValue] = pairs.map { pair in
            total += pair.areaSquareMetres
            let properties: JSONObject = [
                "layer_a": .string(pair.a.layer), "id_a": Self.json(pair.a.id), "name_a": pair.a.name.map { .string($0) } ?? .null,
                "layer_b": .string(pair.b.layer), "id_b": Self.json(pair.b.id), "name_b": pair.b.name.map { .string($0) } ?? .null,
                "area_m2": .number(pair.areaSquareMetres),
                "area_ha": .number(AreaUnits.hectares(pair.areaSquareMetres)),
                "area_mu": .number(AreaUnits.mu(pair.areaSquareMetres)),
                "share_a_pct": .number(pair.a.sharePercent), "share_b_pct": .number(pair.b.sharePercent),
                "rule": pair.rule.map { .string($0) } ?? .null, "severity": pair.severity.map { .string($0) } ?? .null,
                "buffer_m_a": pair.a.bufferMetres.map { .number($0) } ?? .null,
                "buffer_m_b": pair.b.bufferMetres.map { .number($0) } ?? .null,
            ]
            return GeoJSONOutput.feature(Feature(geometry: pair.geometry, properties: properties))
        }
        return Responses.json([
            "type": "FeatureCollection",
            "summary": ["pairs": .integer(Int64(pairs.count)), "area_m2": .number(total),
                        "area_ha": .number(AreaUnits.hectares(total)), "area_mu": .number(AreaUnits.mu(total))],
            "features": .array(features),
        ], type: MediaTypes.geoJSON)
    }

    private static func json(_ id: FeatureID?) -> JSONValue {
        switch id {
        case .string(let s)?: .string(s)
        case .number(let n)?: .integer(n)
        case nil: .null
        }
    }
}

/// Hectares and mu from square metres (1 mu = 10000/15 m²). Planning's `Area` says the same; phase 2
/// takes it from there once PlanServer depends on Planning.
enum AreaUnits {
    static func hectares(_ squareMetres: Double) -> Double { squareMetres / 10_000 }
    static func mu(_ squareMetres: Double) -> Double { squareMetres * 15 / 10_000 }
}
