import Foundation
import Live
import Sandbox
import Synchronization
import TestSupport
import Testing

/// The clients and the production transport against the sandbox's HTTP server over real loopback, with its fault
/// injection and rate limiting, on a minimal paged surface (the vendor surfaces are tested in `SandboxEndToEndTests`).
@Suite struct SandboxTransportTests {
    /// A Thinkific-shaped `/users` listing of `count` users.
    final class PagedUsers: Surface {
        let name = "thinkific"
        let count: Int

        init(count: Int) {
            self.count = count
        }

        func handle(_ request: HTTPRequest, path: String) -> HTTPResponse {
            guard path == "/api/public/v1/users" else { return .json(404, object: ["error": "Record not found."]) }
            let page = Int(request.queryValue("page") ?? "1") ?? 1
            let limit = min(250, Int(request.queryValue("limit") ?? "25") ?? 25)
            let pages = (count + limit - 1) / limit
            let ids = Array(((page - 1) * limit + 1)...min(count, page * limit))
            let items: [[String: Any]] = ids.map {
                ["id": $0, "email": "p\($0)@load.example", "first_name": "P", "last_name": "L"]
            }
            let pagination: [String: Any] = [
                "current_page": page, "next_page": page < pages ? page + 1 : NSNull(), "total_pages": pages, "total_items": count,
            ]
            return .json(200, object: ["items": items, "meta": ["pagination": pagination]])
        }

        func routeTemplate(method: String, path: String) -> String? { "GET /users" }
        func snapshot() throws -> Data { Data() }
        func restore(from snapshot: Data) throws {}
        func reset() {}
    }

    func start(_ configuration: SandboxConfiguration, users: Int) throws -> (SandboxServer, String) {
        let server = try SandboxServer(configuration, surfaces: [PagedUsers(count: users)])
        let root = try server.start()
        return (server, root)
    }

    func client(_ root: String, policy: ChannelPolicy) -> ThinkificClient {
        ThinkificClient(
            channel: ThinkificClient.channel(
                subdomain: SandboxDefaults.thinkificSubdomain, apiKey: Secret(SandboxDefaults.thinkificAPIKey),
                baseURL: SandboxDefaults.thinkificBase(root), policy: policy, transport: URLSessionTransport()))
    }

    @Test func readsEveryPageThrough5xxAndDroppedConnections() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = FaultPlan(["thinkific": [.internalServerError: 0.15, .serviceUnavailable: 0.1, .drop: 0.1]])
        configuration.faultSeed = 7
        let (server, root) = try start(configuration, users: 2600)
        defer { server.stop() }
        let client = client(
            root, policy: ChannelPolicy(requestsPerMinute: nil, maxConcurrentRequests: 4, maxAttempts: 12, baseDelay: 0.005))
        let users = try await client.allUsers()
        #expect(users.map(\.id) == Array(1...2600))
        let stats = client.channel.stats
        // Every request beyond one per page was a retry of a fault.
        #expect(stats.requests - stats.retries == 11)
        #expect(stats.requests >= 11)
    }

    /// The sandbox and the client share a clock that moves only when the client waits: the window ends because the
    /// client slept until the reset the 429 named, never because the machine was slow.
    @Test func waitsOutTheSandboxRateLimitFromItsResetHeader() async throws {
        let clock = MovableClock()
        var configuration = SandboxConfiguration()
        configuration.clock = clock.function
        configuration.rateLimits = RateLimitPolicy(["thinkific": .init(requests: 2, window: 30)])
        let (server, root) = try start(configuration, users: 1500)
        defer { server.stop() }
        let waits = Mutex<[Double]>([])
        let environment = ChannelEnvironment(
            now: { clock.now.timeIntervalSince1970 },
            sleep: { seconds in
                waits.withLock { $0.append(seconds) }
                clock.advance(by: seconds)
            },
            epochNow: { clock.now.timeIntervalSince1970 }, random: { 0.5 })
        // No client-side pacing: the 429s and their reset hints are what keep this within the limit.
        let client = ThinkificClient(
            channel: ThinkificClient.channel(
                subdomain: SandboxDefaults.thinkificSubdomain, apiKey: Secret(SandboxDefaults.thinkificAPIKey),
                baseURL: SandboxDefaults.thinkificBase(root),
                policy: ChannelPolicy(requestsPerMinute: nil, maxConcurrentRequests: 1, maxAttempts: 6),
                transport: URLSessionTransport(), environment: environment))
        let users = try await client.allUsers()
        #expect(users.count == 1500)
        let stats = client.channel.stats
        // Six pages at two a window: the third and fifth requests are refused once each, then wait out the window.
        #expect(stats.rateLimited == 2)
        #expect(stats.requests == 6 + stats.rateLimited)
        #expect(waits.withLock { $0 }.filter { $0 > 1 }.count == 2, "\(waits.withLock { $0 })")
        #expect(waits.withLock { $0 }.allSatisfy { $0 <= 31 }, "no wait past the window: \(waits.withLock { $0 })")
    }
}
