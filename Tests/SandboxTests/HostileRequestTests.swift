import Foundation
import Sandbox
import Testing

/// Issue 9, class 11: the sandbox survives any single request. Each case is sent with valid credentials over a
/// real loopback socket to the standard surfaces (default seed); the answer must be the expected status in the
/// surface's own error shape, and afterwards the sandbox must still answer an ordinary request on a new connection.
@Suite struct HostileRequestTests {
    /// One hostile request and what a careful server answers.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method = "GET"
        var target: String
        var headers: [(String, String)] = []
        var body: [UInt8]?
        var status: Int
        var shape: Shape

        var testDescription: String { name }
    }

    /// Which error body a refusal must have (a success is checked by `status` alone).
    enum Shape: Sendable {
        /// `{"error":"…"}` (Thinkific, and the HTTP layer's own refusals).
        case errorString
        /// RFC 7644 §3.12 error with this `scimType`.
        case scim(String)
        /// WorkOS `{"message","code"}`.
        case workos
        /// A success: no error body expected.
        case success
    }

    static let thinkificAuth = [("X-Auth-API-Key", SandboxDefaults.thinkificAPIKey), ("X-Auth-Subdomain", "stoic")]
    static let workosAuth = [("Authorization", "Bearer \(SandboxDefaults.workosAPIKey)")]
    static let scimAuth = [("Authorization", "Bearer \(SandboxDefaults.scimToken(app: "insights"))")]
    static let scimJSON = [("Content-Type", "application/scim+json")]

    /// A filter query with only spaces and quotes escaped, so 20,000 parentheses fit in the 64 KiB head.
    static func scimFilter(_ filter: String) -> String {
        "/scim/insights/v2/Users?filter="
            + filter.replacingOccurrences(of: " ", with: "+").replacingOccurrences(of: "\"", with: "%22")
    }

    static func scimSearch(_ json: String, name: String, status: Int, shape: Shape) -> Case {
        Case(
            name: name, method: "POST", target: "/scim/insights/v2/Users/.search", headers: scimAuth + scimJSON,
            body: Array(json.utf8), status: status, shape: shape)
    }

    static func nested(_ depth: Int, _ inner: String) -> String {
        String(repeating: "(", count: depth) + inner + String(repeating: ")", count: depth)
    }

    static let scimCases: [Case] = [
        Case(
            name: "SCIM filter 20,000 parentheses deep", target: scimFilter(nested(20_000, #"userName eq "a""#)),
            headers: scimAuth, status: 400, shape: .scim("invalidFilter")),
        Case(
            name: "SCIM filter 10,000 nots deep",
            target: scimFilter(
                String(repeating: "not(", count: 10_000) + #"userName eq "a""# + String(repeating: ")", count: 10_000)),
            headers: scimAuth, status: 400, shape: .scim("invalidFilter")),
        Case(
            name: "SCIM filter 65 parentheses deep (one past the limit)", target: scimFilter(nested(65, #"userName eq "a""#)),
            headers: scimAuth, status: 400, shape: .scim("invalidFilter")),
        Case(
            name: "SCIM filter 64 parentheses deep (at the limit)", target: scimFilter(nested(64, #"userName eq "a""#)),
            headers: scimAuth, status: 200, shape: .success),
        scimSearch(
            #"{"filter":"\#(nested(400_000, #"userName pr"#))"}"#, name: "SCIM .search filter 400,000 parentheses deep",
            status: 400, shape: .scim("invalidFilter")),
        scimSearch(
            #"{"filter":"\#(Array(repeating: "userName pr", count: 200_000).joined(separator: " and "))"}"#,
            name: "SCIM .search filter of 200,000 and-ed terms", status: 400, shape: .scim("invalidFilter")),
        scimSearch(
            #"{"filter":"\#(Array(repeating: "userName pr", count: 200_000).joined(separator: " or "))"}"#,
            name: "SCIM .search filter of 200,000 or-ed terms", status: 400, shape: .scim("invalidFilter")),
        scimSearch(
            #"{"filter":"emails[\#(nested(50_000, #"type eq \"work\""#))]"}"#,
            name: "SCIM .search value path 50,000 parentheses deep", status: 400, shape: .scim("invalidFilter")),
        scimSearch(
            #"{"filter":"\#(Array(repeating: "userName pr", count: 1_000).joined(separator: " or "))"}"#,
            name: "SCIM .search filter of 1,000 terms (at the limit)", status: 200, shape: .success),
        scimSearch(
            #"{"filter":"\#(Array(repeating: "userName pr", count: 1_001).joined(separator: " or "))"}"#,
            name: "SCIM .search filter of 1,001 terms (one past the limit)", status: 400, shape: .scim("invalidFilter")),
        Case(
            name: "SCIM filter comparing with 1e999 and -1e999", target: scimFilter("meta.version gt 1e999 or id lt -1e999"),
            headers: scimAuth, status: 200, shape: .success),
        scimSearch(
            #"{"startIndex":9223372036854775807}"#, name: "SCIM .search startIndex Int.max", status: 200, shape: .success),
        scimSearch(
            #"{"startIndex":9223372036854775807,"count":9223372036854775807}"#,
            name: "SCIM .search startIndex and count Int.max", status: 200, shape: .success),
        scimSearch(#"{"count":1e300}"#, name: "SCIM .search count 1e300", status: 400, shape: .scim("invalidValue")),
        scimSearch(#"{"count":-1e300}"#, name: "SCIM .search count -1e300", status: 400, shape: .scim("invalidValue")),
        scimSearch(#"{"startIndex":1e300}"#, name: "SCIM .search startIndex 1e300", status: 400, shape: .scim("invalidValue")),
        scimSearch(
            #"{"startIndex":9223372036854775808}"#, name: "SCIM .search startIndex 2^63", status: 400,
            shape: .scim("invalidValue")),
        scimSearch(#"{"count":2.5}"#, name: "SCIM .search count 2.5", status: 400, shape: .scim("invalidValue")),
        scimSearch(
            #"{"startIndex":-9223372036854775808,"count":-9223372036854775808}"#, name: "SCIM .search Int.min",
            status: 200, shape: .success),
        Case(
            name: "SCIM root .search startIndex Int.max", method: "POST", target: "/scim/insights/v2/.search",
            headers: scimAuth + scimJSON, body: Array(#"{"startIndex":9223372036854775807,"count":1000}"#.utf8), status: 200,
            shape: .success),
        Case(
            name: "SCIM query startIndex and count Int.max",
            target: "/scim/insights/v2/Users?startIndex=9223372036854775807&count=9223372036854775807", headers: scimAuth,
            status: 200, shape: .success),
        Case(
            name: "SCIM query count beyond Int", target: "/scim/insights/v2/Users?count=99999999999999999999999",
            headers: scimAuth, status: 400, shape: .scim("invalidValue")),
        Case(
            name: "SCIM query startIndex beyond Int", target: "/scim/insights/v2/Groups?startIndex=-99999999999999999999999",
            headers: scimAuth, status: 400, shape: .scim("invalidValue")),
        Case(
            name: "SCIM create with JSON nested 100,000 deep", method: "POST", target: "/scim/insights/v2/Users",
            headers: scimAuth + scimJSON,
            body: Array((#"{"userName":"deep","x":"# + String(repeating: "[", count: 100_000)).utf8), status: 400,
            shape: .scim("invalidSyntax")),
        Case(
            name: "SCIM create with a closed JSON array 100,000 deep", method: "POST", target: "/scim/insights/v2/Users",
            headers: scimAuth + scimJSON,
            body: Array(
                (#"{"userName":"deep2","x":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
                    + "}").utf8), status: 400, shape: .scim("invalidSyntax")),
    ]

    static let thinkificCases: [Case] = [
        Case(
            name: "Thinkific page Int.max", target: "/thinkific/api/public/v1/users?page=9223372036854775807",
            headers: thinkificAuth, status: 200, shape: .success),
        Case(
            name: "Thinkific page and limit Int.max",
            target: "/thinkific/api/public/v1/courses?page=9223372036854775807&limit=9223372036854775807",
            headers: thinkificAuth, status: 200, shape: .success),
        Case(
            name: "Thinkific enrollments page Int.max",
            target: "/thinkific/api/public/v1/enrollments?page=9223372036854775807&limit=250", headers: thinkificAuth,
            status: 200, shape: .success),
        Case(
            name: "Thinkific groups page Int.min", target: "/thinkific/api/public/v1/groups?page=-9223372036854775808",
            headers: thinkificAuth, status: 200, shape: .success),
        Case(
            name: "Thinkific page beyond Int", target: "/thinkific/api/public/v1/users?page=99999999999999999999999",
            headers: thinkificAuth, status: 400, shape: .errorString),
        Case(
            name: "Thinkific limit beyond Int", target: "/thinkific/api/public/v1/groups?limit=-99999999999999999999999",
            headers: thinkificAuth, status: 400, shape: .errorString),
        Case(
            name: "Thinkific user id beyond Int", target: "/thinkific/api/public/v1/users/99999999999999999999999",
            headers: thinkificAuth, status: 404, shape: .errorString),
        Case(
            name: "Thinkific enrollment filter ids Int.max",
            target: "/thinkific/api/public/v1/enrollments?query[user_id]=9223372036854775807&query[course_id]=-1",
            headers: thinkificAuth, status: 200, shape: .success),
        Case(
            name: "Thinkific create user with JSON nested 100,000 deep", method: "POST",
            target: "/thinkific/api/public/v1/users", headers: thinkificAuth + [("Content-Type", "application/json")],
            body: Array((#"{"email":"a@b.co","x":"# + String(repeating: "{\"a\":", count: 100_000)).utf8), status: 400,
            shape: .errorString),
        Case(
            name: "Thinkific enrollment with course id 1e300", method: "POST",
            target: "/thinkific/api/public/v1/enrollments", headers: thinkificAuth + [("Content-Type", "application/json")],
            body: Array(#"{"course_id":1e300,"user_id":9223372036854775807}"#.utf8), status: 422, shape: .success),
        Case(
            name: "Thinkific enrollment expiring in year 999999", method: "POST",
            target: "/thinkific/api/public/v1/enrollments", headers: thinkificAuth + [("Content-Type", "application/json")],
            body: Array(#"{"course_id":1,"user_id":1,"expiry_date":"999999-12-31T00:00:00Z"}"#.utf8), status: 422,
            shape: .success),
    ]

    static let workosCases: [Case] = [
        Case(
            name: "WorkOS limit Int.max", target: "/workos/organizations?limit=9223372036854775807", headers: workosAuth,
            status: 422, shape: .workos),
        Case(
            name: "WorkOS limit beyond Int", target: "/workos/directory_users?limit=99999999999999999999999",
            headers: workosAuth, status: 422, shape: .workos),
        Case(
            name: "WorkOS 60 KB cursor", target: "/workos/organizations?after=" + String(repeating: "z", count: 60_000),
            headers: workosAuth, status: 200, shape: .success),
        Case(
            name: "WorkOS create organization with JSON nested 100,000 deep", method: "POST", target: "/workos/organizations",
            headers: workosAuth + [("Content-Type", "application/json")],
            body: Array((#"{"name":"x","metadata":"# + String(repeating: "[", count: 100_000)).utf8), status: 400,
            shape: .workos),
    ]

    static let httpCases: [Case] = [
        Case(
            name: "Content-Length Int.max", method: "POST", target: "/scim/insights/v2/Users",
            headers: scimAuth + scimJSON + [("Content-Length", "9223372036854775807")], status: 413, shape: .errorString),
        Case(
            name: "Content-Length beyond Int", method: "POST", target: "/scim/insights/v2/Users",
            headers: scimAuth + scimJSON + [("Content-Length", "99999999999999999999999")], status: 413, shape: .errorString),
        Case(
            name: "Content-Length negative", method: "POST", target: "/workos/organizations",
            headers: workosAuth + [("Content-Length", "-1")], status: 400, shape: .errorString),
        Case(
            name: "Head of 100 KiB", target: "/thinkific/api/public/v1/users",
            headers: thinkificAuth + [("X-Padding", String(repeating: "p", count: 100 * 1024))], status: 431,
            shape: .errorString),
        Case(
            name: "Request target of 100 KiB",
            target: "/workos/organizations?search=" + String(repeating: "%", count: 100 * 1024),
            headers: workosAuth, status: 431, shape: .errorString),
        Case(
            name: "Body of 11 MiB declared", method: "POST", target: "/thinkific/api/public/v1/users",
            headers: thinkificAuth + [("Content-Length", String(11 * 1024 * 1024))], status: 413, shape: .errorString),
    ]

    static let allCases = scimCases + thinkificCases + workosCases + httpCases

    @Test(arguments: allCases)
    func survives(_ hostile: Case) throws {
        let server = try SandboxServer(SandboxConfiguration())
        let root = try server.start()
        defer { server.stop() }
        let client = try RawClient(port: port(of: root))
        client.send(Self.wire(hostile))
        let reply = try #require(client.readResponse(), "no answer to \(hostile.name)")
        #expect(reply.status == hostile.status)
        Self.checkShape(reply, hostile.shape)
        // Still there: an ordinary request on a new connection is answered.
        let fresh = try RawClient(port: port(of: root))
        fresh.send(
            Self.wire(
                Case(name: "ordinary", target: "/workos/organizations", headers: Self.workosAuth, status: 200, shape: .success)))
        #expect(fresh.readResponse()?.status == 200)
    }

    static func wire(_ hostile: Case) -> [UInt8] {
        var head = "\(hostile.method) \(hostile.target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in hostile.headers { head += "\(name): \(value)\r\n" }
        if let body = hostile.body, !hostile.headers.contains(where: { $0.0 == "Content-Length" }) {
            head += "Content-Length: \(body.count)\r\n"
        }
        return Array((head + "\r\n").utf8) + (hostile.body ?? [])
    }

    static func checkShape(_ reply: RawResponse, _ shape: Shape) {
        let json = reply.json ?? [:]
        switch shape {
        case .success:
            break
        case .errorString:
            #expect(json["error"] != nil, "expected {\"error\":…}, got \(String(decoding: reply.body, as: UTF8.self))")
        case .scim(let scimType):
            #expect(json["schemas"] as? [String] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
            #expect(json["scimType"] as? String == scimType)
            #expect(json["status"] as? String == String(reply.status))
        case .workos:
            #expect(json["message"] is String)
            #expect(json["code"] is String)
        }
    }
}
