import GeoModel
import Hummingbird

/// Writes `JSONValue`s as compact RFC 8259 JSON, keeping object key order.
///
/// Every JSON document this service sends goes through here (GeoJSON through `GeoJSONOutput`), so
/// that number and string formatting is the same everywhere.
enum JSONWriter {
    static func buffer(_ value: JSONValue) -> ByteBuffer {
        var buffer = ByteBuffer()
        write(value, into: &buffer)
        return buffer
    }

    static func string(_ value: JSONValue) -> String {
        String(buffer: buffer(value))
    }

    static func write(_ value: JSONValue, into buffer: inout ByteBuffer) {
        switch value {
        case .null: buffer.writeStaticString("null")
        case .bool(true): buffer.writeStaticString("true")
        case .bool(false): buffer.writeStaticString("false")
        case .integer(let i): buffer.writeString(String(i))
        case .number(let d): writeNumber(d, into: &buffer)
        case .string(let s): writeString(s, into: &buffer)
        case .array(let items):
            buffer.writeInteger(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                write(item, into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case .object(let object):
            buffer.writeInteger(UInt8(ascii: "{"))
            for (index, (key, member)) in object.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                writeString(key, into: &buffer)
                buffer.writeInteger(UInt8(ascii: ":"))
                write(member, into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
    }

    /// Shortest text that reads back as the same double; JSON has no NaN or infinity, so those are null.
    static func writeNumber(_ d: Double, into buffer: inout ByteBuffer) {
        guard d.isFinite else {
            buffer.writeStaticString("null")
            return
        }
        if d == d.rounded(), abs(d) < 1e15 {
            buffer.writeString(String(Int64(d)))
        } else {
            buffer.writeString(d.description)
        }
    }

    static func writeString(_ s: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var pendingStart = s.utf8.startIndex
        let utf8 = s.utf8
        for index in utf8.indices {
            let byte = utf8[index]
            let escape: StaticString? =
                switch byte {
                case UInt8(ascii: "\""): "\\\""
                case UInt8(ascii: "\\"): "\\\\"
                case 0x0A: "\\n"
                case 0x0D: "\\r"
                case 0x09: "\\t"
                default: nil
                }
            guard escape != nil || byte < 0x20 else { continue }
            buffer.writeBytes(utf8[pendingStart..<index])
            if let escape {
                buffer.writeStaticString(escape)
            } else {
                let hex = Array("0123456789abcdef".utf8)
                buffer.writeStaticString("\\u00")
                buffer.writeInteger(hex[Int(byte >> 4)])
                buffer.writeInteger(hex[Int(byte & 0x0F)])
            }
            pendingStart = utf8.index(after: index)
        }
        buffer.writeBytes(utf8[pendingStart..<utf8.endIndex])
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
