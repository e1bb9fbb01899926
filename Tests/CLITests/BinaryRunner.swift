import Foundation
import TestSupport
import Testing

/// Runs the built `stoicprov` binary as a user would, with a timeout so a hang fails instead of blocking the suite,
/// on the pinned clock (`STOICPROV_NOW` = `SandboxProcess.pinnedNow`) unless a test overrides it.
enum BinaryRunner {
    /// The package root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = root.appendingPathComponent(".build/debug/stoicprov")

    struct Result {
        var status: Int32
        /// Whether the process exited normally (not killed by a signal: no crash).
        var exitedNormally: Bool
        var stdout: String
        var stderr: String
    }

    enum Failure: Error, CustomStringConvertible {
        case timedOut(arguments: [String], seconds: Int)

        var description: String {
            switch self {
            case .timedOut(let arguments, let seconds): "stoicprov \(arguments.joined(separator: " ")) ran over \(seconds)s"
            }
        }
    }

    /// Runs `stoicprov arguments` in `directory` (the package root by default). Output goes to files, so a large
    /// output can never fill a pipe and stall the child.
    static func run(
        _ arguments: [String], in directory: URL = root, environment: [String: String] = [:], timeout seconds: Int = 60
    ) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = SandboxProcess.environment(["NO_COLOR": "1"].merging(environment) { $1 })
        process.standardOutput = out
        process.standardError = err
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + .seconds(seconds)) == .timedOut {
            process.terminate()
            _ = finished.wait(timeout: .now() + .seconds(5))
            throw Failure.timedOut(arguments: arguments, seconds: seconds)
        }
        try out.close()
        try err.close()
        return Result(
            status: process.terminationStatus, exitedNormally: process.terminationReason == .exit,
            stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}
