import Foundation
import Sandbox
import Spec
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `--profile thinkific=NAME`: the vendor's manners at the edge (issue 10), over loopback HTTP.
@Suite struct ThinkificProfileTests {
    /// A session that opens as many connections as asked (URLSession.shared keeps a handful per host).
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 32
        return URLSession(configuration: configuration)
    }()

    static func start(
        _ profile: ThinkificProfile, seed: ThinkificSeed = .default, configure: (inout SandboxConfiguration) -> Void = { _ in }
    ) throws -> (SandboxServer, String) {
        var configuration = SandboxConfiguration()
        configuration.thinkificProfile = profile
        configure(&configuration)
        let server = try SandboxServer(configuration, surfaces: [try ThinkificSurface(seed: seed)])
        return (server, SandboxDefaults.thinkificBase(try server.start()))
    }

    static func send(
        _ base: String, _ method: String = "GET", _ path: String = "/users", json: Any? = nil
    ) async throws -> (status: Int, headers: [String: String], body: Data) {
        var request = URLRequest(url: try #require(URL(string: base + path)))
        request.httpMethod = method
        request.setValue(SandboxDefaults.thinkificAPIKey, forHTTPHeaderField: "X-Auth-API-Key")
        request.setValue(SandboxDefaults.thinkificSubdomain, forHTTPHeaderField: "X-Auth-Subdomain")
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        return (http.statusCode, headers, data)
    }

    /// No gateway errors and no concurrency limit: only the header forms under test.
    static func quiet(_ form: ThinkificProfile.ResetForm) -> ThinkificProfile {
        var profile = ThinkificProfile.vendor(form, name: "test")
        profile.gatewayErrorRate = 0
        return profile
    }

    @Test func profilesAreNamedAndUnknownOnesRefused() throws {
        func configured(_ text: String) throws -> SandboxConfiguration {
            var configuration = SandboxConfiguration()
            try configuration.applyProfile(text)
            return configuration
        }
        #expect(try configured("thinkific=vendor").thinkificProfile.resetForm == .epochMilliseconds)
        #expect(try configured("thinkific=vendor-seconds").thinkificProfile.resetForm == .epochSeconds)
        #expect(try configured("thinkific=kind").thinkificProfile == .kind)
        #expect(try configured("workos=strict,thinkific=vendor").profiles["workos"] == "strict")
        var twice = try configured("thinkific=vendor")
        #expect(throws: SandboxError.self) { try twice.applyProfile("thinkific=kind") }
        #expect(throws: SandboxError.self) { try configured("thinkific=nice") }
        #expect(throws: SandboxError.self) { try configured("thinkific") }
        #expect(throws: SandboxError.self) { try configured("moodle=vendor") }
    }

    @Test(arguments: ThinkificProfile.ResetForm.allCases)
    func a429CarriesTheResetInTheProfilesFormAndNoRetryAfter(form: ThinkificProfile.ResetForm) async throws {
        let (server, base) = try Self.start(Self.quiet(form)) {
            $0.rateLimits = RateLimitPolicy(["thinkific": .init(requests: 2, window: 3600)])
        }
        defer { server.stop() }
        var answers: [(status: Int, headers: [String: String], body: Data)] = []
        for _ in 0..<2 { answers.append(try await Self.send(base)) }
        let before = Date().timeIntervalSince1970
        answers.append(try await Self.send(base))
        let after = Date().timeIntervalSince1970
        #expect(answers.map(\.status) == [200, 200, 429])
        for answer in answers {
            #expect(answer.headers["ratelimit-limit"] == "2")
            #expect(answer.headers["ratelimit-remaining"] != nil)
            #expect(answer.headers["retry-after"] == nil)
        }
        #expect(answers[2].headers["ratelimit-remaining"] == "0")
        // The form, whatever the machine's load: the window resets within the hour of the 429 (a second more rounded up).
        let text = try #require(answers[2].headers["ratelimit-reset"])
        let reset = try #require(Double(text))
        switch form {
        case .epochMilliseconds:
            #expect(text.count == 13 && reset / 1000 >= before && reset / 1000 <= after + 3601, "\(text)")
        case .epochSeconds:
            #expect(text.count == 10 && reset >= before.rounded(.down) && reset <= after + 3602, "\(text)")
        case .secondsUntilReset:
            #expect(reset >= 1 && reset <= 3600, "\(text)")
        case .millisecondsUntilReset:
            #expect(reset >= 1000 && reset <= 3_600_000 && reset.truncatingRemainder(dividingBy: 1000) == 0, "\(text)")
        }
    }

    @Test func theKindProfileKeepsRetryAfter() async throws {
        let (server, base) = try Self.start(.kind) {
            $0.rateLimits = RateLimitPolicy(["thinkific": .init(requests: 1, window: 3600)])
        }
        defer { server.stop() }
        _ = try await Self.send(base)
        let limited = try await Self.send(base)
        #expect(limited.status == 429)
        #expect(limited.headers["retry-after"] != nil)
    }

    @Test func theVendorProfileLimitsASiteTo120AMinuteWithoutARateLimitFlag() async throws {
        let (server, base) = try Self.start(Self.quiet(.epochMilliseconds))
        defer { server.stop() }
        let answer = try await Self.send(base)
        #expect(answer.headers["ratelimit-limit"] == "120")
        #expect(answer.headers["ratelimit-remaining"] == "119")
    }

    /// The vendor profiles allow 10 requests in flight per site; the mechanism is shown with 3, so that a loaded machine
    /// need only overlap four requests within the 3 s each one is held.
    @Test func aRequestBeyondTheSitesConcurrencyIs429() async throws {
        #expect(try ThinkificProfile.named("vendor").maxConcurrentPerKey == 10)
        var profile = Self.quiet(.epochMilliseconds)
        profile.maxConcurrentPerKey = 3
        let (server, base) = try Self.start(profile) { $0.latencyMilliseconds = 3000 }
        defer { server.stop() }
        let answers = try await withThrowingTaskGroup(of: (Int, [String: String]).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let answer = try await Self.send(base)
                    return (answer.status, answer.headers)
                }
            }
            return try await group.reduce(into: [(Int, [String: String])]()) { $0.append($1) }
        }
        #expect(answers.count == 8)
        #expect(answers.contains { $0.0 == 200 })
        let limited = answers.filter { $0.0 == 429 }
        #expect(!limited.isEmpty)
        #expect(limited.allSatisfy { $0.1["ratelimit-reset"]?.count == 13 && $0.1["retry-after"] == nil })
        #expect(answers.allSatisfy { [200, 429].contains($0.0) })
    }

    @Test func gatewayErrorsAreCloudflarePagesAndA524StillDidTheWrite() async throws {
        var profile = Self.quiet(.epochMilliseconds)
        profile.gatewayErrorRate = 1
        let (server, base) = try Self.start(profile)
        defer { server.stop() }
        var seen: Set<Int> = []
        for index in 0..<40 {
            let answer = try await Self.send(
                base, "POST", "/users", json: ["email": "p\(index)@pg.com", "first_name": "P", "last_name": "\(index)"])
            seen.insert(answer.status)
            #expect(answer.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(String(decoding: answer.body, as: UTF8.self).contains("\(answer.status)"))
        }
        #expect(seen == [520, 522, 524])
        // Only the control surface sees past the edge.
        let root = try #require(base.components(separatedBy: "/thinkific").first)
        let stats = try await Self.session.data(from: try #require(URL(string: root + "/_sandbox/stats"))).0
        let routes = (try JSONSerialization.jsonObject(with: stats) as? [String: Any])
            .flatMap { ($0["surfaces"] as? [String: Any])?["thinkific"] as? [String: Any] }
            .flatMap { $0["routes"] as? [String: Int] }
        // Only the 524s reached the site.
        let created = routes?["POST /users"] ?? 0
        #expect(created > 0 && created < 40)
    }

    @Test func aPreexistingSeedHoldsHandMadeUsersAndEnrollments() throws {
        let yaml = """
            thinkific:
              sites:
                - subdomain: stoic
                  courses: [{ id: 101, name: CLF, slug: clf }, { id: 102, name: LT, slug: lt }]
                  users: [{ email: handmade-002@pg.com, first_name: Kept, last_name: AsIs }]
                  preexisting: { domains: [pg.com, pg.co.uk], per_domain: 2, courses: [101] }
            """
        var diagnostics = Diagnostics()
        let root = try #require(YAMLLoader.load(Data(yaml.utf8), file: "seed.yaml", diagnostics: &diagnostics))
        let harness = try ThinkificHarness(try ThinkificSeed(node: root["thinkific"]))
        let users = harness.send("GET", "/users", query: [("limit", "250")]).items
        #expect(
            users.compactMap { $0["email"] as? String }.sorted()
                == ["handmade-001@pg.co.uk", "handmade-001@pg.com", "handmade-002@pg.co.uk", "handmade-002@pg.com"])
        #expect(users.contains { $0["first_name"] as? String == "Kept" })
        let enrollments = harness.send("GET", "/enrollments", query: [("limit", "250")]).items
        #expect(enrollments.count == 4)
        #expect(enrollments.allSatisfy { $0["course_id"] as? Int == 101 && $0["is_free_trial"] as? Bool == false })
        #expect(enrollments.allSatisfy { $0["expiry_date"] is NSNull && $0["percentage_completed"] as? Double == 0.25 })
        let bad = "thinkific: { sites: [{ subdomain: s, courses: [], preexisting: { domains: [a.com], courses: [9] } }] }"
        let badRoot = try #require(YAMLLoader.load(Data(bad.utf8), file: "bad.yaml", diagnostics: &diagnostics))
        #expect(throws: SandboxError.self) { _ = try ThinkificSurface(seed: try ThinkificSeed(node: badRoot["thinkific"])) }
    }
}
