import Foundation
import Sandbox
import Spec
import Testing

@Suite struct SCIMSurfaceTests {
    @Test func createReturnsLocationETagAndMeta() {
        let client = SCIMTestClient()
        let reply = client.createUser("bjensen", ["externalId": "ext-1", "password": "hunter2-not-a-secret"])
        #expect(reply.status == 201)
        #expect(reply.headers["Content-Type"] == "application/scim+json")
        let meta = reply.json["meta"] as? [String: Any] ?? [:]
        #expect(reply.id.count == 32 && reply.id.allSatisfy(\.isHexDigit))
        #expect(reply.headers["Location"] == "http://127.0.0.1:9999/scim/insights/v2/Users/\(reply.id)")
        #expect(meta["location"] as? String == reply.headers["Location"])
        #expect(meta["version"] as? String == reply.headers["ETag"])
        #expect(meta["resourceType"] as? String == "User")
        #expect(meta["created"] as? String == "2026-01-02T03:04:05.500Z")
        #expect(reply.json["password"] == nil)
        let fetched = client.send("GET", "/Users/\(reply.id)")
        #expect(fetched.status == 200)
        #expect(fetched.json["userName"] as? String == "bjensen")
        #expect(fetched.json["externalId"] as? String == "ext-1")
    }

    @Test func userNameIsUniqueCaseInsensitively() {
        let client = SCIMTestClient()
        client.createUser("alice")
        let duplicate = client.createUser("ALICE")
        #expect(duplicate.status == 409)
        #expect(duplicate.scimType == "uniqueness")
        #expect(client.createUser("alice2").status == 201)
    }

    @Test func appsAreIndependentAndEachHasItsOwnToken() {
        let insights = SCIMTestClient(app: "insights")
        insights.createUser("only-in-insights")
        let dashboard = SCIMTestClient(app: "dashboard")
        #expect(insights.list("/Users", []).userNames == ["only-in-insights"])
        let crossToken = insights.send("GET", "/Users", token: SandboxDefaults.scimToken(app: "dashboard"))
        #expect(crossToken.status == 401)
        #expect(crossToken.headers["WWW-Authenticate"] == #"Bearer realm="SCIM""#)
        #expect((crossToken.json["schemas"] as? [String])?.first == "urn:ietf:params:scim:api:messages:2.0:Error")
        #expect(dashboard.list("/Users", []).resources.isEmpty)
    }

    @Test func discoveryIsOpenAndDescribesUsersAndGroups() {
        let client = SCIMTestClient()
        let config = client.send("GET", "/ServiceProviderConfig", token: "wrong")
        #expect(config.status == 200)
        #expect((config.json["patch"] as? [String: Any])?["supported"] as? Bool == true)
        let types = client.send("GET", "/ResourceTypes", token: "wrong")
        #expect(types.resources.compactMap { $0["id"] as? String } == ["User", "Group"])
        let schemas = client.send("GET", "/Schemas")
        #expect(schemas.resources.count == 3)
        let user = client.send("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User")
        let names = (user.json["attributes"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names.contains("userName") && names.contains("emails") && names.contains("groups"))
        #expect(client.send("GET", "/Schemas/urn:nope").status == 404)
        #expect(client.send("GET", "/ResourceTypes/Widget").status == 404)
    }

    @Test(arguments: [
        ("GET", "/Nope", 404), ("DELETE", "/ServiceProviderConfig", 405), ("POST", "/Schemas", 405),
        ("PUT", "/Users", 405), ("POST", "/Users/abc", 405), ("GET", "/Users/.search", 405), ("GET", "/Me", 501),
    ])
    func unknownRoutesAndWrongMethods(method: String, path: String, status: Int) {
        let client = SCIMTestClient()
        let reply = client.send(method, path, body: method == "GET" || method == "DELETE" ? nil : [String: Any]())
        #expect(reply.status == status)
        #expect(reply.json["status"] as? String == String(status))
    }

    @Test func unknownAppIsNotFound() {
        let client = SCIMTestClient(app: "nosuchapp")
        #expect(client.send("GET", "/ServiceProviderConfig").status == 404)
    }

    @Test func requestBodiesMustBeJSON() {
        let client = SCIMTestClient()
        let plain = client.send("POST", "/Users", body: ["userName": "x"], contentType: "text/plain")
        #expect(plain.status == 415)
        #expect(client.send("POST", "/Users", body: ["userName": "x"], contentType: "application/json").status == 201)
        let missing = client.send("POST", "/Users", body: ["displayName": "no user name"])
        #expect(missing.status == 400)
        #expect(missing.scimType == "invalidValue")
    }

    @Test func putReplacesAndDeleteRemoves() {
        let client = SCIMTestClient()
        let id = client.createUser("carol", ["title": "CFO", "active": true]).id
        let put = client.send("PUT", "/Users/\(id)", body: ["userName": "carol", "displayName": "Carol"])
        #expect(put.status == 200)
        #expect(put.json["title"] == nil)
        #expect(put.json["displayName"] as? String == "Carol")
        #expect(client.send("DELETE", "/Users/\(id)").status == 204)
        let gone = client.send("GET", "/Users/\(id)")
        #expect(gone.status == 404)
        #expect(gone.json["detail"] != nil)
        #expect(client.send("DELETE", "/Users/\(id)").status == 404)
    }

    @Test func conditionalRequestsUseTheETag() {
        let client = SCIMTestClient()
        let created = client.createUser("dave")
        let etag = created.headers["ETag"] ?? ""
        let op: [[String: Any]] = [["op": "replace", "path": "title", "value": "Boss"]]
        #expect(client.patch("/Users/\(created.id)", op, headers: ["If-Match": etag]).status == 200)
        #expect(client.patch("/Users/\(created.id)", op, headers: ["If-Match": etag]).status == 412)
        let current = client.send("GET", "/Users/\(created.id)").headers["ETag"] ?? ""
        #expect(current != etag)
        #expect(client.send("GET", "/Users/\(created.id)", headers: ["If-None-Match": current]).status == 304)
    }

    @Test func groupsListMembersAndUsersSeeTheirGroups() {
        let client = SCIMTestClient()
        let ana = client.createUser("ana").id
        let ben = client.createUser("ben").id
        let group = client.createGroup("Learners", members: [ana, ben])
        #expect(group.status == 201)
        let groups = client.send("GET", "/Users/\(ana)").json["groups"] as? [[String: Any]] ?? []
        #expect(groups.map { $0["value"] as? String } == [group.id])
        #expect(groups.first?["display"] as? String == "Learners")
        #expect(client.send("DELETE", "/Users/\(ana)").status == 204)
        let members = client.send("GET", "/Groups/\(group.id)").json["members"] as? [[String: Any]] ?? []
        #expect(members.map { $0["value"] as? String } == [ben])
        #expect(client.list("/Groups", [("filter", "members.value eq \"\(ben)\"")]).resources.count == 1)
        #expect(client.send("DELETE", "/Groups/\(group.id)").status == 204)
        #expect(client.send("GET", "/Users/\(ben)").json["groups"] == nil)
    }

    @Test func pagingCountsAndCapsAtOneThousand() {
        let client = SCIMTestClient()
        for i in 1...1005 { client.createUser(String(format: "user%04d", i)) }
        let page = client.list("/Users", [("startIndex", "3"), ("count", "2")])
        #expect(page.json["totalResults"] as? Int == 1005)
        #expect(page.json["startIndex"] as? Int == 3)
        #expect(page.json["itemsPerPage"] as? Int == 2)
        #expect(page.userNames == ["user0003", "user0004"])
        let totalOnly = client.list("/Users", [("count", "0")])
        #expect(totalOnly.json["totalResults"] as? Int == 1005)
        #expect(totalOnly.resources.isEmpty)
        #expect(client.list("/Users", [("count", "5000")]).resources.count == 1000)
        #expect(client.list("/Users", []).resources.count == 1000)
        #expect(client.list("/Users", [("startIndex", "1001")]).userNames.first == "user1001")
        #expect(client.list("/Users", [("startIndex", "-4"), ("count", "1")]).userNames == ["user0001"])
    }

    @Test func attributesAndExcludedAttributesShapeTheOutput() {
        let client = SCIMTestClient()
        let id = client.createUser(
            "erin", ["name": ["givenName": "Erin", "familyName": "Ng"], "emails": [["value": "e@x.com", "type": "work"]]]
        ).id
        let only = client.send("GET", "/Users/\(id)", query: [("attributes", "userName,name.givenName")])
        #expect(Set(only.json.keys) == ["id", "schemas", "userName", "name"])
        #expect(only.json["name"] as? [String: String] == ["givenName": "Erin"])
        let without = client.send("GET", "/Users/\(id)", query: [("excludedAttributes", "emails,name.familyName")])
        #expect(without.json["emails"] == nil)
        #expect(without.json["name"] as? [String: String] == ["givenName": "Erin"])
        #expect(without.json["userName"] as? String == "erin")
        let search = client.send(
            "POST", "/Users/.search", body: ["filter": "userName eq \"erin\"", "attributes": ["emails.value"]])
        #expect(search.resources.first?["emails"] as? [[String: String]] == [["value": "e@x.com"]])
    }

    @Test func rootSearchCoversEveryResourceType() {
        let client = SCIMTestClient()
        client.createUser("frank")
        client.createGroup("Finance")
        let all = client.send("POST", "/.search", body: ["startIndex": 2])
        #expect(all.json["totalResults"] as? Int == 2)
        #expect(all.resources.compactMap { $0["displayName"] as? String } == ["Finance"])
        let named = client.send("POST", "/.search", body: ["filter": "userName sw \"fr\""])
        #expect(named.userNames == ["frank"])
    }

    @Test func snapshotRestoreAndReset() throws {
        let client = SCIMTestClient()
        let id = client.createUser("gina", ["emails": [["value": "gina@x.com"]]]).id
        let snapshot = try client.surface.snapshot()
        client.surface.reset()
        #expect(client.send("GET", "/Users/\(id)").status == 404)
        #expect(client.createUser("gina").status == 201)
        try client.surface.restore(from: snapshot)
        #expect(client.send("GET", "/Users/\(id)").status == 200)
        #expect(client.createUser("GINA").status == 409)
        #expect(client.list("/Users", [("filter", "emails.value eq \"GINA@x.com\"")]).userNames == ["gina"])
    }

    @Test func routeTemplatesNameTheRoute() {
        let surface = SCIMSurface(apps: SCIMSurface.defaultApps)
        #expect(surface.routeTemplate(method: "GET", path: "/insights/v2/Users/abc") == "GET /{app}/v2/Users/{id}")
        #expect(surface.routeTemplate(method: "POST", path: "/dashboard/v2/Groups") == "POST /{app}/v2/Groups")
        #expect(surface.routeTemplate(method: "POST", path: "/insights/v2/Users/.search") == "POST /{app}/v2/Users/.search")
        #expect(surface.routeTemplate(method: "GET", path: "/insights/v2/Widgets") == nil)
        #expect(surface.routeTemplate(method: "GET", path: "/other/v2/Users") == nil)
    }
}

@Suite struct SCIMSeedTests {
    private func scalar(_ text: String, line: Int, column: Int) -> Node {
        Node(.scalar(Scalar(text)), at: SourceLocation(file: "seed.yml", line: line, column: column))
    }

    private func mapping(_ pairs: [(String, Node)], line: Int) -> Node {
        Node(
            .mapping(pairs.map { Pair(key: scalar($0.0, line: line, column: 3), value: $0.1) }),
            at: SourceLocation(file: "seed.yml", line: line, column: 3))
    }

    private func seed(_ apps: [Node]) -> Node {
        mapping([("apps", Node(.sequence(apps), at: SourceLocation(file: "seed.yml", line: 2, column: 3)))], line: 1)
    }

    @Test func loadsAppsWithDefaultTokens() throws {
        let node = seed([
            mapping([("name", scalar("insights", line: 3, column: 9))], line: 3),
            mapping([("name", scalar("lms", line: 4, column: 9)), ("token", scalar("tok", line: 4, column: 20))], line: 4),
        ])
        let surface = try SCIMSurface(seed: node)
        #expect(
            surface.apps == [
                SCIMSurface.App(name: "insights", token: "sandbox-insights-token"), .init(name: "lms", token: "tok"),
            ])
        #expect(try SCIMSurface(seed: nil).apps == SCIMSurface.defaultApps)
    }

    @Test func reportsShapeErrorsAtTheNode() {
        let duplicate = seed([
            mapping([("name", scalar("a", line: 3, column: 9))], line: 3),
            mapping([("name", scalar("a", line: 4, column: 9))], line: 4),
        ])
        let unknown = seed([mapping([("nmae", scalar("a", line: 5, column: 9))], line: 5)])
        let badName = seed([mapping([("name", scalar("a/b", line: 6, column: 9))], line: 6)])
        for (node, line) in [(duplicate, 4), (unknown, 5), (badName, 6)] {
            #expect {
                _ = try SCIMSurface(seed: node)
            } throws: { error in
                guard case .seed(let diagnostic) = error as? SandboxError else { return false }
                return diagnostic.location?.line == line && diagnostic.code == "sandbox-seed"
            }
        }
    }
}

@Suite struct SCIMDefaultSeedTests {
    @Test func theDefaultSeedConfiguresInsightsAndDashboard() throws {
        var diagnostics = Diagnostics()
        let root = try #require(YAMLLoader.load(Data(DefaultSeed.yaml.utf8), file: "default-seed", diagnostics: &diagnostics))
        let surface = try SCIMSurface(seed: root["scim"])
        #expect(surface.apps.map(\.name) == ["insights", "dashboard"])
        #expect(surface.apps.map(\.token) == ["insights", "dashboard"].map { SandboxDefaults.scimToken(app: $0) })
    }

    @Test func aSeedErrorPointsAtTheYAMLLine() {
        var diagnostics = Diagnostics()
        let yaml = "scim:\n  apps:\n    - { name: insights }\n    - { name: insights, token: t }\n"
        let root = YAMLLoader.load(Data(yaml.utf8), file: "seed.yml", diagnostics: &diagnostics)
        #expect {
            _ = try SCIMSurface(seed: root?["scim"])
        } throws: { error in
            guard case .seed(let diagnostic) = error as? SandboxError else { return false }
            return diagnostic.location == SourceLocation(file: "seed.yml", line: 4, column: 15)
        }
    }
}
