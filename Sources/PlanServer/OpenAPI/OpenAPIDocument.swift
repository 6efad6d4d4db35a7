import GeoModel

/// The OpenAPI 3.0 document served at /api, generated from the endpoint list the router is built
/// from, so that every route, parameter and response it describes is one the service really has.
enum OpenAPIDocument {
    static let version = "0.1.0"

    static func build(operations: [APIOperation], serverURL: String) -> JSONValue {
        var paths = JSONObject()
        for endpoint in operations {
            var item = paths[endpoint.path]?.objectValue ?? [:]
            item[endpoint.method.rawValue.lowercased()] = operation(endpoint)
            paths[endpoint.path] = .object(item)
        }
        let tags = operations.map(\.tag).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "planatlas",
                "version": .string(Self.version),
                "description": .string("Shenyang's 2021 plan as OGC API - Features (Part 1 core, GeoJSON, HTML, OpenAPI 3.0; Part 4 "
                    + "writes when a token is configured) plus planning queries: what lies near a place, where planned "
                    + "zones overlap, and whole-layer exports. Coordinates are WGS84 longitude/latitude (CRS84). "
                    + "Errors are RFC 9457 problem details."),
                "license": ["name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"],
            ],
            "servers": [["url": .string(serverURL)]],
            "tags": .array(tags.map { ["name": .string($0)] }),
            "paths": .object(paths),
            "components": [
                "schemas": .object(Schemas.all),
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer",
                                                   "description": "The write token the service was started with (--token-file, PLANATLAS_TOKEN_FILE or PLANATLAS_TOKEN)."]],
            ],
        ]
    }

    private static func operation(_ endpoint: APIOperation) -> JSONValue {
        var operation: JSONObject = [
            "tags": [.string(endpoint.tag)],
            "summary": .string(endpoint.summary),
            "operationId": .string(endpoint.operationID),
        ]
        if let description = endpoint.description { operation["description"] = .string(description) }
        let parameters = endpoint.pathParameters + endpoint.queryParameters
        if !parameters.isEmpty { operation["parameters"] = .array(parameters.map(\.openAPI)) }
        if let body = endpoint.requestBody {
            operation["requestBody"] = [
                "required": true,
                "description": .string(body.description),
                "content": content(body.content),
            ]
        }
        var responses = JSONObject()
        for response in endpoint.responses {
            var object: JSONObject = ["description": .string(response.description)]
            if !response.content.isEmpty { object["content"] = content(response.content) }
            if !response.headers.isEmpty {
                object["headers"] = .object(JSONObject(uniqueKeysWithValues: response.headers.sorted { $0.key < $1.key }.map {
                    ($0.key, ["description": .string($0.value), "schema": ["type": "string"]] as JSONValue)
                }))
            }
            responses[String(response.status)] = .object(object)
        }
        operation["responses"] = .object(responses)
        if endpoint.requiresToken { operation["security"] = [["bearerAuth": []]] }
        return .object(operation)
    }

    private static func content(_ entries: [(mediaType: String, schema: JSONValue)]) -> JSONValue {
        .object(JSONObject(uniqueKeysWithValues: entries.map { ($0.mediaType, ["schema": $0.schema] as JSONValue) }))
    }
}

/// Response shapes, referenced from operations as `#/components/schemas/<name>`.
enum Schemas {
    private static let overlapDescription = "One feature per overlapping pair; geometry is the intersection (WGS84); "
        + "properties layer_a, id_a, name_a, name_en_a, layer_b, id_b, name_b, name_en_b, area_m2, area_ha, area_mu, "
        + "share_a_pct, share_b_pct, rule, severity, buffer_m_a, buffer_m_b. 'summary' totals the pairs; 'query' repeats "
        + "what was asked."

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static let all: JSONObject = [
        "Link": [
            "type": "object", "required": ["href", "rel"],
            "properties": ["href": ["type": "string"], "rel": ["type": "string"], "type": ["type": "string"],
                           "title": ["type": "string"]],
        ],
        "Links": ["type": "array", "items": ref("Link")],
        "Problem": [
            "type": "object", "required": ["type", "title", "status", "detail"],
            "description": "RFC 9457 problem details; 'parameter' names the query parameter, header or body member at fault.",
            "properties": ["type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"],
                           "detail": ["type": "string"], "parameter": ["type": "string"], "instance": ["type": "string"]],
        ],
        "LandingPage": [
            "type": "object", "required": ["links"],
            "properties": ["title": ["type": "string"], "description": ["type": "string"], "links": ref("Links")],
        ],
        "ConformanceClasses": [
            "type": "object", "required": ["conformsTo"],
            "properties": ["conformsTo": ["type": "array", "items": ["type": "string"]]],
        ],
        "Collection": [
            "type": "object", "required": ["id", "links"],
            "properties": [
                "id": ["type": "string"], "title": ["type": "string"], "description": ["type": "string"],
                "links": ref("Links"), "itemType": ["type": "string"], "crs": ["type": "array", "items": ["type": "string"]],
                "extent": ["type": "object", "properties": ["spatial": ["type": "object", "properties": [
                    "bbox": ["type": "array", "items": ["type": "array", "minItems": 4, "maxItems": 4, "items": ["type": "number"]]],
                    "crs": ["type": "string"],
                ]]]],
                "planatlas:title_zh": ["type": "string"], "planatlas:description_zh": ["type": "string"],
                "planatlas:geometryType": ["type": "string"],
                "planatlas:context": ["type": "boolean"], "planatlas:planSection": ["type": "string", "nullable": true],
                "planatlas:itemCount": ["type": "integer"], "planatlas:style": ["type": "object"],
            ],
        ],
        "Collections": [
            "type": "object", "required": ["collections", "links"],
            "properties": ["collections": ["type": "array", "items": ref("Collection")], "links": ref("Links")],
        ],
        "Geometry": [
            "type": "object", "required": ["type"],
            "description": "A GeoJSON geometry (RFC 7946), WGS84 longitude/latitude.",
            "properties": [
                "type": ["type": "string", "enum": .array(GeometryType.allCases.map { .string($0.rawValue) })],
                "coordinates": ["type": "array", "items": [:]],
                "geometries": ["type": "array", "items": ["type": "object"]],
            ],
        ],
        "Feature": [
            "type": "object", "required": ["type", "geometry", "properties"],
            "properties": [
                "type": ["type": "string", "enum": ["Feature"]],
                "id": ["oneOf": [["type": "string"], ["type": "integer"]]],
                "geometry": ["allOf": [ref("Geometry")], "nullable": true],
                "properties": ["type": "object", "nullable": true],
                "links": ref("Links"),
            ],
        ],
        "FeatureCollection": [
            "type": "object", "required": ["type", "features"],
            "properties": [
                "type": ["type": "string", "enum": ["FeatureCollection"]],
                "features": ["type": "array", "items": ref("Feature")],
                "links": ref("Links"),
                "numberMatched": ["type": "integer", "minimum": 0],
                "numberReturned": ["type": "integer", "minimum": 0],
                "timeStamp": ["type": "string", "format": "date-time"],
            ],
        ],
        "NearResult": [
            "type": "object", "required": ["type", "features", "query"],
            "description": "Features sorted by distance; each has the extra properties 'layer' and 'distance_m'.",
            "properties": [
                "type": ["type": "string", "enum": ["FeatureCollection"]],
                "features": ["type": "array", "items": ref("Feature")],
                "query": ["type": "object", "properties": [
                    "lon": ["type": "number"], "lat": ["type": "number"], "radius": ["type": "number"], "k": ["type": "integer"],
                    "layers": ["type": "array", "items": ["type": "string"]],
                    "status": ["type": "array", "items": ["type": "string"]],
                ]],
                "numberReturned": ["type": "integer", "minimum": 0],
            ],
        ],
        "OverlapResult": [
            "type": "object", "required": ["type", "features", "summary"],
            "description": .string(overlapDescription),
            "properties": [
                "type": ["type": "string", "enum": ["FeatureCollection"]],
                "features": ["type": "array", "items": ref("Feature")],
                "summary": ["type": "object", "properties": [
                    "pairs": ["type": "integer"], "area_m2": ["type": "number"], "area_ha": ["type": "number"],
                    "area_mu": ["type": "number"],
                ]],
                "query": ["type": "object"],
            ],
        ],
        "RuleCatalogue": [
            "type": "object", "required": ["rules"],
            "description": "The conflict rules of GeoData/conflict-rules.json, each with a title built from its layers' titles.",
            "properties": ["rules": ["type": "array", "items": [
                "type": "object", "required": ["id", "layers", "severity"],
                "properties": [
                    "id": ["type": "string"], "title": ["type": "string"], "title_zh": ["type": "string"],
                    "layers": ["type": "array", "items": ["type": "string"]],
                    "buffer_m": ["type": "object", "additionalProperties": ["type": "number"]],
                    "severity": ["type": "string", "enum": ["low", "medium", "high"]],
                    "description": ["type": "object", "properties": ["zh": ["type": "string"], "en": ["type": "string"]]],
                ],
            ]]],
        ],
        "ViewerConfig": [
            "type": "object",
            "properties": ["tileUrl": ["type": "string"], "attribution": ["type": "string"]],
        ],
    ]
}
