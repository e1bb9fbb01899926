import Foundation
import Live
import Sandbox
import Testing

/// The production transport against a real socket on loopback.
@Suite struct URLSessionTransportTests {
    let transport = URLSessionTransport()

    func get(_ server: LoopbackServer, _ path: String, timeout: Double = 30) throws -> TransportRequest {
        TransportRequest(
            method: "GET", url: try #require(URL(string: server.baseURL + path)), headers: [("X-Auth-API-Key", "k1")],
            timeout: timeout)
    }

    @Test func passesStatusHeadersAndBodyThrough() async throws {
        let server = try LoopbackServer { _ in
            LoopbackServer.response("404 Not Found", headers: ["RateLimit-Reset: 12"], body: #"{"error":"Record not found."}"#)
        }
        defer { server.stop() }
        let response = try await transport.send(try get(server, "/users/9"))
        #expect(response.status == 404)
        #expect(response.header("ratelimit-reset") == "12")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"error":"Record not found."}"#)
        let head = try #require(server.received.first)
        #expect(head.hasPrefix("GET /users/9 HTTP/1.1"))
        #expect(head.lowercased().contains("x-auth-api-key: k1"))
    }

    @Test func doesNotFollowRedirects() async throws {
        let server = try LoopbackServer { head in
            head.hasPrefix("GET /elsewhere")
                ? LoopbackServer.response("200 OK", body: "{}")
                : LoopbackServer.response("302 Found", headers: ["Location: /elsewhere"])
        }
        defer { server.stop() }
        let response = try await transport.send(try get(server, "/start"))
        #expect(response.status == 302)
        #expect(server.received.count == 1)
    }

    @Test func aRefusedConnectionIsUnreachable() async throws {
        let server = try LoopbackServer { _ in .close }
        let request = try get(server, "/")
        server.stop()
        try await Task.sleep(for: .milliseconds(50))
        do {
            _ = try await transport.send(request)
            Issue.record("a closed port answered")
        } catch {
            #expect(error.isBeforeRequestReached, "\(error)")
        }
    }

    @Test func aConnectionClosedWithoutAnswerIsDropped() async throws {
        let server = try LoopbackServer { _ in .close }
        defer { server.stop() }
        let request = try get(server, "/")
        do {
            _ = try await transport.send(request)
            Issue.record("an empty answer was accepted")
        } catch {
            guard case .connectionDropped = error else {
                Issue.record("expected connectionDropped, got \(error)")
                return
            }
        }
    }

    @Test func silenceEndsInATimeout() async throws {
        let server = try LoopbackServer { _ in .silent }
        defer { server.stop() }
        let request = try get(server, "/", timeout: 1)
        await #expect(throws: LiveError.timedOut(host: "127.0.0.1", seconds: 1)) {
            _ = try await transport.send(request)
        }
    }

    /// Writes in a row against a sandbox that drops 30% of connections without an answer: each drop must surface at
    /// once as `connectionDropped`. (Over a reused keep-alive connection libcurl used to resend the POST without its
    /// body, and the request hung until the timeout.)
    @Test func aDroppedWriteSurfacesAsDroppedNotAsATimeout() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = try FaultPlan.parse("thinkific:drop=0.3")
        let server = try SandboxServer(configuration)
        let root = try server.start()
        defer { server.stop() }
        var created = 0
        var dropped = 0
        for index in 0..<20 {
            let body = #"{"email":"p\#(index)@drop.example","first_name":"P","last_name":"D"}"#
            let request = TransportRequest(
                method: "POST", url: try #require(URL(string: SandboxDefaults.thinkificBase(root) + "/users")),
                headers: [
                    ("X-Auth-API-Key", SandboxDefaults.thinkificAPIKey), ("X-Auth-Subdomain", SandboxDefaults.thinkificSubdomain),
                    ("Content-Type", "application/json"),
                ],
                body: Data(body.utf8), timeout: 20)
            do {
                let response = try await transport.send(request)
                #expect(response.status == 201)
                created += 1
            } catch .connectionDropped {
                dropped += 1
            } catch {
                Issue.record("request \(index): expected 201 or connectionDropped, got \(error)")
            }
        }
        #expect(dropped > 0 && created > 0, "\(created) created, \(dropped) dropped")
    }
}
