#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a `GeoJSONWriter` puts its bytes. The writer batches its output (64 KiB at a time), so a
/// sink receives few, large writes and needs no buffering of its own.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws(ByteSinkError)
}

public struct ByteSinkError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Collects the bytes in memory.
public final class ByteArraySink: ByteSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) {
        self.bytes.append(contentsOf: bytes)
    }

    /// Returns the bytes collected so far and empties the sink (for handing out chunks while a
    /// document is still being written).
    public func takeBytes() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }
}

/// Writes to a file descriptor with POSIX `write`, retrying partial and interrupted writes.
public final class FileSink: ByteSink {
    private var descriptor: Int32
    private let ownsDescriptor: Bool
    /// For messages: the path, or `file descriptor N`.
    public let name: String

    /// Creates or truncates the file at `path` (mode 0644); the sink closes it.
    public init(path: String) throws(ByteSinkError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ByteSinkError(message: "cannot create \"\(path)\": \(Self.systemMessage())")
        }
        self.descriptor = descriptor
        self.ownsDescriptor = true
        self.name = "\"\(path)\""
    }

    /// Writes to a descriptor opened elsewhere, which the sink leaves open.
    public init(fileDescriptor: Int32) {
        self.descriptor = fileDescriptor
        self.ownsDescriptor = false
        self.name = fileDescriptor == 1 ? "standard output" : "file descriptor \(fileDescriptor)"
    }

    public static func standardOutput() -> FileSink { FileSink(fileDescriptor: 1) }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(ByteSinkError) {
        guard descriptor >= 0 else { throw ByteSinkError(message: "cannot write to \(name): it is closed") }
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            #if canImport(Darwin)
            let written = Darwin.write(descriptor, next, remaining)
            #elseif canImport(Musl)
            let written = Musl.write(descriptor, next, remaining)
            #else
            let written = Glibc.write(descriptor, next, remaining)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                throw ByteSinkError(message: "cannot write to \(name): \(Self.systemMessage())")
            }
            next += written
            remaining -= written
        }
    }

    /// Closes a file the sink opened, reporting errors that only show at close (full disk on NFS).
    public func close() throws(ByteSinkError) {
        guard ownsDescriptor, descriptor >= 0 else { return }
        #if canImport(Darwin)
        let result = Darwin.close(descriptor)
        #elseif canImport(Musl)
        let result = Musl.close(descriptor)
        #else
        let result = Glibc.close(descriptor)
        #endif
        descriptor = -1
        if result != 0 {
            throw ByteSinkError(message: "cannot close \(name): \(Self.systemMessage())")
        }
    }

    deinit {
        if ownsDescriptor && descriptor >= 0 {
            #if canImport(Darwin)
            _ = Darwin.close(descriptor)
            #elseif canImport(Musl)
            _ = Musl.close(descriptor)
            #else
            _ = Glibc.close(descriptor)
            #endif
        }
    }

    private static func systemMessage() -> String {
        let code = errno
        return String(cString: strerror(code)) + " (errno \(code))"
    }
}
