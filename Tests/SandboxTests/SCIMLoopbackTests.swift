import Foundation
import Sandbox
import Testing

/// The SCIM surface behind the real server and router, over loopback sockets.
@Suite struct SCIMLoopbackTests {
    private func request(
        _ method: String, _ target: String, body: String? = nil, token: String? = "sandbox-insights-token"
    )
        -> String
    {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if let token { text += "Authorization: Bearer \(token)\r\n" }
        if let body { text += "Content-Type: application/scim+json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)" }
        return body == nil ? text + "\r\n" : text
    }

    @Test func createFilterAndFetchThroughTheRouter() throws {
        let surface = SCIMSurface(apps: SCIMSurface.defaultApps)
        try withServer([surface]) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send(request("POST", "/scim/insights/v2/Users", body: #"{"userName":"ana garcia","externalId":"E 1"}"#))
            let created = try #require(client.readResponse())
            #expect(created.status == 201)
            #expect(created.headers["content-type"] == "application/scim+json")
            let id = try #require(created.json?["id"] as? String)
            #expect(created.headers["location"] == "http://127.0.0.1/scim/insights/v2/Users/\(id)")

            // Percent-encoding and `+` for spaces both reach the filter parser decoded.
            client.send(request("GET", "/scim/insights/v2/Users?filter=userName%20eq%20%22ANA%20GARCIA%22"))
            #expect((try #require(client.readResponse())).json?["totalResults"] as? Int == 1)
            client.send(request("GET", "/scim/insights/v2/Users?filter=externalId+eq+%22E+1%22&attributes=userName"))
            let byExternal = try #require(client.readResponse())
            let resources = byExternal.json?["Resources"] as? [[String: Any]] ?? []
            #expect(resources.map { $0["id"] as? String } == [id])
            #expect(resources.first?["externalId"] == nil)

            client.send(request("GET", "/scim/insights/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", token: nil))
            #expect((try #require(client.readResponse())).json?["name"] as? String == "Group")

            client.send(request("GET", "/scim/dashboard/v2/Users/\(id)", token: "sandbox-dashboard-token"))
            #expect((try #require(client.readResponse())).status == 404)
            client.send(request("GET", "/scim/insights/v2/Users/\(id)", token: "sandbox-dashboard-token"))
            let refused = try #require(client.readResponse())
            #expect(refused.status == 401)
            #expect(refused.headers["www-authenticate"] == #"Bearer realm="SCIM""#)
        }
    }

    @Test func statsNameTheSCIMRoutes() throws {
        let surface = SCIMSurface(apps: SCIMSurface.defaultApps)
        try withServer([surface]) { root, _ in
            let client = try RawClient(port: port(of: root))
            client.send(request("GET", "/scim/insights/v2/Users/abc"))
            #expect((try #require(client.readResponse())).status == 404)
            client.send("GET /_sandbox/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let stats = try #require(client.readResponse())
            let routes = ((stats.json?["surfaces"] as? [String: Any])?["scim"] as? [String: Any])?["routes"] as? [String: Int]
            #expect(routes?["GET /{app}/v2/Users/{id}"] == 1)
        }
    }
}
