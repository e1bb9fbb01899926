import Foundation
import Live
import Sandbox
import Synchronization
import Testing

/// The production client and transport against the Thinkific vendor profiles over loopback (issue 10): each form of
/// `RateLimit-Reset` is read as the wait it means. The window is an hour, so a loaded machine cannot spread the
/// requests past it; the client's waits are recorded instead of slept. A misread form comes out as the bound (two
/// hours here) or as nothing, never as the hour.
@Suite struct ThinkificProfileTransportTests {
    @Test(arguments: ThinkificProfile.ResetForm.allCases)
    func eachResetFormIsReadAsTheWaitItMeans(form: ThinkificProfile.ResetForm) async throws {
        var configuration = SandboxConfiguration()
        var profile = ThinkificProfile.vendor(form, name: "test")
        profile.gatewayErrorRate = 0
        configuration.thinkificProfile = profile
        configuration.rateLimits = RateLimitPolicy(["thinkific": .init(requests: 1, window: 3600)])
        let server = try SandboxServer(configuration, surfaces: [try ThinkificSurface(seed: ThinkificSeed.default)])
        let root = try server.start()
        defer { server.stop() }
        let sleeps = Mutex<[Double]>([])
        var environment = ChannelEnvironment.live
        environment.sleep = { seconds in sleeps.withLock { $0.append(seconds) } }
        let client = ThinkificClient(
            channel: ThinkificClient.channel(
                subdomain: SandboxDefaults.thinkificSubdomain, apiKey: Secret(SandboxDefaults.thinkificAPIKey),
                baseURL: SandboxDefaults.thinkificBase(root),
                policy: ChannelPolicy(requestsPerMinute: nil, maxConcurrentRequests: 1, maxAttempts: 3, maxDelay: 7200),
                transport: URLSessionTransport(), environment: environment))
        #expect(try await client.courses().count == 4)
        await #expect(throws: LiveError.self) { _ = try await client.courses() }
        #expect(client.channel.stats.rateLimited == 3)
        // Each wait is what remains of the hour: at most 3,601 s (epoch seconds round up), and less only by the time
        // the machine took between the server's answer and the client's reading of it.
        let waits = sleeps.withLock { $0 }
        #expect(waits.count == 2 && waits.allSatisfy { $0 > 3000 && $0 <= 3601.5 }, "\(form.rawValue): \(waits)")
    }
}
