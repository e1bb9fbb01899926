import Foundation
import Testing

@Suite struct SCIMPatchTests {
    let client = SCIMTestClient()

    /// Issue 9, class 11: one PATCH adding 10,000 members (a 0.2 MB body) is answered in bounded time — adding
    /// skips members already there by a set lookup, not by scanning the list for each one.
    @Test func addingManyMembersInOnePatchIsLinear() {
        let id = client.createGroup("big", members: ["m0", "m1"]).id
        let members: [[String: Any]] = (0..<10_000).map { ["value": "m\($0)"] }
        let started = Date()
        let reply = client.patch("/Groups/\(id)", [["op": "add", "path": "members", "value": members]])
        #expect(reply.status == 200)
        #expect((reply.json["members"] as? [Any])?.count == 10_000)
        #expect(Date().timeIntervalSince(started) < 60)  // minutes when each add scanned the list
    }

    /// Issue 9, class 11: a path filter nested past `SandboxLimits.scimFilterDepth` is refused, not recursed into.
    @Test func deeplyNestedPathFiltersAreRefused() {
        let id = client.createUser("deep", ["emails": [["value": "deep@work.com", "type": "work"]]]).id
        func path(_ depth: Int) -> String {
            "emails[" + String(repeating: "(", count: depth) + #"type eq "work""# + String(repeating: ")", count: depth)
                + "].value"
        }
        let refused = client.patch("/Users/\(id)", [["op": "replace", "path": path(50_000), "value": "x@work.com"]])
        #expect(refused.status == 400)
        #expect(refused.scimType == "invalidPath")
        // The brackets of a PATCH path hold a whole filter, which may nest 64 levels.
        let accepted = client.patch("/Users/\(id)", [["op": "replace", "path": path(64), "value": "ok@work.com"]])
        #expect(client.patch("/Users/\(id)", [["op": "replace", "path": path(65), "value": "x"]]).status == 400)
        #expect(accepted.status == 200)
        #expect((accepted.json["emails"] as? [[String: Any]])?.first?["value"] as? String == "ok@work.com")
    }

    @Test func replaceIsCaseInsensitiveAndCoercesEntraBooleans() {
        let id = client.createUser("hana", ["active": true]).id
        let reply = client.patch("/Users/\(id)", [["op": "Replace", "path": "active", "value": "False"]])
        #expect(reply.status == 200)
        #expect(reply.json["active"] as? Bool == false)
        #expect(client.send("GET", "/Users/\(id)").json["active"] as? Bool == false)
    }

    @Test func noPathReplaceTakesAMapWithDottedAndExtensionKeys() {
        let id = client.createUser("ivan", ["name": ["givenName": "I", "familyName": "Petrov"]]).id
        let reply = client.patch(
            "/Users/\(id)",
            [
                [
                    "op": "replace",
                    "value": [
                        "name.givenName": "Ivan", "active": "True", "displayName": "Ivan P",
                        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": ["department": "R&D"],
                    ],
                ]
            ])
        #expect(reply.status == 200)
        #expect(reply.json["name"] as? [String: String] == ["givenName": "Ivan", "familyName": "Petrov"])
        #expect(reply.json["active"] as? Bool == true)
        let enterprise = reply.json["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] as? [String: String]
        #expect(enterprise == ["department": "R&D"])
        #expect((reply.json["schemas"] as? [String])?.count == 2)
    }

    @Test func filteredPathsEditOrCreateTheMatchingElement() {
        let id = client.createUser("jo", ["emails": [["value": "jo@home.net", "type": "home"]]]).id
        let created = client.patch(
            "/Users/\(id)", [["op": "replace", "path": #"emails[type eq "work"].value"#, "value": "jo@work.com"]])
        #expect(created.status == 200)
        let emails = created.json["emails"] as? [[String: String]] ?? []
        #expect(emails.contains(["value": "jo@work.com", "type": "work"]))
        #expect(emails.count == 2)
        let edited = client.patch(
            "/Users/\(id)", [["op": "replace", "path": #"emails[type eq "work"].value"#, "value": "jo@new.com"]])
        #expect((edited.json["emails"] as? [[String: String]] ?? []).contains(["value": "jo@new.com", "type": "work"]))
        let removed = client.patch("/Users/\(id)", [["op": "remove", "path": #"emails[type eq "home"]"#]])
        #expect(removed.json["emails"] as? [[String: String]] == [["value": "jo@new.com", "type": "work"]])
        #expect(client.list("/Users", [("filter", #"emails.value eq "jo@new.com""#)]).userNames == ["jo"])
        #expect(client.list("/Users", [("filter", #"emails.value eq "jo@home.net""#)]).userNames.isEmpty)
    }

    @Test func membersAreAddedAndRemovedInEveryForm() {
        let a = client.createUser("a").id
        let b = client.createUser("b").id
        let c = client.createUser("c").id
        let group = client.createGroup("G").id
        let add = client.patch(
            "/Groups/\(group)", [["op": "add", "path": "members", "value": [["value": a], ["value": b], ["value": c]]]])
        #expect(add.status == 200)
        let again = client.patch("/Groups/\(group)", [["op": "ADD", "path": "members", "value": [["value": a]]]])
        #expect((again.json["members"] as? [[String: Any]])?.count == 3)
        let byFilter = client.patch("/Groups/\(group)", [["op": "remove", "path": "members[value eq \"\(b)\"]"]])
        #expect((byFilter.json["members"] as? [[String: String]])?.map { $0["value"] } == [a, c])
        let entra = client.patch("/Groups/\(group)", [["op": "Remove", "path": "members", "value": [["value": a]]]])
        #expect((entra.json["members"] as? [[String: String]])?.map { $0["value"] } == [c])
        #expect(client.send("GET", "/Users/\(b)").json["groups"] == nil)
        #expect((client.send("GET", "/Users/\(c)").json["groups"] as? [[String: Any]])?.count == 1)
        let all = client.patch("/Groups/\(group)", [["op": "remove", "path": "members"]])
        #expect(all.json["members"] == nil)
        #expect(client.send("GET", "/Users/\(c)").json["groups"] == nil)
    }

    /// Each operation is JSON text (arguments must be `Sendable`).
    @Test(
        arguments: [
            (#"{"op": "replace", "path": "nosuch", "value": "x"}"#, 400, "invalidPath"),
            (#"{"op": "remove"}"#, 400, "noTarget"),
            (#"{"op": "replace", "path": "id", "value": "x"}"#, 400, "mutability"),
            (#"{"op": "add", "path": "groups", "value": [{"value": "x"}]}"#, 400, "mutability"),
            (#"{"op": "move", "path": "title", "value": "x"}"#, 400, "invalidValue"),
            (#"{"op": "replace", "path": "active", "value": "maybe"}"#, 400, "invalidValue"),
            (#"{"op": "replace", "path": "userName", "value": "TAKEN"}"#, 409, "uniqueness"),
            (#"{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "x@y.z"}"#, 200, nil),
            (
                #"{"op": "replace", "path": "emails[type eq \"work\" or type eq \"home\"].value", "value": "x@y.z"}"#, 400,
                "noTarget"
            ),
        ] as [(String, Int, String?)])
    func operationsAreCheckedBeforeAnythingChanges(operation: String, status: Int, scimType: String?) throws {
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(operation.utf8)) as? [String: Any])
        client.createUser("taken")
        let id = client.createUser("kim").id
        let reply = client.patch("/Users/\(id)", [parsed])
        #expect(reply.status == status)
        #expect(reply.scimType == scimType)
        if status != 200 { #expect(client.send("GET", "/Users/\(id)").json["userName"] as? String == "kim") }
    }
}
