import Foundation
import Spec
import TestSupport
import Testing

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func millionAs() {
        #expect(
            SHA256.hex(String(repeating: "a", count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let text = String(repeating: "stoicprov ", count: 50)
        var hasher = SHA256()
        for chunk in text.split(separator: " ", omittingEmptySubsequences: false) {
            hasher.update(Data((chunk + " ").utf8))
        }
        let incremental = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        #expect(incremental == SHA256.hex(text + " "))
    }
}

@Suite struct WorkspaceDigestTests {
    @Test func digestDependsOnPathsAndContentsButNotTheDirectoryName() throws {
        let root = try Scratch.examples("digest")
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try #require(WorkspaceLoader.load(directory: root.path).workspace)
        let second = try #require(WorkspaceLoader.load(directory: root.path + "/").workspace)
        #expect(first.digest.count == 64)
        #expect(first.digest == second.digest)

        let tenant = root.appendingPathComponent("tenants/pg.yaml")
        let text = try String(contentsOf: tenant, encoding: .utf8)
        try text.replacingOccurrences(of: "seats: 500", with: "seats: 501").write(to: tenant, atomically: true, encoding: .utf8)
        let changed = try #require(WorkspaceLoader.load(directory: root.path).workspace)
        #expect(changed.digest != first.digest)
    }

    @Test func pathBoundariesCannotCollide() {
        #expect(Workspace.digest(of: ["a": "bc"]) != Workspace.digest(of: ["ab": "c"]))
    }
}
