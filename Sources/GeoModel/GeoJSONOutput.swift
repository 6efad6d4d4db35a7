/// The byte buffer a `GeoJSONWriter` formats into: JSON tokens, strings with RFC 8259 escapes,
/// and numbers. Numbers are formatted here digit by digit (no Foundation, no `String(format:)`),
/// so output is the same on every platform and run.
struct GeoJSONOutput: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    mutating func removeAll() { count = 0 }

    /// Drops everything written after `mark` (a count taken earlier): undoes a failed feature.
    mutating func truncate(to mark: Int) { count = min(count, mark) }

    @inline(__always) private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toHold: count + extra) }
    }

    private mutating func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    // MARK: Raw bytes

    @inline(__always) mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always) mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    // MARK: Strings

    /// A JSON string: quotes, backslashes and control characters escaped; everything else,
    /// non-ASCII included, as raw UTF-8.
    mutating func appendString(_ string: String) {
        append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let byte = utf8[i]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                append(UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case 0x08: append("\\b")
                case 0x0C: append("\\f")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                default:
                    append("\\u00")
                    append(Self.hexDigits[Int(byte >> 4)])
                    append(Self.hexDigits[Int(byte & 0xF)])
                }
            }
            append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    // MARK: Numbers

    mutating func appendInteger(_ value: Int64) {
        reserve(20)
        var magnitude = value.magnitude
        if value < 0 { base[count] = UInt8(ascii: "-"); count += 1 }
        let digits = Self.digitCount(magnitude)
        var i = count + digits
        count = i
        repeat {
            i -= 1
            base[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude != 0
    }

    @inline(__always) private static func digitCount(_ value: UInt64) -> Int {
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return digits
    }

    /// A number of decimal places with its powers of ten, worked out once per writer.
    struct DecimalPlaces {
        /// Most places formatted digit by digit; beyond that a Double has no more digits to give.
        static let maximum = 15

        let count: Int
        let scale: Double  // 10^count, exact
        let divisor: UInt64  // 10^count

        /// nil for counts above `maximum`; negative counts mean 0.
        init?(_ count: Int) {
            guard count <= Self.maximum else { return nil }
            self.count = max(count, 0)
            var divisor: UInt64 = 1
            for _ in 0..<self.count { divisor *= 10 }
            self.divisor = divisor
            self.scale = Double(divisor)
        }
    }

    /// `value` rounded to `places` decimals, trailing zeros and a bare point dropped:
    /// 123.45678912 → `123.4567891`, 0.99999999 → `1`, -0.00000001 → `0`, 2.5 → `2.5`.
    ///
    /// Rounding is exact on the binary value, ties to even (as glibc's printf): the product
    /// value × 10^places is formed without error as hi + lo (lo from a fused multiply-add), and
    /// only then rounded to an integer. Values too large for that (|value × 10^places| ≥ 2^52,
    /// where a Double has no digits left at that place) are written in shortest form.
    /// The caller guarantees `value` is finite.
    mutating func appendFixed(_ value: Double, places: DecimalPlaces) {
        let scale = places.scale
        let hi = value * scale
        guard hi.magnitude < 0x1p52 else {
            appendShortest(value, integersWithoutFraction: true)
            return
        }
        let lo = (-hi).addingProduct(value, scale)  // value × scale − hi, exactly
        // floor(hi), by truncation (cheaper than a libm call on baseline x86-64).
        var scaled = Int64(hi)
        var floor = Double(scaled)
        if floor > hi {
            scaled -= 1
            floor -= 1
        }
        let aboveHalf = ((hi - floor) - 0.5) + lo  // sign of (fraction of the exact product − ½)
        if aboveHalf > 0 || (aboveHalf == 0 && scaled & 1 == 1) { scaled += 1 }

        reserve(24)
        if scaled == 0 {
            base[count] = UInt8(ascii: "0")
            count += 1
            return
        }
        if scaled < 0 { base[count] = UInt8(ascii: "-"); count += 1 }
        let magnitude = scaled.magnitude
        var integerPart = magnitude / places.divisor
        var fraction = magnitude % places.divisor
        var fractionDigits = places.count
        while fraction != 0 && fraction % 10 == 0 {
            fraction /= 10
            fractionDigits -= 1
        }
        let integerDigits = Self.digitCount(integerPart)
        let length = integerDigits + (fraction == 0 ? 0 : 1 + fractionDigits)
        var i = count + length
        count = i
        if fraction != 0 {
            for _ in 0..<fractionDigits {
                i -= 1
                base[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction % 10)
                fraction /= 10
            }
            i -= 1
            base[i] = UInt8(ascii: ".")
        }
        repeat {
            i -= 1
            base[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: integerPart % 10)
            integerPart /= 10
        } while integerPart != 0
    }

    /// The shortest text that reads back as exactly `value` (the standard library's algorithm,
    /// platform independent), e.g. `0.1`, `1e-07`, `1e+20`. With `integersWithoutFraction`,
    /// `5.0` is written `5` (coordinates); without it `5.0` stays a float (property values).
    /// The caller guarantees `value` is finite.
    mutating func appendShortest(_ value: Double, integersWithoutFraction: Bool) {
        var text = value.description
        if integersWithoutFraction, text.hasSuffix(".0") { text.removeLast(2) }
        if text == "-0" { text = "0" }
        text.withUTF8 { append($0) }
    }
}
