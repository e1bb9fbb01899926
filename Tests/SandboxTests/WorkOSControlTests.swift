import Foundation
import Sandbox
import TestSupport
import Testing

@Suite struct WorkOSControlTests {
    let clock = WorkOSFixture.clock()
    let client: WorkOSClient

    init() {
        client = WorkOSClient(surface: WorkOSFixture.surface(clock: clock))
    }

    func events(_ query: [(name: String, value: String)] = []) -> [[String: Any]] {
        items(client.get("/events", query + [("limit", "100")]))
    }

    func user(_ email: String) -> [String: Any]? {
        let pg = json(client.get("/organizations/external_id/pg"))["id"] as! String
        let directory = items(client.get("/directories", [("organization_id", pg)])).first!["id"] as! String
        return items(client.get("/directory_users", [("directory", directory), ("email", email)])).first
    }

    @Test func addsAPersonByOrganizationExternalID() throws {
        clock.advance(by: 60)
        let added = try #require(
            client.control(
                "POST", "/directories/pg/users",
                body: ["email": "zed.new@pg.com", "first_name": "Zed", "last_name": "New", "groups": ["SG-Stoic-Managers"]]))
        #expect(added.status == 201)
        let person = try #require(user("zed.new@pg.com"))
        #expect((person["groups"] as? [[String: Any]])?.first?["name"] as? String == "SG-Stoic-Managers")
        let kinds = events().compactMap { $0["event"] as? String }
        #expect(kinds == ["dsync.user.created", "dsync.group.user_added"])
        let membership = try #require(events([("events", "dsync.group.user_added")]).first?["data"] as? [String: Any])
        #expect((membership["user"] as? [String: Any])?["email"] as? String == "zed.new@pg.com")
        #expect((membership["group"] as? [String: Any])?["name"] as? String == "SG-Stoic-Managers")
        #expect(client.control("POST", "/directories/pg/users", body: ["email": "zed.new@pg.com"])?.status == 409)
        #expect(client.control("POST", "/directories/nowhere/users", body: ["email": "a@b.c"])?.status == 404)
    }

    @Test func changesGroupsWithAddedAndRemovedEvents() throws {
        let before = try #require(user("ana.garcia@pg.com"))
        clock.advance(by: 60)
        let changed = client.control(
            "PATCH", "/directories/pg/users/ana.garcia%40pg.com", body: ["groups": ["SG-Stoic-Managers"]])
        #expect(changed?.status == 200)
        let after = try #require(user("ana.garcia@pg.com"))
        #expect((after["groups"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["SG-Stoic-Managers"])
        #expect((after["updated_at"] as! String) > (before["updated_at"] as! String))
        let kinds = events().compactMap { $0["event"] as? String }
        #expect(kinds == ["dsync.group.user_added", "dsync.group.user_removed"])
    }

    @Test func changesEmailKeepingIdpID() throws {
        let before = try #require(user("ben.okafor@pg.com"))
        let id = before["id"] as! String
        let changed = client.control("PATCH", "/directories/pg/users/\(id)", body: ["email": "ben.o@pg.com"])
        #expect(changed?.status == 200)
        let after = try #require(user("ben.o@pg.com"))
        #expect(after["idp_id"] as? String == before["idp_id"] as? String)
        #expect(user("ben.okafor@pg.com") == nil)
        let updated = try #require(events([("events", "dsync.user.updated")]).first?["data"] as? [String: Any])
        #expect((updated["previous_attributes"] as? [String: String]) == ["email": "ben.okafor@pg.com"])
        #expect(updated["email"] as? String == "ben.o@pg.com")
    }

    @Test func deactivatesAndRemovesAPerson() throws {
        let deactivated = client.control("PATCH", "/directories/pg/users/kira.jensen@pg.com", body: ["state": "inactive"])
        #expect(json(deactivated!)["state"] as? String == "inactive")
        #expect(user("kira.jensen@pg.com")?["state"] as? String == "inactive")

        let removed = client.control("DELETE", "/directories/pg/users/kira.jensen@pg.com")
        #expect(removed?.status == 200)
        #expect(user("kira.jensen@pg.com") == nil)
        #expect(client.get("/directory_users/\(json(removed!)["id"] as! String)").status == 404)
        let kinds = events().compactMap { $0["event"] as? String }
        #expect(kinds == ["dsync.user.updated", "dsync.user.deleted"])
        #expect(client.control("DELETE", "/directories/pg/users/kira.jensen@pg.com")?.status == 404)
    }

    @Test func addsAGroup() throws {
        let created = try #require(client.control("POST", "/directories/northwind/groups", body: ["name": "Stoic Coaches"]))
        #expect(created.status == 201)
        #expect(json(created)["object"] as? String == "directory_group")
        #expect(client.control("POST", "/directories/northwind/groups", body: ["name": "Stoic Coaches"])?.status == 409)
        #expect(events([("events", "dsync.group.created")]).count == 1)
        let listing = try #require(client.control("GET", "/directories"))
        let northwind = items(listing).first { $0["organization_external_id"] as? String == "northwind" }
        #expect((northwind?["metadata"] as? [String: Any])?["groups"] as? Int == 2)
        #expect(client.control("GET", "/unknown") == nil)
    }

    @Test func filtersEventsByTypeOrganizationTimeAndCursor() throws {
        let pg = json(client.get("/organizations/external_id/pg"))["id"] as! String
        for number in 1...3 {
            clock.advance(by: 60)
            _ = client.control("POST", "/directories/northwind/users", body: ["email": "n\(number)@northwind.com"])
        }
        clock.advance(by: 60)
        let cutoff = clock.now
        clock.advance(by: 1)
        _ = client.control("POST", "/directories/pg/users", body: ["email": "p@pg.com"])
        _ = client.request("PUT", "/organizations/\(pg)", body: ["name": "P&G"])

        #expect(events([("events", "dsync.user.created")]).count == 4)
        #expect(events([("events", "dsync.user.created,organization.updated")]).count == 5)
        #expect(events([("organization_id", pg)]).count == 2)
        let stamp = ISO8601DateFormatter().string(from: cutoff)
        #expect(events([("range_start", stamp)]).count == 2)
        #expect(events([("range_end", stamp)]).count == 3)
        #expect(client.get("/events", [("range_start", "yesterday")]).status == 422)

        let first = json(client.get("/events", [("limit", "2")]))
        let metadata = try #require(first["list_metadata"] as? [String: Any])
        #expect(metadata.keys.sorted() == ["after"])
        let rest = items(client.get("/events", [("after", metadata["after"] as! String)]))
        #expect(rest.count == 3)
        let all = (first["data"] as! [[String: Any]]) + rest
        #expect(Set(all.map { $0["id"] as! String }).count == 5)
        #expect(all.map { $0["created_at"] as! String } == all.map { $0["created_at"] as! String }.sorted())
    }

    @Test func organizationWritesProduceEvents() {
        let created = json(client.request("POST", "/organizations", body: ["name": "Hooli"]))
        _ = client.request("PUT", "/organizations/\(created["id"] as! String)", body: ["name": "Hooli XYZ"])
        _ = client.request("DELETE", "/organizations/\(created["id"] as! String)")
        let kinds = events().compactMap { $0["event"] as? String }
        #expect(kinds == ["organization.created", "organization.updated", "organization.deleted"])
    }
}
