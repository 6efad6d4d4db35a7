#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to standard error directly: diagnostics must not wait behind buffered output.
func printError(_ message: String) {
    writeRaw(message.hasSuffix("\n") ? message : message + "\n")
}

private func writeRaw(_ text: String) {
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

func exitProcess(_ code: Int32) -> Never {
    exit(code)
}

/// Progress goes to standard error and only when it is a terminal, so pipes and CI logs stay clean.
var standardErrorIsTerminal: Bool { isatty(2) != 0 }

/// A one-line progress display on a terminal ("importing 90,000 / 1,000,000"), silent otherwise.
struct Progress: Sendable {
    let label: String
    let total: Int?
    let enabled = standardErrorIsTerminal

    func update(_ done: Int) {
        guard enabled else { return }
        let text = total.map { "\r\(label) \(done) / \($0)" } ?? "\r\(label) \(done)"
        writeRaw(text + "\u{1B}[K")
    }

    func finish() {
        guard enabled else { return }
        writeRaw("\r\u{1B}[K")
    }
}
