import Foundation
import Live
import Sandbox
import Synchronization
import Testing

/// The production client and transport against the Thinkific vendor profiles over loopback (issue 10): each form of
/// `RateLimit-Reset` is waited out for as long as it says. The waits are the client's own (recorded, then slept for
/// real): a misread form waits the whole bound (60 s) or not at all, whatever the machine's load.
@Suite struct ThinkificProfileTransportTests {
    @Test(arguments: ThinkificProfile.ResetForm.allCases)
    func eachResetFormIsWaitedOutForItsWindow(form: ThinkificProfile.ResetForm) async throws {
        var configuration = SandboxConfiguration()
        var profile = ThinkificProfile.vendor(form, name: "test")
        profile.gatewayErrorRate = 0
        configuration.thinkificProfile = profile
        configuration.rateLimits = RateLimitPolicy(["thinkific": .init(requests: 2, window: 20)])
        let server = try SandboxServer(configuration, surfaces: [try ThinkificSurface(seed: ThinkificSeed.default)])
        let root = try server.start()
        defer { server.stop() }
        let sleeps = Mutex<[Double]>([])
        var environment = ConnectionEnvironment.live
        let live = environment.sleep
        environment.sleep = { seconds in
            sleeps.withLock { $0.append(seconds) }
            try await live(seconds)
        }
        let client = ThinkificClient(
            connection: ThinkificClient.connection(
                subdomain: SandboxDefaults.thinkificSubdomain, apiKey: Secret(SandboxDefaults.thinkificAPIKey),
                baseURL: SandboxDefaults.thinkificBase(root),
                policy: ConnectionPolicy(requestsPerMinute: nil, maxConcurrentRequests: 1, maxAttempts: 4, maxDelay: 60),
                transport: URLSessionTransport(), environment: environment))
        for _ in 0..<3 { #expect(try await client.courses().count == 4) }
        let stats = client.connection.stats
        #expect(stats.rateLimited >= 1, "\(form.rawValue)")
        #expect(stats.requests == 3 + stats.rateLimited)
        // Each wait ends with the 20 s window (a second more for epoch seconds rounded up), never at the 60 s bound;
        // a reset already past on a loaded machine is a short backoff, never zero.
        let waits = sleeps.withLock { $0 }
        #expect(!waits.isEmpty && waits.allSatisfy { $0 > 0 && $0 <= 21.5 }, "\(form.rawValue): \(waits)")
    }
}
