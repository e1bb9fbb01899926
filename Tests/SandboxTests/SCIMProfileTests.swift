import Foundation
import Sandbox
import Testing

/// The sandbox's SCIM provider profiles (`--profile scim=NAME`, docs/sandbox.md): each behaves as documented.
@Suite struct SCIMProfileSurfaceTests {
    func client(_ spec: String) throws -> SCIMTestClient {
        var profiles = SCIMProfiles()
        #expect(try profiles.parse(spec).isEmpty)
        return SCIMTestClient(profiles: profiles)
    }

    @Test func parsesPerAppProfilesAndLeavesOtherSurfacesAlone() throws {
        var profiles = SCIMProfiles()
        let others = try profiles.parse("scim=eq-only, thinkific=epoch-ms ,scim:dashboard=no-members")
        #expect(others == ["thinkific=epoch-ms"])
        #expect(profiles.profile(for: "insights").filters == .eqOnlyRefusing)
        #expect(!profiles.profile(for: "insights").omitsMembers)
        #expect(profiles.profile(for: "dashboard").omitsMembers && profiles.profile(for: "dashboard").filters == .eqOnlyRefusing)
        #expect(throws: SandboxError.self) { try profiles.parse("scim=nonsense") }
        #expect(throws: SandboxError.self) { try profiles.parse("scim:=eq-only") }
    }

    @Test func eqOnlyRefusesOrIgnoresOtherFilters() throws {
        for (spec, status) in [("scim=eq-only", 400), ("scim=eq-only-empty", 200)] {
            let scim = try client(spec)
            let ana = scim.createUser("ana@pg.com")
            scim.createGroup("learners", members: [ana.id])
            #expect(scim.list("/Users", [("filter", #"userName eq "ana@pg.com""#)]).userNames == ["ana@pg.com"])
            let groups = scim.list("/Groups", [("filter", #"members[value eq "\#(ana.id)"] and displayName eq "learners""#)])
            #expect(groups.resources.count == 1, "\(spec)")
            let ends = scim.list("/Users", [("filter", #"userName ew "@pg.com""#)])
            #expect(ends.status == status, "\(spec)")
            #expect(ends.userNames.isEmpty, "\(spec)")
        }
    }

    @Test func noMembersLeavesMembersOutButFiltersOnThem() throws {
        let scim = try client("scim=no-members")
        let ana = scim.createUser("ana@pg.com")
        let group = scim.createGroup("learners", members: [ana.id])
        #expect(group.json["members"] == nil)
        #expect(scim.send("GET", "/Groups/\(group.id)").json["members"] == nil)
        #expect(scim.send("GET", "/Users/\(ana.id)").json["groups"] == nil)
        let byMember = scim.list("/Groups", [("filter", #"members[value eq "\#(ana.id)"]"#)])
        #expect(byMember.resources.map { $0["id"] as? String } == [group.id])
    }

    @Test func immutableUserNameRefusesARename() throws {
        let scim = try client("scim=immutable-username")
        let ana = scim.createUser("ana@pg.com")
        let renamed = scim.patch("/Users/\(ana.id)", [["op": "replace", "path": "userName", "value": "ana.g@pg.com"]])
        #expect(renamed.status == 400 && renamed.scimType == "mutability")
        let email = scim.patch(
            "/Users/\(ana.id)", [["op": "replace", "path": "emails", "value": [["value": "ana.g@pg.com", "primary": true]]]])
        #expect(email.status == 200)
    }

    @Test func countIsCappedAndPatchAnswers204() throws {
        let scim = try client("scim=count-100,scim=patch-204")
        for index in 1...120 { scim.createUser("user\(index)@pg.com") }
        let page = scim.list("/Users", [("count", "1000")])
        #expect(page.resources.count == 100 && page.json["totalResults"] as? Int == 120)
        let id = try #require(page.resources.first?["id"] as? String)
        let patched = scim.patch("/Users/\(id)", [["op": "replace", "path": "active", "value": false]])
        #expect(patched.status == 204 && patched.json.isEmpty)
        #expect(patched.headers["ETag"] != nil)
    }

    @Test func delayedMembershipShowsAfterTheDelay() async throws {
        let scim = try client("scim=delayed-membership")
        let ana = scim.createUser("ana@pg.com")
        let group = scim.createGroup("learners")
        #expect(
            scim.patch("/Groups/\(group.id)", [["op": "add", "path": "members", "value": [["value": ana.id]]]]).status == 200)
        let members = { (scim.send("GET", "/Groups/\(group.id)").json["members"] as? [[String: Any]] ?? []).count }
        #expect(members() == 0)
        try await Task.sleep(for: .seconds(SCIMProfile.defaultMembershipDelay + 0.2))
        #expect(members() == 1)
    }
}
