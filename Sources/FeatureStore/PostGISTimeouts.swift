import PostgresNIO
import Synchronization

/// The clock of one pooled call: first the wait for a connection (`Timeouts.connection`), then
/// the wait for the database's answers (`Timeouts.query`). When a wait runs out, or the
/// connection closes under the call (`ClosingConnections`), `onExpiry` gets the error the caller is
/// answered with. The
/// phase moves under a lock, so a connection leased after the call expired is handed back unused,
/// and a connection is closed for silence only while this call still holds it.
final class CallDeadline: Sendable {
    private enum Phase {
        case connecting(due: ContinuousClock.Instant)
        case querying(due: ContinuousClock.Instant, on: PostgresConnection)
        case finished
        case expired
    }

    private let timeouts: PostGISStore.Timeouts
    private let phase: Mutex<Phase>
    private let onExpiry: @Sendable (StoreError) -> Void

    init(_ timeouts: PostGISStore.Timeouts, onExpiry: @escaping @Sendable (StoreError) -> Void) {
        self.timeouts = timeouts
        self.onExpiry = onExpiry
        phase = Mutex(.connecting(due: .now + timeouts.connection))
    }

    /// Starts the wait for answers on `connection`; false if the call has expired already.
    func leased(_ connection: PostgresConnection) -> Bool {
        phase.withLock { phase in
            guard case .connecting = phase else { return false }
            phase = .querying(due: .now + timeouts.query, on: connection)
            return true
        }
    }

    /// Gives the call `Timeouts.query` again from now: a batch write calls it before each change.
    func extend() {
        phase.withLock { phase in
            if case .querying(_, let connection) = phase { phase = .querying(due: .now + timeouts.query, on: connection) }
        }
    }

    /// The call is done with its connection (before handing it back to the pool).
    func finish() {
        phase.withLock { phase in
            if case .querying = phase { phase = .finished }
        }
    }

    /// Whether the call is still waiting for a connection.
    var isConnecting: Bool {
        phase.withLock { phase in
            if case .connecting = phase { true } else { false }
        }
    }

    /// When the current wait ends; nil once the call is finished or expired.
    var due: ContinuousClock.Instant? {
        phase.withLock { phase in
            switch phase {
            case .connecting(let due), .querying(let due, _): due
            case .finished, .expired: nil
            }
        }
    }

    /// If the current wait is over: expires the call and closes a silent connection (a query on it
    /// then fails, where it would wait until TCP gives up on a server that is gone).
    func expireIfDue() {
        let expired: (StoreError, PostgresConnection?)? = phase.withLock { phase in
            switch phase {
            case .connecting(let due) where due <= .now:
                phase = .expired
                return (.unavailable("no connection to PostgreSQL within \(timeouts.connection)"), nil)
            case .querying(let due, let connection) where due <= .now:
                phase = .expired
                return (.unavailable("PostgreSQL did not answer within \(timeouts.query)"), connection)
            default:
                return nil
            }
        }
        guard let (error, connection) = expired else { return }
        onExpiry(error)
        let _: EventLoopFuture<Void>? = connection?.close()
    }

    /// `connection` closed: if this call still waits on it, it ends now (see `ClosingConnections`).
    func connectionClosed(_ connection: PostgresConnection) {
        let expired = phase.withLock { phase in
            guard case .querying(_, let current) = phase, current === connection else { return false }
            phase = .expired
            return true
        }
        if expired { onExpiry(.unavailable("the connection to PostgreSQL closed during the call")) }
    }
}

/// Ends the call waiting on a pooled connection the moment that connection closes: a query written
/// to a connection that has just closed may never be answered (see `FirstAnswer`), and the call
/// should not wait out its whole query timeout for that. One close callback per connection: one
/// per call would pile up on a long-lived connection until it closes.
final class ClosingConnections: Sendable {
    private struct State {
        var watched: Set<PostgresConnection.ID> = []
        var calls: [PostgresConnection.ID: CallDeadline] = [:]
    }

    private let state = Mutex(State())

    /// The call of `deadline` waits on `connection` until `unwatch`.
    func watch(_ connection: PostgresConnection, for deadline: CallDeadline) {
        let isNew = state.withLock { state in
            state.calls[connection.id] = deadline
            return state.watched.insert(connection.id).inserted
        }
        guard isNew else { return }
        connection.closeFuture.whenComplete { _ in
            let call = self.state.withLock { state in
                state.watched.remove(connection.id)
                return state.calls.removeValue(forKey: connection.id)
            }
            call?.connectionClosed(connection)
        }
    }

    func unwatch(_ connection: PostgresConnection) {
        _ = state.withLock { $0.calls.removeValue(forKey: connection.id) }
    }
}

/// The one answer a caller gets: the first of the call's own result and its deadline's error.
/// The caller waits for this rather than for the call's task, which a query on a dead connection
/// can hold forever: PostgresNIO 1.33 drops a query written to a connection that has just closed
/// (its channel handlers gone) without ever answering it.
final class FirstAnswer<T: Sendable>: Sendable {
    private struct State {
        var result: Result<T, any Error>?
        var waiter: CheckedContinuation<T, any Error>?
    }

    private let state = Mutex(State())

    /// Settles the answer, unless it is settled already.
    func give(_ result: Result<T, any Error>) {
        let waiter: CheckedContinuation<T, any Error>? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    var value: T {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let settled: Result<T, any Error>? = state.withLock { state in
                    if state.result == nil { state.waiter = continuation }
                    return state.result
                }
                if let settled { continuation.resume(with: settled) }
            }
        }
    }
}
