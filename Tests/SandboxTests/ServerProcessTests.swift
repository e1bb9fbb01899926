import Foundation
import TestSupport
import Testing

@testable import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

/// The `stoicprov sandbox` process: the one "listening" line, serving, a clean exit on SIGTERM and SIGINT.
@Suite struct ServerProcessTests {
    @Test(arguments: [SIGTERM, SIGINT])
    func startsServesAndExitsCleanlyOnSignal(_ signal: Int32) throws {
        let sandbox = try SandboxProcess(arguments: ["--faults", "*:500=1", "--rate-limit", "none"])
        #expect(sandbox.url.hasPrefix("http://127.0.0.1:"))
        let stats = try fetch(sandbox.url + "/_sandbox/stats")
        #expect(stats.status == 200)
        let result = sandbox.stop(signal: signal)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }

    @Test func badFlagsExit64() throws {
        #expect {
            _ = try SandboxProcess(arguments: ["--faults", "thinkific:often=1"])
        } throws: { error in
            guard case .exitedBeforeReady(let status, let stderr) = error as? SandboxProcess.LaunchError else { return false }
            return status == 64 && stderr.contains("--faults")
        }
    }

    /// Issue 9, class 11: a seed asking for 10^9 generated people is a seed error naming the place, not an abort.
    @Test func aBillionGeneratedPeopleIsASeedErrorNotACrash() throws {
        let file = NSTemporaryDirectory() + "sandbox-seed-\(UUID().uuidString).yaml"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let seed = "thinkific:\n  sites:\n    - subdomain: big\n      generate: { count: 1000000000, domain: big.example }\n"
        try Data(seed.utf8).write(to: URL(fileURLWithPath: file))
        #expect {
            _ = try SandboxProcess(arguments: ["--seed", file])
        } throws: { error in
            guard case .exitedBeforeReady(let status, let stderr) = error as? SandboxProcess.LaunchError else { return false }
            return status == 1 && stderr.contains("\(file):4:") && stderr.contains("1000000")
        }
    }

    @Test func stateFileIsWrittenOnSignal() throws {
        let file = NSTemporaryDirectory() + "sandbox-process-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let sandbox = try SandboxProcess(arguments: ["--state", file])
        _ = try fetch(sandbox.url + "/_sandbox/reset", method: "POST")
        #expect(sandbox.stop().status == 0)
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(saved is [String: Any])
    }
}
