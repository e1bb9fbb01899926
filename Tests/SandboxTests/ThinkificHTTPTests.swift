import Foundation
import Sandbox
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Drives the Thinkific surface through a real `SandboxServer` over loopback HTTP, as a client would.
@Suite struct ThinkificHTTPTests {
    /// A minimal Thinkific client over URLSession.
    struct Client {
        var base: String
        var subdomain = SandboxDefaults.thinkificSubdomain
        var key = SandboxDefaults.thinkificAPIKey

        func send(
            _ method: String, _ path: String, query: [URLQueryItem] = [], json: Any? = nil, authenticated: Bool = true
        ) async throws -> (status: Int, headers: [String: String], body: Data) {
            var components = URLComponents(string: base + path)!
            if !query.isEmpty { components.queryItems = query }
            var request = URLRequest(url: components.url!)
            request.httpMethod = method
            if authenticated {
                request.setValue(key, forHTTPHeaderField: "X-Auth-API-Key")
                request.setValue(subdomain, forHTTPHeaderField: "X-Auth-Subdomain")
            }
            if let json {
                request.httpBody = try JSONSerialization.data(withJSONObject: json)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            let http = try #require(response as? HTTPURLResponse)
            var headers: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                headers[String(describing: name).lowercased()] = String(describing: value)
            }
            return (http.statusCode, headers, data)
        }

        func object(_ data: Data) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        }
    }

    /// A server with only the Thinkific surface, on a free loopback port.
    static func start(
        _ seed: ThinkificSeed = .default, configure: (inout SandboxConfiguration) -> Void = { _ in }
    ) throws -> (SandboxServer, Client) {
        var configuration = SandboxConfiguration()
        configure(&configuration)
        let server = try SandboxServer(configuration, surfaces: [try ThinkificSurface(seed: seed)])
        let root = try server.start()
        return (server, Client(base: SandboxDefaults.thinkificBase(root)))
    }

    @Test func authenticationErrorOverTheWire() async throws {
        let (server, client) = try Self.start()
        defer { server.stop() }
        let answer = try await client.send("GET", "/users", authenticated: false)
        #expect(answer.status == 401)
        #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(client.object(answer.body) as NSDictionary == ["error": "Authentication Error"])
    }

    @Test func onboardingFlowAsAClientWouldRunIt() async throws {
        let (server, client) = try Self.start()
        defer { server.stop() }
        let lookup = try await client.send("GET", "/users", query: [URLQueryItem(name: "query[email]", value: "ana@pg.com")])
        #expect(lookup.status == 200)
        #expect((client.object(lookup.body)["items"] as? [Any])?.isEmpty == true)

        let created = try await client.send(
            "POST", "/users", json: ["first_name": "Ana", "last_name": "Garcia", "email": "ana@pg.com"])
        #expect(created.status == 201)
        let userID = try #require(client.object(created.body)["id"] as? Int)
        let again = try await client.send(
            "POST", "/users", json: ["first_name": "Ana", "last_name": "Garcia", "email": "ANA@pg.com"])
        #expect(again.status == 422)
        #expect(client.object(again.body) as NSDictionary == ["errors": ["email": ["has already been taken"]]])

        let group = try await client.send("POST", "/groups", json: ["name": "P&G 2026"])
        #expect(group.status == 200)
        let groupID = try #require(client.object(group.body)["id"] as? Int)
        let member = try await client.send("POST", "/group_users", json: ["user_id": userID, "group_names": ["P&G 2026"]])
        #expect(member.status == 201)
        #expect(member.body.isEmpty)
        let members = try await client.send("GET", "/users", query: [URLQueryItem(name: "query[group_id]", value: "\(groupID)")])
        #expect((client.object(members.body)["items"] as? [[String: Any]])?.map { $0["id"] as? Int } == [userID])

        let enrolled = try await client.send(
            "POST", "/enrollments",
            json: ["user_id": userID, "course_id": 101, "activated_at": "2026-01-05T09:00:00Z"])
        #expect(enrolled.status == 201)
        let enrollmentID = try #require(client.object(enrolled.body)["id"] as? Int)
        let expire = try await client.send("PUT", "/enrollments/\(enrollmentID)", json: ["expiry_date": "2020-01-01T00:00:00Z"])
        #expect(expire.status == 204)
        #expect(expire.body.isEmpty)
        let expired = try await client.send(
            "GET", "/enrollments", query: [URLQueryItem(name: "query[user_id]", value: "\(userID)")])
        let items = try #require(client.object(expired.body)["items"] as? [[String: Any]])
        #expect(items.map { $0["expired"] as? Bool } == [true])

        let missing = try await client.send("GET", "/users/999999")
        #expect(missing.status == 404)
        #expect(client.object(missing.body) as NSDictionary == ["error": "Record not found."])
    }

    @Test func followingNextPageVisitsEveryUserOnce() async throws {
        let seed = ThinkificSeed(sites: [
            .init(subdomain: "stoic", generate: .init(count: 610, domain: "load.example"))
        ])
        let (server, client) = try Self.start(seed)
        defer { server.stop() }
        var page: Int? = 1
        var seen: [Int] = []
        var requests = 0
        while let current = page {
            let answer = try await client.send(
                "GET", "/users",
                query: [URLQueryItem(name: "page", value: "\(current)"), URLQueryItem(name: "limit", value: "250")])
            let object = client.object(answer.body)
            seen += (object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            page = ((object["meta"] as? [String: Any])?["pagination"] as? [String: Any])?["next_page"] as? Int
            requests += 1
        }
        #expect(requests == 3)
        #expect(seen.count == 610)
        #expect(Set(seen).count == 610)
    }

    @Test func rateLimitIsPerSubdomain() async throws {
        let seed = ThinkificSeed(sites: [.init(subdomain: "alpha", apiKey: "key-a"), .init(subdomain: "beta", apiKey: "key-b")])
        let (server, base) = try Self.start(seed) {
            // An hour-long window: a test starved of CPU for a minute (the full suite on a busy machine) must not see
            // the window end between its second and third request.
            $0.rateLimits = RateLimitPolicy(["thinkific": .init(requests: 2, window: 3600)])
        }
        defer { server.stop() }
        var alpha = base
        alpha.subdomain = "alpha"
        alpha.key = "key-a"
        var beta = base
        beta.subdomain = "beta"
        beta.key = "key-b"
        #expect(try await alpha.send("GET", "/courses").status == 200)
        #expect(try await alpha.send("GET", "/courses").status == 200)
        let limited = try await alpha.send("GET", "/courses")
        #expect(limited.status == 429)
        #expect(limited.headers["ratelimit-reset"] != nil)
        #expect(try await beta.send("GET", "/courses").status == 200)
    }

    @Test func statsCountRouteTemplates() async throws {
        let (server, client) = try Self.start()
        defer { server.stop() }
        _ = try await client.send("GET", "/users/1")
        _ = try await client.send("GET", "/users/2")
        _ = try await client.send("GET", "/courses")
        let root = try #require(server.url)
        let (data, _) = try await URLSession.shared.data(from: URL(string: root + "/_sandbox/stats")!)
        let stats = client.object(data)
        let thinkific = try #require((stats["surfaces"] as? [String: Any])?["thinkific"] as? [String: Any])
        let routes = try #require(thinkific["routes"] as? [String: Int])
        #expect(routes["GET /users/{id}"] == 2)
        #expect(routes["GET /courses"] == 1)
    }

    @Test func stateFileKeepsUsersAndIndexesAcrossRestarts() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("thinkific-state-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let configure: (inout SandboxConfiguration) -> Void = { $0.stateFile = file.path }
        let (first, client) = try Self.start(configure: configure)
        let created = try await client.send(
            "POST", "/users", json: ["first_name": "Ana", "last_name": "Garcia", "email": "ana@pg.com"])
        let id = try #require(client.object(created.body)["id"] as? Int)
        first.stop()

        let (second, again) = try Self.start(configure: configure)
        defer { second.stop() }
        let found = try await again.send("GET", "/users", query: [URLQueryItem(name: "query[email]", value: "ANA@pg.com")])
        let items = try #require(again.object(found.body)["items"] as? [[String: Any]])
        #expect(items.map { $0["id"] as? Int } == [id])
    }
}
