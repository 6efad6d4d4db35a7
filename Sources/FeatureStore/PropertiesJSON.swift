import GeoModel

// Feature properties and layer metadata are stored as JSON text in the order given, and read
// back into ordered `JSONObject`s with integers kept apart from other numbers. Both databases
// keep this text byte for byte (SQLite TEXT, PostgreSQL `json`).

/// Why a property value cannot be stored; `path` names where it sits (e.g. `$."a"[2]`).
struct PropertiesError: Error {
    var reason: String
}

enum PropertiesJSON {
    /// Compact JSON text. Refuses what JSON or the databases cannot hold: non-finite numbers and
    /// the NUL character (PostgreSQL's `jsonb` and `text` reject it).
    static func encode(_ object: JSONObject) throws(PropertiesError) -> String {
        var out = ""
        try write(.object(object), to: &out, path: "$")
        return out
    }

    static func encodeValue(_ value: JSONValue) throws(PropertiesError) -> String {
        var out = ""
        try write(value, to: &out, path: "$")
        return out
    }

    private static func write(_ value: JSONValue, to out: inout String, path: String) throws(PropertiesError) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .number(let d):
            guard d.isFinite else { throw PropertiesError(reason: "\(path) is \(d), which JSON cannot hold") }
            out += "\(d)"
        case .string(let s): try writeString(s, to: &out, path: path)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                try write(item, to: &out, path: "\(path)[\(i)]")
            }
            out += "]"
        case .object(let object):
            out += "{"
            var first = true
            for (key, item) in object {
                if !first { out += "," }
                first = false
                let keyPath = "\(path).\(quoted(key))"
                try writeString(key, to: &out, path: "key \(keyPath)")
                out += ":"
                try write(item, to: &out, path: keyPath)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, to out: inout String, path: String) throws(PropertiesError) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\0": throw PropertiesError(reason: "\(path) contains the NUL character (U+0000)")
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Reads back a stored JSON object.
    static func decodeObject(_ text: String) throws(PropertiesError) -> JSONObject {
        var parser = JSONParser(bytes: Array(text.utf8))
        let value = try parser.parseDocument()
        guard case .object(let object) = value else {
            throw PropertiesError(reason: "stored properties are not a JSON object")
        }
        return object
    }
}

/// A strict RFC 8259 parser with a nesting limit, producing ordered objects.
private struct JSONParser {
    let bytes: [UInt8]
    var index = 0
    static let maximumDepth = 512

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws(PropertiesError) -> JSONValue {
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if index != bytes.count { throw fail("unexpected text after the JSON value") }
        return value
    }

    private func fail(_ what: String) -> PropertiesError {
        PropertiesError(reason: "invalid stored JSON at byte \(index): \(what)")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func parseValue(depth: Int) throws(PropertiesError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw fail("nested deeper than \(Self.maximumDepth) levels") }
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var object = JSONObject()
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(object)
            }
            while true {
                skipWhitespace()
                let key = try parseString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                object[key] = try parseValue(depth: depth + 1)
                skipWhitespace()
                if try endOfContainer(UInt8(ascii: "}")) { return .object(object) }
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                items.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                if try endOfContainer(UInt8(ascii: "]")) { return .array(items) }
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return .null
        default:
            return try parseNumber()
        }
    }

    /// After a member: true at the closing bracket, false after a comma.
    private mutating func endOfContainer(_ close: UInt8) throws(PropertiesError) -> Bool {
        guard index < bytes.count else { throw fail("unexpected end") }
        if bytes[index] == close {
            index += 1
            return true
        }
        try expect(UInt8(ascii: ","))
        return false
    }

    private mutating func expect(_ byte: UInt8) throws(PropertiesError) {
        guard index < bytes.count, bytes[index] == byte else {
            throw fail("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    private mutating func expectWord(_ word: String) throws(PropertiesError) {
        for byte in word.utf8 { try expect(byte) }
    }

    private mutating func parseNumber() throws(PropertiesError) -> JSONValue {
        let start = index
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        if index == digitsStart { throw fail("expected a value") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let number = Double(text) else { throw fail("malformed number \(text)") }
        return .number(number)
    }

    private mutating func parseString() throws(PropertiesError) -> String {
        try expect(UInt8(ascii: "\""))
        var scalars = String.UnicodeScalarView()
        var run = index
        func flush(_ upTo: Int, into scalars: inout String.UnicodeScalarView) {
            scalars.append(contentsOf: String(decoding: bytes[run..<upTo], as: UTF8.self).unicodeScalars)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flush(index, into: &scalars)
                index += 1
                return String(scalars)
            }
            if byte == UInt8(ascii: "\\") {
                flush(index, into: &scalars)
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    let unit = try parseHex4()
                    if (0xD800..<0xDC00).contains(unit) {
                        try expect(UInt8(ascii: "\\"))
                        try expect(UInt8(ascii: "u"))
                        let low = try parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                        scalars.append(Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!)
                    } else if let scalar = Unicode.Scalar(unit) {
                        scalars.append(scalar)
                    } else {
                        throw fail("unpaired surrogate")
                    }
                default: throw fail("unknown escape")
                }
                run = index
                continue
            }
            if byte < 0x20 { throw fail("control character in string") }
            index += 1
        }
        throw fail("unterminated string")
    }

    private mutating func parseHex4() throws(PropertiesError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else { throw fail("bad \\u escape") }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }
}
