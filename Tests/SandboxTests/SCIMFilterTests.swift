import Foundation
import Testing

/// Filters over a fixed directory; each case lists the userNames it must return, in creation order.
@Suite struct SCIMFilterTests {
    static let directory = makeDirectory()

    static func makeDirectory() -> (client: SCIMTestClient, groupID: String, anaID: String) {
        let client = SCIMTestClient()
        let ana = client.createUser(
            "ana.garcia@pg.com",
            [
                "externalId": "E-1", "displayName": "Ana Garcia", "active": true,
                "emails": [
                    ["value": "ana.garcia@pg.com", "type": "work", "primary": true], ["value": "ana@home.net", "type": "home"],
                ],
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": ["department": "Sales", "employeeNumber": "701"],
            ]
        ).id
        client.createUser(
            "Ben.Okafor@pg.com",
            [
                "externalId": "e-2", "displayName": "Ben Okafor", "active": false,
                "emails": [["value": "ben@pg.com", "type": "home"]],
            ])
        client.createUser("chloe", ["displayName": "Chloé Martin", "active": true, "title": "Lead"])
        let group = client.createGroup("SG-Learners", members: [ana]).id
        return (client, group, ana)
    }

    @Test(arguments: [
        (#"userName eq "ana.garcia@pg.com""#, ["ana.garcia@pg.com"]),
        (#"USERNAME eq "ANA.GARCIA@PG.COM""#, ["ana.garcia@pg.com"]),
        (#"userName ne "chloe""#, ["ana.garcia@pg.com", "Ben.Okafor@pg.com"]),
        (#"userName co "okafor""#, ["Ben.Okafor@pg.com"]),
        (#"userName sw "ch""#, ["chloe"]),
        (#"userName ew "@pg.com""#, ["ana.garcia@pg.com", "Ben.Okafor@pg.com"]),
        (#"title pr"#, ["chloe"]),
        (#"externalId eq "E-1""#, ["ana.garcia@pg.com"]),
        (#"externalId eq "e-1""#, []),
        (#"emails.value eq "BEN@pg.com""#, ["Ben.Okafor@pg.com"]),
        (#"emails eq "ana@home.net""#, ["ana.garcia@pg.com"]),
        (#"emails[type eq "work"].value eq "ana.garcia@pg.com""#, ["ana.garcia@pg.com"]),
        (#"emails[type eq "work" and value co "pg.com"]"#, ["ana.garcia@pg.com"]),
        (#"emails[type eq "home"]"#, ["ana.garcia@pg.com", "Ben.Okafor@pg.com"]),
        (#"displayName eq "chloé martin""#, ["chloe"]),
        ("active eq true", ["ana.garcia@pg.com", "chloe"]),
        ("active eq false", ["Ben.Okafor@pg.com"]),
        (#"active eq true and (title pr or externalId eq "E-1")"#, ["ana.garcia@pg.com", "chloe"]),
        (#"userName eq "chloe" or userName eq "ben.okafor@pg.com""#, ["Ben.Okafor@pg.com", "chloe"]),
        (#"not (active eq true)"#, ["Ben.Okafor@pg.com"]),
        (#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "sales""#, ["ana.garcia@pg.com"]),
        (#"meta.resourceType eq "User" and userName sw "a""#, ["ana.garcia@pg.com"]),
        (#"userName eq "nobody""#, []),
    ])
    func filterSelects(filter: String, expected: [String]) {
        let (client, _, _) = Self.directory
        let reply = client.list("/Users", [("filter", filter)])
        #expect(reply.status == 200)
        #expect(reply.userNames == expected)
        #expect(reply.json["totalResults"] as? Int == expected.count)
    }

    @Test func filtersByIdAndGroupMembership() {
        let (client, groupID, anaID) = Self.directory
        #expect(client.list("/Users", [("filter", "id eq \"\(anaID)\"")]).userNames == ["ana.garcia@pg.com"])
        let groups = client.list("/Groups", [("filter", "members.value eq \"\(anaID)\" and displayName sw \"sg-\"")])
        #expect(groups.resources.compactMap { $0["id"] as? String } == [groupID])
    }

    @Test(arguments: [
        #"userName eq"#, #"userName xx "a""#, #"nosuchattr eq "a""#, #"(userName eq "a""#, #"userName eq "a" and"#,
        #"emails[type eq "work""#, #"userName eq unquoted"#, #"name.nosuch pr"#,
    ])
    func invalidFiltersAreRejected(filter: String) {
        let reply = Self.directory.client.list("/Users", [("filter", filter)])
        #expect(reply.status == 400)
        #expect(reply.scimType == "invalidFilter")
    }
}
