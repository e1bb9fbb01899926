import Foundation
import Sandbox

/// Drives a `SCIMSurface` through `handle` the way the router would, with JSON in and out.
struct SCIMTestClient {
    static let pinnedDate = Date(timeIntervalSince1970: 1_767_323_045.5)  // 2026-01-02T03:04:05.500Z

    struct Reply {
        var status: Int
        var json: [String: Any]
        var headers: HTTPHeaders

        var resources: [[String: Any]] { json["Resources"] as? [[String: Any]] ?? [] }
        var id: String { json["id"] as? String ?? "" }
        var userNames: [String] { resources.compactMap { $0["userName"] as? String } }
        var scimType: String? { json["scimType"] as? String }
    }

    let surface: SCIMSurface
    var app = "insights"

    init(app: String = "insights", profiles: SCIMProfiles = .none) {
        surface = SCIMSurface(apps: SCIMSurface.defaultApps, clock: { SCIMTestClient.pinnedDate }, profiles: profiles)
        self.app = app
    }

    func send(
        _ method: String, _ path: String, body: Any? = nil, query: [(String, String)] = [],
        headers: [String: String] = [:], token: String? = nil, contentType: String = "application/scim+json"
    ) -> Reply {
        var fields = HTTPHeaders([("Host", "127.0.0.1:9999")])
        fields.add("Authorization", "Bearer \(token ?? SandboxDefaults.scimToken(app: app))")
        if body != nil { fields.add("Content-Type", contentType) }
        for (name, value) in headers { fields.set(name, value) }
        let data = body.map { try! JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let fullPath = "/\(app)/v2\(path)"
        let request = HTTPRequest(
            method: method, path: fullPath, query: query.map { (name: $0.0, value: $0.1) }, headers: fields, body: data)
        let response = surface.handle(request, path: fullPath)
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        return Reply(status: response.status, json: json, headers: response.headers)
    }

    @discardableResult
    func createUser(_ userName: String, _ extra: [String: Any] = [:]) -> Reply {
        var body: [String: Any] = ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": userName]
        body.merge(extra) { _, new in new }
        return send("POST", "/Users", body: body)
    }

    @discardableResult
    func createGroup(_ name: String, members: [String] = []) -> Reply {
        send(
            "POST", "/Groups",
            body: [
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": name,
                "members": members.map { ["value": $0] },
            ])
    }

    func patch(_ path: String, _ operations: [[String: Any]], headers: [String: String] = [:]) -> Reply {
        send(
            "PATCH", path, body: ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations],
            headers: headers)
    }

    func list(_ path: String = "/Users", _ query: [(String, String)]) -> Reply {
        send("GET", path, query: query)
    }
}
