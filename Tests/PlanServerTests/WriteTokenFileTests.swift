import Foundation
import Testing

@testable import PlanServer

/// The write token read from a file (`planatlas serve --token-file`, `PLANATLAS_TOKEN_FILE`).
@Suite("Write token from a file")
struct WriteTokenFileTests {
    static let token = "tok-3f9a-秘密"

    /// Runs `body` with a file of `contents` and `mode` in a fresh folder, removed afterwards.
    func withFile(_ contents: String, mode: Int = 0o600, _ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "planatlas-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appending(path: "token").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        try body(path)
    }

    @Test("The token is the file's one line, without its newline", arguments: ["\(token)", "\(token)\n", "\(token)\r\n"])
    func oneLine(contents: String) throws {
        try withFile(contents) { path in
            let token = try ServerConfiguration.writeToken(fromFile: path)
            #expect(token == Self.token)
        }
    }

    @Test("A file its group or others may access is refused, naming the mode and the fix, as ssh refuses a key",
          arguments: [0o640, 0o604, 0o620, 0o660, 0o644, 0o666])
    func openToOthers(mode: Int) throws {
        try withFile(Self.token + "\n", mode: mode) { path in
            let error = #expect(throws: ConfigurationError.self) { try ServerConfiguration.writeToken(fromFile: path) }
            let message = error?.description ?? ""
            #expect(message.contains("mode 0\(String(mode, radix: 8))") && message.contains("chmod 600 '\(path)'"), "\(message)")
            #expect(!message.contains(Self.token))
        }
    }

    @Test("An empty file, a newline alone and two lines are refused without showing what the file holds", arguments: [
        ("", "is empty"), ("\n", "is empty"), ("\(token)\nsecond-\(token)\n", "more than one line"),
    ])
    func notOneLine(contents: String, reason: String) throws {
        try withFile(contents) { path in
            let error = #expect(throws: ConfigurationError.self) { try ServerConfiguration.writeToken(fromFile: path) }
            let message = error?.description ?? ""
            #expect(message.hasPrefix("token file '\(path)'") && message.contains(reason), "\(message)")
            #expect(!message.contains(Self.token))
        }
    }

    @Test("A missing file and a folder are refused, naming the path")
    func notAFile() throws {
        let missing = #expect(throws: ConfigurationError.self) { try ServerConfiguration.writeToken(fromFile: "/nonexistent/token") }
        #expect(missing?.description == "token file '/nonexistent/token' cannot be read: No such file or directory")
        let folder = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.writeToken(fromFile: FileManager.default.temporaryDirectory.path)
        }
        #expect(folder?.description.hasSuffix("is not a regular file") == true, "\(String(describing: folder))")
    }

    @Test("PLANATLAS_TOKEN_FILE sets the token; with PLANATLAS_TOKEN as well the configuration is refused")
    func environment() throws {
        try withFile(Self.token + "\n") { path in
            var configuration = ServerConfiguration(viewerDirectory: "/tmp")
            try configuration.apply(environment: ["PLANATLAS_TOKEN_FILE": path])
            #expect(configuration.writeToken == Self.token)

            var both = ServerConfiguration(viewerDirectory: "/tmp")
            let error = #expect(throws: ConfigurationError.self) {
                try both.apply(environment: ["PLANATLAS_TOKEN_FILE": path, "PLANATLAS_TOKEN": "other"])
            }
            #expect(error?.description == "set PLANATLAS_TOKEN or PLANATLAS_TOKEN_FILE, not both")
            #expect(both.writeToken == nil)
        }
    }

    @Test("A bad PLANATLAS_TOKEN_FILE is named as the source of the error")
    func environmentNamesTheVariable() throws {
        try withFile(Self.token, mode: 0o644) { path in
            var configuration = ServerConfiguration(viewerDirectory: "/tmp")
            let error = #expect(throws: ConfigurationError.self) { try configuration.apply(environment: ["PLANATLAS_TOKEN_FILE": path]) }
            #expect(error?.description.hasPrefix("PLANATLAS_TOKEN_FILE: token file '\(path)' is open to its group or others") == true)
        }
    }
}
