import Foundation
import Sandbox
import Testing

@Suite struct ThinkificAuthTests {
    @Test func missingCredentialsAre401WithTheAPIBody() throws {
        let harness = try ThinkificHarness()
        let answer = harness.send("GET", "/users", headers: [])
        #expect(answer.status == 401)
        #expect(answer.object as NSDictionary == ["error": "Authentication Error"])
    }

    @Test func wrongKeyOrSubdomainIs401() throws {
        let harness = try ThinkificHarness()
        let wrongKey = harness.send(
            "GET", "/users", headers: [("X-Auth-API-Key", "nope"), ("X-Auth-Subdomain", SandboxDefaults.thinkificSubdomain)])
        let wrongSite = harness.send(
            "GET", "/users", headers: [("X-Auth-API-Key", SandboxDefaults.thinkificAPIKey), ("X-Auth-Subdomain", "other")])
        let keyWithoutSite = harness.send("GET", "/users", headers: [("X-Auth-API-Key", SandboxDefaults.thinkificAPIKey)])
        #expect(wrongKey.status == 401)
        #expect(wrongSite.status == 401)
        #expect(keyWithoutSite.status == 401)
    }

    @Test func bearerTokenWorksWithOrWithoutSubdomain() throws {
        let harness = try ThinkificHarness()
        let bearer = ("Authorization", "Bearer \(SandboxDefaults.thinkificAPIKey)")
        let withSite = harness.send(
            "GET", "/courses", headers: [bearer, ("X-Auth-Subdomain", SandboxDefaults.thinkificSubdomain)])
        let alone = harness.send("GET", "/courses", headers: [bearer])
        let wrong = harness.send("GET", "/courses", headers: [("Authorization", "Bearer wrong")])
        #expect(withSite.status == 200)
        #expect(alone.status == 200)
        #expect(wrong.status == 401)
    }

    @Test func unknownRoutesAre404AndTemplatesNameRoutes() throws {
        let harness = try ThinkificHarness()
        #expect(harness.send("GET", "/nothing").status == 404)
        #expect(harness.send("DELETE", "/enrollments/1").status == 404)
        #expect(harness.send("DELETE", "/group_users").status == 404)
        #expect(harness.surface.routeTemplate(method: "GET", path: "/api/public/v1/users/17") == "GET /users/{id}")
        #expect(
            harness.surface.routeTemplate(method: "POST", path: "/api/public/v1/groups/3/analysts")
                == "POST /groups/{group_id}/analysts")
        #expect(harness.surface.routeTemplate(method: "GET", path: "/api/public/v2/users") == nil)
        #expect(harness.surface.name == "thinkific")
    }
}

@Suite struct ThinkificUsersTests {
    static let userFields: Set<String> = [
        "id", "created_at", "first_name", "last_name", "full_name", "company", "email", "roles", "avatar_url", "bio",
        "headline", "affiliate_code", "external_source", "affiliate_commission", "affiliate_commission_type",
        "affiliate_payout_email", "administered_course_ids", "custom_profile_fields",
    ]

    @Test func createReturns201WithEveryFieldAndNullsForUnset() throws {
        let harness = try ThinkificHarness()
        let answer = harness.send(
            "POST", "/users", json: ["first_name": "Ana", "last_name": "Garcia", "email": "ana.garcia@pg.com", "company": "P&G"])
        #expect(answer.status == 201)
        let user = answer.object
        #expect(Set(user.keys) == Self.userFields)
        #expect(user["full_name"] as? String == "Ana Garcia")
        #expect(user["company"] as? String == "P&G")
        #expect(user["bio"] is NSNull)
        #expect(user["affiliate_commission"] is NSNull)
        #expect((user["roles"] as? [Any])?.isEmpty == true)
        let createdAt = try #require(user["created_at"] as? String)
        #expect(createdAt.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil)
        #expect(createdAt == ThinkificTestClockFormat.format(harness.clock.now))
    }

    @Test func idsAreSequential() throws {
        let harness = try ThinkificHarness()
        let first = try harness.createUser("a@x.com")
        let second = try harness.createUser("b@x.com")
        #expect(second == first + 1)
    }

    @Test func duplicateEmailIgnoringCaseIs422HasAlreadyBeenTaken() throws {
        let harness = try ThinkificHarness()
        try harness.createUser("ana.garcia@pg.com")
        let answer = harness.send("POST", "/users", json: ["first_name": "A", "last_name": "G", "email": "Ana.Garcia@PG.com"])
        #expect(answer.status == 422)
        #expect(answer.object as NSDictionary == ["errors": ["email": ["has already been taken"]]])
    }

    @Test func missingRequiredFieldsAre422PerField() throws {
        let harness = try ThinkificHarness()
        let answer = harness.send("POST", "/users", json: ["first_name": "  "])
        #expect(answer.status == 422)
        let errors = try #require(answer.object["errors"] as? [String: [String]])
        #expect(errors == ["first_name": ["can't be blank"], "last_name": ["can't be blank"], "email": ["can't be blank"]])
    }

    @Test func badEmailShortPasswordAndUnknownRoleAre422() throws {
        let harness = try ThinkificHarness()
        let answer = harness.send(
            "POST", "/users",
            json: ["first_name": "A", "last_name": "B", "email": "not-an-email", "password": "abc", "roles": ["wizard"]])
        let errors = try #require(answer.object["errors"] as? [String: [String]])
        #expect(answer.status == 422)
        #expect(errors["email"] == ["is invalid"])
        #expect(errors["password"] == ["is too short (minimum is 6 characters)"])
        #expect(errors["roles"] == ["is invalid"])
    }

    @Test func malformedBodyIs400() throws {
        let harness = try ThinkificHarness()
        let answer = harness.send("POST", "/users", raw: Data("{nope".utf8))
        #expect(answer.status == 400)
        #expect(answer.object["error"] is String)
    }

    @Test func getByIdAndUnknownIdsAre404RecordNotFound() throws {
        let harness = try ThinkificHarness()
        let id = try harness.createUser("ana@pg.com")
        let found = harness.send("GET", "/users/\(id)")
        #expect(found.status == 200)
        #expect(found.object["email"] as? String == "ana@pg.com")
        for path in ["/users/\(id + 100)", "/users/abc"] {
            let missing = harness.send("GET", path)
            #expect(missing.status == 404)
            #expect(missing.object as NSDictionary == ["error": "Record not found."])
        }
    }

    @Test func externalIDLookupWithProvider() throws {
        let harness = try ThinkificHarness()
        let created = harness.send(
            "POST", "/users", json: ["first_name": "A", "last_name": "B", "email": "a@b.com", "external_id": "ext-9"])
        let id = try #require(created.object["id"] as? Int)
        let found = harness.send("GET", "/users/ext-9", query: [("provider", "SSO")])
        #expect(found.object["id"] as? Int == id)
        #expect(harness.send("GET", "/users/ext-9", query: [("provider", "OPENID_CONNECT")]).status == 404)
    }

    @Test func listPagesWithTheExactEnvelope() throws {
        let harness = try ThinkificHarness()
        for number in 1...40 { try harness.createUser("user\(number)@x.com") }
        let first = harness.send("GET", "/users")
        #expect(first.status == 200)
        #expect(first.items.count == 25)
        #expect(
            first.pagination as NSDictionary == [
                "current_page": 1, "next_page": 2, "prev_page": NSNull(), "total_pages": 2, "total_items": 40,
                "entries_info": "1-25 of 40",
            ])
        let second = harness.send("GET", "/users", query: [("page", "2")])
        #expect(second.items.count == 15)
        #expect(
            second.pagination as NSDictionary == [
                "current_page": 2, "next_page": NSNull(), "prev_page": 1, "total_pages": 2, "total_items": 40,
                "entries_info": "26-40 of 40",
            ])
        #expect(first.ids + second.ids == (first.ids + second.ids).sorted())
        #expect(Set(first.ids + second.ids).count == 40)
        let beyond = harness.send("GET", "/users", query: [("page", "9")])
        #expect(beyond.items.isEmpty)
        #expect(beyond.pagination["next_page"] is NSNull)
    }

    @Test func limitIsClampedTo250AndBadLimitsFallBackTo25() throws {
        let harness = try ThinkificHarness()
        for number in 1...260 { try harness.createUser("user\(number)@x.com") }
        #expect(harness.send("GET", "/users", query: [("limit", "1000")]).items.count == 250)
        #expect(harness.send("GET", "/users", query: [("limit", "0")]).items.count == 25)
        #expect(harness.send("GET", "/users", query: [("limit", "7")]).items.count == 7)
    }

    @Test func queryEmailIsExactAndCaseInsensitive() throws {
        let harness = try ThinkificHarness()
        let id = try harness.createUser("Ana.Garcia@pg.com")
        try harness.createUser("ana.garcia@pg.com.au")
        let found = harness.send("GET", "/users", query: [("query[email]", "ana.garcia@PG.com")])
        #expect(found.ids == [id])
        #expect(found.pagination["total_items"] as? Int == 1)
        #expect(harness.send("GET", "/users", query: [("query[email]", "ana")]).items.isEmpty)
    }

    @Test func queryGroupIdListsTheGroupsMembers() throws {
        let harness = try ThinkificHarness()
        let ana = try harness.createUser("ana@pg.com")
        try harness.createUser("ben@pg.com")
        let chloe = try harness.createUser("chloe@pg.com")
        let group = try harness.createGroup("P&G 2026")
        for user in [chloe, ana] {
            #expect(harness.send("POST", "/group_users", json: ["user_id": user, "group_names": ["P&G 2026"]]).status == 201)
        }
        #expect(harness.send("GET", "/users", query: [("query[group_id]", "\(group)")]).ids == [ana, chloe])
        let both = harness.send("GET", "/users", query: [("query[group_id]", "\(group)"), ("query[email]", "chloe@pg.com")])
        #expect(both.ids == [chloe])
    }

    @Test func updateIs204AndMayChangeTheEmail() throws {
        let harness = try ThinkificHarness()
        let id = try harness.createUser("ana@old.com")
        let answer = harness.send("PUT", "/users/\(id)", json: ["email": "ana@new.com", "last_name": "Lopez", "bio": "hi"])
        #expect(answer.status == 204)
        #expect(answer.body.isEmpty)
        let user = harness.send("GET", "/users/\(id)").object
        #expect(user["email"] as? String == "ana@new.com")
        #expect(user["full_name"] as? String == "Ana Lopez")
        #expect(user["bio"] as? String == "hi")
        #expect(harness.send("GET", "/users", query: [("query[email]", "ana@old.com")]).items.isEmpty)
        #expect(harness.send("GET", "/users", query: [("query[email]", "ana@new.com")]).ids == [id])
    }

    @Test func updateToATakenEmailIs422AndUnknownIs404() throws {
        let harness = try ThinkificHarness()
        let ana = try harness.createUser("ana@pg.com")
        try harness.createUser("ben@pg.com")
        let taken = harness.send("PUT", "/users/\(ana)", json: ["email": "BEN@pg.com"])
        #expect(taken.status == 422)
        #expect(taken.object as NSDictionary == ["errors": ["email": ["has already been taken"]]])
        #expect(harness.send("PUT", "/users/\(ana)", json: ["email": "ana@pg.com"]).status == 204)
        #expect(harness.send("PUT", "/users/999", json: ["bio": "x"]).status == 404)
    }

    @Test func deleteIs204AndKeepsEnrollments() throws {
        let harness = try ThinkificHarness()
        let id = try harness.createUser("ana@pg.com")
        let group = try harness.createGroup("Cohort")
        _ = harness.send("POST", "/group_users", json: ["user_id": id, "group_names": ["Cohort"]])
        let enrollment = try harness.enroll(user: id, course: 101)
        #expect(harness.send("DELETE", "/users/\(id)").status == 204)
        #expect(harness.send("GET", "/users/\(id)").status == 404)
        #expect(harness.send("DELETE", "/users/\(id)").status == 404)
        #expect(harness.send("GET", "/users", query: [("query[group_id]", "\(group)")]).items.isEmpty)
        let kept = harness.send("GET", "/enrollments/\(enrollment)")
        #expect(kept.status == 200)
        #expect(kept.object["user_email"] as? String == "ana@pg.com")
        #expect(try harness.createUser("ana@pg.com") > id)
    }
}

enum ThinkificTestClockFormat {
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
