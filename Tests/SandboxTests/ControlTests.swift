import Foundation
import TestSupport
import Testing

@testable import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

/// The router's own behaviour: stats, reset, control routes, faults, rate limits.
@Suite struct ControlTests {
    @Test func statsCountRequestsPerSurfaceMethodAndRoute() throws {
        let fake = FakeSurface()
        let other = FakeSurface(name: "other")
        try withServer([fake, other]) { root, _ in
            _ = try fetch(root + "/fake/items")
            _ = try fetch(root + "/fake/items")
            _ = try fetch(root + "/fake/items", method: "POST", body: Data("x".utf8))
            _ = try fetch(root + "/fake/unknown")
            _ = try fetch(root + "/other/echo/1")
            let stats = try fetch(root + "/_sandbox/stats")
            #expect(stats.status == 200)
            let object = jsonObject(stats.body)
            #expect(object["requests"] as? Int == 5)
            let surfaces = try #require(object["surfaces"] as? [String: [String: Any]])
            #expect(surfaces["fake"]?["requests"] as? Int == 4)
            let routes = surfaces["fake"]?["routes"] as? [String: Int]
            #expect(routes == ["GET /items": 2, "POST /items": 1, "GET (unmatched)": 1])
            #expect(surfaces["other"]?["routes"] as? [String: Int] == ["GET /echo": 1])
        }
    }

    @Test func resetReturnsSurfacesToSeedAndZeroesStats() throws {
        let fake = FakeSurface()
        try withServer([fake]) { root, _ in
            _ = try fetch(root + "/fake/items", method: "POST", body: Data("x".utf8))
            #expect(fake.items == ["x"])
            let wrongMethod = try fetch(root + "/_sandbox/reset")
            #expect(wrongMethod.status == 405)
            let reset = try fetch(root + "/_sandbox/reset", method: "POST")
            #expect(reset.status == 200)
            #expect(fake.items.isEmpty)
            let stats = jsonObject(try fetch(root + "/_sandbox/stats").body)
            #expect(stats["requests"] as? Int == 0)
        }
    }

    @Test func controlRoutesReachTheSurface() throws {
        let fake = FakeSurface()
        try withServer([fake]) { root, _ in
            let added = try fetch(root + "/_sandbox/fake/add", method: "POST")
            #expect(added.status == 200)
            #expect(fake.items == ["control"])
            let missing = try fetch(root + "/_sandbox/fake/nothing", method: "POST")
            #expect(missing.status == 404)
            let unknownSurface = try fetch(root + "/_sandbox/ghost/add", method: "POST")
            #expect(unknownSurface.status == 404)
        }
    }

    @Test(arguments: [
        ("429", 429), ("500", 500), ("502", 502), ("503", 503),
    ])
    func injectedErrorStatusSkipsTheSurface(_ kind: String, _ status: Int) throws {
        let fake = FakeSurface()
        try withServer([fake], configure: { $0.faults = try! FaultPlan.parse("fake:\(kind)=1.0") }) { root, _ in
            let reply = try fetch(root + "/fake/items", method: "POST", body: Data("x".utf8))
            #expect(reply.status == status)
            #expect(fake.seen.isEmpty)
            let stats = jsonObject(try fetch(root + "/_sandbox/stats").body)
            #expect((stats["faults"] as? [String: Int])?[kind] == 1)
            // Faults never hit the control surface.
            let control = try fetch(root + "/_sandbox/fake/add", method: "POST")
            #expect(control.status == 200)
        }
    }

    @Test func droppedConnectionNeverReachesTheSurface() throws {
        let fake = FakeSurface()
        try withServer([fake], configure: { $0.faults = try! FaultPlan.parse("*:drop=1") }) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("POST /fake/items HTTP/1.1\r\nContent-Length: 1\r\n\r\nx")
            #expect(client.readResponse() == nil)
            #expect(fake.seen.isEmpty)
            let stats = jsonObject(try fetch(root + "/_sandbox/stats").body)
            #expect((stats["faults"] as? [String: Int])?["drop"] == 1)
        }
    }

    @Test func lostResponseHappensButIsNeverDelivered() throws {
        let fake = FakeSurface()
        try withServer([fake], configure: { $0.faults = try! FaultPlan.parse("fake:lost=1") }) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("POST /fake/items HTTP/1.1\r\nContent-Length: 5\r\n\r\nwrite")
            #expect(client.readResponse() == nil)
            #expect(fake.items == ["write"])
            let stats = jsonObject(try fetch(root + "/_sandbox/stats").body)
            #expect((stats["faults"] as? [String: Int])?["lost"] == 1)
        }
    }

    @Test func faultSeedReplaysTheSameFaults() throws {
        func statuses(seed: UInt64) throws -> [Int] {
            try withServer(
                [FakeSurface()],
                configure: {
                    $0.faults = try! FaultPlan.parse("fake:500=0.3,503=0.3")
                    $0.faultSeed = seed
                }
            ) { root, _ in
                let client = try RawClient(port: port(of: root))
                return (0..<30).map { _ in
                    client.send("GET /fake/items HTTP/1.1\r\n\r\n")
                    return client.readResponse()?.status ?? 0
                }
            }
        }
        let first = try statuses(seed: 7)
        #expect(try statuses(seed: 7) == first)
        #expect(Set(first).isSuperset(of: [200, 500, 503]))
        #expect(try statuses(seed: 8) != first)
    }

    @Test func rateLimitAnswers429WithResetHeadersAndCountsIt() throws {
        let clock = MovableClock()
        let thinkific = FakeSurface(name: "thinkific")
        try withServer(
            [thinkific],
            configure: {
                $0.rateLimits = try! RateLimitPolicy.parse("thinkific=5/min")
                $0.clock = { clock.now }
            }
        ) { root, _ in
            let client = try RawClient(port: port(of: root))
            func get(_ subdomain: String) -> RawResponse? {
                client.send("GET /thinkific/items HTTP/1.1\r\nX-Auth-Subdomain: \(subdomain)\r\n\r\n")
                return client.readResponse()
            }
            for _ in 0..<5 { #expect(get("stoic")?.status == 200) }
            clock.advance(by: 20)
            let limited = try #require(get("stoic"))
            #expect(limited.status == 429)
            #expect(limited.headers["ratelimit-reset"] == "40")
            #expect(limited.headers["retry-after"] == "40")
            #expect(limited.json?["error"] as? String == "Rate limit exceeded")
            // Another site has its own budget.
            #expect(get("other")?.status == 200)
            clock.advance(by: 40)
            #expect(get("stoic")?.status == 200)
            let stats = jsonObject(try fetch(root + "/_sandbox/stats").body)
            #expect(stats["rate_limited"] as? Int == 1)
            #expect(thinkific.seen.count == 7)
        }
    }

    @Test func controlSurfaceRefusesNonLoopbackPeers() {
        let router = SandboxRouter(surfaces: [FakeSurface()], configuration: SandboxConfiguration()) {}
        let request = HTTPRequest(method: "GET", path: "/_sandbox/stats")
        let remote = router.route(request, peer: PeerAddress(host: "10.0.0.5", port: 5000, isLoopback: false))
        let local = router.route(request, peer: PeerAddress(host: "127.0.0.1", port: 5000, isLoopback: true))
        guard case .response(let refused) = remote, case .response(let served) = local else {
            Issue.record("expected responses")
            return
        }
        #expect(refused.status == 403)
        #expect(served.status == 200)
    }
}
