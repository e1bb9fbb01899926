import Foundation
import Live
import Sandbox
import TestSupport
import Testing

/// The canary-secret test (issue 9, class 3): a distinctive secret in every `env:` and `file:` reference, a server
/// that repeats the credentials it receives in its error bodies, and every command and output format run against
/// it. No form of any secret (as is, lower- or upper-cased, base64 as in a Basic auth header, percent-encoded)
/// may appear in a byte stoicprov prints or writes: stdout, stderr, the plan file, the Markdown sheet, the imported
/// tenant, the journal, the lock directory.
@Suite(.serialized) struct CanarySecretTests {
    static let secrets = [
        "WORKOS_API_KEY": "CanaryWorkOS-k7Qz2Lp9Xw",
        "THINKIFIC_API_KEY": "CanaryThinkific-R4tY8uVb3N",
        "INSIGHTS_SCIM_TOKEN": "CanaryInsights-m2Hx6Jq1Ze",
    ]
    static let fileSecret = "CanaryDashboard-F5sD9gW3Kc"

    /// A copy of `examples/` whose connections go through `proxy`, with the dashboard token in a file.
    static func workspace(proxy: EchoingProxy) throws -> URL {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-canary-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: BinaryRunner.root.appendingPathComponent("examples"), to: workspace)
        let config = workspace.appendingPathComponent("stoicprov.yaml")
        var text = try String(contentsOf: config, encoding: .utf8)
        let root = proxy.url
        for (old, new) in [
            ("workos: { api_key: env:WORKOS_API_KEY }", "workos: { api_key: env:WORKOS_API_KEY, base_url: \(root)/workos }"),
            (
                "api_key: env:THINKIFIC_API_KEY, requests_per_minute: 120 }",
                "api_key: env:THINKIFIC_API_KEY, requests_per_minute: 60000, base_url: \(root)/thinkific/api/public/v1 }"
            ),
            ("https://insights.stoic.example/scim/v2", "\(root)/scim/insights/v2"),
            ("https://dashboard.stoic.example/scim/v2", "\(root)/scim/dashboard/v2"),
        ] {
            #expect(text.contains(old), "examples/stoicprov.yaml has no '\(old)'")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(to: config, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: workspace.appendingPathComponent("secrets"), withIntermediateDirectories: true)
        try Data((fileSecret + "\n").utf8).write(to: workspace.appendingPathComponent("secrets/dashboard.token"))
        return workspace
    }

    /// Every form of every canary that must never be shown or written.
    static var forbidden: [String] {
        (Array(secrets.values) + [fileSecret]).flatMap { secret in
            [
                secret, secret.lowercased(), secret.uppercased(), Data(secret.utf8).base64EncodedString(),
                Data((secret + ":").utf8).base64EncodedString(), Data((":" + secret).utf8).base64EncodedString(),
                secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret,
            ]
        }
    }

    /// Every file under `workspace` but the secret file itself, as text.
    static func writtenFiles(_ workspace: URL) -> [String: String] {
        var files: [String: String] = [:]
        let walker = FileManager.default.enumerator(at: workspace, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            let relative = String(url.path.dropFirst(workspace.path.count))
            guard !relative.hasPrefix("/secrets"), let data = FileManager.default.contents(atPath: url.path) else { continue }
            files[relative] = String(decoding: data, as: UTF8.self)
        }
        return files
    }

    @Test func noCanaryInAnyOutputOrFile() async throws {
        let sandbox = try PlanSandbox()
        let proxy = try EchoingProxy(upstream: sandbox.url, mode: .echoEverything)
        defer { proxy.stop() }
        let workspace = try Self.workspace(proxy: proxy)
        defer { try? FileManager.default.removeItem(at: workspace) }
        var outputs: [String: String] = [:]
        func run(_ arguments: [String]) throws {
            let result = try BinaryRunner.run(arguments, in: workspace, environment: Self.secrets, timeout: 180)
            #expect(result.exitedNormally, "\(arguments)")
            outputs[arguments.joined(separator: " ")] = result.stdout + result.stderr
        }

        // Every read answered with the credentials repeated: the plan's errors carry the server's messages.
        for arguments in [
            ["validate", "."], ["validate", ".", "--format", "github"], ["plan", "."], ["plan", ".", "--format", "json"],
            ["plan", ".", "--format", "markdown", "--show-emails"], ["plan", ".", "--out", "errors.json"],
            ["show", "errors.json"], ["show", "errors.json", "--format", "json"],
            ["show", "errors.json", "--format", "markdown"],
            ["apply", ".", "--auto-approve"], ["apply", "errors.json"], ["describe", "pg", "."],
            ["describe", "pg", ".", "--out", "pg-sheet.md"], ["import", "newco", "--from-live", ".", "--domain", "newco.com"],
        ] {
            try run(arguments)
        }
        let readEchoes = proxy.echoes
        // Reads pass; every write is answered with the credentials repeated: the journal records the messages.
        proxy.setMode(.echoWrites)
        try run(["plan", ".", "--tenant", "contoso", "--out", "contoso.json"])
        try run(["apply", "contoso.json"])
        try run(["apply", ".", "--tenant", "northwind", "--auto-approve"])

        #expect(readEchoes > 0 && proxy.echoes > readEchoes, "the server echoed nothing: nothing was proven")
        #expect(outputs["plan ."]?.contains(SecretScrubber.replacement) == true, "the echo reached the plan (scrubbed)")
        let journal = Self.writtenFiles(workspace).filter { $0.key.hasPrefix("/.stoicprov/journal/") }.values.joined()
        #expect(journal.contains(SecretScrubber.replacement), "the echoed messages reached the journal (scrubbed): \(journal)")
        for (name, text) in outputs.merging(Self.writtenFiles(workspace), uniquingKeysWith: { $0 + $1 }) {
            for form in Self.forbidden where text.contains(form) {
                Issue.record("a form of a canary secret in \(name): …\(context(of: form, in: text))…")
            }
        }
    }

    private func context(of form: String, in text: String) -> String {
        guard let range = text.range(of: form) else { return "" }
        let start = text.index(range.lowerBound, offsetBy: -60, limitedBy: text.startIndex) ?? text.startIndex
        return String(text[start..<range.lowerBound]) + "[SECRET]"
    }
}
