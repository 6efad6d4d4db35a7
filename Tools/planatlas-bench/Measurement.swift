import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall and CPU seconds of each named phase, one entry per repetition, in the order the phases
/// first ran: what the harness reads as `phases_s` and `cpu_s`.
struct PhaseClock {
    private(set) var order: [String] = []
    private(set) var wall: [String: [Double]] = [:]
    private(set) var cpu: [String: [Double]] = [:]

    /// Runs `body` as one repetition of `phase`.
    mutating func time<T>(_ phase: String, _ body: () async throws -> T) async rethrows -> T {
        let wallStart = Self.wallSeconds()
        let cpuStart = Self.cpuSeconds()
        let result = try await body()
        record(phase, wall: Self.wallSeconds() - wallStart, cpu: Self.cpuSeconds() - cpuStart)
        return result
    }

    private mutating func record(_ phase: String, wall seconds: Double, cpu cpuSeconds: Double) {
        if wall[phase] == nil { order.append(phase) }
        wall[phase, default: []].append(seconds)
        cpu[phase, default: []].append(cpuSeconds)
        let line = String(format: "%@: %.4f s wall, %.4f s CPU", phase, seconds, cpuSeconds)
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func wallSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    /// User plus system time of every thread of the process, as `getrusage(RUSAGE_SELF)` counts it.
    static func cpuSeconds() -> Double {
        let usage = Self.usage()
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The process's largest resident set so far, in bytes: Linux's VmHWM. Not getrusage's
    /// ru_maxrss, which on Linux keeps the high-water mark of the process image before exec, so
    /// a child started by a large harness would report the harness's size.
    static func peakResidentBytes() -> Int {
        if let status = procSelfStatus(),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Int(line.dropFirst("VmHWM:".count).split(whereSeparator: \.isWhitespace).first ?? "") {
            return kilobytes * 1024
        }
        return Int(Self.usage().ru_maxrss) * 1024  // kilobytes on Linux
    }

    /// /proc/self/status, read until end of file (procfs reports a size of 0, so readers that
    /// trust the size get nothing); nil where there is no such file.
    private static func procSelfStatus() -> String? {
        let descriptor = open("/proc/self/status", O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func usage() -> rusage {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return usage
    }
}

/// Progress and notes for the harness's log; stdout is reserved for the result line.
func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
