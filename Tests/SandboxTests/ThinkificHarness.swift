import Foundation
import Sandbox
import Spec
import Synchronization
import TestSupport
import Testing

/// A clock tests can pin and move.
/// A decoded JSON answer.
struct ThinkificAnswer {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    var json: Any? { body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var items: [[String: Any]] { object["items"] as? [[String: Any]] ?? [] }
    var pagination: [String: Any] { (object["meta"] as? [String: Any])?["pagination"] as? [String: Any] ?? [:] }
    var ids: [Int] { items.compactMap { $0["id"] as? Int } }
}

/// Calls a surface's `handle` directly, authenticated as one site unless told otherwise.
struct ThinkificHarness {
    let surface: ThinkificSurface
    let clock: MovableClock
    var subdomain = SandboxDefaults.thinkificSubdomain
    var key = SandboxDefaults.thinkificAPIKey

    init(_ seed: ThinkificSeed = .default) throws {
        clock = MovableClock(at: Date(timeIntervalSince1970: 1_790_000_000.25))
        surface = try ThinkificSurface(seed: seed, clock: clock.function)
    }

    func send(
        _ method: String, _ path: String, query: [(String, String)] = [], json: Any? = nil, raw: Data? = nil,
        headers: [(String, String)]? = nil
    ) -> ThinkificAnswer {
        let body = raw ?? json.map { try! JSONSerialization.data(withJSONObject: $0) } ?? Data()
        var fields = HTTPHeaders()
        for (name, value) in headers ?? [("X-Auth-API-Key", key), ("X-Auth-Subdomain", subdomain)] {
            fields.add(name, value)
        }
        if !body.isEmpty { fields.add("Content-Type", "application/json") }
        let path = "/api/public/v1" + path
        let request = HTTPRequest(method: method, path: path, query: query.map { ($0.0, $0.1) }, headers: fields, body: body)
        let response = surface.handle(request, path: path)
        return ThinkificAnswer(status: response.status, headers: response.headers, body: response.body)
    }

    /// Creates a user and returns its id.
    @discardableResult
    func createUser(_ email: String, first: String = "Ana", last: String = "Garcia", roles: [String] = []) throws -> Int {
        let answer = send("POST", "/users", json: ["email": email, "first_name": first, "last_name": last, "roles": roles])
        try #require(answer.status == 201, "creating \(email): \(String(decoding: answer.body, as: UTF8.self))")
        return try #require(answer.object["id"] as? Int)
    }

    @discardableResult
    func createGroup(_ name: String) throws -> Int {
        let answer = send("POST", "/groups", json: ["name": name])
        try #require(answer.status == 200)
        return try #require(answer.object["id"] as? Int)
    }

    @discardableResult
    func enroll(user: Int, course: Int, activatedAt: String? = nil, expiry: String? = nil) throws -> Int {
        var body: [String: Any] = ["user_id": user, "course_id": course]
        if let activatedAt { body["activated_at"] = activatedAt }
        if let expiry { body["expiry_date"] = expiry }
        let answer = send("POST", "/enrollments", json: body)
        try #require(answer.status == 201, "\(String(decoding: answer.body, as: UTF8.self))")
        return try #require(answer.object["id"] as? Int)
    }
}

extension Node {
    /// A node tree from JSON text, for tests that need a document before the YAML loader is at hand.
    static func fromJSON(_ text: String) throws -> Node {
        try fromJSONValue(JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]))
    }

    private static func fromJSONValue(_ value: Any) -> Node {
        let here = SourceLocation(file: "test.json", line: 1, column: 1)
        switch value {
        case let object as [String: Any]:
            let pairs = object.keys.sorted().map {
                Pair(key: Node(.scalar(Scalar($0)), at: here), value: fromJSONValue(object[$0]!))
            }
            return Node(.mapping(pairs), at: here)
        case let array as [Any]:
            return Node(.sequence(array.map(fromJSONValue)), at: here)
        case is NSNull:
            return Node(.scalar(Scalar("null")), at: here)
        case let text as String:
            return Node(.scalar(Scalar(text, style: .doubleQuoted)), at: here)
        default:
            return Node(.scalar(Scalar("\(value)")), at: here)
        }
    }
}
