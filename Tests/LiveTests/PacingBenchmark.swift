import Foundation
import Live
import Sandbox
import Testing

/// How close a paced connection sits to a server's rate limit, over real loopback against the sandbox's limiter.
/// Opt-in (`STOICPROV_BENCH=1`, run by `scripts/bench-pacing`): it takes as long as the limit says.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["STOICPROV_BENCH"] == "1"))
struct PacingBenchmark {
    @Test func pacesAtTheLimitWithoutTripping() async throws {
        let environment = ProcessInfo.processInfo.environment
        let limit = Int(environment["BENCH_RPM"] ?? "1200") ?? 1200
        let requests = Int(environment["BENCH_REQUESTS"] ?? "400") ?? 400
        var configuration = SandboxConfiguration()
        configuration.rateLimits = RateLimitPolicy(["thinkific": .init(requests: limit, window: 60)])
        let server = try SandboxServer(configuration, surfaces: [SandboxTransportTests.PagedUsers(count: 10)])
        let root = try server.start()
        defer { server.stop() }
        let channel = ThinkificClient.channel(
            subdomain: "stoic", apiKey: Secret(SandboxDefaults.thinkificAPIKey), baseURL: SandboxDefaults.thinkificBase(root),
            policy: .thinkific(requestsPerMinute: Double(limit)), transport: URLSessionTransport())
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<requests {
                group.addTask { _ = try await channel.send("GET", "/users", query: [("page", "1")]) }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let stats = channel.stats
        let achieved = Double(stats.requests - 1) / seconds * 60
        let ideal = Double(requests - 1) / Double(limit) * 60
        print(
            String(
                format:
                    "pacing: %d requests at a limit of %d/min in %.2f s (ideal %.2f s): %.1f/min = %.1f%% of the limit; %d × 429",
                stats.requests, limit, seconds, ideal, achieved, achieved / Double(limit) * 100, stats.rateLimited))
        #expect(stats.rateLimited == 0)
        #expect(stats.requests == requests)
    }
}
