import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Live

@Suite struct HTTPChannelTests {
    let clock = TestClock()

    func channel(
        _ transport: RecordedTransport, requestsPerMinute: Double? = nil, maxAttempts: Int = 4, concurrency: Int = 4
    ) -> HTTPChannel {
        HTTPChannel(
            name: "test", baseURL: "https://api.example.com/v1/", secretHeaders: [("Authorization", "Bearer ", Secret("k-123"))],
            policy: ChannelPolicy(
                requestsPerMinute: requestsPerMinute, maxConcurrentRequests: concurrency, maxAttempts: maxAttempts, baseDelay: 1,
                maxDelay: 60, pacingMargin: 0),
            transport: transport, environment: clock.environment)
    }

    // MARK: - Requests

    @Test func buildsURLAuthAndEncodesQueryStrictly() async throws {
        let transport = RecordedTransport(handler: { _ in .json(200, "{}") })
        let response = try await channel(transport).send(
            "GET", "/users", query: [("query[email]", "a+b@pg.com"), ("q", "x y&z")])
        #expect(response.status == 200)
        let request = try #require(transport.requests.first)
        #expect(request.url.absoluteString == "https://api.example.com/v1/users?query%5Bemail%5D=a%2Bb%40pg.com&q=x%20y%26z")
        #expect(request.header("authorization") == "Bearer k-123")
        #expect(request.query("query[email]") == "a+b@pg.com")
    }

    @Test func countsEveryRequestIncludingRetries() async throws {
        let transport = RecordedTransport(handler: { _ in .json(200, "{}") })
        transport.enqueue(.status(503), .status(502))
        let channel = channel(transport)
        _ = try await channel.send("GET", "/a")
        _ = try await channel.send("GET", "/b")
        #expect(channel.requestCount == 4)
        #expect(channel.stats == ChannelStats(requests: 4, retries: 2, rateLimited: 0))
    }

    // MARK: - 429

    @Test(arguments: [
        ("Retry-After", "7", 7.0),
        ("RateLimit-Reset", "12", 12.0),
        ("RateLimit-Reset", String(Int(TestClock.epochOrigin) + 9), 9.0),
        ("RateLimit-Reset", String(Int(TestClock.epochOrigin * 1000) + 4500), 4.5),
        ("RateLimit-Reset", "30000", 30.0),
    ])
    func retriesA429AfterTheServersResetHint(header: String, value: String, expectedWait: Double) async throws {
        let transport = RecordedTransport(handler: { _ in .json(200, "{}") })
        transport.enqueue(.json(429, "{}", headers: [(header, value)]))
        let response = try await channel(transport).send("GET", "/users")
        #expect(response.status == 200)
        #expect(transport.requests.count == 2)
        #expect(clock.sleeps == [expectedWait])
    }

    @Test func a429WithoutHintBacksOffExponentially() async throws {
        let transport = RecordedTransport(handler: { _ in .json(200, "{}") })
        transport.enqueue(.status(429), .status(429))
        _ = try await channel(transport).send("GET", "/users")
        #expect(clock.sleeps == [1, 2])
    }

    @Test func a429PausesEveryLaterSlotOfTheConnectionUntilTheReset() {
        let limiter = RateLimiter(requestsPerMinute: 60)
        #expect(limiter.reserve(now: 0) == 0)
        limiter.pause(until: 10)
        // Another caller, not the one that got the 429, now waits for the reset too.
        #expect(limiter.reserve(now: 0.2) == 9.8)
        #expect(limiter.reserve(now: 0.2) == 10.8)
    }

    @Test func aPOSTRefusedWith429IsRetriedBecauseTheServerDidNotProcessIt() async throws {
        let transport = RecordedTransport(handler: { _ in .json(201, "{}") })
        transport.enqueue(.json(429, "{}", headers: [("Retry-After", "1")]))
        let response = try await channel(transport).send("POST", "/users", body: Data("{}".utf8))
        #expect(response.status == 201)
        #expect(transport.requests.count == 2)
    }

    @Test func persistent429sEndInTheLast429AfterMaxAttempts() async throws {
        let transport = RecordedTransport(handler: { _ in .json(429, #"{"error":"slow down"}"#, headers: [("Retry-After", "1")]) }
        )
        let channel = channel(transport, maxAttempts: 3)
        await #expect(throws: LiveError.status(code: 429, method: "GET", path: "/x", message: "slow down")) {
            _ = try await channel.getJSON([String: String].self, "/x")
        }
        #expect(transport.requests.count == 3)
        #expect(channel.stats.rateLimited == 3)
    }

    // MARK: - 5xx, timeouts, dropped connections

    @Test func retries5xxOfReadsBoundedWithGrowingBackoff() async throws {
        let transport = RecordedTransport(handler: { _ in .status(503) })
        let response = try await channel(transport, maxAttempts: 4).send("GET", "/courses")
        #expect(response.status == 503)
        #expect(transport.requests.count == 4)
        #expect(clock.sleeps == [1, 2, 4])
    }

    @Test func jitterSpreadsTheBackoff() async throws {
        let low = TestClock(random: 0)
        let transport = RecordedTransport(handler: { _ in .json(200, "{}") })
        transport.enqueue(.status(500))
        let channel = HTTPChannel(
            name: "t", baseURL: "https://h", policy: ChannelPolicy(baseDelay: 2), transport: transport,
            environment: low.environment)
        _ = try await channel.send("GET", "/")
        #expect(low.sleeps == [1])
    }

    @Test func retriesADroppedConnectionAndATimeoutOfAGET() async throws {
        let transport = RecordedTransport(handler: { _ in .json(200, #"{"ok":"yes"}"#) })
        transport.enqueue(
            .failure(.connectionDropped(host: "h", reason: "reset")), .failure(.timedOut(host: "h", seconds: 30)))
        let body = try await channel(transport).getJSON([String: String].self, "/users")
        #expect(body == ["ok": "yes"])
        #expect(transport.requests.count == 3)
    }

    @Test func doesNotRetryANonIdempotentRequestAfter5xxOrADrop() async throws {
        let transport = RecordedTransport(handler: { _ in .json(201, "{}") })
        transport.enqueue(.status(503))
        let channel = channel(transport)
        let response = try await channel.send("POST", "/enrollments", body: Data("{}".utf8))
        #expect(response.status == 503)
        transport.enqueue(.failure(.connectionDropped(host: "h", reason: "reset")))
        await #expect(throws: LiveError.connectionDropped(host: "h", reason: "reset")) {
            _ = try await channel.send("PATCH", "/Users/1", body: Data("{}".utf8))
        }
        #expect(transport.requests.count == 2)
    }

    @Test func aPOSTMarkedIdempotentIsRetriedAfterADrop() async throws {
        let transport = RecordedTransport(handler: { _ in .json(201, "{}") })
        transport.enqueue(.failure(.connectionDropped(host: "h", reason: "reset")))
        let response = try await channel(transport).send(
            "POST", "/organizations", headers: [("Idempotency-Key", "k1")], isIdempotent: true)
        #expect(response.status == 201)
        #expect(transport.requests.count == 2)
    }

    @Test func retriesAnUnreachableServerForAnyMethodThenGivesUp() async throws {
        let transport = RecordedTransport(handler: { _ in .failure(.unreachable(host: "h", reason: "refused")) })
        await #expect(throws: LiveError.unreachable(host: "h", reason: "refused")) {
            _ = try await channel(transport, maxAttempts: 3).send("POST", "/users")
        }
        #expect(transport.requests.count == 3)
    }

    @Test func non429ClientErrorsAreNotRetried() async throws {
        let transport = RecordedTransport(handler: { _ in .json(404, #"{"message":"Not found"}"#) })
        let channel = channel(transport)
        await #expect(throws: LiveError.status(code: 404, method: "GET", path: "/x", message: "Not found")) {
            _ = try await channel.getJSON([String: String].self, "/x")
        }
        #expect(try await channel.getJSONIfPresent([String: String].self, "/x") == nil)
        #expect(transport.requests.count == 2)
    }

    // MARK: - Pacing

    @Test func aShortPlansReadsGoOutAtOnceThenRequestsAreSpacedAtTheRateLimit() async throws {
        let sent = SentTimes()
        let transport = RecordedTransport(handler: { [clock] _ in
            sent.append(clock.now)
            return .json(200, "{}")
        })
        let channel = channel(transport, requestsPerMinute: 120)
        for _ in 0..<13 { _ = try await channel.send("GET", "/users") }
        // Nine reads of a plan wait for nothing; past the burst of ten, one slot every half second.
        #expect(sent.values == Array(repeating: 0, count: 10) + [0.5, 1.0, 1.5])
    }

    @Test func theDefaultMarginPacesTwoPercentBelowTheLimit() async throws {
        let sent = SentTimes()
        let transport = RecordedTransport(handler: { [clock] _ in
            sent.append(clock.now)
            return .json(200, "{}")
        })
        let channel = HTTPChannel(
            name: "t", baseURL: "https://h", policy: .thinkific(), transport: transport, environment: clock.environment)
        for _ in 0..<13 { _ = try await channel.send("GET", "/") }
        // Past the initial burst, one slot every 60 / (120 × 0.98) seconds.
        let spaced = sent.values.suffix(4).map { ($0 * 1000).rounded() / 1000 }
        #expect(zip(spaced, spaced.dropFirst()).allSatisfy { abs($1 - $0 - 0.51) < 0.002 })
    }

    @Test func concurrentCallersGetDistinctSlotsAfterTheBurst() {
        let limiter = RateLimiter(requestsPerMinute: 120, burst: 3)
        let waits = (0..<6).map { _ in limiter.reserve(now: 10) }
        #expect(waits == [0, 0, 0, 0.5, 1.0, 1.5])
        // After an idle spell the bucket has refilled, but never beyond its capacity.
        #expect((0..<4).map { _ in limiter.reserve(now: 100) } == [0, 0, 0, 0.5])
    }

    /// Requests taken as fast as the limiter allows: their slots, by a fake clock that jumps to each slot.
    static func greedySlots(_ limiter: RateLimiter, count: Int) -> [Double] {
        var now = 0.0
        return (0..<count).map { _ in
            now += limiter.reserve(now: now)
            return now
        }
    }

    @Test(arguments: [(120.0, 10), (120.0, 1), (60.0, 10), (6000.0, 10), (7.5, 10)])
    func noSixtySecondWindowEverHoldsMoreThanTheLimit(requestsPerMinute: Double, burst: Int) {
        let limiter = RateLimiter(requestsPerMinute: requestsPerMinute, burst: burst)
        let slots = Self.greedySlots(limiter, count: limiter.limit * 5 + 17)
        var busiest = 0
        var start = 0
        for end in slots.indices {
            while slots[end] - slots[start] >= 60 - 1e-9 { start += 1 }  // a window is [t, t + 60)
            busiest = max(busiest, end - start + 1)
        }
        #expect(busiest == limiter.limit)
        #expect(zip(slots, slots.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test(arguments: [120.0, 60.0, 600.0])
    func aLongRunAchievesTheLimitWithinOnePercent(requestsPerMinute: Double) {
        let limiter = RateLimiter(requestsPerMinute: requestsPerMinute)
        let count = Int(requestsPerMinute) * 20
        let slots = Self.greedySlots(limiter, count: count)
        // `count` requests at the limit take (count - 1) intervals; the burst may only shorten that by the refill
        // it banked, never by more than a percent over twenty minutes.
        let achieved = Double(count - 1) / (slots.last! - slots.first!) * 60
        #expect(achieved >= requestsPerMinute * 0.99)
        #expect(achieved <= requestsPerMinute * 1.01)
    }

    @Test func boundsConcurrency() async throws {
        let gauge = Gauge()
        let transport = GaugedTransport(gauge: gauge)
        let channel = HTTPChannel(
            name: "t", baseURL: "https://h", policy: ChannelPolicy(maxConcurrentRequests: 3), transport: transport,
            environment: clock.environment)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask { _ = try await channel.send("GET", "/") }
            }
            try await group.waitForAll()
        }
        #expect(gauge.maximum <= 3)
        #expect(gauge.maximum >= 1)
        #expect(channel.requestCount == 20)
    }
}

/// Times at which a handler ran.
final class SentTimes: Sendable {
    private let storage = Mutex<[Double]>([])
    func append(_ value: Double) { storage.withLock { $0.append(value) } }
    var values: [Double] { storage.withLock { $0 } }
}

/// Tracks how many requests are in flight at once.
final class Gauge: Sendable {
    private let state = Mutex((current: 0, maximum: 0))
    func enter() {
        state.withLock {
            $0.current += 1; $0.maximum = max($0.maximum, $0.current)
        }
    }
    func leave() { state.withLock { $0.current -= 1 } }
    var maximum: Int { state.withLock { $0.maximum } }
}

struct GaugedTransport: HTTPTransport {
    let gauge: Gauge
    func send(_ request: TransportRequest) async throws(LiveError) -> TransportResponse {
        gauge.enter()
        defer { gauge.leave() }
        await Task.yield()
        await Task.yield()
        return TransportResponse(status: 200)
    }
}
