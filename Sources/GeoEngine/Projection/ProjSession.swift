#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPROJ
import GeoModel
import Synchronization

/// One PROJ context and the transformation objects created in it, cached by CRS pair.
///
/// PROJ's rule is that a `PJ_CONTEXT`, and every `PJ` made in it, is used by one thread at a time. This class is
/// deliberately not `Sendable`: it lives inside `ProjSessionPool`'s mutexes and is lent to one caller at a time.
final class ProjSession {
    private let context: OpaquePointer
    private let log: ProjLog
    /// Normalised (east/north axis order) `PJ*` operations, created on first use: creating one costs milliseconds
    /// (a proj.db lookup), using one costs well under a microsecond per point.
    private var operations: [CRSPair: OpaquePointer] = [:]

    /// `searchPaths` replaces PROJ's own search for proj.db and grids (PROJ_DATA, then the build's default,
    /// /usr/share/proj on Debian, where the proj-data package puts it).
    init(searchPaths: [String]? = nil) throws(ProjectionError) {
        guard let context = proj_context_create() else {
            let reason = "PROJ could not create a context (out of memory?)"
            throw .transformUnavailable(from: .wgs84, to: .wgs84, reason: reason)
        }
        self.context = context
        self.log = ProjLog()
        // Only the local proj.db and grids: a transform must never wait on (or depend on) the network.
        proj_context_set_enable_network(context, 0)
        if let searchPaths { Self.setSearchPaths(searchPaths, in: context) }
        // PROJ's messages go to `log`, whose text our error values carry, never to stderr.
        proj_log_level(context, PJ_LOG_ERROR)
        proj_log_func(context, Unmanaged.passUnretained(log).toOpaque()) { appData, _, message in
            guard let appData, let message else { return }
            Unmanaged<ProjLog>.fromOpaque(appData).takeUnretainedValue().messages.append(String(cString: message))
        }
    }

    private static func setSearchPaths(_ paths: [String], in context: OpaquePointer) {
        let copies = paths.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { $0.map { UnsafePointer($0) } }
        pointers.withUnsafeBufferPointer { buffer in
            proj_context_set_search_paths(context, Int32(buffer.count), buffer.baseAddress)
        }
    }

    deinit {
        for operation in operations.values { proj_destroy(operation) }
        proj_context_destroy(context)
    }

    /// How many PROJ operations this session has created: each CRS pair once, if the cache works.
    private(set) var operationsCreated = 0

    /// Transforms `coordinates` from `pair.from` into `pair.to`, both PROJ systems, in one `proj_trans_array` call.
    /// Throws only when the operation cannot be built; a point that fails is reported in the returned value.
    func transform(_ coordinates: [Coordinate], _ pair: CRSPair) throws(ProjectionError) -> ProjBatchResult {
        let operation = try self.operation(for: pair)
        log.messages.removeAll()
        var points = coordinates.map(Self.projCoordinate)
        let status = points.withUnsafeMutableBufferPointer { buffer in
            proj_trans_array(operation, PJ_FWD, buffer.count, buffer.baseAddress)
        }
        // PROJ marks a failed point with HUGE_VAL and carries on; some inputs yield NaN without an error code.
        if let failed = points.firstIndex(where: { !($0.xyzt.x.isFinite && $0.xyzt.y.isFinite && $0.xyzt.z.isFinite) }) {
            return .failure(index: failed, reason: reason(transforming: coordinates[failed], with: operation))
        }
        if status != 0 {
            // Not seen in practice (PROJ marks every failed point); without a marked point, blame the batch's first.
            return .failure(index: 0, reason: errorText(status))
        }
        return .success(zip(coordinates, points).map { input, output in
            // A 2D input stays 2D: the z PROJ carried along was our placeholder.
            Coordinate(x: output.xyzt.x, y: output.xyzt.y, z: input.z == nil ? nil : output.xyzt.z)
        })
    }

    /// PROJ's reason for failing on one point, found by transforming it alone.
    private func reason(transforming input: Coordinate, with operation: OpaquePointer) -> String {
        proj_errno_reset(operation)
        _ = proj_trans(operation, PJ_FWD, Self.projCoordinate(input))
        let code = proj_errno(operation)
        proj_errno_reset(operation)
        return code != 0 ? errorText(code) : "the result is not a finite number"
    }

    private static func projCoordinate(_ c: Coordinate) -> PJ_COORD {
        // t = HUGE_VAL means "no epoch": none of our operations is time-dependent.
        PJ_COORD(xyzt: PJ_XYZT(x: c.x, y: c.y, z: c.z ?? 0, t: .infinity))
    }

    private func operation(for pair: CRSPair) throws(ProjectionError) -> OpaquePointer {
        if let cached = operations[pair] { return cached }
        guard let from = pair.from.projDefinition, let to = pair.to.projDefinition else {
            throw .transformUnavailable(from: pair.from, to: pair.to, reason: "\(pair) is not a pair of PROJ systems")
        }
        log.messages.removeAll()
        guard let candidates = proj_create_crs_to_crs(context, from, to, nil) else {
            throw .transformUnavailable(from: pair.from, to: pair.to, reason: contextErrorText())
        }
        defer { proj_destroy(candidates) }
        // East/north axis order at both ends (PROJ follows the registry: latitude first for EPSG:4326).
        guard let normalised = proj_normalize_for_visualization(context, candidates) else {
            throw .transformUnavailable(from: pair.from, to: pair.to, reason: contextErrorText())
        }
        var operation = normalised
        if pair.usesAutomaticTransverseMercator, let automatic = withAutomaticTransverseMercator(normalised) {
            proj_destroy(normalised)
            operation = automatic
        }
        operations[pair] = operation
        operationsCreated += 1
        return operation
    }

    /// `operation` with its one Transverse Mercator step computed by PROJ's `algo=auto`: the
    /// Evenden/Snyder series within 3° of the central meridian (about half the time per point of
    /// the exact Poder/Engsager algorithm PROJ uses by default), the exact algorithm farther out.
    /// Nil when the operation is not a pipeline with exactly one such step and no algorithm chosen.
    private func withAutomaticTransverseMercator(_ operation: OpaquePointer) -> OpaquePointer? {
        guard let text = proj_as_proj_string(context, operation, PJ_PROJ_5, nil).map({ String(cString: $0) }) else {
            return nil
        }
        let words = text.split(separator: " ")
        guard words.count(where: { $0 == "+proj=tmerc" }) == 1,
              !words.contains(where: { $0.hasPrefix("+algo=") || $0 == "+approx" }) else { return nil }
        let automatic = words.map { $0 == "+proj=tmerc" ? "+proj=tmerc +algo=auto" : String($0) }.joined(separator: " ")
        return proj_create(context, automatic)
    }

    /// PROJ's log says what went wrong ("Cannot find proj.db"); its error code alone is often "Unknown error".
    private func contextErrorText() -> String {
        if !log.messages.isEmpty { return log.messages.joined(separator: "; ") }
        return errorText(proj_context_errno(context))
    }

    private func errorText(_ code: Int32) -> String {
        proj_context_errno_string(context, code).map { String(cString: $0) } ?? "PROJ error \(code)"
    }
}

/// Receives PROJ's log messages for one context (PROJ's callback needs a stable object to write into).
private final class ProjLog {
    var messages: [String] = []
}

enum ProjBatchResult: Sendable {
    case success([Coordinate])
    /// The first point that failed, by index into the input, and PROJ's reason.
    case failure(index: Int, reason: String)
}

struct CRSPair: Hashable, Sendable, CustomStringConvertible {
    var from: CRS
    var to: CRS
    var description: String { "\(from) -> \(to)" }

    /// WGS 84 to the metric frame and back, the pairs behind every snapshot, near query and
    /// overlap, compute Transverse Mercator with PROJ's `algo=auto` (see `ProjSession`). Over the
    /// frame's zone (CM 123E ± 3°) that agrees with the exact algorithm to well under 0.1 mm, which
    /// the test suite checks against pyproj; every other pair keeps PROJ's default, exact algorithm.
    var usesAutomaticTransverseMercator: Bool {
        (from == .wgs84 && to == CRS.metricFrame) || (from == CRS.metricFrame && to == .wgs84)
    }
}

/// A fixed set of slots, each a mutex around a lazily created `ProjSession`. A caller borrows the first free slot's
/// session for the duration of a closure; if every slot is busy it waits for one. The sessions, and so their cached
/// PROJ operations, are reused for the life of the process.
///
/// The first free slot, not a rotating one: a session and each of its operations cost milliseconds of proj.db
/// lookups to create, a busy slot's try-lock nanoseconds, so sessions are only made when callers really overlap
/// (a single thread keeps using one).
final class ProjSessionPool: Sendable {
    static let shared = ProjSessionPool(slotCount: 16)

    private final class Slot: Sendable {
        let session = Mutex<ProjSession?>(nil)
    }

    private let slots: [Slot]
    private let searchPaths: [String]?
    /// Where a caller finding every slot busy waits, so that waiting callers spread out.
    private let nextSlot = Atomic<Int>(0)

    init(slotCount: Int, searchPaths: [String]? = nil) {
        slots = (0..<max(1, slotCount)).map { _ in Slot() }
        self.searchPaths = searchPaths
    }

    /// Runs `body` with a session no other thread is using. `body` is `@Sendable` so that it cannot capture a
    /// variable to smuggle the session out; its result must be `Sendable` for the same reason.
    func withSession<Result: Sendable>(
        _ body: @Sendable (ProjSession) throws(ProjectionError) -> Result
    ) throws(ProjectionError) -> Result {
        for slot in slots {
            // Wrapped so that a busy slot (nil) cannot be mistaken for a body that returned nil.
            let attempt = try slot.session.withLockIfAvailable { (session) throws(ProjectionError) -> Completed<Result> in
                Completed(value: try run(body, in: &session))
            }
            if let completed = attempt {
                return completed.value
            }
        }
        let wait = Int(UInt(bitPattern: nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue) % UInt(slots.count))
        return try slots[wait].session.withLock { (session) throws(ProjectionError) -> Result in
            try run(body, in: &session)
        }
    }

    /// Sessions created so far and the PROJ operations they created (for tests of the caching).
    func statistics() -> (sessions: Int, operationsCreated: Int) {
        var sessions = 0
        var operationsCreated = 0
        for slot in slots {
            if let count = slot.session.withLock({ $0?.operationsCreated }) {
                sessions += 1
                operationsCreated += count
            }
        }
        return (sessions, operationsCreated)
    }

    private struct Completed<Value: Sendable>: Sendable {
        var value: Value
    }

    private func run<Result: Sendable>(
        _ body: @Sendable (ProjSession) throws(ProjectionError) -> Result, in slot: inout ProjSession?
    ) throws(ProjectionError) -> Result {
        if let session = slot { return try body(session) }
        let session = try ProjSession(searchPaths: searchPaths)
        slot = session
        return try body(session)
    }
}
