import Foundation
import Live
import Sandbox
import Testing

/// The production client and transport against the Thinkific vendor profiles over loopback (issue 10): each form of
/// `RateLimit-Reset` is waited out for as long as it says — a misread form waits the whole bound (20 s here) or not
/// at all, and either fails this.
@Suite struct ThinkificProfileTransportTests {
    @Test(arguments: ThinkificProfile.ResetForm.allCases)
    func eachResetFormIsWaitedOutForItsWindow(form: ThinkificProfile.ResetForm) async throws {
        var configuration = SandboxConfiguration()
        var profile = ThinkificProfile.vendor(form, name: "test")
        profile.gatewayErrorRate = 0
        configuration.thinkificProfile = profile
        configuration.rateLimits = RateLimitPolicy(["thinkific": .init(requests: 2, window: 3)])
        let server = try SandboxServer(configuration, surfaces: [try ThinkificSurface(seed: ThinkificSeed.default)])
        let root = try server.start()
        defer { server.stop() }
        let client = ThinkificClient(
            connection: ThinkificClient.connection(
                subdomain: SandboxDefaults.thinkificSubdomain, apiKey: Secret(SandboxDefaults.thinkificAPIKey),
                baseURL: SandboxDefaults.thinkificBase(root),
                policy: ConnectionPolicy(requestsPerMinute: nil, maxConcurrentRequests: 1, maxAttempts: 4, maxDelay: 20),
                transport: URLSessionTransport()))
        let start = Date()
        for _ in 0..<4 { #expect(try await client.courses().count == 4) }
        let elapsed = Date().timeIntervalSince(start)
        let stats = client.connection.stats
        #expect(stats.rateLimited >= 1, "\(form.rawValue)")
        #expect(stats.requests == 4 + stats.rateLimited)
        // Four requests at two a 3 s window: one or two waits of at most a window each (a second more for epoch
        // seconds rounded up), never the 20 s bound.
        #expect(elapsed > 0.5 && elapsed < 10, "\(form.rawValue): \(elapsed) s")
    }
}
