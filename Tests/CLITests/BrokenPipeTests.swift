import Foundation
import TestSupport
import Testing

/// `stoicprov … | head`: when the reader goes away, the command ends normally instead of dying of SIGPIPE.
@Suite struct BrokenPipeTests {
    @Test func aClosedStdoutEndsTheCommandQuietly() throws {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = BinaryRunner.binary
        // The JSON Schema is several kilobytes: more than fits once the reader has gone.
        process.arguments = ["schema", "--kind", "tenant"]
        process.currentDirectoryURL = BinaryRunner.root
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try pipe.fileHandleForReading.close()
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        #expect(finished.wait(timeout: .now() + .seconds(60)) == .success)
        #expect(process.terminationReason == .exit, "killed by signal \(process.terminationStatus)")
        #expect(process.terminationStatus == 0)
    }
}
