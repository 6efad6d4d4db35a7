import GeoModel
import Hummingbird

/// OGC API - Features Part 4: create, replace, update (JSON merge patch) and delete features, with
/// ETags for optimistic locking. Registered only when a token is configured and the store writes;
/// the bearer-token middleware guards every one of them.
struct WriteEndpoints {
    let catalogue: any CollectionCatalogue
    let features: any FeatureQuerying
    let editor: any FeatureEditing
    let bodies: RequestBodyReader

    static let featureTypes = [MediaTypes.geoJSON, MediaTypes.json]

    var endpoints: [Endpoint] { [create, replace, update, delete] }
    static let operations = [createOperation, replaceOperation, updateOperation, deleteOperation]

    private static let writeErrors: [ResponseDoc] = [
        .badRequest,
        .problem(401, "No bearer token, or the wrong one."),
        .notFound,
        .problem(413, "The body is larger than the service accepts."),
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
        Endpoint(Self.createOperation) { [catalogue, editor, bodies] input in
            let summary = try await CollectionEndpoints.existing(try input.pathParameter("collectionId"), in: catalogue)
            let body = try await bodies.json(from: input.request, accepting: Self.featureTypes)
            let stored = try await editor.insert(try GeoJSONInput.feature(body), into: summary.id)
            guard let id = stored.feature.id?.description else {
                throw ProblemDetails(.internalError, detail: "the store returned a new feature without an id")
            }
            let location = input.links.url("/collections/\(LinkBuilder.encodePathSegment(summary.id))/items/"
                                           + LinkBuilder.encodePathSegment(id))
            return Responses.json(CollectionEndpoints.featureDocument(stored.feature, collection: summary, featureID: id,
                                                                      links: input.links),
                                  type: MediaTypes.geoJSON, status: .created,
                                  headers: [.location: location, .eTag: EntityTag.header(for: stored.version)])
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
        Endpoint(Self.replaceOperation) { [catalogue, features, editor, bodies] input in
            let summary = try await CollectionEndpoints.existing(try input.pathParameter("collectionId"), in: catalogue)
            let id = try input.pathParameter("featureId")
            let expected = try await Self.expectedVersion(input, id: id, collection: summary.id, features: features)
            var feature = try GeoJSONInput.feature(try await bodies.json(from: input.request, accepting: Self.featureTypes))
            try Self.checkBodyID(feature.id, against: id)
            feature.id = .string(id)
            let stored = try await editor.replace(id, in: summary.id, with: feature, expectedVersion: expected)
            return Self.answer(stored, collection: summary, id: id, links: input.links)
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
        Endpoint(Self.updateOperation) { [catalogue, features, editor, bodies] input in
            let summary = try await CollectionEndpoints.existing(try input.pathParameter("collectionId"), in: catalogue)
            let id = try input.pathParameter("featureId")
            let requested = try EntityTag.version(fromIfMatch: input.request.headers[.ifMatch])
            let patch = try await bodies.json(from: input.request, accepting: [MediaTypes.mergePatch, MediaTypes.json])
            guard let current = try await features.item(id, in: summary.id) else {
                throw ProblemDetails.notFound("layer '\(summary.id)' has no feature '\(ProblemDetails.quoted(id))'")
            }
            if let requested, requested != current.version {
                throw ProblemDetails.preconditionFailed("the feature has changed since version '\(ProblemDetails.quoted(requested))'")
            }
            let merged = MergePatch.apply(patch, to: GeoJSONOutput.feature(current.feature))
            var feature = try GeoJSONInput.feature(merged, member: "patched feature")
            try Self.checkBodyID(feature.id, against: id)
            feature.id = .string(id)
            let stored = try await editor.replace(id, in: summary.id, with: feature, expectedVersion: current.version)
            return Self.answer(stored, collection: summary, id: id, links: input.links)
        }
    }

    static let deleteOperation = APIOperation(
            method: .delete, path: "/collections/{collectionId}/items/{featureId}", operationID: "deleteFeature",
            summary: "Delete a feature", description: "Needs If-Match with the ETag from GET.", tag: "Edit",
            pathParameters: [.collectionID, .featureID],
            responses: [ResponseDoc(status: 204, description: "Deleted.")] + Self.writeErrors + Self.lockingErrors,
            requiresToken: true)

    private var delete: Endpoint {
        Endpoint(Self.deleteOperation) { [catalogue, features, editor] input in
            let summary = try await CollectionEndpoints.existing(try input.pathParameter("collectionId"), in: catalogue)
            let id = try input.pathParameter("featureId")
            let expected = try await Self.expectedVersion(input, id: id, collection: summary.id, features: features)
            try await editor.delete(id, in: summary.id, expectedVersion: expected)
            return Response(status: .noContent)
        }
    }

    /// The version If-Match names; for `If-Match: *` the current one (404 when the feature is gone).
    private static func expectedVersion(_ input: EndpointInput, id: String, collection: String,
                                        features: any FeatureQuerying) async throws -> String {
        if let version = try EntityTag.version(fromIfMatch: input.request.headers[.ifMatch]) { return version }
        guard let current = try await features.item(id, in: collection) else {
            throw ProblemDetails.notFound("layer '\(collection)' has no feature '\(ProblemDetails.quoted(id))'")
        }
        return current.version
    }

    private static func checkBodyID(_ bodyID: FeatureID?, against pathID: String) throws(ProblemDetails) {
        if let bodyID, bodyID.description != pathID {
            throw ProblemDetails(.malformedBody, detail: "the feature's id '\(ProblemDetails.quoted(bodyID.description))' differs "
                                     + "from the id in the URL '\(ProblemDetails.quoted(pathID))'", parameter: "body.id")
        }
    }

    private static func answer(_ stored: VersionedFeature, collection: CollectionSummary, id: String, links: LinkBuilder) -> Response {
        Responses.json(CollectionEndpoints.featureDocument(stored.feature, collection: collection, featureID: id, links: links),
                       type: MediaTypes.geoJSON, headers: [.eTag: EntityTag.header(for: stored.version)])
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
