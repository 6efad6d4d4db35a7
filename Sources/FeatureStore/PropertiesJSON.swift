import GeoModel

// Feature properties and layer metadata are stored as JSON text in the order given, and read
// back into ordered `JSONObject`s with integers kept apart from other numbers. Both databases
// keep this text byte for byte (SQLite TEXT, PostgreSQL `json`). The text is written and read
// by GeoModel's JSON writer and parser.

/// Why a property value cannot be stored; the reason names where it sits (e.g. `a[2]`).
struct PropertiesError: Error {
    var reason: String
}

enum PropertiesJSON {
    /// Compact JSON text. Refuses what JSON or the databases cannot hold: non-finite numbers and
    /// the NUL character (PostgreSQL's `jsonb` and `text` reject it).
    static func encode(_ object: JSONObject) throws(PropertiesError) -> String {
        try encodeValue(.object(object))
    }

    static func encodeValue(_ value: JSONValue) throws(PropertiesError) -> String {
        if let path = nulPath(value, "") {
            throw PropertiesError(reason: "\(path.isEmpty ? "value" : path): text with a NUL character cannot be stored")
        }
        do { return String(decoding: try GeoJSONWriter.encode(value), as: UTF8.self) } catch {
            throw PropertiesError(reason: error.description)
        }
    }

    /// Reads back a stored JSON object.
    static func decodeObject(_ text: String) throws(PropertiesError) -> JSONObject {
        let value: JSONValue
        do { value = try JSONValue(parsing: Array(text.utf8)) } catch {
            throw PropertiesError(reason: "stored properties are not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw PropertiesError(reason: "stored properties are not a JSON object")
        }
        return object
    }

    /// Where the first string (or key) holding NUL sits, or nil.
    private static func nulPath(_ value: JSONValue, _ path: String) -> String? {
        switch value {
        case .string(let s): return s.utf8.contains(0) ? path : nil
        case .array(let items):
            for (i, item) in items.enumerated() { if let p = nulPath(item, "\(path)[\(i)]") { return p } }
            return nil
        case .object(let object):
            for (key, item) in object {
                let here = path.isEmpty ? key : "\(path).\(key)"
                if key.utf8.contains(0) { return here }
                if let p = nulPath(item, here) { return p }
            }
            return nil
        default: return nil
        }
    }
}
