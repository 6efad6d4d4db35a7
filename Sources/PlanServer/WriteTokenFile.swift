import Foundation

/// A setting the service cannot start with; the message names the setting, never a secret.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension ServerConfiguration {
    /// The write token kept in the file at `path`: its one line, without the newline. Like ssh with
    /// a private key, the file is refused when its group or others have any access to it, since the
    /// token lets its holder change the plan; refused too when empty or of more than one line.
    public static func writeToken(fromFile path: String) throws(ConfigurationError) -> String {
        let file = "token file '\(path)'"
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ConfigurationError("\(file) cannot be read: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        // The mode of the file that was opened, not of whatever the path names a moment later.
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw ConfigurationError("\(file) cannot be read: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw ConfigurationError("\(file) is not a regular file") }
        let access = status.st_mode & 0o777
        guard access & 0o077 == 0 else {
            throw ConfigurationError("\(file) is open to its group or others (mode \(String(access, radix: 8).leftPadded(to: 4))); "
                                     + "only its owner may read it: chmod 600 '\(path)'")
        }
        let maximumBytes = 4096
        var bytes = [UInt8](repeating: 0, count: maximumBytes + 1)
        let count = read(descriptor, &bytes, bytes.count)
        guard count >= 0 else { throw ConfigurationError("\(file) cannot be read: \(String(cString: strerror(errno)))") }
        guard count <= maximumBytes else { throw ConfigurationError("\(file) is larger than \(maximumBytes) bytes; it should hold the token, on one line") }
        guard var text = String(validating: bytes[..<count], as: UTF8.self) else { throw ConfigurationError("\(file) is not UTF-8 text") }
        if text.last?.isNewline == true { text.removeLast() }  // "\n", or "\r\n" (one Character)
        guard !text.isEmpty else { throw ConfigurationError("\(file) is empty; it should hold the token, on one line") }
        guard !text.contains(where: \.isNewline) else {
            throw ConfigurationError("\(file) has more than one line; it should hold the token, on one line")
        }
        return text
    }
}
