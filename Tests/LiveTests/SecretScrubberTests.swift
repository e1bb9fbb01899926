import Foundation
import Testing

@testable import Live

/// Every resolved secret, in every obvious encoding, is removed from text (issue 9, class 3).
@Suite struct SecretScrubberTests {
    static let key = "Canary-Scrub-7Hq2Zp9Lw4Xv"

    init() throws {
        let resolver = SecretResolver(workspace: URL(fileURLWithPath: "/"), environment: ["SCRUB_CANARY": Self.key])
        _ = try resolver.resolve("env:SCRUB_CANARY", setting: "test")
    }

    static let forms: [(String, String)] = {
        let base64 = { (text: String) in Data(text.utf8).base64EncodedString() }
        var forms: [(String, String)] = [("as is", key), ("lower-cased", key.lowercased()), ("upper-cased", key.uppercased())]
        forms.append(("percent-encoded", key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        forms.append(("base64", base64(key)))
        forms.append(("basic user", base64(key + ":")))
        forms.append(("basic password", base64(":" + key)))
        forms.append(("basic with a user name", base64("someone@example.com:" + key)))
        forms.append(("basic with a longer user name", base64("ab:" + key)))
        forms.append(("basic with a password", base64(key + ":x")))
        forms.append(("bearer, base64", base64("Bearer " + key)))
        return forms
    }()

    @Test(arguments: forms)
    func everyFormIsScrubbed(form: String, encoded: String) {
        let text = #"{"error":"bad key \#(encoded) for you"}"#
        let scrubbed = SecretScrubber.scrub(text)
        #expect(!scrubbed.contains(encoded), "\(form): \(scrubbed)")
        #expect(scrubbed.contains(SecretScrubber.replacement), "\(form)")
        #expect(scrubbed.hasPrefix(#"{"error":"bad key "#), "text around the secret stays")
        let data = SecretScrubber.scrub(Data(text.utf8))
        #expect(!String(decoding: data, as: UTF8.self).contains(encoded), "\(form) in bytes")
    }

    @Test func textWithoutSecretsIsUnchanged() {
        let text = "ana@pg.com enrolled in conscious-leadership-foundations ✓"
        #expect(SecretScrubber.scrub(text) == text)
    }

    @Test func aServerMessageNeverCarriesTheKeyEvenWhenCut() {
        // 195 characters, then the key: shortening must not leave half of it behind.
        let body = Data(#"{"message":"\#(String(repeating: "x", count: 195))\#(Self.key)"}"#.utf8)
        let message = HTTPChannel.errorMessage(body) ?? ""
        #expect(!message.contains(String(Self.key.prefix(5))), "\(message)")
    }
}

/// How fast scrubbing is over a large plan's worth of text, with four secrets known (`STOICPROV_BENCH=1`).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["STOICPROV_BENCH"] == "1"))
struct SecretScrubberBenchmark {
    @Test func scrubs160MegabytesInBoundedTime() throws {
        let resolver = SecretResolver(
            workspace: URL(fileURLWithPath: "/"),
            environment: [
                "A": "bench-key-one-1234567", "B": "bench-key-two-7654321", "C": "sk_live_benchkey", "D": "scimtoken-xyz",
            ])
        for name in ["A", "B", "C", "D"] { _ = try resolver.resolve("env:\(name)", setting: name) }
        let line = Data(#"        "email" : "ana.garcia@pg.com", "reason" : "joined SG-Stoic-Learners",\#n"#.utf8)
        var text = Data()
        while text.count < 160 << 20 { text.append(line) }
        let start = ContinuousClock.now
        let scrubbed = SecretScrubber.scrub(text)
        let elapsed = ContinuousClock.now - start
        print("scrubbed \(text.count >> 20) MB in \(elapsed)")
        #expect(scrubbed.count == text.count)
    }
}
