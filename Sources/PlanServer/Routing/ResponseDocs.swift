import GeoModel

/// Documented responses shared by many operations.
extension ResponseDoc {
    static func problem(_ status: Int, _ description: String) -> ResponseDoc {
        ResponseDoc(status: status, description: description, content: [(MediaTypes.problemJSON, Schemas.ref("Problem"))])
    }

    static let badRequest = problem(400, "A query parameter is invalid or unknown; 'parameter' names it.")
    static let notFound = problem(404, "No such collection, feature or file.")
    static let notAcceptable = problem(406, "None of the representations in the Accept header is offered.")
    static let serverError = problem(500, "The server failed; the error is logged under the request id given.")

    /// 200 with a JSON (or GeoJSON) document, and its HTML page when `html` is true.
    static func document(_ description: String, jsonType: String = MediaTypes.json, schema: String, html: Bool = false,
                         headers: [String: String] = [:]) -> ResponseDoc {
        var content: [(mediaType: String, schema: JSONValue)] = [(jsonType, Schemas.ref(schema))]
        if html { content.append(("text/html", ["type": "string"])) }
        return ResponseDoc(status: 200, description: description, content: content, headers: headers)
    }

    /// The responses every read operation can give besides its 200.
    static func readErrors(hasPath: Bool, negotiates: Bool) -> [ResponseDoc] {
        var docs = [badRequest]
        if hasPath { docs.append(notFound) }
        if negotiates { docs.append(notAcceptable) }
        docs.append(serverError)
        return docs
    }
}

extension ParameterSpec {
    static func path(_ name: String, _ description: String) -> ParameterSpec {
        ParameterSpec(name: name, location: .path, required: true, description: description, schema: ["type": "string"])
    }

    static let collectionID = path("collectionId", "Layer id, as listed by /collections (e.g. metro-lines).")
    static let featureID = path("featureId", "Feature id within the layer.")
}
