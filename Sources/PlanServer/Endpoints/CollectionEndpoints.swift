import FeatureStore
import GeoModel
import Hummingbird
import Planning

/// OGC API - Features Part 1: /collections, /collections/{id}, its items and single features,
/// read from the atlas's store.
struct CollectionEndpoints {
    let layers: LayerDirectory

    var endpoints: [Endpoint] { [collections, collection, items, item] }
    static let operations = [collectionsOperation, collectionOperation, itemsOperation, itemOperation]

    static let collectionsOperation = APIOperation(
            method: .get, path: "/collections", operationID: "getCollections", summary: "The plan's layers",
            description: "Every layer with its extent, item count, geometry type and style.", tag: "Data",
            queryParameters: [Parameters.format.spec],
            responses: [.document("The collections.", schema: "Collections", html: true)]
                + ResponseDoc.readErrors(hasPath: false, negotiates: true))

    private var collections: Endpoint {
        Endpoint(Self.collectionsOperation) { [layers] input in
            let representation = try input.representation([.json, .html], jsonType: MediaTypes.json)
            let summaries = try await layers.summaries()
            let document: JSONValue = [
                "collections": .array(summaries.map { Self.describe($0, links: input.links) }),
                "links": [
                    input.links.link("/collections", query: [("f", "json")], rel: "self", type: MediaTypes.json, title: "This document"),
                    input.links.link("/collections", query: [("f", "html")], rel: "alternate", type: "text/html",
                                     title: "This document as HTML"),
                ],
            ]
            return try Responses.negotiated(document, as: representation, title: "Collections")
        }
    }

    static let collectionOperation = APIOperation(
            method: .get, path: "/collections/{collectionId}", operationID: "describeCollection",
            summary: "One layer: extent, CRS, item count, links", tag: "Data",
            pathParameters: [.collectionID], queryParameters: [Parameters.format.spec],
            responses: [.document("The collection.", schema: "Collection", html: true)]
                + ResponseDoc.readErrors(hasPath: true, negotiates: true))

    private var collection: Endpoint {
        Endpoint(Self.collectionOperation) { [layers] input in
            let representation = try input.representation([.json, .html], jsonType: MediaTypes.json)
            let summary = try await layers.summary(try input.pathParameter("collectionId"))
            return try Responses.negotiated(Self.describe(summary, links: input.links), as: representation, title: summary.title)
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
        Endpoint(Self.itemsOperation) { [layers] input in
            let layer = try await layers.existing(try input.pathParameter("collectionId"))
            let filterNames = input.query.names.filter { !input.allowedQueryNames.contains($0) }
            let filters = try await Self.propertyFilters(filterNames, query: input.query, layer: layer.id, atlas: layers.atlas,
                                                         allowed: input.allowedQueryNames)
            let representation = try input.representation([.json, .html], jsonType: MediaTypes.geoJSON)
            let limit = try input.query.value(Parameters.limit) ?? Parameters.defaultLimit
            let offset = try input.query.value(Parameters.offset) ?? 0
            _ = try input.query.value(Parameters.datetime)
            let page = try await layers.atlas.store.query(
                FeatureQuery(layers: [layer.id], bbox: try input.query.value(Parameters.bbox), properties: filters,
                             limit: limit, offset: offset))

            let path = "/collections/\(LinkBuilder.encodePathSegment(layer.id))/items"
            let kept = input.query.pairs.filter { $0.name != "offset" && $0.name != "f" }.map { ($0.name, $0.value) }
            func pageLink(offset: Int, rel: String, format: String, type: String, title: String) -> JSONValue {
                input.links.link(path, query: kept + [("offset", String(offset)), ("f", format)], rel: rel, type: type, title: title)
            }
            var links: [JSONValue] = [
                pageLink(offset: offset, rel: "self", format: "json", type: MediaTypes.geoJSON, title: "This page"),
                pageLink(offset: offset, rel: "alternate", format: "html", type: "text/html", title: "This page as HTML"),
            ]
            if offset + page.matches.count < page.totalCount {
                links.append(pageLink(offset: offset + limit, rel: "next", format: "json", type: MediaTypes.geoJSON,
                                      title: "Next page"))
            }
            if offset > 0 {
                links.append(pageLink(offset: max(offset - limit, 0), rel: "prev", format: "json", type: MediaTypes.geoJSON,
                                      title: "Previous page"))
            }
            links.append(input.links.link("/collections/\(LinkBuilder.encodePathSegment(layer.id))", rel: "collection",
                                          type: MediaTypes.json, title: layer.titleEN))
            let members: JSONObject = [
                "numberMatched": .integer(Int64(page.totalCount)),
                "numberReturned": .integer(Int64(page.matches.count)),
                "links": .array(links),
            ]
            let features = page.matches.map(\.feature.feature)
            switch representation {
            case .json:
                return Response(status: .ok, headers: [.contentType: MediaTypes.geoJSON],
                                body: GeoJSONBody.collection(features, leading: members))
            case .html:
                var document: JSONObject = ["type": "FeatureCollection"]
                document.merge(members) { first, _ in first }
                document["features"] = .array(try features.map(GeoJSONBody.value(of:)))
                return HTMLPage.response(title: layer.titleEN, document: .object(document))
            }
        }
    }

    /// `?status=planned`: query names other than the endpoint's own must be properties of the layer's
    /// features (400 otherwise, as OGC API - Features asks of unknown parameters). Each value is read
    /// as the type the property holds in the layer, so `accuracy_m=50` matches the number 50.
    static func propertyFilters(_ names: [String], query: QueryParameters, layer: String, atlas: Atlas,
                                allowed: Set<String>) async throws -> [PropertyFilter] {
        guard !names.isEmpty else { return [] }
        let snapshot = try await atlas.snapshot(of: layer)
        var filters: [PropertyFilter] = []
        for name in names {
            let sample = snapshot.features.lazy.compactMap { $0.feature.properties[name] }.first { $0 != .null }
            guard let sample else {
                let known = allowed.sorted().map { "'\($0)'" }.joined(separator: ", ")
                throw ProblemDetails(.unknownParameter,
                                     detail: "unknown parameter '\(ProblemDetails.quoted(name))': it is neither one of \(known) "
                                         + "nor a property of layer '\(layer)'s features", parameter: name)
            }
            let text = query[name] ?? ""
            let value: JSONValue
            switch sample {
            case .integer, .number:
                guard let number = NumberParameter.decimal(text) else {
                    throw ProblemDetails.invalid(name, must: "a number (the property '\(name)' holds numbers)", got: text)
                }
                value = .number(number)
            case .bool:
                guard text == "true" || text == "false" else {
                    throw ProblemDetails.invalid(name, must: "true or false (the property '\(name)' holds booleans)", got: text)
                }
                value = .bool(text == "true")
            case .string:
                value = .string(text)
            case .array, .object, .null:
                throw ProblemDetails.invalid(name, must: "a property holding strings, numbers or booleans; '\(name)' "
                                                 + "holds structured values, which cannot be filtered by", got: text)
            }
            filters.append(PropertyFilter(key: name, value: value))
        }
        return filters
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
        Endpoint(Self.itemOperation) { [layers] input in
            let representation = try input.representation([.json, .html], jsonType: MediaTypes.geoJSON)
            let layer = try await layers.existing(try input.pathParameter("collectionId"))
            let featureID = try input.pathParameter("featureId")
            let stored = try await Self.feature(featureID, in: layer, atlas: layers.atlas)
            let document = try Self.featureDocument(stored.feature, layer: layer, featureID: featureID, links: input.links)
            guard representation == .json else {
                return HTMLPage.response(title: "\(layer.titleEN): \(featureID)", document: document)
            }
            // The ETag is the GeoJSON representation's: the one writes quote in If-Match.
            let tag = EntityTag.header(for: stored.version)
            if let match = input.request.headers[.ifNoneMatch], EntityTag.list(match, matches: tag) {
                return Response(status: .notModified, headers: [.eTag: tag])
            }
            return try Responses.json(document, type: MediaTypes.geoJSON, headers: [.eTag: tag])
        }
    }

    /// The stored feature with this id (the text of the URL path, which matches a string or a numeric
    /// id alike), or 404.
    static func feature(_ id: String, in layer: LayerInfo, atlas: Atlas) async throws -> StoredFeature {
        let stored: StoredFeature?
        do {
            stored = try await atlas.store.feature(.string(id), in: layer.id)
        } catch .invalidID {
            stored = nil  // an id the store could never hold is simply not there
        }
        guard let stored else {
            throw ProblemDetails.notFound("layer '\(layer.id)' has no feature '\(ProblemDetails.quoted(id))'")
        }
        return stored
    }

    /// The feature as GeoJSON with its OGC links (self, alternate, collection).
    static func featureDocument(_ feature: Feature, layer: LayerInfo, featureID: String, links: LinkBuilder) throws -> JSONValue {
        guard case .object(var object) = try GeoJSONBody.value(of: feature) else {
            throw ProblemDetails(.internalError, detail: "a feature did not encode as a JSON object")
        }
        let collectionPath = "/collections/\(LinkBuilder.encodePathSegment(layer.id))"
        let path = "\(collectionPath)/items/\(LinkBuilder.encodePathSegment(featureID))"
        object["links"] = [
            links.link(path, query: [("f", "json")], rel: "self", type: MediaTypes.geoJSON, title: "This feature"),
            links.link(path, query: [("f", "html")], rel: "alternate", type: "text/html", title: "This feature as HTML"),
            links.link(collectionPath, rel: "collection", type: MediaTypes.json, title: layer.titleEN),
        ]
        return .object(object)
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
        object["planatlas:title_zh"] = .string(summary.layer.titleZH)
        if let description = summary.descriptionZh { object["planatlas:description_zh"] = .string(description) }
        object["planatlas:geometryType"] = .string(summary.layer.geometryType.rawValue)
        object["planatlas:context"] = .bool(summary.isContext)
        object["planatlas:planSection"] = summary.planSection.map { .string($0) } ?? .null
        object["planatlas:itemCount"] = .integer(Int64(summary.itemCount))
        if let style = summary.style { object["planatlas:style"] = style }
        return .object(object)
    }
}
