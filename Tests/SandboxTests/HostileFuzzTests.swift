import Foundation
import Testing

@testable import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 9, class 11, fuzz-ish: ordinary requests to every surface (valid credentials) with a query or body value
/// swapped for a hostile one, bytes flipped, or the request cut short — from a fixed seed, so a failure replays.
/// Each must be answered with a non-500 status or the connection closed; afterwards the sandbox still answers.
@Suite struct HostileFuzzTests {
    /// Values that have broken parsers before: integer edges, overflowing digits, floats, empties, escapes.
    static let hostileValues = [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999999999", "1e300",
        "-1e300", "1.5", "-0", "0", "-1", "NaN", "", "%00", "%ff%fe", "((((((((((", ")", "\"", "[", "]", "+", "%",
        "userName eq", "not(", String(repeating: "(", count: 5_000), String(repeating: "9", count: 5_000),
    ]

    /// JSON values to put where a body has a value.
    static let hostileJSON = [
        "1e300", "-1e300", "9223372036854775808", "-9223372036854775809", "1.5", "null", "true", "[]", "{}", "\"\"",
        String(repeating: "[", count: 3_000) + String(repeating: "]", count: 3_000),
        String(repeating: "{\"a\":", count: 3_000) + "1" + String(repeating: "}", count: 3_000),
        "\"" + String(repeating: "x", count: 100_000) + "\"",
    ]

    /// (method, target with `§` where a hostile value goes, body with `§` or nil, extra headers).
    static let templates: [(String, String, String?, [(String, String)])] = [
        ("GET", "/thinkific/api/public/v1/users?page=§&limit=25", nil, HostileRequestTests.thinkificAuth),
        ("GET", "/thinkific/api/public/v1/enrollments?limit=§&query[user_id]=§", nil, HostileRequestTests.thinkificAuth),
        ("GET", "/thinkific/api/public/v1/users/§", nil, HostileRequestTests.thinkificAuth),
        ("GET", "/thinkific/api/public/v1/groups?page=1&limit=§", nil, HostileRequestTests.thinkificAuth),
        (
            "POST", "/thinkific/api/public/v1/enrollments", #"{"course_id":§,"user_id":§,"expiry_date":§}"#,
            HostileRequestTests.thinkificAuth
        ),
        (
            "POST", "/thinkific/api/public/v1/users", #"{"email":"f@z.co","first_name":§,"last_name":"Z","roles":§}"#,
            HostileRequestTests.thinkificAuth
        ),
        ("GET", "/workos/organizations?limit=§&after=§", nil, HostileRequestTests.workosAuth),
        ("GET", "/workos/directory_users?directory=§&limit=§&order=§", nil, HostileRequestTests.workosAuth),
        ("GET", "/workos/events?range_start=§&limit=3", nil, HostileRequestTests.workosAuth),
        ("POST", "/workos/organizations", #"{"name":§,"domain_data":§,"metadata":§}"#, HostileRequestTests.workosAuth),
        ("GET", "/scim/insights/v2/Users?startIndex=§&count=§", nil, HostileRequestTests.scimAuth),
        ("GET", "/scim/insights/v2/Users?filter=userName+eq+§", nil, HostileRequestTests.scimAuth),
        ("GET", "/scim/insights/v2/Groups?filter=§&attributes=§", nil, HostileRequestTests.scimAuth),
        (
            "POST", "/scim/insights/v2/Users/.search", #"{"startIndex":§,"count":§,"filter":§}"#,
            HostileRequestTests.scimAuth + HostileRequestTests.scimJSON
        ),
        (
            "POST", "/scim/insights/v2/Users", #"{"userName":§,"active":§,"emails":§}"#,
            HostileRequestTests.scimAuth + HostileRequestTests.scimJSON
        ),
    ]

    /// One fuzzed request: a template with its holes filled, then perhaps a few bytes flipped or the end cut off.
    static func request(_ random: inout SeededGenerator) -> (bytes: [UInt8], truncated: Bool) {
        let (method, target, body, headers) = templates[Int.random(in: 0..<templates.count, using: &random)]
        let filledTarget = fill(target, from: hostileValues.map(Self.queryEscaped), &random)
        let filledBody = body.map { fill($0, from: hostileJSON, &random) }
        var bytes = HostileRequestTests.wire(
            HostileRequestTests.Case(
                name: "fuzz", method: method, target: filledTarget, headers: headers, body: filledBody.map { Array($0.utf8) },
                status: 0, shape: .success))
        switch Int.random(in: 0..<10, using: &random) {
        case 0:
            for _ in 0..<3 {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            return (bytes, false)
        case 1:
            return (Array(bytes.prefix(Int.random(in: 1..<bytes.count, using: &random))), true)
        default:
            return (bytes, false)
        }
    }

    /// `template` with each `§` replaced by a value drawn from `values`.
    static func fill(_ template: String, from values: [String], _ random: inout SeededGenerator) -> String {
        var result = ""
        for (index, part) in template.split(separator: "§", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { result += values[Int.random(in: 0..<values.count, using: &random)] }
            result += part
        }
        return result
    }

    /// Escapes what would break the request line (spaces, controls, `#`, `&`), keeping `%` sequences as they are.
    static func queryEscaped(_ value: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&#+")
        allowed.insert("%")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    @Test func fourHundredFuzzedRequestsLeaveTheSandboxServing() throws {
        let server = try SandboxServer(SandboxConfiguration())
        let root = try server.start()
        defer { server.stop() }
        var random = SeededGenerator(seed: 11)  // the sandbox's SplitMix64: every run sends the same requests
        var statuses: [Int: Int] = [:]
        for index in 0..<400 {
            let (bytes, _) = Self.request(&random)
            let client = try RawClient(port: port(of: root))
            client.send(bytes)
            // Nothing more will come: a request cut short (or whose flipped bytes announce a longer body) ends here
            // instead of waiting out the request timeout.
            shutdown(client.fd, Int32(SHUT_WR))
            guard let reply = client.readResponse() else { continue }  // closed: refused or cut short
            statuses[reply.status, default: 0] += 1
            #expect(reply.status != 500, "request \(index): \(String(decoding: bytes.prefix(300), as: UTF8.self))")
        }
        // Most requests are answered, with a spread of outcomes (200s, 400s, 404s, 422s…), so the holes were reached.
        #expect(statuses.values.reduce(0, +) > 200)
        #expect(statuses.keys.count >= 4, "statuses seen: \(statuses)")
        let fresh = try RawClient(port: port(of: root))
        fresh.send(
            HostileRequestTests.wire(
                HostileRequestTests.Case(
                    name: "ordinary", target: "/scim/insights/v2/Users", headers: HostileRequestTests.scimAuth, status: 200,
                    shape: .success)))
        #expect(fresh.readResponse()?.status == 200)
    }
}
