import Foundation
import Spec
import TestSupport
import Testing

@testable import Live

@Suite struct SecretTests {
    /// A value that must never show up in any message.
    static let value = "tk_" + String(repeating: "q7", count: 14)

    let workspace: URL = {
        let url = try! Scratch.directory("secret-tests")
        try! FileManager.default.createDirectory(at: url.appendingPathComponent("secrets"), withIntermediateDirectories: true)
        return url
    }()

    @Test func resolvesAnEnvironmentVariable() throws {
        let resolver = SecretResolver(workspace: workspace, environment: ["THINKIFIC_API_KEY": Self.value])
        let secret = try resolver.resolve("env:THINKIFIC_API_KEY", setting: "connections.thinkific.api_key")
        #expect(secret.exposedValue() == Self.value)
    }

    @Test func aMissingVariableNamesTheVariableAndTheSetting() {
        let resolver = SecretResolver(workspace: workspace, environment: ["OTHER": Self.value])
        #expect(throws: LiveError.missingEnvironmentVariable(setting: "connections.workos.api_key", name: "WORKOS_API_KEY")) {
            try resolver.resolve("env:WORKOS_API_KEY", setting: "connections.workos.api_key")
        }
        let message = "\(LiveError.missingEnvironmentVariable(setting: "connections.workos.api_key", name: "WORKOS_API_KEY"))"
        #expect(message.contains("WORKOS_API_KEY"))
        #expect(message.contains("connections.workos.api_key"))
    }

    @Test func anEmptyVariableCountsAsMissing() {
        let resolver = SecretResolver(workspace: workspace, environment: ["KEY": "  \n"])
        #expect(throws: LiveError.missingEnvironmentVariable(setting: "s", name: "KEY")) {
            try resolver.resolve("env:KEY", setting: "s")
        }
    }

    @Test func readsATrimmedFileRelativeToTheWorkspace() throws {
        try Data((Self.value + "\n").utf8).write(to: workspace.appendingPathComponent("secrets/dashboard.token"))
        let secret = try SecretResolver(workspace: workspace, environment: [:])
            .resolve("file:secrets/dashboard.token", setting: "connections.dashboard.token")
        #expect(secret.exposedValue() == Self.value)
    }

    @Test func aMissingOrEmptyFileNamesThePath() throws {
        let resolver = SecretResolver(workspace: workspace, environment: [:])
        #expect(
            throws: LiveError.unreadableSecretFile(
                setting: "t", path: "secrets/none.token", reason: FileProblem.notFound.description)
        ) {
            try resolver.resolve("file:secrets/none.token", setting: "t")
        }
        try Data(" \n".utf8).write(to: workspace.appendingPathComponent("secrets/empty.token"))
        #expect(throws: LiveError.unreadableSecretFile(setting: "t", path: "secrets/empty.token", reason: "the file is empty")) {
            try resolver.resolve("file:secrets/empty.token", setting: "t")
        }
    }

    @Test(arguments: [value, "env:", "env:1BAD", "file:", "vault:x"])
    func aLiteralOrMalformedReferenceIsRefusedWithoutRepeatingIt(reference: String) {
        let resolver = SecretResolver(workspace: workspace, environment: [:])
        do {
            _ = try resolver.resolve(reference, setting: "connections.insights.token")
            Issue.record("resolved \(reference)")
        } catch {
            #expect(error == .notASecretReference(setting: "connections.insights.token"))
            #expect(!error.description.contains(Self.value))
        }
    }

    @Test func aSecretNeverPrints() {
        let secret = Secret(Self.value)
        let renderings = [
            "\(secret)", String(describing: secret), String(reflecting: secret), "\([secret])", "\(Optional(secret) as Any)",
            {
                var out = ""; dump(secret, to: &out); return out
            }(),
        ]
        for rendering in renderings {
            #expect(!rendering.contains(Self.value), "\(rendering)")
        }
    }

    @Test func requestsAndConnectionsDescribeThemselvesWithoutCredentials() async throws {
        let transport = RecordedTransport(handler: { _ in .json(401, #"{"error":"Authentication Error"}"#) })
        let connection = ThinkificClient.channel(
            subdomain: "stoic", apiKey: Secret(Self.value), transport: transport, environment: TestClock().environment)
        var messages = ["\(connection)", String(reflecting: connection)]
        do {
            _ = try await ThinkificClient(channel: connection).courses()
            Issue.record("a 401 was accepted")
        } catch {
            messages.append(error.description)
            #expect(error.description.contains("401"))
        }
        let request = try #require(transport.requests.first)
        #expect(request.header("X-Auth-API-Key") == Self.value)
        messages += ["\(request)", String(reflecting: request)]
        for message in messages {
            #expect(!message.contains(Self.value), "\(message)")
        }
    }

    @Test func anObserverIsNotBuiltWithAMissingCredential() {
        let settings = ClientSettings(
            thinkific: .init(subdomain: "stoic", apiKey: .value(Secret(Self.value))),
            scim: [
                .init(app: "insights", baseURL: "https://insights.test/scim/v2", token: .reference(.env("INSIGHTS_SCIM_TOKEN")))
            ]
        )
        #expect(throws: LiveError.missingEnvironmentVariable(setting: "connections.insights.token", name: "INSIGHTS_SCIM_TOKEN"))
        {
            _ = try Observer(settings: settings, resolver: SecretResolver(workspace: workspace, environment: [:]))
        }
    }
}
