import Foundation
import Live
import Planner
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 9, class 4: a misbehaving API must not hang, exhaust memory or crash stoicprov. Each case fails with a
/// `LiveError` naming the connection, after a bounded number of requests, and nothing of the listing is returned.
@Suite struct HostilePagingTests {
    /// Small ceilings so an endless listing ends within a test's time.
    static let limits = ListingLimits(maxPages: 40, growthPages: 5)

    func thinkific(
        _ handler: @escaping @Sendable (TransportRequest) -> RecordedTransport.Reply
    ) -> (
        ThinkificClient, RecordedTransport
    ) {
        let transport = RecordedTransport(handler: handler)
        let connection = ThinkificClient.channel(
            subdomain: "stoic", apiKey: Secret("key"), baseURL: FakeThinkific.base, policy: .thinkific(requestsPerMinute: nil),
            transport: transport, environment: TestClock().environment)
        return (ThinkificClient(channel: connection, limits: Self.limits), transport)
    }

    static func thinkificPage(
        _ page: Int, next: String, totalPages: String?, totalItems: String? = nil
    ) -> RecordedTransport.Reply {
        var pagination = #""current_page":\#(page),"next_page":\#(next)"#
        if let totalPages { pagination += #","total_pages":\#(totalPages)"# }
        if let totalItems { pagination += #","total_items":\#(totalItems)"# }
        return .json(200, #"{"items":[{"id":\#(page),"name":"G\#(page)"}],"meta":{"pagination":{\#(pagination)}}}"#)
    }

    func expectOutOfBounds(
        connection: String, requests: Int, atMost: Int, _ work: () async throws(LiveError) -> Void
    ) async {
        do throws(LiveError) {
            try await work()
            Issue.record("a hostile listing was accepted")
        } catch {
            guard case .listingOutOfBounds(let name, _, _) = error else {
                Issue.record("expected listingOutOfBounds, got \(error)")
                return
            }
            #expect(name == connection)
        }
        #expect(requests <= atMost, "\(requests) requests")
    }

    @Test func aBillionThinkificPagesAreRefusedAfterTheFirst() async {
        let (client, transport) = thinkific { request in
            let page = Int(request.query("page") ?? "1") ?? 1
            return Self.thinkificPage(page, next: String(page + 1), totalPages: "1000000000", totalItems: "250000000000")
        }
        await expectOutOfBounds(connection: "thinkific", requests: 0, atMost: 0) { () async throws(LiveError) in
            _ = try await client.groups()
        }
        #expect(transport.requests.count == 1)
    }

    @Test(arguments: ["-1", "0", "1", "9223372036854775807"])
    func aNextPageThatDoesNotAdvanceIsRefusedWithoutOverflow(next: String) async {
        let (client, transport) = thinkific { _ in
            Self.thinkificPage(1, next: next, totalPages: "9223372036854775807", totalItems: "9223372036854775807")
        }
        await expectOutOfBounds(connection: "thinkific", requests: 0, atMost: 0) { () async throws(LiveError) in
            _ = try await client.groups()
        }
        #expect(transport.requests.count == 1)
        let (small, _) = thinkific { _ in Self.thinkificPage(1, next: next, totalPages: "3") }
        await expectOutOfBounds(connection: "thinkific", requests: 0, atMost: 0) { () async throws(LiveError) in
            _ = try await small.groups()
        }
    }

    @Test func aNeverEndingNextPageStopsAtTheCeiling() async {
        let (client, transport) = thinkific { request in
            let page = Int(request.query("page") ?? "1") ?? 1
            return Self.thinkificPage(page, next: String(page + 1), totalPages: nil)
        }
        await expectOutOfBounds(connection: "thinkific", requests: 0, atMost: 0) { () async throws(LiveError) in
            _ = try await client.groups()
        }
        #expect(transport.requests.count <= Self.limits.maxPages)
    }

    @Test func aListingThatGrowsFarBeyondItsTotalStops() async {
        let (client, transport) = thinkific { request in
            let page = Int(request.query("page") ?? "1") ?? 1
            return Self.thinkificPage(page, next: String(page + 1), totalPages: "3")
        }
        await expectOutOfBounds(connection: "thinkific", requests: 0, atMost: 0) { () async throws(LiveError) in
            _ = try await client.groups()
        }
        #expect(transport.requests.count <= 3 + Self.limits.growthPages)
    }

    @Test func aFreshWorkOSCursorEveryTimeStopsAtTheCeiling() async {
        let counter = Mutex(0)
        let transport = RecordedTransport { _ in
            let index = counter.withLock { count -> Int in
                count += 1
                return count
            }
            return .json(
                200,
                #"{"data":[{"id":"directory_\#(index)","name":"D","type":"okta scim v2.0","state":"linked"}],"#
                    + #""list_metadata":{"after":"cursor_\#(UUID().uuidString)"}}"#)
        }
        let client = WorkOSClient(
            channel: WorkOSClient.channel(
                apiKey: Secret("sk_test"), baseURL: FakeWorkOS.base, transport: transport, environment: TestClock().environment),
            limits: Self.limits)
        await expectOutOfBounds(connection: "workos", requests: 0, atMost: 0) { () async throws(LiveError) in
            _ = try await client.directories(organizationID: "org_1")
        }
        #expect(transport.requests.count <= Self.limits.maxPages)
    }

    func scim(_ handler: @escaping @Sendable (TransportRequest) -> RecordedTransport.Reply) -> (SCIMClient, RecordedTransport) {
        let transport = RecordedTransport(handler: handler)
        let connection = SCIMClient.channel(
            app: "insights", baseURL: FakeSCIM.base, token: Secret("tok"), transport: transport,
            environment: TestClock().environment)
        return (SCIMClient(channel: connection, limits: Self.limits), transport)
    }

    static func scimPage(totalResults: String, ids: [Int]) -> RecordedTransport.Reply {
        let resources = ids.map { #"{"id":"u\#($0)","userName":"u\#($0)@pg.com"}"# }.joined(separator: ",")
        return .json(200, #"{"totalResults":\#(totalResults),"Resources":[\#(resources)]}"#)
    }

    @Test func aSCIMTotalOfTenToTheEighteenIsRefusedAfterTheFirstPage() async {
        let (client, transport) = scim { request in
            let start = Int(request.query("startIndex") ?? "1") ?? 1
            return Self.scimPage(totalResults: "1000000000000000000", ids: [start, start + 1])
        }
        await expectOutOfBounds(connection: "insights", requests: 0, atMost: 0) { () async throws(LiveError) in
            _ = try await client.allUsers()
        }
        #expect(transport.requests.count == 1)
    }

    @Test func aSCIMServerIgnoringStartIndexIsCaughtOnTheSecondPage() async {
        let (client, transport) = scim { _ in Self.scimPage(totalResults: "30", ids: [1, 2, 3]) }
        await expectOutOfBounds(connection: "insights", requests: 0, atMost: 0) { () async throws(LiveError) in
            _ = try await client.allUsers()
        }
        #expect(transport.requests.count == 2)
    }

    @Test func anHonestSCIMListingReadsToItsTotal() async throws {
        let (client, transport) = scim { request in
            let start = Int(request.query("startIndex") ?? "1") ?? 1
            return Self.scimPage(totalResults: "9", ids: [start, start + 1, start + 2])
        }
        // Honest so far: 9 results in 3 pages.
        #expect(try await client.allUsers().count == 9)
        #expect(transport.requests.count == 3)
    }

    /// The observer turns a hostile listing into a failure of the tenant: no observation, so no plan, for it.
    @Test func anObservationOfAHostileSiteFailsTheTenantNamingTheConnection() async throws {
        let (client, _) = thinkific { request in
            let page = Int(request.query("page") ?? "1") ?? 1
            return Self.thinkificPage(page, next: "-1", totalPages: "1000000000")
        }
        do throws(LiveError) {
            _ = try await Observer(thinkific: client).observe(
                ObservationRequest(
                    tenant: "pg", domains: ["pg.com"],
                    thinkific: ThinkificScope(courseSlugs: ["foundations"], groupNames: [])))
            Issue.record("expected the observation of a hostile site to fail")
        } catch {
            guard case .listingOutOfBounds(let connection, _, _) = error else {
                Issue.record("expected listingOutOfBounds, got \(error)")
                return
            }
            #expect(connection == "thinkific")
        }
    }
}

/// The production transport against servers that send too much or nothing at all.
@Suite(.serialized) struct HostileTransportTests {
    /// Resident memory of this process in bytes.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test(arguments: [true, false])
    func aTwoGigabyteBodyIsCutOffAtTheCap(declared: Bool) async throws {
        let server = try StreamingServer(bytes: 2 << 30, declareLength: declared)
        defer { server.stop() }
        let transport = URLSessionTransport(maxResponseBytes: 8 << 20)
        let request = TransportRequest(method: "GET", url: try #require(URL(string: server.url)), timeout: 60)
        let before = Self.residentBytes()
        let outcome: Result<TransportResponse, LiveError>
        do throws(LiveError) {
            outcome = .success(try await transport.send(request))
        } catch {
            outcome = .failure(error)
        }
        // A local sender can outrun FoundationNetworking's cancel (see `URLSessionTransport`): stop it once the caller
        // has its answer.
        server.stopSending()
        let grown = Self.residentBytes() - before
        #expect(throws: LiveError.responseTooLarge(host: "127.0.0.1", limit: 8 << 20)) { try outcome.get() }
        // Far below the 2 GB a buffering transport holds (other tests in the process allocate too).
        #expect(grown < 1 << 30, "resident memory grew by \(grown >> 20) MiB")
        #expect(server.sentBytes < 1 << 30, "the server sent \(server.sentBytes >> 20) MiB: the transfer was not stopped")
    }

    /// A `Content-Length` over the cap is refused when the headers arrive, before any of the body.
    @Test func aDeclaredLengthOverTheCapIsRefusedAtTheHeaders() async throws {
        let server = try StreamingServer(bytes: 2 << 30, declareLength: true, bodyDelay: 30)
        defer { server.stop() }
        // The body would start after 30 s, past the request's 20 s: only a refusal at the headers is `responseTooLarge`.
        let request = TransportRequest(method: "GET", url: try #require(URL(string: server.url)), timeout: 20)
        await #expect(throws: LiveError.responseTooLarge(host: "127.0.0.1", limit: 8 << 20)) {
            _ = try await URLSessionTransport(maxResponseBytes: 8 << 20).send(request)
        }
        #expect(server.sentBytes == 0, "refused before any of the body was sent")
    }

    @Test func anAnswerUnderTheCapPassesWhole() async throws {
        let server = try StreamingServer(bytes: 3 << 20, declareLength: false)
        defer { server.stop() }
        let response = try await URLSessionTransport(maxResponseBytes: 4 << 20).send(
            TransportRequest(method: "GET", url: try #require(URL(string: server.url)), timeout: 30))
        #expect(response.body.count == 3 << 20)
    }

    /// A server that answers nothing: the observation's deadline cancels the reads under way, long before the
    /// request timeout, and names the connection it was waiting on.
    @Test func anObservationEndsAtItsDeadline() async throws {
        let server = try LoopbackServer { _ in .silent }
        defer { server.stop() }
        let connection = ThinkificClient.channel(
            subdomain: "stoic", apiKey: Secret("key"), baseURL: server.baseURL,
            policy: ChannelPolicy(maxAttempts: 1, timeout: 60), transport: URLSessionTransport())
        let observer = Observer(thinkific: ThinkificClient(channel: connection), deadline: 1)
        // Only the deadline can end this read as `deadlineExceeded`: the server never answers and the request's own
        // timeout (60 s) would be `timedOut`.
        let request = ObservationRequest(
            tenant: "pg", domains: ["pg.com"], thinkific: ThinkificScope(courseSlugs: ["foundations"], groupNames: []))
        await #expect(throws: LiveError.deadlineExceeded(tenant: "pg", seconds: 1, connections: ["thinkific"])) {
            _ = try await observer.observe(request)
        }
    }
}

/// Answers every connection with `bytes` bytes of filler, streamed in 64 KiB writes at about 100 MiB/s until the
/// client hangs up or `stopSending()`; with or without a `Content-Length`.
final class StreamingServer: Sendable {
    let port: Int
    private let listener: Int32
    private let sent = SentBytes()
    private let stopped = Flag()

    final class Flag: Sendable {
        let value = Mutex(false)
    }

    final class SentBytes: Sendable {
        let value = Mutex(0)
    }

    /// - Parameter bodyDelay: seconds between the headers and the body.
    init(bytes: Int, declareLength: Bool, bodyDelay: Double = 0) throws {
        signal(SIGPIPE, SIG_IGN)
        let (fd, port) = try LoopbackListener.open(backlog: 8)
        self.port = port
        listener = fd
        let sent = sent
        let stopped = stopped
        Thread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    // Closed here, not in `stop()`: a recycled descriptor number must never be accepted on by this
                    // thread.
                    close(fd)
                    return
                }
                var buffer = [UInt8](repeating: 0, count: 65536)
                _ = read(client, &buffer, buffer.count)
                var head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                if declareLength { head += "Content-Length: \(bytes)\r\n" }
                head += "\r\n"
                _ = Array(head.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                let waitUntil = Date().addingTimeInterval(bodyDelay)
                while Date() < waitUntil, !stopped.value.withLock({ $0 }) { usleep(10_000) }
                let chunk = [UInt8](repeating: UInt8(ascii: " "), count: 65536)
                var total = 0
                while total < bytes, !stopped.value.withLock({ $0 }) {
                    let count = chunk.withUnsafeBytes {
                        send(client, $0.baseAddress, min($0.count, bytes - total), Int32(MSG_NOSIGNAL))
                    }
                    if count <= 0 { break }
                    total += count
                    sent.value.withLock { $0 = total }
                    // About 100 MiB/s: faster than any API, yet with pauses a reader can drain the socket in.
                    if total % (1 << 20) < count { usleep(10_000) }
                }
                close(client)
            }
        }.start()
    }

    var url: String { "http://127.0.0.1:\(port)/users" }
    var sentBytes: Int { sent.value.withLock { $0 } }

    /// Ends the answer being streamed: the client connection closes.
    func stopSending() {
        stopped.value.withLock { $0 = true }
    }

    func stop() {
        stopSending()
        shutdown(listener, Int32(SHUT_RDWR))
    }
}
