#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func printError(_ message: String) {
    var line = message
    if !line.hasSuffix("\n") { line += "\n" }
    fputs(line, stderr)
}

func exitProcess(_ code: Int32) -> Never {
    fflush(stdout)
    exit(code)
}

/// Progress goes to standard error and only when it is a terminal, so pipes and CI logs stay clean.
var standardErrorIsTerminal: Bool { isatty(2) != 0 }
