/// A problem with a GeoJSON document (reading) or with a value that cannot be written as GeoJSON.
///
/// `path` points at the offending member in JSON-path-like notation, relative to the document
/// root, e.g. `features[3].geometry.coordinates[0]`; it is empty for the document itself.
/// `offset` is the byte offset in the input where the problem was found (reading only).
public struct GeoJSONError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var offset: Int?

    public init(path: String = "", message: String, offset: Int? = nil) {
        self.path = path
        self.message = message
        self.offset = offset
    }

    /// `features[3].geometry.coordinates[0]: ring is not closed (byte 5123)`
    public var description: String {
        var text = path.isEmpty ? message : "\(path): \(message)"
        if let offset { text += " (byte \(offset))" }
        return text
    }

    /// The same error seen from the object that holds the member `key`.
    func inMember(_ key: String) -> GeoJSONError {
        var copy = self
        let component = Self.isPlainName(key) ? key : "[\(Self.quoted(key))]"
        if path.isEmpty {
            copy.path = component
        } else if path.hasPrefix("[") {
            copy.path = component + path
        } else {
            copy.path = component + "." + path
        }
        return copy
    }

    /// The same error seen from the array that holds the element at `index`.
    func inElement(_ index: Int) -> GeoJSONError {
        var copy = self
        let component = "[\(index)]"
        copy.path = path.isEmpty ? component : (path.hasPrefix("[") ? component + path : component + "." + path)
        return copy
    }

    /// Member names that read unambiguously after a dot; others are written as `["a.b"]`.
    private static func isPlainName(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            byte >= 0x80 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }

    private static func quoted(_ key: String) -> String {
        var text = "\""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
