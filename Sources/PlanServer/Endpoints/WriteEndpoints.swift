import FeatureStore
import Foundation
import GeoModel
import Hummingbird
import Planning

/// OGC API - Features Part 4: create, replace, update (JSON merge patch) and delete features, with
/// ETags (the store's feature versions) for optimistic locking. Registered only when a token is
/// configured; the bearer-token middleware guards every one of them. Every write goes through
/// `Atlas.apply`, so near and overlap queries see it at once.
struct WriteEndpoints {
    let layers: LayerDirectory
    let bodies: RequestBodyReader

    static let featureTypes = [MediaTypes.geoJSON, MediaTypes.json]

    var endpoints: [Endpoint] { [create, replace, update, delete] }
    static let operations = [createOperation, replaceOperation, updateOperation, deleteOperation]

    private static let writeErrors: [ResponseDoc] = [
        .badRequest,
        .problem(401, "No bearer token, or the wrong one."),
        .notFound,
        .problem(413, "The body, or its geometry's vertex count, is larger than the service accepts."),
        .problem(415, "The body is not sent as GeoJSON."),
        .problem(422, "The geometry is invalid (GEOS's reason) or of the wrong type for the layer."),
        .serverError,
    ]

    private static let lockingErrors: [ResponseDoc] = [
        .problem(412, "If-Match does not name the feature's current version."),
        .problem(428, "If-Match is missing."),
    ]

    private static let featureBody = RequestBodyDoc(
        description: "A GeoJSON Feature (WGS84).",
        content: featureTypes.map { ($0, Schemas.ref("Feature")) })

    static let createOperation = APIOperation(
            method: .post, path: "/collections/{collectionId}/items", operationID: "createFeature",
            summary: "Add a feature to a layer", tag: "Edit", pathParameters: [.collectionID], requestBody: Self.featureBody,
            responses: [ResponseDoc(status: 201, description: "Created.", content: [(MediaTypes.geoJSON, Schemas.ref("Feature"))],
                                    headers: ["Location": "The new feature's URL.", "ETag": "Its version."]),
                        .problem(409, "A feature with this id exists already.")] + Self.writeErrors,
            requiresToken: true)

    private var create: Endpoint {
        Endpoint(Self.createOperation) { [layers, bodies] input in
            let layer = try await layers.existing(try input.pathParameter("collectionId"))
            var feature = try Self.feature(try await bodies.geoJSON(from: input.request, accepting: Self.featureTypes))
            // OGC API - Features Part 4: the server assigns the id when the client sends none.
            if feature.id == nil { feature.id = .string(UUID().uuidString.lowercased()) }
            let version = try await Self.write(.insert(feature, layer: layer.id), atlas: layers.atlas)
            let id = feature.id?.description ?? ""
            let location = input.links.url("/collections/\(LinkBuilder.encodePathSegment(layer.id))/items/"
                                           + LinkBuilder.encodePathSegment(id))
            return try Responses.json(CollectionEndpoints.featureDocument(feature, layer: layer, featureID: id, links: input.links),
                                      type: MediaTypes.geoJSON, status: .created,
                                      headers: [.location: location, .eTag: EntityTag.header(for: version)])
        }
    }

    static let replaceOperation = APIOperation(
            method: .put, path: "/collections/{collectionId}/items/{featureId}", operationID: "replaceFeature",
            summary: "Replace a feature", description: "Needs If-Match with the ETag from GET.", tag: "Edit",
            pathParameters: [.collectionID, .featureID], requestBody: Self.featureBody,
            responses: [.document("Replaced.", jsonType: MediaTypes.geoJSON, schema: "Feature", headers: ["ETag": "The new version."])]
                + Self.writeErrors + Self.lockingErrors,
            requiresToken: true)

    private var replace: Endpoint {
        Endpoint(Self.replaceOperation) { [layers, bodies] input in
            let layer = try await layers.existing(try input.pathParameter("collectionId"))
            let id = try input.pathParameter("featureId")
            let expected = try EntityTag.version(fromIfMatch: input.request.headers[.ifMatch])
            var feature = try Self.feature(try await bodies.geoJSON(from: input.request, accepting: Self.featureTypes))
            try Self.checkBodyID(feature.id, against: id)
            // Without an id in the body the feature keeps its stored one, a number staying a number.
            let current = try await CollectionEndpoints.feature(id, in: layer, atlas: layers.atlas)
            feature.id = feature.id ?? current.id
            let version = try await Self.write(.replace(feature, layer: layer.id, expectedVersion: expected), atlas: layers.atlas)
            return try Self.answer(feature, version: version, layer: layer, id: id, links: input.links)
        }
    }

    static let updateOperation = APIOperation(
            method: .patch, path: "/collections/{collectionId}/items/{featureId}", operationID: "updateFeature",
            summary: "Change part of a feature (JSON merge patch, RFC 7396)",
            description: "The patch is merged into the feature's GeoJSON: members set to null are removed. Needs If-Match.",
            tag: "Edit", pathParameters: [.collectionID, .featureID],
            requestBody: RequestBodyDoc(description: "A JSON merge patch of the GeoJSON feature.",
                                        content: [(MediaTypes.mergePatch, ["type": "object"])]),
            responses: [.document("Updated.", jsonType: MediaTypes.geoJSON, schema: "Feature", headers: ["ETag": "The new version."])]
                + Self.writeErrors + Self.lockingErrors,
            requiresToken: true)

    private var update: Endpoint {
        Endpoint(Self.updateOperation) { [layers, bodies] input in
            let layer = try await layers.existing(try input.pathParameter("collectionId"))
            let id = try input.pathParameter("featureId")
            let requested = try EntityTag.version(fromIfMatch: input.request.headers[.ifMatch])
            let patch = try await bodies.json(from: input.request, accepting: [MediaTypes.mergePatch, MediaTypes.json])
            let current = try await CollectionEndpoints.feature(id, in: layer, atlas: layers.atlas)
            if let requested, requested != current.version {
                throw ProblemDetails.preconditionFailed("the feature is at version \(current.version), not \(requested): it has "
                                                        + "changed since; GET it again for the current ETag")
            }
            let merged = MergePatch.apply(patch, to: try GeoJSONBody.exactValue(of: current.feature))
            var feature: Feature
            do throws(GeoJSONError) {
                feature = try GeoJSONReader().readFeature(try GeoJSONWriter.encode(merged))
            } catch {
                throw RequestBodyReader.malformed(error, document: "GeoJSON once patched")
            }
            try bodies.checkVertices(of: .feature(feature))
            try Self.checkBodyID(feature.id, against: id)
            feature.id = feature.id ?? current.id
            // The store checks the version again, atomically with the write.
            let version = try await Self.write(.replace(feature, layer: layer.id, expectedVersion: current.version),
                                               atlas: layers.atlas)
            return try Self.answer(feature, version: version, layer: layer, id: id, links: input.links)
        }
    }

    static let deleteOperation = APIOperation(
            method: .delete, path: "/collections/{collectionId}/items/{featureId}", operationID: "deleteFeature",
            summary: "Delete a feature", description: "Needs If-Match with the ETag from GET.", tag: "Edit",
            pathParameters: [.collectionID, .featureID],
            responses: [ResponseDoc(status: 204, description: "Deleted.")] + Self.writeErrors + Self.lockingErrors,
            requiresToken: true)

    private var delete: Endpoint {
        Endpoint(Self.deleteOperation) { [layers] input in
            let layer = try await layers.existing(try input.pathParameter("collectionId"))
            let id = try input.pathParameter("featureId")
            let expected = try EntityTag.version(fromIfMatch: input.request.headers[.ifMatch])
            _ = try await Self.write(.delete(.string(id), layer: layer.id, expectedVersion: expected), atlas: layers.atlas)
            return Response(status: .noContent)
        }
    }

    /// Applies one change through the atlas; the new version (0 for a delete).
    private static func write(_ change: FeatureChange, atlas: Atlas) async throws -> Int64 {
        try await atlas.apply([change]).lastVersion ?? 0
    }

    /// The body as a Feature: a bare geometry or a collection is a 400 saying what is expected.
    private static func feature(_ body: GeoJSONObject) throws(ProblemDetails) -> Feature {
        switch body {
        case .feature(let feature): return feature
        case .geometry(let geometry):
            throw ProblemDetails(.malformedBody, detail: "the body must be a GeoJSON Feature, got a bare \(geometry.type.rawValue) "
                                     + "geometry; wrap it as {\"type\":\"Feature\",\"geometry\":…,\"properties\":{…}}",
                                 parameter: "body.type")
        case .featureCollection:
            throw ProblemDetails(.malformedBody, detail: "the body must be one GeoJSON Feature, got a FeatureCollection; "
                                     + "send the features one by one", parameter: "body.type")
        }
    }

    private static func checkBodyID(_ bodyID: FeatureID?, against pathID: String) throws(ProblemDetails) {
        if let bodyID, bodyID.description != pathID {
            throw ProblemDetails(.malformedBody, detail: "the feature's id '\(ProblemDetails.quoted(bodyID.description))' differs "
                                     + "from the id in the URL '\(ProblemDetails.quoted(pathID))'", parameter: "body.id")
        }
    }

    private static func answer(_ feature: Feature, version: Int64, layer: LayerInfo, id: String, links: LinkBuilder) throws
        -> Response
    {
        try Responses.json(CollectionEndpoints.featureDocument(feature, layer: layer, featureID: id, links: links),
                           type: MediaTypes.geoJSON, headers: [.eTag: EntityTag.header(for: version)])
    }
}

/// RFC 7396 JSON merge patch.
enum MergePatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, change) in changes {
            if change == .null {
                result[key] = nil
            } else {
                result[key] = apply(change, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
