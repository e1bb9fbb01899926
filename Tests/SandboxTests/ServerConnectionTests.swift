import Foundation
import Testing

@testable import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

/// The HTTP/1.1 layer over raw sockets: keep-alive, concurrency, hostile and malformed input, shutdown.
@Suite struct ServerConnectionTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let surface = FakeSurface()
        try withServer([surface]) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("POST /fake/items HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none")
            let first = try #require(client.readResponse())
            #expect(first.status == 201)
            #expect(first.headers["connection"] == "keep-alive")
            // Two pipelined requests in one write.
            client.send(
                "POST /fake/items HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo"
                    + "GET /fake/items HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let second = try #require(client.readResponse())
            let third = try #require(client.readResponse())
            #expect(second.status == 201)
            #expect(third.status == 200)
            #expect(third.headers["connection"] == "close")
            #expect(third.json?["items"] as? [String] == ["one", "two"])
            #expect(client.readsEndOfStream())
        }
    }

    @Test func http10ClosesAfterOneResponse() throws {
        try withServer([FakeSurface()]) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("GET /fake/items HTTP/1.0\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 200)
            #expect(response.headers["connection"] == "close")
            #expect(client.readsEndOfStream())
        }
    }

    @Test func concurrentClientsAreAllServed() throws {
        let surface = FakeSurface()
        try withServer([surface]) { root, _ in
            let clients = 16
            let perClient = 10
            let failures = Counter()
            DispatchQueue.concurrentPerform(iterations: clients) { index in
                guard let client = try? RawClient(port: port(of: root)) else { return failures.add() }
                for request in 0..<perClient {
                    let body = "c\(index)-\(request)"
                    client.send("POST /fake/items HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                    if client.readResponse()?.status != 201 { failures.add() }
                }
            }
            #expect(failures.value == 0)
            #expect(surface.items.count == clients * perClient)
            #expect(Set(surface.items).count == clients * perClient)
        }
    }

    @Test(arguments: [
        "GARBAGE\r\n\r\n",
        "GET /fake/items\r\n\r\n",
        "GET /fake/items HTTP/1.1 extra\r\n\r\n",
        "G(T /fake/items HTTP/1.1\r\n\r\n",
        "GET fake/items HTTP/1.1\r\n\r\n",
        "GET /fake/items HTTX/1.1\r\n\r\n",
        "GET /fake/items HTTP/1.1\r\nNo colon here\r\n\r\n",
        "GET /fake/items HTTP/1.1\r\nBad Name: x\r\n\r\n",
        "GET /fake/items HTTP/1.1\r\nX: a\r\n folded\r\n\r\n",
        "GET /fake/items HTTP/1.1\r\nX: a\u{1}b\r\n\r\n",
        "POST /fake/items HTTP/1.1\r\nContent-Length: -4\r\n\r\n",
        "POST /fake/items HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
    ])
    func malformedRequestIs400AndServerKeepsServing(_ request: String) throws {
        let surface = FakeSurface()
        try withServer([surface]) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send(request)
            let response = try #require(client.readResponse())
            #expect(response.status == 400)
            #expect(response.headers["connection"] == "close")
            #expect(client.readsEndOfStream())
            #expect(surface.seen.isEmpty)
            let next = try RawClient(port: port(of: root))
            next.send("GET /fake/items HTTP/1.1\r\n\r\n")
            #expect(next.readResponse()?.status == 200)
        }
    }

    @Test func otherHTTPVersionsAre505() throws {
        try withServer([FakeSurface()]) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("GET /fake/items HTTP/2.0\r\n\r\n")
            #expect(client.readResponse()?.status == 505)
        }
    }

    @Test func randomGarbageNeverCrashesTheServer() throws {
        var generator = SeededGenerator(seed: 42)
        try withServer([FakeSurface()], configure: { $0.limits.requestTimeout = 0.5 }) { root, _ in
            for round in 0..<20 {
                let client = try RawClient(port: port(of: root))
                let length = 1 + Int(generator.next() % 3000)
                var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                if round % 2 == 0 { bytes += Array("\r\n\r\n".utf8) }
                client.send(bytes)
                if round % 3 == 0 { continue }  // vanish without reading
                shutdown(client.fd, Int32(SHUT_WR))
                if let response = client.readResponse() { #expect((400..<600).contains(response.status)) }
            }
            let client = try RawClient(port: port(of: root))
            client.send("GET /fake/items HTTP/1.1\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
        }
    }

    @Test func oversizedHeaderIs431() throws {
        try withServer([FakeSurface()]) { root, _ in
            let client = try RawClient(port: port(of: root))
            let filler = String(repeating: "a", count: 70 * 1024)
            client.send("GET /fake/items HTTP/1.1\r\nX-Filler: \(filler)\r\n\r\n")
            #expect(client.readResponse()?.status == 431)
        }
    }

    @Test func headerThatNeverEndsIs431() throws {
        try withServer([FakeSurface()]) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("GET /fake/items HTTP/1.1\r\n")
            for _ in 0..<20 { client.send("X-More: " + String(repeating: "b", count: 4000) + "\r\n") }
            #expect(client.readResponse()?.status == 431)
        }
    }

    @Test func oversizedBodyIs413WithoutReadingIt() throws {
        let surface = FakeSurface()
        try withServer([surface]) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("POST /fake/items HTTP/1.1\r\nContent-Length: \(10 * 1024 * 1024 + 1)\r\n\r\nabc")
            #expect(client.readResponse()?.status == 413)
            #expect(surface.seen.isEmpty)
        }
    }

    @Test func chunkedBodyIs411() throws {
        let surface = FakeSurface()
        try withServer([surface]) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("POST /fake/items HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
            #expect(client.readResponse()?.status == 411)
            #expect(surface.seen.isEmpty)
        }
    }

    @Test func expectContinueGets100ThenTheResponse() throws {
        let surface = FakeSurface()
        try withServer([surface]) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("POST /fake/items HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            client.send("hello")
            #expect(client.readResponse()?.status == 201)
            #expect(surface.items == ["hello"])
        }
    }

    @Test func clientVanishingMidBodyLeavesServerServing() throws {
        let surface = FakeSurface()
        try withServer([surface]) { root, _ in
            do {
                let client = try RawClient(port: port(of: root))
                client.send("POST /fake/items HTTP/1.1\r\nContent-Length: 1000\r\n\r\nonly a part")
            }  // closed here
            let client = try RawClient(port: port(of: root))
            client.send("POST /fake/items HTTP/1.1\r\nContent-Length: 4\r\n\r\nnext")
            #expect(client.readResponse()?.status == 201)
            #expect(surface.items == ["next"])
        }
    }

    @Test func clientLeavingDuringALargeResponseDoesNotHurtTheServer() throws {
        try withServer([FakeSurface()]) { root, _ in
            for _ in 0..<3 {
                let client = try RawClient(port: port(of: root))
                var linger = linger(l_onoff: 1, l_linger: 0)  // close with a reset
                setsockopt(client.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
                client.send("GET /fake/big HTTP/1.1\r\n\r\n")
            }
            let client = try RawClient(port: port(of: root))
            client.send("GET /fake/big HTTP/1.1\r\n\r\n")
            #expect(client.readResponse()?.body.count == 8 * 1024 * 1024)
        }
    }

    @Test func idleKeepAliveConnectionIsClosed() throws {
        try withServer([FakeSurface()], configure: { $0.limits.idleTimeout = 0.2 }) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("GET /fake/items HTTP/1.1\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
            #expect(client.readsEndOfStream())
        }
    }

    @Test func slowPartialHeadIsCutOff() throws {
        try withServer([FakeSurface()], configure: { $0.limits.requestTimeout = 0.2 }) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("GET /fake/items HTTP/1.1\r\nX-Slow: ")
            #expect(client.readResponse()?.status == 408)
        }
    }

    @Test func stopLetsTheInFlightRequestFinish() throws {
        let gate = DispatchSemaphore(value: 0)
        let surface = FakeSurface(gate: gate)
        let server = try SandboxServer(SandboxConfiguration(), surfaces: [surface])
        let root = try server.start()
        let client = try RawClient(port: port(of: root))
        client.send("POST /fake/items HTTP/1.1\r\nContent-Length: 6\r\n\r\nlast-1")
        surface.entered.wait()
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            server.stop()
            stopped.signal()
        }
        // Once the listener refuses connections, stop() is under way and waiting for the request in flight.
        let deadline = Date().addingTimeInterval(10)
        while (try? RawClient(port: port(of: root))) != nil {
            try #require(Date() < deadline, "the listener never closed")
            usleep(5_000)
        }
        gate.signal()
        let response = try #require(client.readResponse())
        #expect(response.status == 201)
        #expect(response.headers["connection"] == "close")
        stopped.wait()
        #expect(surface.items == ["last-1"])
    }

    @Test func nonLoopbackBindIsRefusedUnlessPublic() throws {
        var configuration = SandboxConfiguration()
        configuration.host = "0.0.0.0"
        let server = try SandboxServer(configuration, surfaces: [FakeSurface()])
        #expect {
            try server.start()
        } throws: { error in
            guard case .bind(_, let reason) = error as? SandboxError else { return false }
            return reason.contains("loopback")
        }
        #expect(server.url == nil)
    }

    @Test func headRequestHasLengthButNoBody() throws {
        try withServer([FakeSurface()]) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("HEAD /fake/echo HTTP/1.1\r\n\r\nGET /fake/items HTTP/1.1\r\n\r\n")
            // The HEAD response announces a length but carries no body, so the next response parses cleanly.
            var head = try #require(client.readResponseHead())
            #expect(Int(head.headers["content-length"] ?? "0")! > 0)
            head = try #require(client.readResponse())
            #expect(head.status == 200)
            #expect(head.json?["items"] != nil)
        }
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
