import GeoModel
import Hummingbird

/// Small builders for the responses handlers return.
enum Responses {
    static func json(_ value: JSONValue, type: String = MediaTypes.json, status: HTTPResponse.Status = .ok,
                     headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: .init(byteBuffer: try value.encodedBuffer()))
    }

    /// A JSON resource in the representation negotiated: the document itself, or an HTML page of it.
    static func negotiated(_ document: JSONValue, as representation: Representation, jsonType: String = MediaTypes.json,
                           title: String) throws -> Response {
        switch representation {
        case .json: try json(document, type: jsonType)
        case .html: HTMLPage.response(title: title, document: document)
        }
    }
}

/// The OGC conformance classes and their URIs.
enum Conformance {
    static let core = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
    static let geoJSON = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
    static let html = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html"
    static let openAPI = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"
    static let createReplaceDelete = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete"
    static let update = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update"
    static let optimisticLocking = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-etags"
    static let features = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features"

    static let crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
}
