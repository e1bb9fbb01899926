import Foundation
import Sandbox
import Spec
import TestSupport
import Testing

/// The sandbox's SSO sign-ins (`POST /_sandbox/workos/organizations/{organization}/sign-ins`) and its event retention
/// (`--event-retention`).
@Suite struct WorkOSSignInTests {
    let clock = WorkOSFixture.clock()

    func client(retention: Double = WorkOSSurface.defaultEventRetention) -> WorkOSClient {
        WorkOSClient(surface: WorkOSSurface(WorkOSFixture.seed, clock: clock.function, eventRetention: retention))
    }

    func signIn(_ client: WorkOSClient, _ organization: String, _ body: [String: Any]) throws -> (Int, [String: Any]) {
        let response = try #require(client.control("POST", "/organizations/\(organization)/sign-ins", body: body))
        return (response.status, json(response))
    }

    func signInEvents(_ client: WorkOSClient, _ query: [(name: String, value: String)] = []) -> [[String: Any]] {
        items(client.get("/events", [("events", "authentication.sso_succeeded"), ("limit", "100")] + query))
    }

    @Test func signInRecordsAnSSOSucceededEventInTheVendorsShape() throws {
        let client = client()
        let (status, body) = try signIn(
            client, "pg", ["email": "nia.joiner@pg.com", "first_name": "Nia", "last_name": "Joiner", "idp_id": "ping-77"])
        #expect(status == 201)
        let organization = json(client.get("/organizations/external_id/pg"))["id"] as? String
        let connection = items(client.get("/connections", [("organization_id", organization ?? "")])).first?["id"] as? String
        let events = signInEvents(client, [("organization_id", organization ?? "")])
        try #require(events.count == 1)
        let data = try #require(events[0]["data"] as? [String: Any])
        #expect(data["email"] as? String == "nia.joiner@pg.com")
        #expect(data["type"] as? String == "sso" && data["status"] as? String == "succeeded")
        let sso = try #require(data["sso"] as? [String: Any])
        #expect(sso["organization_id"] as? String == organization)
        #expect(sso["connection_id"] as? String == connection)
        // The profile the application would get carries the names; the event (the vendor's shape) does not.
        let profile = try #require(body["profile"] as? [String: Any])
        #expect(profile["first_name"] as? String == "Nia" && profile["idp_id"] as? String == "ping-77")
        #expect(data["first_name"] == nil)
    }

    @Test func eventsWithSignInsCarryEverySpecRequiredField() throws {
        let client = client()
        _ = try signIn(client, "pg", ["email": "nia.joiner@pg.com"])
        _ = client.control("POST", "/directories/pg/users", body: ["email": "new@pg.com", "groups": ["SG-Finance"]])
        let events = client.get("/events", [("limit", "100")])
        #expect(Set(items(events).compactMap { $0["event"] as? String }).contains("authentication.sso_succeeded"))
        let root = try #require(WorkOSOpenAPITests.spec, "cannot load the WorkOS OpenAPI file")
        let schema = try #require(root["components"]?["schemas"]?["EventList"])
        let body = try JSONSerialization.jsonObject(with: events.body)
        #expect(WorkOSOpenAPITests.missing(body, schema: schema, root: root).isEmpty)
        // The walker does look inside the sign-in variant: a sign-in without `sso` is caught.
        var broken = try #require(body as? [String: Any])
        var data = try #require(broken["data"] as? [[String: Any]])
        let position = try #require(data.firstIndex { $0["event"] as? String == "authentication.sso_succeeded" })
        var payload = try #require(data[position]["data"] as? [String: Any])
        payload["sso"] = nil
        data[position]["data"] = payload
        broken["data"] = data
        #expect(WorkOSOpenAPITests.missing(broken, schema: schema, root: root) == ["$.data[\(position)].data.sso"])
    }

    @Test func signInNeedsAnEmailAndAnActiveConnectionOfThatOrganization() throws {
        let client = client()
        #expect(try signIn(client, "pg", [:]).0 == 422)
        #expect(try signIn(client, "pg", ["email": "x@pg.com", "first_name": 7]).0 == 422)
        #expect(try signIn(client, "nobody", ["email": "x@pg.com"]).0 == 404)
        // Globex has no SSO connection; Northwind's GitHub connection is inactive; pg cannot use Northwind's.
        #expect(try signIn(client, "globex", ["email": "x@globex.com"]).0 == 422)
        let northwind = items(client.get("/connections")).filter { ($0["name"] as? String)?.hasPrefix("Northwind") ?? false }
        let inactive = try #require(northwind.first { $0["state"] as? String == "inactive" }?["id"] as? String)
        let okta = try #require(northwind.first { $0["state"] as? String == "active" }?["id"] as? String)
        #expect(try signIn(client, "northwind", ["email": "x@northwind.com", "connection": inactive]).0 == 422)
        #expect(try signIn(client, "pg", ["email": "x@pg.com", "connection": okta]).0 == 422)
        #expect(try signIn(client, "northwind", ["email": "x@northwind.com", "connection": okta]).0 == 201)
        #expect(signInEvents(client).count == 1)
    }

    @Test func eventsAgeOutAfterTheRetention() throws {
        let client = client(retention: 3600)
        _ = try signIn(client, "pg", ["email": "first@pg.com"])
        clock.advance(by: 1800)
        _ = try signIn(client, "pg", ["email": "second@pg.com"])
        #expect(signInEvents(client).count == 2)
        clock.advance(by: 1801)
        let left = signInEvents(client)
        #expect(left.compactMap { ($0["data"] as? [String: Any])?["email"] as? String } == ["second@pg.com"])
    }

    @Test func aCursorNamingAnAgedOutEventIsRefused() throws {
        let client = client(retention: 3600)
        _ = try signIn(client, "pg", ["email": "first@pg.com"])
        let first = try #require(signInEvents(client).first?["id"] as? String)
        _ = try signIn(client, "pg", ["email": "second@pg.com"])
        #expect(client.get("/events", [("after", first)]).status == 200)
        clock.advance(by: 3601)
        let refused = client.get("/events", [("after", first)])
        #expect(refused.status == 400)
        #expect(json(refused)["code"] as? String == "event_cursor_expired")
        #expect(client.get("/events", [("before", first)]).status == 400)
        // A cursor still within the retention pages on as before.
        _ = try signIn(client, "pg", ["email": "third@pg.com"])
        let third = try #require(signInEvents(client).first?["id"] as? String)
        #expect(client.get("/events", [("after", third)]).status == 200)
    }

    @Test func retentionIsWrittenWithAUnit() {
        #expect(SandboxConfiguration.retention(parsing: "90s") == 90)
        #expect(SandboxConfiguration.retention(parsing: "15m") == 900)
        #expect(SandboxConfiguration.retention(parsing: "1h") == 3600)
        #expect(SandboxConfiguration.retention(parsing: "30d") == 2_592_000)
        for bad in ["", "h", "0h", "-1h", "1.5h", "1w", "+1h", "99999999999d", "１h", "3651d"] {
            #expect(SandboxConfiguration.retention(parsing: bad) == nil, "\(bad)")
        }
    }
}
