import CGEOS
import GeoModel

/// One GEOS context (`GEOSContextHandle_t`): the state GEOS's reentrant API needs for every call,
/// including where error messages go.
///
/// GEOS allows a context to be used by one thread at a time, any thread, one after another. That is
/// exactly what a non-`Sendable` class gives: Swift 6's region checks keep an instance (and every
/// `GEOSGeometry` and `PreparedGeometry` made in it) inside one task, so it is never used from two
/// threads at once. No lock and no `@unchecked Sendable` are involved.
///
/// Contexts are not pooled: creating and finishing one costs about 0.1 µs (GEOS 3.11, release
/// build), less than converting a four-corner polygon, so each task or each call simply makes its
/// own. A pool would add a lock and an unchecked hand-over between threads for no measurable
/// gain. Keep one context for a loop that converts many geometries; the value-level API
/// (`Geometry.area()` and friends) makes a fresh one per call.
public final class GEOSContext {
    let handle: OpaquePointer
    /// The text GEOS passed to the error handler during the current call.
    private var lastError: String?
    /// The first NaN or infinite x/y met while converting the current value to GEOS.
    var firstNonFinite: Coordinate?

    public init() throws(GeometryError) {
        guard let handle = GEOS_init_r() else {
            throw .geos(operation: "GEOS_init_r", message: "GEOS could not allocate a context")
        }
        self.handle = handle
        // The handler runs synchronously inside the failing GEOS call, while `self` is alive
        // (the handle is finished in deinit), so an unretained reference is enough.
        GEOSContext_setErrorMessageHandler_r(handle, { message, userData in
            guard let userData else { return }
            let context = Unmanaged<GEOSContext>.fromOpaque(userData).takeUnretainedValue()
            context.lastError = message.map { String(cString: $0) } ?? "GEOS error without a message"
        }, Unmanaged.passUnretained(self).toOpaque())
        // No notice handler: GEOS's notices only repeat what isValidReason returns.
    }

    deinit {
        GEOS_finish_r(handle)
    }

    /// The GEOS library this process runs with, e.g. "3.11.1-CAPI-1.17.1".
    public static var libraryVersion: String { String(cString: GEOSversion()) }

    // MARK: Calling GEOS

    /// Runs one GEOS call that signals failure with NULL.
    func call<T>(_ operation: String, _ body: (OpaquePointer) -> T?) throws(GeometryError) -> T {
        lastError = nil
        guard let result = body(handle) else { throw failure(operation) }
        return result
    }

    /// Runs a GEOS predicate: 1 true, 0 false, 2 exception.
    func predicate(_ operation: String, _ body: (OpaquePointer) -> CChar) throws(GeometryError) -> Bool {
        lastError = nil
        switch body(handle) {
        case 1: return true
        case 0: return false
        default: throw failure(operation)
        }
    }

    /// Runs a GEOS call that writes a number through a pointer and returns 0 on exception.
    func measure(
        _ operation: String, _ body: (OpaquePointer, UnsafeMutablePointer<Double>) -> Int32
    ) throws(GeometryError) -> Double {
        lastError = nil
        var value = 0.0
        guard body(handle, &value) != 0 else { throw failure(operation) }
        return value
    }

    /// Runs a GEOS call that returns a string the caller must free.
    func string(_ operation: String, _ body: (OpaquePointer) -> UnsafeMutablePointer<CChar>?) throws(GeometryError) -> String {
        let text = try call(operation, body)
        defer { GEOSFree_r(handle, text) }
        return String(cString: text)
    }

    /// The error GEOS reported for the call that just failed.
    func failure(_ operation: String) -> GeometryError {
        .geos(operation: operation, message: lastError ?? "GEOS reported a failure without a message")
    }

    /// GEOS's message for the call that just failed, for callers that wrap it in their own error.
    var lastErrorMessage: String {
        lastError ?? "GEOS reported a failure without a message"
    }

    func clearError() {
        lastError = nil
    }
}
