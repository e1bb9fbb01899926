import Foundation
import Sandbox
import Testing

@Suite struct WorkOSSurfaceTests {
    let client = WorkOSClient(surface: WorkOSFixture.surface())

    func organization(_ externalID: String) -> [String: Any] {
        json(client.get("/organizations/external_id/\(externalID)"))
    }

    /// Issue 9, class 11: re-sending an organization's 5,000 domains is answered in bounded time (each wanted domain
    /// is looked up, not searched for among the existing ones).
    @Test func updatingManyDomainsIsLinear() throws {
        let domains = (0..<5_000).map { ["domain": "d\($0).example", "state": "verified"] }
        let created = client.request("POST", "/organizations", body: ["name": "Many", "domain_data": domains])
        #expect(created.status == 201)
        let id = try #require(json(created)["id"] as? String)
        let started = Date()
        let updated = client.request("PUT", "/organizations/\(id)", body: ["domain_data": Array(domains.reversed())])
        #expect(updated.status == 200)
        #expect((json(updated)["domains"] as? [Any])?.count == 5_000)
        #expect(Date().timeIntervalSince(started) < 120)
    }

    // MARK: - Auth and headers

    @Test func rejectsMissingOrWrongKey() {
        for key in ["", "sk_test_wrong"] {
            var anonymous = client
            anonymous.key = key
            let response = anonymous.get("/organizations")
            #expect(response.status == 401)
            #expect(json(response)["code"] as? String == "unauthorized")
            #expect(json(response)["message"] as? String == "Unauthorized")
        }
    }

    @Test func answersJSONWithRequestID() {
        let response = client.get("/organizations")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"]?.contains("application/json") == true)
        #expect(response.headers["X-Request-ID"]?.isEmpty == false)
        #expect(client.get("/nope").status == 404)
    }

    // MARK: - Organizations

    @Test func listsOrganizationsNewestFirstWithLimit() {
        let all = items(client.get("/organizations"))
        #expect(all.map { $0["external_id"] as? String } == ["globex", "northwind", "pg"])
        let asc = items(client.get("/organizations", [("order", "asc"), ("limit", "2")]))
        #expect(asc.map { $0["external_id"] as? String } == ["pg", "northwind"])
        #expect(client.get("/organizations", [("limit", "0")]).status == 422)
        #expect(client.get("/organizations", [("limit", "101")]).status == 422)
        #expect(client.get("/organizations", [("order", "sideways")]).status == 422)
    }

    @Test func filtersOrganizationsByDomainsInEveryEncoding() {
        let encodings: [[(name: String, value: String)]] = [
            [("domains", "pg.com,globex.com")],
            [("domains", "pg.com"), ("domains", "globex.com")],
            [("domains[]", "pg.com"), ("domains[]", "globex.com")],
        ]
        for query in encodings {
            let names = items(client.get("/organizations", query)).compactMap { $0["external_id"] as? String }
            #expect(names == ["globex", "pg"], "\(query)")
        }
        let search = items(client.get("/organizations", [("search", "north")]))
        #expect(search.map { $0["external_id"] as? String } == ["northwind"])
    }

    @Test func createsGetsUpdatesAndDeletesAnOrganization() throws {
        let created = client.request(
            "POST", "/organizations",
            body: [
                "name": "Initech", "external_id": "initech", "metadata": ["tier": "gold"],
                "domain_data": [["domain": "initech.com", "state": "pending"]],
            ])
        #expect(created.status == 201)
        let object = json(created)
        let id = try #require(object["id"] as? String)
        #expect(id.hasPrefix("org_") && id.count == 30)
        let domains = try #require(object["domains"] as? [[String: Any]])
        #expect(domains.first?["state"] as? String == "pending")
        #expect(domains.first?["organization_id"] as? String == id)
        #expect((object["metadata"] as? [String: String]) == ["tier": "gold"])

        #expect(json(client.get("/organizations/\(id)"))["name"] as? String == "Initech")
        #expect(organization("initech")["id"] as? String == id)

        let updated = json(client.request("PUT", "/organizations/\(id)", body: ["name": "Initech Corp"]))
        #expect(updated["name"] as? String == "Initech Corp")
        #expect(updated["external_id"] as? String == "initech")
        #expect((updated["domains"] as? [[String: Any]])?.first?["id"] as? String == domains.first?["id"] as? String)

        #expect(client.request("DELETE", "/organizations/\(id)").status == 202)
        let gone = client.get("/organizations/\(id)")
        #expect(gone.status == 404)
        #expect(json(gone)["code"] as? String == "entity_not_found")
        #expect(client.get("/organizations/external_id/initech").status == 404)
    }

    @Test func createAcceptsDeprecatedDomainsAndRejectsBadInput() {
        let legacy = json(client.request("POST", "/organizations", body: ["name": "Legacy", "domains": ["legacy.com"]]))
        #expect((legacy["domains"] as? [[String: Any]])?.first?["domain"] as? String == "legacy.com")

        let taken = client.request("POST", "/organizations", body: ["name": "Copy", "external_id": "pg"])
        #expect(taken.status == 400)
        #expect(json(taken)["code"] as? String == "external_id_already_used")

        let nameless = client.request("POST", "/organizations", body: ["external_id": "x"])
        #expect(nameless.status == 422)
        #expect(json(nameless)["code"] as? String == "invalid_request_parameters")
        let errors = json(nameless)["errors"] as? [[String: String]]
        #expect(errors == [["field": "name", "code": "required"]])

        let metadata = client.request("POST", "/organizations", body: ["name": "M", "metadata": ["n": 1]])
        #expect(json(metadata)["code"] as? String == "invalid_metadata")

        let moved = client.request(
            "PUT", "/organizations/\(organization("northwind")["id"] as! String)", body: ["external_id": "pg"])
        #expect(moved.status == 400)
    }

    // MARK: - Connections and directories

    @Test func filtersConnections() {
        let northwind = organization("northwind")["id"] as! String
        let all = items(client.get("/connections", [("organization_id", northwind)]))
        #expect(all.count == 2)
        let github = items(client.get("/connections", [("connection_type", "GithubOAuth")]))
        #expect(github.map { $0["connection_type"] as? String } == ["GitHubOAuth"])
        #expect(github.first?["state"] as? String == "inactive")
        let byDomain = items(client.get("/connections", [("domain", "pg.com")]))
        #expect(byDomain.map { $0["name"] as? String } == ["P&G Ping Federate"])
        let id = byDomain.first?["id"] as! String
        #expect(json(client.get("/connections/\(id)"))["status"] as? String == "linked")
        #expect(client.get("/connections/conn_missing").status == 404)
    }

    @Test func listsDirectoriesWithCounts() throws {
        let pg = organization("pg")["id"] as! String
        let directories = items(client.get("/directories", [("organization_id", pg)]))
        let directory = try #require(directories.first)
        #expect(directories.count == 1)
        let metadata = try #require(directory["metadata"] as? [String: Any])
        #expect((metadata["users"] as? [String: Int]) == ["active": 4, "inactive": 1])
        #expect(metadata["groups"] as? Int == 3)
        #expect(items(client.get("/directories", [("search", "bamboo")])).isEmpty)
        #expect(items(client.get("/directories", [("search", "WORKDAY")])).first?["type"] as? String == "workday")
        #expect(json(client.get("/directories/\(directory["id"] as! String)"))["name"] as? String == "P&G Ping Federate SCIM")
    }

    // MARK: - Directory users and groups

    func pgDirectory() -> String {
        let pg = organization("pg")["id"] as! String
        return items(client.get("/directories", [("organization_id", pg)])).first!["id"] as! String
    }

    @Test func directoryUsersNeedADirectoryOrGroup() {
        let response = client.get("/directory_users")
        #expect(response.status == 422)
        #expect((json(response)["errors"] as? [[String: String]])?.first?["field"] == "directory")
        #expect(client.get("/directory_users", [("directory", pgDirectory()), ("limit", "101")]).status == 422)
        #expect(client.get("/directory_users", [("directory", "directory_missing")]).status == 404)
    }

    @Test func listsAndFiltersDirectoryUsers() throws {
        let directory = pgDirectory()
        let users = items(client.get("/directory_users", [("directory", directory), ("limit", "100")]))
        #expect(users.count == 5)
        let ivy = try #require(
            items(client.get("/directory_users", [("directory", directory), ("email", "IVY.nguyen@pg.com")])).first)
        let groups = (ivy["groups"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(groups == ["SG-Stoic-Learners", "SG-Stoic-Managers"])
        let byIdp = items(client.get("/directory_users", [("directory", directory), ("idp_id", ivy["idp_id"] as! String)]))
        #expect(byIdp.map { $0["email"] as? String } == ["ivy.nguyen@pg.com"])
        let fetched = json(client.get("/directory_users/\(ivy["id"] as! String)"))
        #expect(fetched["email"] as? String == "ivy.nguyen@pg.com")
        #expect(client.get("/directory_users/directory_user_missing").status == 404)

        let learners = try #require(
            items(client.get("/directory_groups", [("directory", directory)])).first {
                $0["name"] as? String == "SG-Stoic-Learners"
            })
        let inGroup = items(client.get("/directory_users", [("group", learners["id"] as! String), ("limit", "100")]))
        #expect(
            Set(inGroup.compactMap { $0["email"] as? String })
                == ["ana.garcia@pg.com", "ben.okafor@pg.com", "ivy.nguyen@pg.com", "aiko.sato@pg.com"])
        #expect(inGroup.first { $0["email"] as? String == "aiko.sato@pg.com" }?["state"] as? String == "inactive")
    }

    @Test func listsDirectoryGroupsByDirectoryAndUser() throws {
        let directory = pgDirectory()
        let groups = items(client.get("/directory_groups", [("directory", directory), ("order", "asc")]))
        #expect(groups.compactMap { $0["name"] as? String } == ["SG-Stoic-Learners", "SG-Stoic-Managers", "SG-Finance"])
        let kira = try #require(
            items(client.get("/directory_users", [("directory", directory), ("email", "kira.jensen@pg.com")])).first)
        let hers = items(client.get("/directory_groups", [("user", kira["id"] as! String)]))
        #expect(hers.compactMap { $0["name"] as? String } == ["SG-Finance"])
        #expect(json(client.get("/directory_groups/\(hers[0]["id"] as! String)"))["name"] as? String == "SG-Finance")
        #expect(client.get("/directory_groups").status == 422)
    }

    // MARK: - Portal links

    @Test func generatesPortalLinks() {
        let pg = organization("pg")["id"] as! String
        let link = client.request("POST", "/portal/generate_link", body: ["organization": pg, "intent": "sso"])
        #expect(link.status == 201)
        #expect((json(link)["link"] as? String)?.hasPrefix("https://") == true)
        #expect(client.request("POST", "/portal/generate_link", body: ["organization": pg]).status == 201)
        #expect(client.request("POST", "/portal/generate_link", body: ["organization": "org_missing"]).status == 404)
        #expect(client.request("POST", "/portal/generate_link", body: ["organization": pg, "intent": "x"]).status == 422)
    }

    // MARK: - Idempotency

    @Test func replaysAPostWithTheSameIdempotencyKey() {
        let body = ["name": "Umbrella", "external_id": "umbrella"]
        let first = client.request("POST", "/organizations", body: body, headers: [("Idempotency-Key", "k-1")])
        let again = client.request("POST", "/organizations", body: body, headers: [("Idempotency-Key", "k-1")])
        #expect(first.status == 201)
        #expect(again.status == 201)
        #expect(json(again)["id"] as? String == json(first)["id"] as? String)
        #expect(items(client.get("/organizations", [("search", "Umbrella")])).count == 1)
        let other = client.request("POST", "/organizations", body: body, headers: [("Idempotency-Key", "k-2")])
        #expect(other.status == 400)
    }

    @Test func servesConcurrentWritesAndReads() {
        let client = client
        DispatchQueue.concurrentPerform(iterations: 200) { number in
            if number.isMultiple(of: 2) {
                _ = client.request(
                    "POST", "/organizations", body: ["name": "Concurrent \(number)"],
                    headers: [("Idempotency-Key", "c-\(number % 20)")])
            } else {
                _ = client.get("/organizations", [("limit", "100")])
            }
        }
        // 100 POSTs over 10 distinct keys: one organization per key.
        #expect(items(client.get("/organizations", [("search", "Concurrent"), ("limit", "100")])).count == 10)
    }

    // MARK: - Route templates and persistence

    @Test func namesRouteTemplates() {
        #expect(client.surface.routeTemplate(method: "GET", path: "/organizations/org_1") == "GET /organizations/{id}")
        #expect(
            client.surface.routeTemplate(method: "GET", path: "/organizations/external_id/pg")
                == "GET /organizations/external_id/{external_id}")
        #expect(client.surface.routeTemplate(method: "PATCH", path: "/organizations/org_1") == nil)
    }

    @Test func snapshotsRestoresAndResets() throws {
        _ = client.request("POST", "/organizations", body: ["name": "Saved"])
        let snapshot = try client.surface.snapshot()
        client.surface.reset()
        #expect(items(client.get("/organizations", [("search", "Saved")])).isEmpty)
        #expect(items(client.get("/organizations")).count == 3)
        try client.surface.restore(from: snapshot)
        #expect(items(client.get("/organizations", [("search", "Saved")])).count == 1)
        let users = items(client.get("/directory_users", [("directory", pgDirectory())]))
        #expect(users.count == 5)
        // Ids minted after a restore keep increasing.
        let next = json(client.request("POST", "/organizations", body: ["name": "After"]))["id"] as! String
        #expect(items(client.get("/organizations")).first?["id"] as? String == next)
    }
}
