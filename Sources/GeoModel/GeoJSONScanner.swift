/// The JSON (RFC 8259) layer of the GeoJSON reader: a cursor over the document's bytes that reads
/// tokens, generic values and skips members it does not interpret. It never reads past the
/// buffer, counts nesting so that hostile depth ends in an error instead of a stack overflow, and
/// reports every problem with the byte offset where it was found.
///
/// Errors thrown here carry no path; the GeoJSON layer and `parseValue` add path components while
/// the error travels back up (`GeoJSONError.inMember` / `inElement`), so the happy path pays nothing.
struct GeoJSONScanner: ~Copyable {
    let base: UnsafePointer<UInt8>
    let count: Int
    var position = 0
    var depth = 0
    let maxDepth: Int
    /// Reused buffer for strings that contain escapes.
    private var scratch: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        // An empty buffer may have no base address; any valid pointer works with count 0.
        self.base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        self.count = bytes.count
        self.maxDepth = maxDepth
    }

    // MARK: Bytes

    /// The byte at `index`, or 0 past the end. 0 can never start or continue a JSON token outside
    /// a string, and inside strings raw control bytes are rejected anyway, so it doubles as "end".
    @inline(__always) func byte(at index: Int) -> UInt8 { index < count ? base[index] : 0 }

    @inline(__always) var current: UInt8 { byte(at: position) }
    var isAtEnd: Bool { position >= count }

    @inline(__always) mutating func skipWhitespace() {
        while position < count {
            switch base[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Skips whitespace and returns the next byte without consuming it (0 at the end).
    @inline(__always) mutating func peek() -> UInt8 {
        skipWhitespace()
        return current
    }

    func error(_ message: String, at offset: Int? = nil) -> GeoJSONError {
        GeoJSONError(message: message, offset: offset ?? position)
    }

    /// "expected <what>, found 'x'" for the byte at `position`, or the truncation error at the end.
    func unexpected(expected: String) -> GeoJSONError {
        if isAtEnd { return error("unexpected end of document (truncated?); expected \(expected)") }
        return error("expected \(expected), found \(Self.describeByte(current))")
    }

    static func describeByte(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    /// Consumes `byte` (after whitespace) or throws "expected <what>".
    @inline(__always) mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(GeoJSONError) {
        if peek() == byte {
            position += 1
        } else {
            throw unexpected(expected: what())
        }
    }

    // MARK: Nesting

    @inline(__always) mutating func enterContainer() throws(GeoJSONError) {
        depth += 1
        if depth > maxDepth {
            throw error("nesting is deeper than the limit of \(maxDepth) levels")
        }
    }

    @inline(__always) mutating func leaveContainer() { depth -= 1 }

    // MARK: Arrays and objects

    /// Consumes the separator after an array element: returns true if another element follows,
    /// false after the closing bracket.
    @inline(__always) mutating func nextElement() throws(GeoJSONError) -> Bool {
        switch peek() {
        case UInt8(ascii: ","):
            position += 1
            return true
        case UInt8(ascii: "]"):
            position += 1
            leaveContainer()
            return false
        default:
            throw unexpected(expected: "',' or ']' after an array element")
        }
    }

    /// Consumes `[` (the caller has checked it is there) and reports whether the array is empty
    /// (in which case `]` is consumed too).
    @inline(__always) mutating func openArray() throws(GeoJSONError) -> Bool {
        position += 1
        try enterContainer()
        if peek() == UInt8(ascii: "]") {
            position += 1
            leaveContainer()
            return false
        }
        return true
    }

    /// Consumes `{` and reports whether the object has members (if not, `}` is consumed too).
    mutating func openObject() throws(GeoJSONError) -> Bool {
        position += 1
        try enterContainer()
        if peek() == UInt8(ascii: "}") {
            position += 1
            leaveContainer()
            return false
        }
        return true
    }

    /// Consumes the separator after an object member: true if another member follows.
    @inline(__always) mutating func nextMember() throws(GeoJSONError) -> Bool {
        switch peek() {
        case UInt8(ascii: ","):
            position += 1
            return true
        case UInt8(ascii: "}"):
            position += 1
            leaveContainer()
            return false
        default:
            throw unexpected(expected: "',' or '}' after an object member")
        }
    }

    /// Reads a member name and the colon after it; returns the raw token for matching.
    mutating func readKey() throws(GeoJSONError) -> StringToken {
        guard peek() == UInt8(ascii: "\"") else { throw unexpected(expected: "a member name in double quotes") }
        let key = try scanString()
        try expect(UInt8(ascii: ":"), "':' after a member name")
        skipWhitespace()
        return key
    }

    // MARK: Kinds of values

    /// "<expectation>, found an array", describing the next value; at the end of the input, the
    /// truncation error instead.
    mutating func mismatch(_ expectation: String) -> GeoJSONError {
        if peek() == 0 && isAtEnd { return error("unexpected end of document (truncated?)") }
        return error("\(expectation), found \(describeNextValue())")
    }

    /// What the next value is, for error messages such as "found an array".
    mutating func describeNextValue() -> String {
        switch peek() {
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "t"): "true"
        case UInt8(ascii: "f"): "false"
        case UInt8(ascii: "n"): "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): "a number"
        default: Self.describeByte(current)
        }
    }

    /// Consumes `literal` (true, false, null) whose first byte has been seen.
    mutating func expectLiteral(_ literal: StaticString) throws(GeoJSONError) {
        let start = position
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for (i, expected) in bytes.enumerated() where byte(at: start + i) != expected {
            position = start + i
            throw isAtEnd
                ? error("unexpected end of document (truncated?) inside '\(literal)'")
                : error("invalid literal; expected '\(literal)'", at: start)
        }
        position = start + bytes.count
    }

    /// Consumes `null` if it is next.
    mutating func consumeNull() throws(GeoJSONError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    // MARK: Generic values

    /// Reads any JSON value (feature properties, foreign members worth keeping).
    /// Duplicate member names in an object are an error: JSON leaves their meaning open.
    mutating func parseValue() throws(GeoJSONError) -> JSONValue {
        switch peek() {
        case UInt8(ascii: "{"):
            return .object(try parseObject())
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            guard try openArray() else { return .array(elements) }
            repeat {
                do throws(GeoJSONError) {
                    elements.append(try parseValue())
                } catch {
                    throw error.inElement(elements.count)
                }
            } while try nextElement()
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            let number = try scanNumber()
            if let integer = number.int64Value { return .integer(integer) }
            return .number(try doubleValue(of: number))
        }
    }

    /// Reads a JSON object (the scanner is at `{`) keeping member order.
    mutating func parseObject() throws(GeoJSONError) -> JSONObject {
        var object = JSONObject()
        guard try openObject() else { return object }
        repeat {
            let keyStart = position
            let keyToken = try readKey()
            let key = string(of: keyToken)
            let value: JSONValue
            do throws(GeoJSONError) {
                value = try parseValue()
            } catch {
                throw error.inMember(key)
            }
            if object.updateValue(value, forKey: key) != nil {
                throw GeoJSONError(message: "duplicate member name \"\(key)\"", offset: keyStart).inMember(key)
            }
        } while try nextMember()
        return object
    }

    /// Checks the syntax of the next value without building it (unknown and foreign members).
    mutating func skipValue() throws(GeoJSONError) {
        switch peek() {
        case UInt8(ascii: "{"):
            guard try openObject() else { return }
            repeat {
                let keyToken = try readKey()
                do throws(GeoJSONError) {
                    try skipValue()
                } catch {
                    throw error.inMember(string(of: keyToken))
                }
            } while try nextMember()
        case UInt8(ascii: "["):
            guard try openArray() else { return }
            var index = 0
            repeat {
                do throws(GeoJSONError) {
                    try skipValue()
                } catch {
                    throw error.inElement(index)
                }
                index += 1
            } while try nextElement()
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
        case UInt8(ascii: "f"):
            try expectLiteral("false")
        case UInt8(ascii: "n"):
            try expectLiteral("null")
        default:
            _ = try scanNumber()
        }
    }

    // MARK: Numbers

    /// A number token, with its digits gathered for the fast conversion paths.
    struct NumberToken {
        var start: Int
        var end: Int
        var negative: Bool
        /// Significant digits, valid while `digitsFit`.
        var mantissa: UInt64
        /// Power of ten to apply to `mantissa` (fraction digits and exponent).
        var exponent: Int
        var isInteger: Bool
        /// False once more than 19 significant digits were seen: use the slow, exact path.
        var digitsFit: Bool

        /// The integer value, if the token has no fraction or exponent and fits in Int64.
        var int64Value: Int64? {
            guard isInteger, digitsFit else { return nil }
            if negative {
                if mantissa <= UInt64(Int64.max) { return -Int64(mantissa) }
                return mantissa == UInt64(Int64.max) + 1 ? Int64.min : nil
            }
            return mantissa <= UInt64(Int64.max) ? Int64(mantissa) : nil
        }
    }

    /// Scans a JSON number, enforcing the grammar (no leading zeros, '+', '.5', NaN or Infinity).
    mutating func scanNumber() throws(GeoJSONError) -> NumberToken {
        let start = position
        var token = NumberToken(start: start, end: start, negative: false, mantissa: 0, exponent: 0,
                                isInteger: true, digitsFit: true)
        var significantDigits = 0
        var i = start
        if byte(at: i) == UInt8(ascii: "-") {
            token.negative = true
            i += 1
        }

        let first = byte(at: i)
        if first == UInt8(ascii: "0") {
            i += 1
            if Self.isDigit(byte(at: i)) {
                throw error("invalid number: leading zeros are not allowed", at: start)
            }
        } else if Self.isDigit(first) {
            while Self.isDigit(byte(at: i)) {
                Self.accumulate(byte(at: i), into: &token, significantDigits: &significantDigits, isFraction: false)
                i += 1
            }
        } else {
            position = start
            throw invalidNumber(startingAt: start)
        }

        if byte(at: i) == UInt8(ascii: ".") {
            token.isInteger = false
            i += 1
            guard Self.isDigit(byte(at: i)) else {
                throw error("invalid number: a digit must follow the decimal point", at: i)
            }
            while Self.isDigit(byte(at: i)) {
                Self.accumulate(byte(at: i), into: &token, significantDigits: &significantDigits, isFraction: true)
                i += 1
            }
        }

        let e = byte(at: i)
        if e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            token.isInteger = false
            i += 1
            var exponentNegative = false
            if byte(at: i) == UInt8(ascii: "-") || byte(at: i) == UInt8(ascii: "+") {
                exponentNegative = byte(at: i) == UInt8(ascii: "-")
                i += 1
            }
            guard Self.isDigit(byte(at: i)) else {
                throw error("invalid number: the exponent needs digits", at: i)
            }
            var exponent = 0
            while Self.isDigit(byte(at: i)) {
                // Clamped: anything this large is out of range for a Double either way.
                if exponent < 100_000 { exponent = exponent * 10 + Int(byte(at: i) &- UInt8(ascii: "0")) }
                i += 1
            }
            token.exponent += exponentNegative ? -exponent : exponent
        }
        token.end = i
        position = i
        return token
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Adds a digit to the token's significand: up to 19 significant digits are kept exactly;
    /// beyond that the token is marked for the slow path.
    @inline(__always)
    private static func accumulate(_ byte: UInt8, into token: inout NumberToken, significantDigits: inout Int, isFraction: Bool) {
        let digit = UInt64(byte &- UInt8(ascii: "0"))
        if token.mantissa == 0 && digit == 0 {
            // Leading zeros are not significant; fraction zeros still move the decimal point.
            if isFraction { token.exponent -= 1 }
            return
        }
        if significantDigits < 19 {
            token.mantissa = token.mantissa &* 10 &+ digit
            significantDigits += 1
            if isFraction { token.exponent -= 1 }
        } else {
            token.digitsFit = false
            if !isFraction { token.exponent += 1 }
        }
    }

    /// The error for something that is not a JSON value where a number (or any value) should be;
    /// names NaN and Infinity, which JSON does not have.
    func invalidNumber(startingAt start: Int) -> GeoJSONError {
        if start >= count { return error("unexpected end of document (truncated?); expected a value", at: start) }
        var end = start
        while end < count, end - start < 24 {
            let b = base[end]
            let isTokenByte = (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
                || b == UInt8(ascii: ".")
            guard isTokenByte else { break }
            end += 1
        }
        if end > start {
            let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
            let lowered = text.lowercased()
            if lowered.contains("nan") || lowered.contains("inf") {
                return error("invalid number \"\(text)\": JSON has no NaN or Infinity", at: start)
            }
            return error("invalid number \"\(text)\"", at: start)
        }
        return error("expected a value, found \(Self.describeByte(base[start]))", at: start)
    }

    /// Exact powers of ten that a Double holds without rounding.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The correctly rounded Double of a number token.
    ///
    /// Fast path (Clinger): with at most 2^53 as the significand and |exponent| ≤ 22, both
    /// operands are exact Doubles and one IEEE multiplication or division rounds correctly.
    /// Everything else goes to the standard library's correctly rounded decimal conversion.
    func doubleValue(of token: NumberToken) throws(GeoJSONError) -> Double {
        if token.digitsFit && token.mantissa <= (1 << 53) {
            if token.mantissa == 0 { return token.negative ? -0.0 : 0.0 }
            let significand = Double(token.mantissa)
            var value: Double?
            if token.exponent >= 0 && token.exponent <= 22 {
                value = significand * Self.exactPowersOfTen[token.exponent]
            } else if token.exponent < 0 && token.exponent >= -22 {
                value = significand / Self.exactPowersOfTen[-token.exponent]
            }
            if let value { return token.negative ? -value : value }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + token.start, count: token.end - token.start),
                          as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("number \(text) is out of range for a 64-bit floating-point value", at: token.start)
        }
        return value
    }

    /// Reads a number token and converts it (coordinates, bbox values).
    @inline(__always) mutating func readDouble() throws(GeoJSONError) -> Double {
        try doubleValue(of: try scanNumber())
    }

    // MARK: Strings

    /// A string token: the bytes between the quotes, and whether they contain escapes.
    struct StringToken {
        var content: Range<Int>
        var hasEscapes: Bool
    }

    /// Scans a string (the scanner is at `"`), checking escapes and UTF-8, without decoding it.
    mutating func scanString() throws(GeoJSONError) -> StringToken {
        let start = position + 1
        var i = start
        var hasEscapes = false
        while true {
            guard i < count else {
                position = i
                throw error("unexpected end of document (truncated?) inside a string that starts at byte \(start - 1)")
            }
            let b = base[i]
            if b == UInt8(ascii: "\"") {
                position = i + 1
                return StringToken(content: start..<i, hasEscapes: hasEscapes)
            } else if b == UInt8(ascii: "\\") {
                hasEscapes = true
                i = try checkEscape(at: i)
            } else if b < 0x20 {
                throw error("control character U+00\(b < 0x10 ? "0" : "")\(String(b, radix: 16, uppercase: true)) must be escaped in a string", at: i)
            } else if b < 0x80 {
                i += 1
            } else {
                i += try utf8SequenceLength(at: i)
            }
        }
    }

    /// Validates the escape at `index` (a backslash) and returns the index after it.
    private func checkEscape(at index: Int) throws(GeoJSONError) -> Int {
        switch byte(at: index + 1) {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return index + 2
        case UInt8(ascii: "u"):
            let unit = try hexUnit(at: index + 2)
            switch unit {
            case 0xD800...0xDBFF:
                guard byte(at: index + 6) == UInt8(ascii: "\\"), byte(at: index + 7) == UInt8(ascii: "u") else {
                    throw error("invalid \\u escape: high surrogate \\u\(String(unit, radix: 16, uppercase: true)) is not followed by a low surrogate", at: index)
                }
                let low = try hexUnit(at: index + 8)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("invalid \\u escape: high surrogate \\u\(String(unit, radix: 16, uppercase: true)) is not followed by a low surrogate", at: index)
                }
                return index + 12
            case 0xDC00...0xDFFF:
                throw error("invalid \\u escape: lone low surrogate \\u\(String(unit, radix: 16, uppercase: true))", at: index)
            default:
                return index + 6
            }
        case 0 where index + 1 >= count:
            throw error("unexpected end of document (truncated?) inside a string escape", at: index)
        default:
            throw error("invalid escape '\\\(Character(Unicode.Scalar(byte(at: index + 1))))' in a string", at: index)
        }
    }

    /// The 16-bit value of four hex digits at `index`.
    private func hexUnit(at index: Int) throws(GeoJSONError) -> UInt32 {
        var value: UInt32 = 0
        for i in index..<(index + 4) {
            let b = byte(at: i)
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape: expected 4 hex digits", at: index - 2)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Length of the well-formed UTF-8 sequence at `index` (a byte ≥ 0x80), per Unicode Table 3-7.
    private func utf8SequenceLength(at index: Int) throws(GeoJSONError) -> Int {
        let lead = base[index]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF  // allowed range of the second byte
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw error("invalid UTF-8 in a string", at: index)
        }
        for k in 1..<length {
            let b = byte(at: index + k)
            let (min, max) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard b >= min && b <= max else { throw error("invalid UTF-8 in a string", at: index) }
        }
        return length
    }

    /// Reads a string value (the scanner is at `"`).
    mutating func readString() throws(GeoJSONError) -> String {
        string(of: try scanString())
    }

    /// The text of a scanned (hence valid) string token.
    mutating func string(of token: StringToken) -> String {
        if !token.hasEscapes {
            return String(decoding: UnsafeBufferPointer(start: base + token.content.lowerBound, count: token.content.count),
                          as: UTF8.self)
        }
        decodeEscapes(token)
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Calls `body` with the token's bytes after unescaping, without building a String.
    mutating func withBytes<R>(of token: StringToken, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if !token.hasEscapes {
            return body(UnsafeBufferPointer(start: base + token.content.lowerBound, count: token.content.count))
        }
        decodeEscapes(token)
        return scratch.withUnsafeBufferPointer(body)
    }

    /// Decodes a token already checked by `scanString` into `scratch`.
    private mutating func decodeEscapes(_ token: StringToken) {
        scratch.removeAll(keepingCapacity: true)
        var i = token.content.lowerBound
        let end = token.content.upperBound
        while i < end {
            let b = base[i]
            guard b == UInt8(ascii: "\\") else {
                scratch.append(b)
                i += 1
                continue
            }
            let kind = base[i + 1]
            i += 2
            switch kind {
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                // Validated by scanString, so these cannot fail.
                var scalar = (try? hexUnit(at: i)) ?? 0xFFFD
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    let low = (try? hexUnit(at: i + 2)) ?? 0xDC00
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                let unicodeScalar = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                scratch.append(contentsOf: UTF8.encode(unicodeScalar)!)
            default: scratch.append(kind)  // \" \\ \/
            }
        }
    }
}
