extension JSONValue {
    /// Parses any JSON document (RFC 8259) with the GeoJSON reader's scanner: the same number
    /// handling, nesting limit and error locations, for files that are JSON but not GeoJSON
    /// (styles, request bodies).
    public init(parsing bytes: [UInt8], maxDepth: Int = 64) throws(GeoJSONError) {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(GeoJSONError) -> JSONValue in
                var scanner = GeoJSONScanner(buffer, maxDepth: maxDepth)
                if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { scanner.position = 3 }
                if scanner.peek() == 0, scanner.isAtEnd { throw scanner.error("the document is empty") }
                let value = try scanner.parseValue()
                scanner.skipWhitespace()
                guard scanner.isAtEnd else {
                    throw scanner.error("unexpected data after the end of the document: \(GeoJSONScanner.describeByte(scanner.current))")
                }
                return value
            }
        }
        self = try result.get()
    }
}
