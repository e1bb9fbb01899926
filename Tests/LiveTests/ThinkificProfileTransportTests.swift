import Foundation
import Live
import Sandbox
import Testing

/// The production client and transport against the Thinkific vendor profiles over loopback (issue 10): each form of
/// `RateLimit-Reset` is waited out for as long as it says — a misread form waits the whole bound (60 s) or not at all,
/// and either fails this.
@Suite struct ThinkificProfileTransportTests {
    @Test(arguments: ThinkificProfile.ResetForm.allCases)
    func eachResetFormIsWaitedOutForItsWindow(form: ThinkificProfile.ResetForm) async throws {
        var configuration = SandboxConfiguration()
        var profile = ThinkificProfile.vendor(form, name: "test")
        profile.gatewayErrorRate = 0
        configuration.thinkificProfile = profile
        configuration.rateLimits = RateLimitPolicy(["thinkific": .init(requests: 2, window: 10)])
        let server = try SandboxServer(configuration, surfaces: [try ThinkificSurface(seed: ThinkificSeed.default)])
        let root = try server.start()
        defer { server.stop() }
        let client = ThinkificClient(
            connection: ThinkificClient.connection(
                subdomain: SandboxDefaults.thinkificSubdomain, apiKey: Secret(SandboxDefaults.thinkificAPIKey),
                baseURL: SandboxDefaults.thinkificBase(root),
                policy: ConnectionPolicy(requestsPerMinute: nil, maxConcurrentRequests: 1, maxAttempts: 4, maxDelay: 60),
                transport: URLSessionTransport()))
        let start = Date()
        for _ in 0..<4 { #expect(try await client.courses().count == 4) }
        let elapsed = Date().timeIntervalSince(start)
        let stats = client.connection.stats
        #expect(stats.rateLimited >= 1, "\(form.rawValue)")
        #expect(stats.requests == 4 + stats.rateLimited)
        // Four requests at two a 10 s window: one wait of at most a window (a second more for epoch seconds rounded
        // up), never the 60 s bound (room left for a loaded machine).
        #expect(elapsed > 0.5 && elapsed < 40, "\(form.rawValue): \(elapsed) s")
    }
}
