import Foundation
import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

/// A `stoicprov sandbox` child process for end-to-end tests: started with `--port 0`, ready once it printed its
/// "listening" line, stopped with a signal. Its clock is pinned to `pinnedNow` unless a test says otherwise.
public final class SandboxProcess {
    /// `STOICPROV_NOW` for every process tests start: a day on which every example programme is running, so the
    /// tests' expectations hold whatever the real date.
    public static let pinnedNow = "2026-11-27T12:00:00Z"

    /// The process environment with `STOICPROV_NOW` pinned, then `overrides` applied (an empty value unsets it).
    public static func environment(_ overrides: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["STOICPROV_NOW"] = pinnedNow
        environment.merge(overrides) { $1 }
        return environment
    }

    /// The clock of `pinnedNow` for in-process sandboxes that pair with a `stoicprov` process.
    public static var pinnedClock: @Sendable () -> Date {
        SandboxConfiguration.clock(startingAt: try! Date.ISO8601FormatStyle().parse(pinnedNow))
    }

    /// Why a sandbox process could not be started.
    public enum LaunchError: Error, CustomStringConvertible {
        /// The built `stoicprov` binary was not found next to the test bundle.
        case executableNotFound(searched: [String])
        /// The process ended (or closed stdout) before printing its "listening" line; `stderr` says why.
        case exitedBeforeReady(status: Int32, stderr: String)

        public var description: String {
            switch self {
            case .executableNotFound(let searched):
                "stoicprov binary not found (looked in \(searched.joined(separator: ", ")))"
            case .exitedBeforeReady(let status, let stderr):
                "sandbox exited with status \(status) before it was ready: \(stderr)"
            }
        }
    }

    public let process: Process
    /// The root URL from the "listening" line, e.g. `http://127.0.0.1:41234`.
    public let url: String
    private let stderrPipe: Pipe

    /// Starts `stoicprov sandbox --port 0 <arguments>` and waits for the "listening" line. `environment` overrides
    /// variables of the pinned environment (`STOICPROV_NOW`: another instant, or empty for the real clock).
    public init(arguments: [String] = [], executable: URL? = nil, environment: [String: String] = [:]) throws {
        let binary = try executable ?? Self.builtExecutable()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["sandbox", "--port", "0"] + arguments
        process.environment = Self.environment(environment)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "sandbox listening on ") else {
            process.waitUntilExit()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw LaunchError.exitedBeforeReady(status: process.terminationStatus, stderr: stderr)
        }
        self.process = process
        self.url = String(text[range.upperBound...].prefix { !$0.isNewline })
        self.stderrPipe = errors
    }

    /// Sends `signal` (SIGTERM by default), waits for the process to end and returns its exit status and stderr.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM) -> (status: Int32, stderr: String) {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let stderr = String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The `stoicprov` built alongside the running tests (`.build/<triple>/debug/stoicprov`).
    public static func builtExecutable() throws -> URL {
        var directories = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("stoicprov")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw LaunchError.executableNotFound(searched: directories.map(\.path))
    }
}
