import GeoModel
import Hummingbird

/// OGC API - Features Part 1: /collections, /collections/{id}, its items and single features.
struct CollectionEndpoints {
    let catalogue: any CollectionCatalogue
    let features: any FeatureQuerying

    var endpoints: [Endpoint] { [collections, collection, items, item] }
    static let operations = [collectionsOperation, collectionOperation, itemsOperation, itemOperation]

    static let collectionsOperation = APIOperation(
            method: .get, path: "/collections", operationID: "getCollections", summary: "The plan's layers",
            description: "Every layer with its extent, item count, geometry type and style.", tag: "Data",
            queryParameters: [Parameters.format.spec],
            responses: [.document("The collections.", schema: "Collections", html: true)]
                + ResponseDoc.readErrors(hasPath: false, negotiates: true))

    private var collections: Endpoint {
        Endpoint(Self.collectionsOperation) { [catalogue] input in
            let representation = try input.representation([.json, .html], jsonType: MediaTypes.json)
            let summaries = try await catalogue.collections()
            let document: JSONValue = [
                "collections": .array(summaries.map { Self.describe($0, links: input.links) }),
                "links": [
                    input.links.link("/collections", query: [("f", "json")], rel: "self", type: MediaTypes.json, title: "This document"),
                    input.links.link("/collections", query: [("f", "html")], rel: "alternate", type: "text/html",
                                     title: "This document as HTML"),
                ],
            ]
            return Responses.negotiated(document, as: representation, title: "Collections")
        }
    }

    static let collectionOperation = APIOperation(
            method: .get, path: "/collections/{collectionId}", operationID: "describeCollection",
            summary: "One layer: extent, CRS, item count, links", tag: "Data",
            pathParameters: [.collectionID], queryParameters: [Parameters.format.spec],
            responses: [.document("The collection.", schema: "Collection", html: true)]
                + ResponseDoc.readErrors(hasPath: true, negotiates: true))

    private var collection: Endpoint {
        Endpoint(Self.collectionOperation) { [catalogue] input in
            let representation = try input.representation([.json, .html], jsonType: MediaTypes.json)
            let summary = try await Self.existing(try input.pathParameter("collectionId"), in: catalogue)
            return Responses.negotiated(Self.describe(summary, links: input.links), as: representation, title: summary.title)
        }
    }

    static let itemsOperation = APIOperation(
            method: .get, path: "/collections/{collectionId}/items", operationID: "getFeatures",
            summary: "Features of a layer, a page at a time",
            description: "Any of the layer's filterable properties may be given as name=value (all must match); every "
                + "other unknown parameter is an error. Pages are linked with next and prev.",
            tag: "Data", pathParameters: [.collectionID],
            queryParameters: [Parameters.bbox.spec, Parameters.limit.spec, Parameters.offset.spec, Parameters.datetime.spec,
                              Parameters.format.spec],
            checksUnknownParametersItself: true,
            responses: [.document("A page of features.", jsonType: MediaTypes.geoJSON, schema: "FeatureCollection", html: true)]
                + ResponseDoc.readErrors(hasPath: true, negotiates: true))

    private var items: Endpoint {
        Endpoint(Self.itemsOperation) { [catalogue, features] input in
            let id = try input.pathParameter("collectionId")
            let summary = try await Self.existing(id, in: catalogue)
            let filterable = Set(summary.filterableProperties)
            try input.query.rejectUnknown(allowed: input.allowedQueryNames, alsoAllowed: { filterable.contains($0) })
            let representation = try input.representation([.json, .html], jsonType: MediaTypes.geoJSON)
            let limit = try input.query.value(Parameters.limit) ?? Parameters.defaultLimit
            let offset = try input.query.value(Parameters.offset) ?? 0
            _ = try input.query.value(Parameters.datetime)
            let filters = input.query.pairs.filter { filterable.contains($0.name) && !input.allowedQueryNames.contains($0.name) }
                .map { PropertyFilter(property: $0.name, value: $0.value) }
            let query = ItemQuery(bbox: try input.query.value(Parameters.bbox), filters: filters, limit: limit, offset: offset)
            let page = try await features.items(in: id, matching: query)

            let path = "/collections/\(LinkBuilder.encodePathSegment(id))/items"
            let kept = input.query.pairs.filter { $0.name != "offset" && $0.name != "f" }.map { ($0.name, $0.value) }
            func pageLink(offset: Int, rel: String, format: String, type: String, title: String) -> JSONValue {
                input.links.link(path, query: kept + [("offset", String(offset)), ("f", format)], rel: rel, type: type, title: title)
            }
            var links: [JSONValue] = [
                pageLink(offset: offset, rel: "self", format: "json", type: MediaTypes.geoJSON, title: "This page"),
                pageLink(offset: offset, rel: "alternate", format: "html", type: "text/html", title: "This page as HTML"),
            ]
            if offset + page.features.count < page.numberMatched {
                links.append(pageLink(offset: offset + limit, rel: "next", format: "json", type: MediaTypes.geoJSON,
                                      title: "Next page"))
            }
            if offset > 0 {
                links.append(pageLink(offset: max(offset - limit, 0), rel: "prev", format: "json", type: MediaTypes.geoJSON,
                                      title: "Previous page"))
            }
            links.append(input.links.link("/collections/\(LinkBuilder.encodePathSegment(id))", rel: "collection",
                                          type: MediaTypes.json, title: summary.title))
            let document: JSONValue = [
                "type": "FeatureCollection",
                "features": .array(page.features.map { GeoJSONOutput.feature($0) }),
                "numberMatched": .integer(Int64(page.numberMatched)),
                "numberReturned": .integer(Int64(page.features.count)),
                "links": .array(links),
            ]
            return Responses.negotiated(document, as: representation, jsonType: MediaTypes.geoJSON, title: summary.title)
        }
    }

    static let itemOperation = APIOperation(
            method: .get, path: "/collections/{collectionId}/items/{featureId}", operationID: "getFeature",
            summary: "One feature", description: "The ETag is the feature's version, for If-Match on writes.", tag: "Data",
            pathParameters: [.collectionID, .featureID], queryParameters: [Parameters.format.spec],
            responses: [.document("The feature.", jsonType: MediaTypes.geoJSON, schema: "Feature", html: true,
                                  headers: ["ETag": "The feature's version."]),
                        ResponseDoc(status: 304, description: "Not modified (If-None-Match matched the ETag).")]
                + ResponseDoc.readErrors(hasPath: true, negotiates: true))

    private var item: Endpoint {
        Endpoint(Self.itemOperation) { [catalogue, features] input in
            let representation = try input.representation([.json, .html], jsonType: MediaTypes.geoJSON)
            let collectionID = try input.pathParameter("collectionId")
            let summary = try await Self.existing(collectionID, in: catalogue)
            let featureID = try input.pathParameter("featureId")
            guard let stored = try await features.item(featureID, in: collectionID) else {
                throw ProblemDetails.notFound("layer '\(collectionID)' has no feature '\(ProblemDetails.quoted(featureID))'")
            }
            let tag = EntityTag.header(for: stored.version)
            if let match = input.request.headers[.ifNoneMatch], StaticDirectory.etagList(match, contains: tag) {
                return Response(status: .notModified, headers: [.eTag: tag])
            }
            let document = Self.featureDocument(stored.feature, collection: summary, featureID: featureID, links: input.links)
            return Responses.negotiated(document, as: representation, jsonType: MediaTypes.geoJSON,
                                        title: "\(summary.title): \(featureID)", headers: [.eTag: tag])
        }
    }

    static func featureDocument(_ feature: Feature, collection: CollectionSummary, featureID: String, links: LinkBuilder) -> JSONValue {
        guard case .object(var object) = GeoJSONOutput.feature(feature) else { return GeoJSONOutput.feature(feature) }
        let collectionPath = "/collections/\(LinkBuilder.encodePathSegment(collection.id))"
        let path = "\(collectionPath)/items/\(LinkBuilder.encodePathSegment(featureID))"
        object["links"] = [
            links.link(path, query: [("f", "json")], rel: "self", type: MediaTypes.geoJSON, title: "This feature"),
            links.link(path, query: [("f", "html")], rel: "alternate", type: "text/html", title: "This feature as HTML"),
            links.link(collectionPath, rel: "collection", type: MediaTypes.json, title: collection.title),
        ]
        return .object(object)
    }

    /// The layer, or a 404 naming it.
    static func existing(_ id: String, in catalogue: any CollectionCatalogue) async throws -> CollectionSummary {
        guard let summary = try await catalogue.collection(id) else {
            throw ProblemDetails.notFound("there is no layer '\(ProblemDetails.quoted(id))'; /collections lists them")
        }
        return summary
    }

    /// A collection as OGC API - Features describes it, with planatlas's own members prefixed `planatlas:`.
    static func describe(_ summary: CollectionSummary, links: LinkBuilder) -> JSONValue {
        let path = "/collections/\(LinkBuilder.encodePathSegment(summary.id))"
        var object: JSONObject = [
            "id": .string(summary.id),
            "title": .string(summary.title),
        ]
        if let description = summary.description { object["description"] = .string(description) }
        if let extent = summary.extent {
            object["extent"] = ["spatial": [
                "bbox": [[.number(extent.minX), .number(extent.minY), .number(extent.maxX), .number(extent.maxY)]],
                "crs": .string(Conformance.crs84),
            ]]
        }
        object["itemType"] = "feature"
        object["crs"] = [.string(Conformance.crs84)]
        object["links"] = [
            links.link(path, query: [("f", "json")], rel: "self", type: MediaTypes.json, title: "This collection"),
            links.link(path, query: [("f", "html")], rel: "alternate", type: "text/html", title: "This collection as HTML"),
            links.link("\(path)/items", query: [("f", "json")], rel: "items", type: MediaTypes.geoJSON, title: "Its features"),
            links.link("\(path)/items", query: [("f", "html")], rel: "items", type: "text/html", title: "Its features as HTML"),
        ]
        object["planatlas:title_zh"] = .string(summary.titleZh)
        object["planatlas:geometryType"] = .string(summary.geometryType.rawValue)
        object["planatlas:context"] = .bool(summary.isContext)
        object["planatlas:planSection"] = summary.planSection.map { .string($0) } ?? .null
        object["planatlas:itemCount"] = .integer(Int64(summary.itemCount))
        if let style = summary.style { object["planatlas:style"] = style }
        return .object(object)
    }
}

/// Feature versions as HTTP entity tags: strong, quoted.
enum EntityTag {
    static func header(for version: String) -> String { "\"\(version)\"" }

    /// The version an If-Match header names: one strong tag, or `*` (any current version: nil).
    /// Weak tags never match for If-Match (RFC 9110 §13.1.1).
    static func version(fromIfMatch header: String?) throws(ProblemDetails) -> String? {
        guard let header else {
            throw ProblemDetails(.preconditionRequired,
                                 detail: "this write needs If-Match with the feature's ETag (from GET), so that it cannot "
                                     + "overwrite a change made meanwhile", parameter: "If-Match")
        }
        let value = header.trimmed
        if value == "*" { return nil }
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\""), !value.dropFirst().dropLast().contains("\"") else {
            throw ProblemDetails.preconditionFailed("If-Match must be one strong entity tag from the feature's ETag, got "
                                                    + "'\(ProblemDetails.quoted(value))'")
        }
        return String(value.dropFirst().dropLast())
    }
}
