import Foundation

/// The media types this service speaks.
enum MediaTypes {
    static let json = "application/json"
    static let geoJSON = "application/geo+json"
    static let problemJSON = "application/problem+json"
    static let openAPI = "application/vnd.oai.openapi+json;version=3.0"
    static let html = "text/html; charset=utf-8"
    static let mergePatch = "application/merge-patch+json"

    /// The bare `type/subtype` of a Content-Type or Accept entry, lowercased, parameters dropped.
    static func essence(_ value: String) -> String {
        String(value.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }
}

/// How a resource is represented: as JSON (GeoJSON for features) or as an HTML page.
enum Representation: String, Sendable, CaseIterable {
    case json
    case html
}

/// Chooses a representation from `f=` (which wins, as OGC API - Features specifies) or else the
/// Accept header's best match, preferring JSON when the client does not care.
struct ContentNegotiation {
    /// What one resource offers, the first being the default; `jsonType` is the JSON flavour sent.
    var offers: [Representation]
    var jsonType: String

    func choose(format: String?, accept: String?) throws(ProblemDetails) -> Representation {
        if let format {
            guard let chosen = Representation(rawValue: format), offers.contains(chosen) else {
                throw ProblemDetails.invalid("f", must: "one of \(offers.map(\.rawValue).joined(separator: ", "))", got: format)
            }
            return chosen
        }
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return offers[0] }
        // Higher q wins, then the more specific media range, then the order the resource prefers.
        var best: (representation: Representation, rank: (Double, Int, Int))?
        for entry in AcceptEntry.parse(accept) where entry.quality > 0 {
            for (order, representation) in offers.enumerated() {
                guard let specificity = entry.specificity(matching: mediaTypes(of: representation)) else { continue }
                let rank = (entry.quality, specificity, -order)
                if let current = best, current.rank >= rank { continue }
                best = (representation, rank)
            }
        }
        guard let best else {
            throw ProblemDetails(.notAcceptable,
                                 detail: "this resource is available as \(offers.map { mediaTypes(of: $0)[0] }.joined(separator: " or ")), "
                                     + "not as '\(ProblemDetails.quoted(accept))'",
                                 parameter: "Accept")
        }
        return best.representation
    }

    private func mediaTypes(of representation: Representation) -> [String] {
        switch representation {
        case .json: [jsonType, MediaTypes.json, MediaTypes.geoJSON]
        case .html: ["text/html", "application/xhtml+xml"]
        }
    }
}

/// One entry of an Accept header: a media range and its quality.
struct AcceptEntry: Equatable {
    var type: String
    var subtype: String
    var quality: Double

    static func parse(_ header: String) -> [AcceptEntry] {
        header.split(separator: ",").compactMap { part in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let range = pieces[0].lowercased().split(separator: "/", maxSplits: 1)
            guard range.count == 2, !range[0].isEmpty, !range[1].isEmpty else { return nil }
            var quality = 1.0
            for parameter in pieces.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)).map { min(max($0, 0), 1) } ?? 0
            }
            return AcceptEntry(type: String(range[0]), subtype: String(range[1]), quality: quality)
        }
    }

    /// 2 for an exact match, 1 for `type/*`, 0 for `*/*`, nil when the range does not cover any of `types`.
    func specificity(matching types: [String]) -> Int? {
        var best: Int?
        for candidate in types {
            let parts = MediaTypes.essence(candidate).split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let score: Int? =
                if type == "*" && subtype == "*" { 0 }
                else if type == parts[0] && subtype == "*" { 1 }
                else if type == parts[0] && subtype == parts[1] { 2 }
                else { nil }
            if let score, score > (best ?? -1) { best = score }
        }
        return best
    }
}
