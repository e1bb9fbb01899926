import Foundation
import Sandbox
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The WorkOS surface behind the real server, over loopback HTTP, as an SDK would see it.
@Suite struct WorkOSHTTPTests {
    let auth = ["Authorization": "Bearer \(SandboxDefaults.workosAPIKey)"]

    func body(_ object: Any) -> Data {
        try! JSONSerialization.data(withJSONObject: object)
    }

    @Test func authenticatesAndAnswersJSON() throws {
        try withServer([WorkOSFixture.surface()]) { root, _ in
            let anonymous = try fetch(root + "/workos/organizations")
            #expect(anonymous.status == 401)
            #expect(jsonObject(anonymous.body)["code"] as? String == "unauthorized")

            let reply = try fetch(root + "/workos/organizations?domains=pg.com,globex.com&order=asc", headers: auth)
            #expect(reply.status == 200)
            #expect((reply.headers["Content-Type"] as? String)?.contains("application/json") == true)
            #expect((reply.headers["X-Request-ID"] as? String)?.isEmpty == false)
            let names = (jsonObject(reply.body)["data"] as? [[String: Any]])?.compactMap { $0["external_id"] as? String }
            #expect(names == ["pg", "globex"])
            let repeated = try fetch(root + "/workos/organizations?domains=pg.com&domains=globex.com", headers: auth)
            #expect((jsonObject(repeated.body)["data"] as? [Any])?.count == 2)
            let bracketed = try fetch(root + "/workos/organizations?domains%5B%5D=northwind.com", headers: auth)
            #expect((jsonObject(bracketed.body)["data"] as? [Any])?.count == 1)
        }
    }

    @Test func replaysIdempotentCreates() throws {
        try withServer([WorkOSFixture.surface()]) { root, _ in
            var headers = auth
            headers["Idempotency-Key"] = "3f1c2a9e-retry"
            headers["Content-Type"] = "application/json"
            let payload = body([
                "name": "Initech", "external_id": "initech", "domain_data": [["domain": "initech.com", "state": "pending"]],
            ])
            let first = try fetch(root + "/workos/organizations", method: "POST", body: payload, headers: headers)
            let retry = try fetch(root + "/workos/organizations", method: "POST", body: payload, headers: headers)
            #expect(first.status == 201)
            #expect(retry.status == 201)
            #expect(jsonObject(retry.body)["id"] as? String == jsonObject(first.body)["id"] as? String)
            let listed = try fetch(root + "/workos/organizations?search=Initech", headers: auth)
            #expect((jsonObject(listed.body)["data"] as? [Any])?.count == 1)
        }
    }

    @Test func walksADirectoryOverHTTP() throws {
        try withServer([WorkOSFixture.surface()]) { root, _ in
            let globex = jsonObject(try fetch(root + "/workos/organizations/external_id/globex", headers: auth).body)
            let directories = jsonObject(
                try fetch(root + "/workos/directories?organization_id=\(globex["id"] as! String)", headers: auth).body)
            let directory = (directories["data"] as! [[String: Any]])[0]["id"] as! String
            var ids: [String] = []
            var after: String?
            var requests = 0
            repeat {
                let cursor = after.map { "&after=\($0)" } ?? ""
                let page = jsonObject(
                    try fetch(root + "/workos/directory_users?directory=\(directory)&limit=100\(cursor)", headers: auth).body)
                requests += 1
                ids += (page["data"] as! [[String: Any]]).map { $0["id"] as! String }
                after = (page["list_metadata"] as! [String: Any])["after"] as? String
            } while after != nil && requests < 50
            #expect(requests == 10)
            #expect(Set(ids).count == 1000)
        }
    }

    @Test func controlRoutesProduceEvents() throws {
        try withServer([WorkOSFixture.surface()]) { root, _ in
            let patched = try fetch(
                root + "/_sandbox/workos/directories/pg/users/ana.garcia@pg.com", method: "PATCH",
                body: body(["groups": ["SG-Stoic-Managers"]]))
            #expect(patched.status == 200)
            let added = try fetch(
                root + "/_sandbox/workos/directories/pg/users", method: "POST",
                body: body(["email": "zed.new@pg.com", "first_name": "Zed", "last_name": "New", "groups": ["SG-Finance"]]))
            #expect(added.status == 201)
            let removed = try fetch(root + "/_sandbox/workos/directories/pg/users/kira.jensen%40pg.com", method: "DELETE")
            #expect(removed.status == 200)
            let events = jsonObject(
                try fetch(
                    root + "/workos/events?events=dsync.user.created,dsync.user.deleted,dsync.group.user_added&limit=100",
                    headers: auth
                ).body)
            let kinds = (events["data"] as? [[String: Any]])?.compactMap { $0["event"] as? String }
            #expect(kinds == ["dsync.group.user_added", "dsync.user.created", "dsync.group.user_added", "dsync.user.deleted"])
            #expect((events["list_metadata"] as? [String: Any])?.keys.sorted() == ["after"])
        }
    }

    @Test func keepsStateAcrossRestarts() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("workos-state-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        var headers = auth
        headers["Content-Type"] = "application/json"
        let created = try withServer([WorkOSFixture.surface()], configure: { $0.stateFile = file }) { root, _ in
            _ = try fetch(root + "/_sandbox/workos/directories/pg/users", method: "POST", body: body(["email": "kept@pg.com"]))
            let reply = try fetch(root + "/workos/organizations", method: "POST", body: body(["name": "Kept"]), headers: headers)
            return jsonObject(reply.body)["id"] as? String
        }
        try withServer([WorkOSFixture.surface()], configure: { $0.stateFile = file }) { root, _ in
            let reply = try fetch(root + "/workos/organizations/\(try #require(created))", headers: auth)
            #expect(reply.status == 200)
            let pg = jsonObject(try fetch(root + "/workos/organizations/external_id/pg", headers: auth).body)["id"] as! String
            let directory =
                (jsonObject(try fetch(root + "/workos/directories?organization_id=\(pg)", headers: auth).body)["data"]
                as! [[String: Any]])[0]["id"] as! String
            let kept = try fetch(root + "/workos/directory_users?directory=\(directory)&email=kept@pg.com", headers: auth)
            #expect((jsonObject(kept.body)["data"] as? [Any])?.count == 1)
        }
    }
}
