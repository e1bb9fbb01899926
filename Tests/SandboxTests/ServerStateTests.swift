import Foundation
import Testing

@testable import Sandbox

/// `--state`: restore on start, save after changes and on stop, atomically.
@Suite struct ServerStateTests {
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
            // The background save lands without a stop; wait for it rather than for a fixed time.
            var contents: String?
            while contents?.contains("early") != true {
                usleep(20_000)
                contents = try? String(contentsOfFile: file, encoding: .utf8)
            }
            #expect(contents?.contains("early") == true)
        }
    }

    @Test func theFileIsNeverHalfWritten() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/state.json"
        let big = String(repeating: "z", count: 20_000)
        try withServer([FakeSurface()], configure: { $0.stateFile = file }) { root, _ in
            let done = Counter()
            DispatchQueue.global().async {
                let client = try? RawClient(port: port(of: root))
                for index in 0..<300 {
                    let body = "\(index)-\(big)"
                    client?.send("POST /fake/items HTTP/1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                    _ = client?.readResponse()
                }
                done.add()
            }
            var reads = 0
            var torn = 0
            while done.value == 0 {
                if let data = FileManager.default.contents(atPath: file) {
                    reads += 1
                    if (try? JSONSerialization.jsonObject(with: data)) == nil { torn += 1 }
                }
            }
            #expect(torn == 0)
            #expect(reads > 0)
        }
        let final = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
        #expect(((final?["fake"] as? [String: Any])?["items"] as? [String])?.count == 300)
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
