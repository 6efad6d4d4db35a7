import GeoModel

/// The query string of one request, decoded strictly: every name once, valid percent-encoding,
/// and (checked by the endpoint) no name the endpoint does not know. OGC API - Features asks
/// servers to reject unknown parameters with 400 rather than ignore them, so a typo like
/// `?limt=5` is an error the client sees, not a silently ignored option.
struct QueryParameters: Sendable {
    /// Name and decoded value, in the order the client sent them.
    private(set) var pairs: [(name: String, value: String)] = []

    init(rawQuery: String?) throws(ProblemDetails) {
        guard let rawQuery, !rawQuery.isEmpty else { return }
        for piece in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.percentDecoded(parts[0]),
                  let value = parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
            else {
                throw ProblemDetails(.invalidParameter,
                                     detail: "the query string must be percent-encoded UTF-8, got '\(ProblemDetails.quoted(String(piece)))'")
            }
            guard !pairs.contains(where: { $0.name == name }) else {
                throw ProblemDetails(.invalidParameter, detail: "parameter '\(ProblemDetails.quoted(name))' is given more than once",
                                     parameter: name)
            }
            pairs.append((name, value))
        }
    }

    var names: [String] { pairs.map(\.name) }

    subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Rejects the first parameter that is neither in `allowed` nor accepted by `alsoAllowed`
    /// (the items endpoint passes the layer's property names there).
    func rejectUnknown(allowed: Set<String>, alsoAllowed: (String) -> Bool = { _ in false }) throws(ProblemDetails) {
        for name in names where !allowed.contains(name) && !alsoAllowed(name) {
            let known = allowed.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw ProblemDetails(.unknownParameter,
                                 detail: "unknown parameter '\(ProblemDetails.quoted(name))'; this endpoint accepts "
                                     + (known.isEmpty ? "no parameters" : known),
                                 parameter: name)
        }
    }

    /// The parameter's value read by its definition, or nil when the client did not send it.
    func value<P: ParameterReading>(_ parameter: P) throws(ProblemDetails) -> P.Value? {
        guard let text = self[parameter.spec.name] else { return nil }
        return try parameter.read(text)
    }

    func require<P: ParameterReading>(_ parameter: P) throws(ProblemDetails) -> P.Value {
        guard let value = try value(parameter) else {
            throw ProblemDetails(.invalidParameter, detail: "parameter '\(parameter.spec.name)' is required: "
                                     + parameter.spec.description, parameter: parameter.spec.name)
        }
        return value
    }

    /// Percent-decoding (`%XX` is a byte; in a query, as `application/x-www-form-urlencoded` has it,
    /// `+` is a space); the bytes must be UTF-8.
    static func percentDecoded(_ text: Substring, plusIsSpace: Bool = true) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+") where plusIsSpace: bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
