import Foundation
import Live
import Sandbox
import TestSupport
import Testing

/// Issue 15: the production transport through a reverse proxy that serves one request per connection and closes it
/// after the answer, announced or not, with each way of handling `Expect: 100-continue`. Every write must arrive
/// upstream with its whole body, quickly.
@Suite(.serialized) struct ProxyTransportTests {
    /// Writes and reads interleaved, several in flight: the mix that made pooled connections go stale under the proxy.
    @Test(arguments: ReverseProxy.Behaviour.all)
    func everyWriteArrivesWithItsBody(_ behaviour: ReverseProxy.Behaviour) async throws {
        let server = try SandboxServer(SandboxConfiguration())
        let root = try server.start()
        defer { server.stop() }
        let proxy = try ReverseProxy(upstreamPort: try #require(URL(string: root)?.port), behaviour: behaviour)
        defer { proxy.stop() }
        let transport = URLSessionTransport()
        let base = SandboxDefaults.thinkificBase(proxy.url)
        let problems = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var problems: [String] = []
                    for index in 0..<8 {
                        let request = try Self.request(base, worker: worker, index: index)
                        let started = Date()
                        let response = try await transport.send(request)
                        let elapsed = Date().timeIntervalSince(started)
                        // A dead pooled connection costs the request's whole timeout (30 s); a loaded machine, seconds.
                        if elapsed > 25 { problems.append("\(request) took \(elapsed) s") }
                        if response.status != (index.isMultiple(of: 2) ? 201 : 200) {
                            problems.append("\(request) answered \(response.status)")
                        }
                    }
                    return problems
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(problems.isEmpty, "\(behaviour): \(problems)")
        let exchanges = proxy.exchanges
        #expect(!exchanges.contains { $0.isMissingBody }, "\(behaviour): \(exchanges.filter(\.isMissingBody))")
        #expect(exchanges.filter { $0.method == "POST" }.count >= 16, "\(behaviour): \(exchanges)")
    }

    /// For a body this large libcurl (7.x: over 1 KiB) would add `Expect: 100-continue` and wait a second for an answer an
    /// ignoring proxy never sends, or take a 417 and re-send without rewinding. The transport never asks: the body
    /// goes at once, whole, whatever the proxy does with `Expect`.
    @Test(arguments: ReverseProxy.Behaviour.all)
    func aLargeWriteNeverWaitsForContinue(_ behaviour: ReverseProxy.Behaviour) async throws {
        let server = try SandboxServer(SandboxConfiguration())
        let root = try server.start()
        defer { server.stop() }
        let proxy = try ReverseProxy(upstreamPort: try #require(URL(string: root)?.port), behaviour: behaviour)
        defer { proxy.stop() }
        let padding = String(repeating: "x", count: 2 << 20)
        let body = #"{"email":"large@proxy.example","first_name":"L","last_name":"\#(padding)"}"#
        let request = TransportRequest(
            method: "POST", url: try #require(URL(string: SandboxDefaults.thinkificBase(proxy.url) + "/users")),
            headers: [
                ("X-Auth-API-Key", SandboxDefaults.thinkificAPIKey), ("X-Auth-Subdomain", SandboxDefaults.thinkificSubdomain),
                ("Content-Type", "application/json"),
            ],
            body: Data(body.utf8), timeout: 10)
        _ = try await URLSessionTransport().send(request)
        let exchange = try #require(proxy.exchanges.first)
        #expect(!exchange.sentExpectContinue && !exchange.isMissingBody, "\(behaviour): \(exchange)")
        #expect(exchange.receivedLength == body.utf8.count, "\(behaviour): \(exchange)")
    }

    /// Even numbers create a user (a body), odd numbers read the users listing (no body).
    static func request(_ base: String, worker: Int, index: Int) throws -> TransportRequest {
        let headers = [
            ("X-Auth-API-Key", SandboxDefaults.thinkificAPIKey), ("X-Auth-Subdomain", SandboxDefaults.thinkificSubdomain),
            ("Content-Type", "application/json"),
        ]
        if index.isMultiple(of: 2) {
            let body = #"{"email":"w\#(worker)-\#(index)@proxy.example","first_name":"W","last_name":"\#(index)"}"#
            return TransportRequest(
                method: "POST", url: try #require(URL(string: base + "/users")), headers: headers, body: Data(body.utf8),
                timeout: 30)
        }
        return TransportRequest(
            method: "GET", url: try #require(URL(string: base + "/users?limit=5")), headers: headers, timeout: 30)
    }
}
