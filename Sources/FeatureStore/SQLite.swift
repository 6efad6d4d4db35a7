import CSpatiaLite
import Dispatch

// A thin layer over the SQLite C API with SpatiaLite loaded: one connection, used by one thread
// at a time (the `SQLiteWorker` actor that owns it guarantees that), so SQLite runs in its
// multi-thread mode (SQLITE_OPEN_NOMUTEX) without its own connection mutex.

enum SQLiteValue {
    case null
    case integer(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

/// SQLite's "copy the value now" destructor sentinel, which the C macro SQLITE_TRANSIENT names.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection with SpatiaLite initialised on it. Not Sendable: an actor owns it.
final class SQLiteConnection {
    private let db: OpaquePointer
    /// SpatiaLite's per-connection state (GEOS/PROJ/RTTOPO handles and message buffers).
    private let spatialiteCache: UnsafeMutableRawPointer
    /// Prepared statements by SQL text, reused across calls (the bulk import's main saving).
    private var statements: [String: OpaquePointer] = [:]

    init(path: String, readOnly: Bool) throws(StoreError) {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw .database("cannot open SQLite database \(quoted(path)): \(message)")
        }
        guard let cache = spatialite_alloc_connection() else {
            sqlite3_close_v2(handle)
            throw .database("cannot allocate a SpatiaLite connection")
        }
        db = handle
        spatialiteCache = cache
        spatialite_init_ex(handle, cache, 0)
        // GEOS and RTTOPO notices (e.g. "Self-intersection at or near point") are kept in the
        // cache for the SQL functions that report them, not printed to stderr.
        spatialite_set_silent_mode(cache)
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(db)
        spatialite_cleanup_ex(spatialiteCache)
    }

    /// Runs SQL without parameters (pragmas, DDL), possibly several statements.
    func execute(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(db, sql, nil, nil, &message)
        if status != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_free(message)
            throw Self.classified(status, "SQLite: \(text) (code \(status))")
        }
    }

    /// Runs one statement to completion and returns how many rows it changed.
    @discardableResult
    func run(_ sql: String, _ binds: [SQLiteValue] = []) throws(StoreError) -> Int {
        try forEachRow(sql, binds) { _ throws(StoreError) in }
        return Int(sqlite3_changes(db))
    }

    /// Runs one statement, calling `body` for each row.
    func forEachRow(_ sql: String, _ binds: [SQLiteValue],
                    _ body: (SQLiteRow) throws(StoreError) -> Void) throws(StoreError) {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in binds.enumerated() {
            let position = Int32(index + 1)
            let status: Int32 = switch value {
            case .null: sqlite3_bind_null(statement, position)
            case .integer(let i): sqlite3_bind_int64(statement, position, i)
            case .double(let d): sqlite3_bind_double(statement, position, d)
            case .text(let s): sqlite3_bind_text(statement, position, s, -1, transient)
            case .blob(let bytes):
                bytes.withUnsafeBytes { sqlite3_bind_blob(statement, position, $0.baseAddress, Int32($0.count), transient) }
            }
            if status != SQLITE_OK { throw error(status, sql) }
        }
        while true {
            let status = sqlite3_step(statement)
            switch status {
            case SQLITE_ROW: try body(SQLiteRow(statement: statement))
            case SQLITE_DONE: return
            default: throw error(status, sql)
            }
        }
    }

    /// The first row's values through `read`, or nil without rows.
    func firstRow<T>(_ sql: String, _ binds: [SQLiteValue] = [],
                     _ read: (SQLiteRow) throws(StoreError) -> T) throws(StoreError) -> T? {
        var result: T?
        try forEachRow(sql, binds) { row throws(StoreError) in
            if result == nil { result = try read(row) }
        }
        return result
    }

    /// Runs `body` in a transaction: COMMIT if it returns, ROLLBACK if it throws.
    /// IMMEDIATE takes the write lock at once, so a second writer process waits (busy_timeout)
    /// at BEGIN rather than failing halfway through.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a read transaction, so that its statements see one committed state.
    func snapshot<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }
        return try body()
    }

    private func prepared(_ sql: String) throws(StoreError) -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status, sql) }
        statements[sql] = statement
        return statement
    }

    private func error(_ status: Int32, _ sql: String) -> StoreError {
        let message = String(cString: sqlite3_errmsg(db))
        let statement = sql.split(separator: "\n").first.map(String.init) ?? sql
        return Self.classified(status, "SQLite: \(message) (code \(status)) in \(statement.prefix(120))")
    }

    /// A full disk is its own error (the service answers 507, not 500); everything else is a database error.
    private static func classified(_ status: Int32, _ message: String) -> StoreError {
        status & 0xFF == SQLITE_FULL ? .storageFull(message) : .database(message)
    }
}

/// The current row of a statement; valid only inside the `forEachRow` callback.
struct SQLiteRow {
    fileprivate let statement: OpaquePointer

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func blob(_ column: Int32) -> [UInt8]? {
        guard !isNull(column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }
}

/// Runs an actor's jobs on its own serial dispatch queue, so that long SQLite calls (a million-
/// row import) occupy a thread of their own instead of one of the few cooperative-pool threads.
final class SerialQueueExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

/// Owns one connection and runs everything on it one call at a time, on its own thread.
actor SQLiteWorker {
    private let executor: SerialQueueExecutor
    private var connection: SQLiteConnection?

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(path: String, readOnly: Bool, pragmas: String) throws(StoreError) {
        executor = SerialQueueExecutor(label: "planatlas.sqlite.\(readOnly ? "reader" : "writer")")
        let connection = try SQLiteConnection(path: path, readOnly: readOnly)
        try connection.execute(pragmas)
        self.connection = connection
    }

    /// Runs `body` with the connection; throws `.closed` after `close()`.
    func run<T: Sendable>(_ body: sending (SQLiteConnection) throws(StoreError) -> T) throws(StoreError) -> T {
        guard let connection else { throw .closed }
        return try body(connection)
    }

    /// Closes the connection (SQLite, then SpatiaLite's per-connection state).
    func close() { connection = nil }
}
