import Foundation
import Spec
import Testing

/// Class 7 of issue 9: output stays proportional to what a person can read, whatever the input: repeated diagnostics
/// are capped per file and code, and long source lines are windowed. Class 8: a YAML file that does not parse has
/// its literal secrets redacted like a parsed one.
@Suite(.timeLimit(.minutes(1))) struct HostileOutputTests {
    private typealias W = HostileWorkspace

    /// Generous for 20 diagnostics per kind with 160-character snippets, tiny next to what was printed before.
    private static let outputBound = 64 * 1024

    // MARK: - Class 7: caps and windows

    @Test func rosterHeaderWith16000ColumnsPrintsLittle() throws {
        let workspace = try W()
        let header = "email," + (1...16_000).map { "c\($0)" }.joined(separator: ",")
        try workspace.write("rosters/acme.csv", header + "\nada@acme.com" + String(repeating: ",", count: 16_000) + "\n")
        let clock = ContinuousClock()
        var loaded: HostileWorkspace.Loaded?
        let elapsed = clock.measure { loaded = workspace.load() }
        let result = try #require(loaded)
        #expect(elapsed < .seconds(20))
        #expect(result.diagnostics.warningCount == 16_000)
        #expect(result.with("unknown-roster-column").count == Diagnostics.capPerFileAndCode)
        let omitted = try #require(result.with("diagnostics-omitted").first)
        #expect(omitted.message.contains("15,980 more unknown-roster-column"))
        for (format, output) in result.outputs {
            #expect(output.utf8.count < Self.outputBound, "\(format): \(output.utf8.count) bytes")
        }
    }

    @Test func lineWith16000UnknownKeysPrintsLittle() throws {
        let workspace = try W()
        let keys = (1...16_000).map { "zz\($0): 1" }.joined(separator: ", ")
        let program = "program: { starts: 2026-01-05, ends: 2026-06-30 }"
        let tenant = W.tenant().replacingOccurrences(
            of: program, with: "program: { starts: 2026-01-05, ends: 2026-06-30, \(keys) }")
        #expect(tenant != W.tenant())
        try workspace.write("tenants/acme.yaml", tenant)
        let result = workspace.load()
        #expect(result.workspace == nil)
        #expect(result.diagnostics.errorCount >= 16_000)
        #expect(result.with("unknown-key").count == Diagnostics.capPerFileAndCode)
        for (format, output) in result.outputs {
            #expect(output.utf8.count < Self.outputBound, "\(format): \(output.utf8.count) bytes")
        }
        // Every text snippet line is windowed.
        let longest = result.outputs[.text]?.split(separator: "\n").map { $0.unicodeScalars.count }.max() ?? 0
        #expect(longest <= 400)
    }

    @Test func capCountsWhatItOmitsWhenCollectionsMerge() {
        var inner = Diagnostics()
        let location = Spec.SourceLocation(file: "f.yaml", line: 1, column: 1)
        for _ in 0..<50 { inner.append(.error("x", "m", at: location)) }
        var outer = Diagnostics()
        outer.append(contentsOf: inner)
        outer.append(contentsOf: inner)
        #expect(outer.errorCount == 100)
        #expect(outer.all.count == Diagnostics.capPerFileAndCode + 1)
        #expect(outer.all.last?.message.contains("80 more x in f.yaml") == true)
    }

    @Test func longLinesAreWindowedAroundTheColumn() {
        let line = Substring(String(repeating: "a", count: 1000) + "X" + String(repeating: "b", count: 1000))
        let (text, column) = Excerpt.window(line, column: 1001)
        #expect(text.unicodeScalars.count <= Excerpt.snippetWidth + 2)
        #expect(text.hasPrefix("…") && text.hasSuffix("…"))
        #expect(Array(text.unicodeScalars)[column - 1] == "X")
        let short = Excerpt.window("key: value", column: 6)
        #expect(short.text == "key: value" && short.column == 6)
        let start = Excerpt.window(line, column: 3)
        #expect(!start.text.hasPrefix("…") && start.column == 3)
    }

    @Test func controlCharactersNeverReachTheTerminal() {
        #expect(Excerpt.window("a\u{1B}[31mb\u{07}c\td", column: 0).text == "a?[31mb?c\td")
        #expect(Excerpt.quote("x\u{1B}\r\ny") == "x???y")
        #expect(Excerpt.quote(String(repeating: "k", count: 10_000)).unicodeScalars.count == Excerpt.quoteLength + 1)
    }

    // MARK: - Class 8: YAML that does not parse

    @Test(arguments: [
        // A duplicate key, secret on both lines.
        "version: 1\nconnections:\n  workos: { api_key: CANARY_SECRET_9f3b }\n  workos: { api_key: CANARY_SECRET_9f3b }\n",
        // A syntax error on the secret's own line.
        "version: 1\nconnections:\n  thinkific:\n    api_key: CANARY_SECRET_9f3b: oops\n",
        // A duplicate key under a block-style secret.
        "version: 1\nconnections:\n  workos:\n    api_key: CANARY_SECRET_9f3b\n    api_key: CANARY_SECRET_9f3b\n",
        // A block scalar holding the secret, then an error.
        "version: 1\nconnections:\n  workos:\n    api_key: |\n      CANARY_SECRET_9f3b\n    base_url: [\n",
        // A quoted secret with a tab error after it.
        "version: 1\nconnections:\n  workos: { \"api_key\": \"CANARY_SECRET_9f3b\" }\n\tbad: 1\n  workos: {}\n",
        // An unknown secret-looking key and an unclosed quote.
        "version: 1\nclient_secret: CANARY_SECRET_9f3b\nname: \"unclosed\n",
        // A secret glued to its key (one plain scalar), in flow and block style.
        "version: 1\nconnections:\n  workos: { api_key: env:WORKOS_API_KEY, api_key:CANARY_SECRET_9f3b }\n",
        "version: 1\nconnections:\n  workos:\n    api_key: env:WORKOS_API_KEY\n    api_key:CANARY_SECRET_9f3b\n",
        // A secret pasted into a key name, in a file that parses and in one that does not.
        "version: 1\nconnections:\n  workos: { api_key: env:WORKOS_API_KEY, token_CANARY_SECRET_9f3b: 1 }\n",
        "version: 1\nconnections:\n  workos: { api_key: env:A, token_CANARY_SECRET_9f3b: 1, token_CANARY_SECRET_9f3b: 2 }\n",
    ])
    func unparsedConfigNeverShowsALiteralSecret(_ config: String) throws {
        let workspace = try W()
        try workspace.write("stoicprov.yaml", config)
        let loaded = workspace.load()
        #expect(loaded.workspace == nil)
        #expect(loaded.diagnostics.hasErrors)
        loaded.expectNoCanary()
    }

    @Test func plainCredentialKeysAreStillNamed() throws {
        let workspace = try W()
        try workspace.write(
            "stoicprov.yaml", "version: 1\nconnections:\n  workos: { api_key: env:WORKOS_API_KEY, client_secret: x }\n")
        let loaded = workspace.load()
        #expect(loaded.with("unknown-key").first?.message.contains("'client_secret'") == true)
        #expect(loaded.outputs[.text]?.contains("client_secret: <redacted>") == true)
    }

    @Test func unparsedReferencesAndOrdinaryLinesStayVisible() throws {
        let workspace = try W()
        try workspace.write(
            "stoicprov.yaml", "version: 1\nconnections:\n  workos: { api_key: env:WORKOS_API_KEY }\n  workos: {}\n")
        let text = workspace.load().outputs[.text] ?? ""
        #expect(text.contains("  workos: {}"))
        #expect(!text.contains("<redacted>"))
    }
}
