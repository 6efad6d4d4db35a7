import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import Logging
import Testing

@testable import PlanServer

/// A throwaway viewer directory: an index page, a script, a nested file, a hidden file, and two
/// symlinks, one staying inside and one pointing out of the directory.
struct ViewerFixture: Sendable {
    let root: URL
    let viewer: URL
    let outside: URL

    static let indexHTML = "<!doctype html><title>viewer</title><p>map</p>"
    static let appJS = "export const answer = 42;\n"
    static let secret = "outside the served tree"

    init() throws {
        root = FileManager.default.temporaryDirectory.appending(path: "planserver-tests-\(UUID().uuidString)")
        viewer = root.appending(path: "viewer")
        outside = root.appending(path: "outside")
        let files = FileManager.default
        try files.createDirectory(at: viewer.appending(path: "images"), withIntermediateDirectories: true)
        try files.createDirectory(at: outside, withIntermediateDirectories: true)
        try Self.indexHTML.write(to: viewer.appending(path: "index.html"), atomically: true, encoding: .utf8)
        try Self.appJS.write(to: viewer.appending(path: "app.js"), atomically: true, encoding: .utf8)
        try "body{}".write(to: viewer.appending(path: "app.css"), atomically: true, encoding: .utf8)
        try "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".write(to: viewer.appending(path: "images/mark.svg"),
                                                               atomically: true, encoding: .utf8)
        try "hidden".write(to: viewer.appending(path: ".env"), atomically: true, encoding: .utf8)
        try Self.secret.write(to: outside.appending(path: "secret.txt"), atomically: true, encoding: .utf8)
        try files.createSymbolicLink(at: viewer.appending(path: "escape.txt"), withDestinationURL: outside.appending(path: "secret.txt"))
        try files.createSymbolicLink(at: viewer.appending(path: "escape-dir"), withDestinationURL: outside)
        try files.createSymbolicLink(at: viewer.appending(path: "alias.js"), withDestinationURL: viewer.appending(path: "app.js"))
    }

    /// Makes a fixture, runs `body`, removes the fixture's files.
    static func with<T>(_ body: (ViewerFixture) async throws -> T) async throws -> T {
        let fixture = try ViewerFixture()
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        return try await body(fixture)
    }

    func configuration(token: String? = nil, cors: [String] = [], maximumBodyBytes: Int = 16 * 1024 * 1024,
                       tileURL: String? = nil) -> ServerConfiguration {
        ServerConfiguration(writeToken: token, corsAllowedOrigins: cors, maximumBodyBytes: maximumBodyBytes,
                            viewerDirectory: viewer.path, tileURL: tileURL)
    }
}

/// Runs `body` against the router of a service built from `configuration` without data (no atlas).
func withService<T: Sendable>(_ configuration: ServerConfiguration, logger: Logger = quietLogger,
                              _ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
    let app = buildApplication(configuration: configuration, atlas: nil, logger: logger)
    return try await app.test(.router, body)
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body parsed by Foundation (not by our own reader), as a dictionary.
    func jsonObject(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(buffer: body))
        return try #require(value as? [String: Any], "body is not a JSON object: \(text)", sourceLocation: sourceLocation)
    }

    /// Checks the RFC 9457 shape and returns the problem's members.
    func problem(status expected: HTTPResponse.Status, parameter: String? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(status == expected, "body: \(text)", sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let object = try jsonObject(sourceLocation: sourceLocation)
        #expect((object["type"] as? String)?.hasPrefix("urn:planatlas:problem:") == true, sourceLocation: sourceLocation)
        #expect((object["title"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(object["status"] as? Int == Int(expected.code), sourceLocation: sourceLocation)
        #expect((object["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(object["parameter"] as? String == parameter, sourceLocation: sourceLocation)
        return object
    }
}

extension TestResponse {
    /// What every HTML page carries: a Content-Security-Policy of the page's own origin that no other
    /// site may frame (`frame-ancestors 'none'`; X-Frame-Options for browsers without it), no MIME
    /// sniffing, and no Referer leaking plan URLs to other hosts.
    func expectSecurityHeadersOfAnHTMLPage(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let csp = try #require(headers[.contentSecurityPolicy], "no Content-Security-Policy", sourceLocation: sourceLocation)
        for directive in ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"] {
            #expect(csp.contains(directive), "\(csp)", sourceLocation: sourceLocation)
        }
        #expect(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "\(csp)", sourceLocation: sourceLocation)
        #expect(headers[.xContentTypeOptions] == "nosniff", sourceLocation: sourceLocation)
        #expect(headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", sourceLocation: sourceLocation)
        #expect(headers[HTTPField.Name("X-Frame-Options")!] == "DENY", sourceLocation: sourceLocation)
    }
}

extension Data {
    init(buffer: ByteBuffer) {
        self.init(buffer.readableBytesView)
    }
}

/// Tests that do not look at the log keep it out of the test output.
let quietLogger = Logger(label: "planatlas.test") { _ in SwiftLogNoOpLogHandler() }

/// Log entries captured from a service under test.
func capturingLogger() -> (Logger, InMemoryLogHandler) {
    let handler = InMemoryLogHandler()
    var logger = Logger(label: "planatlas.test") { _ in handler }
    logger.logLevel = .info
    return (logger, handler)
}

/// Runs a program to completion without blocking a concurrency thread (services under test need
/// those threads to answer it); returns its exit status and what it wrote to standard output.
func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let outputFile = FileManager.default.temporaryDirectory.appending(path: "planatlas-test-output-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: outputFile) }
    let handle = try FileHandle(forWritingTo: outputFile)
    process.standardOutput = handle
    process.standardError = handle
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        process.terminationHandler = { _ in continuation.resume() }
        do {
            try process.run()
        } catch {
            continuation.resume(throwing: error)
        }
    }
    try handle.close()
    return (process.terminationStatus, try String(contentsOf: outputFile, encoding: .utf8))
}
