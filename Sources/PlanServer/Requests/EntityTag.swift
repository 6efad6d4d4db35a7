/// HTTP entity tags: feature versions and file validators, and their gzip variants.
///
/// A gzipped response has other bytes than the plain one, so it must not carry the same strong
/// tag; `CompressionMiddleware` marks it `"<tag>-gzip"`. Both tags name the same version of the
/// resource, so If-Match and If-None-Match accept either: a client that read the feature
/// compressed can still write it back with the tag it got.
enum EntityTag {
    static let gzipSuffix = "-gzip"

    /// A feature version as a strong tag: `"42"`.
    static func header(for version: Int64) -> String { "\"\(version)\"" }

    /// The strong tag of the gzipped representation: `"42"` → `"42-gzip"`.
    static func gzipVariant(of tag: String) -> String {
        guard tag.hasPrefix("\""), tag.hasSuffix("\""), tag.count >= 2 else { return tag }
        return String(tag.dropLast()) + gzipSuffix + "\""
    }

    /// The tag without weakness marker or gzip suffix: what the two variants have in common.
    static func identity(_ tag: Substring) -> Substring {
        var tag = tag.hasPrefix("W/") ? tag.dropFirst(2) : tag
        if tag.hasSuffix(gzipSuffix + "\"") { tag = tag.dropLast(gzipSuffix.count + 1) + "\"" }
        return tag
    }

    /// `If-None-Match: "a", W/"b"` or `*`: weak comparison, as RFC 9110 prescribes for this header.
    static func list(_ header: String, matches tag: String) -> Bool {
        let wanted = identity(tag[...])
        return header.split(separator: ",").contains { entry in
            let trimmed = entry.trimmingSpaces
            return trimmed == "*" || identity(trimmed) == wanted
        }
    }

    /// The feature version If-Match names: one strong tag, or `*` (any current version: nil).
    /// Weak tags never match for If-Match (RFC 9110 §13.1.1); a tag that is not one of our
    /// versions matches none, which is a 412 too.
    static func version(fromIfMatch header: String?) throws(ProblemDetails) -> Int64? {
        guard let header else {
            throw ProblemDetails(.preconditionRequired,
                                 detail: "this write needs If-Match with the feature's ETag (from GET), so that it cannot "
                                     + "overwrite a change made meanwhile", parameter: "If-Match")
        }
        let value = header.trimmed
        if value == "*" { return nil }
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\""), !value.dropFirst().dropLast().contains("\""),
              let version = Int64(identity(value[...]).dropFirst().dropLast())
        else {
            throw ProblemDetails.preconditionFailed("If-Match must be one strong entity tag from the feature's ETag, got "
                                                    + "'\(ProblemDetails.quoted(value))'")
        }
        return version
    }
}
