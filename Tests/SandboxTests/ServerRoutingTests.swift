import Foundation
import Testing

@testable import Sandbox

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Synchronous URLSession request for tests.
func fetch(
    _ url: String, method: String = "GET", body: Data? = nil, headers: [String: String] = [:]
) throws -> (
    status: Int, headers: [AnyHashable: Any], body: Data
) {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    request.httpBody = body
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: (Int, [AnyHashable: Any], Data)?
    nonisolated(unsafe) var failure: (any Error)?
    URLSession.shared.dataTask(with: request) { data, response, error in
        if let http = response as? HTTPURLResponse {
            result = (http.statusCode, http.allHeaderFields, data ?? Data())
        } else {
            failure = error
        }
        done.signal()
    }.resume()
    done.wait()
    if let result { return (result.0, result.1, result.2) }
    throw failure ?? URLError(.unknown)
}

func jsonObject(_ data: Data) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
}

@Suite struct ServerRoutingTests {
    @Test func routesToSurfaceWithPrefixStrippedAndQueryDecoded() throws {
        let surface = FakeSurface()
        try withServer([surface]) { root, _ in
            let reply = try fetch(
                root + "/fake/echo/x?query%5Bemail%5D=a%2Bb%40pg.com&tag=one&tag=two+words&flag",
                headers: ["X-Test": "hello"])
            #expect(reply.status == 200)
            let object = jsonObject(reply.body)
            #expect(object["path"] as? String == "/echo/x")
            #expect(object["full_path"] as? String == "/fake/echo/x")
            #expect(object["header"] as? String == "hello")
            let query = object["query"] as? [[String]]
            #expect(query == [["query[email]", "a+b@pg.com"], ["tag", "one"], ["tag", "two words"], ["flag", ""]])
        }
    }

    @Test func postBodyReachesSurface() throws {
        let surface = FakeSurface()
        try withServer([surface]) { root, _ in
            let reply = try fetch(root + "/fake/items", method: "POST", body: Data("first".utf8))
            #expect(reply.status == 201)
            #expect(surface.items == ["first"])
        }
    }

    @Test func unknownPrefixIs404() throws {
        let surface = FakeSurface()
        try withServer([surface]) { root, _ in
            let unknown = try fetch(root + "/nothing/here")
            let bare = try fetch(root + "/")
            #expect(unknown.status == 404)
            #expect(bare.status == 404)
            #expect(surface.seen.isEmpty)
        }
    }

    @Test func everyResponseHasDateAndContentLength() throws {
        try withServer([FakeSurface()]) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send("GET /fake/items HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 200)
            #expect(response.headers["content-length"] == String(response.body.count))
            #expect(response.headers["date"]?.hasSuffix(" GMT") == true)
        }
    }

    @Test func urlSessionReusesItsConnection() throws {
        let surface = FakeSurface()
        try withServer([surface]) { root, server in
            for index in 0..<5 {
                let reply = try fetch(root + "/fake/items", method: "POST", body: Data("n\(index)".utf8))
                #expect(reply.status == 201)
            }
            #expect(surface.items.count == 5)
            #expect(server.connectionsAccepted == 1)
        }
    }

    @Test func servesIPv6Loopback() throws {
        try withServer([FakeSurface()], configure: { $0.host = "::1" }) { root, _ in
            #expect(root.hasPrefix("http://[::1]:"))
            // URLSession on Linux refuses IPv6 literal URLs, so this one goes over a raw socket.
            let client = try RawClient(port: port(of: root), ipv6: true)
            client.send("GET /fake/items HTTP/1.1\r\n\r\nGET /_sandbox/stats HTTP/1.1\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
            #expect(client.readResponse()?.status == 200)  // control: ::1 is a loopback peer
        }
    }

    @Test func stopClosesTheListener() throws {
        let server = try SandboxServer(SandboxConfiguration(), surfaces: [FakeSurface()])
        let root = try server.start()
        #expect(try fetch(root + "/fake/items").status == 200)
        server.stop()
        #expect(throws: RawClientError.self) { try RawClient(port: port(of: root)) }
    }
}
