import Foundation
import Testing

@testable import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

/// `--state`: restore on start, save after changes and on stop, atomically.
@Suite struct ServerStateTests {
    /// Polls `condition` every 10 ms until it holds or `seconds` pass; whether it held. A save that never lands
    /// fails the test instead of hanging it.
    private func eventually(within seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { return false }
            usleep(10_000)
        }
        return true
    }

    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "sandbox-state-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func stateSurvivesARestart() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/state.json"
        try withServer([FakeSurface()], configure: { $0.stateFile = file }) { root, _ in
            _ = try fetch(root + "/fake/items", method: "POST", body: Data("kept".utf8))
            _ = try fetch(root + "/_sandbox/fake/add", method: "POST")
        }
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
        #expect((saved?["fake"] as? [String: Any])?["items"] as? [String] == ["kept", "control"])

        let restarted = FakeSurface()
        try withServer([restarted], configure: { $0.stateFile = file }) { root, _ in
            let reply = try fetch(root + "/fake/items")
            #expect(jsonObject(reply.body)["items"] as? [String] == ["kept", "control"])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["state.json"])
    }

    @Test func changesAreSavedWhileRunning() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/state.json"
        try withServer([FakeSurface()], configure: { $0.stateFile = file }) { root, _ in
            _ = try fetch(root + "/fake/items", method: "POST", body: Data("early".utf8))
            // The background save lands without a stop; wait for it (within a deadline) rather than a fixed time.
            #expect(eventually { (try? String(contentsOfFile: file, encoding: .utf8))?.contains("early") == true })
        }
    }

    /// Saves replace the file (a new inode renamed over the old) instead of rewriting it in place, so a reader
    /// that opened the old file keeps reading the whole old state and never sees a truncated or half-written one.
    @Test func saveReplacesTheFileAtomically() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/state.json"
        func contents() -> String { (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" }
        func inode() -> UInt64 {
            var info = stat()
            return stat(file, &info) == 0 ? UInt64(info.st_ino) : 0
        }
        let big = String(repeating: "z", count: 200_000)
        try withServer([FakeSurface()], configure: { $0.stateFile = file }) { root, _ in
            _ = try fetch(root + "/fake/items", method: "POST", body: Data("one-\(big)".utf8))
            try #require(eventually { contents().contains("one-") })
            let before = inode()
            let reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
            defer { try? reader.close() }

            _ = try fetch(root + "/fake/items", method: "POST", body: Data("two-\(big)".utf8))
            try #require(eventually { contents().contains("two-") })

            let old = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
            #expect(old.contains("one-") && !old.contains("two-"))
            #expect((try? JSONSerialization.jsonObject(with: Data(old.utf8))) != nil)
            #expect(inode() != before)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["state.json"])
    }

    @Test func unreadableStateFileIsAnError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/state.json"
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: file))
        var configuration = SandboxConfiguration()
        configuration.stateFile = file
        #expect {
            _ = try SandboxServer(configuration, surfaces: [FakeSurface()])
        } throws: { error in
            guard case .state(let path, _) = error as? SandboxError else { return false }
            return path == file
        }
    }
}
