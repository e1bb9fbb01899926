import Foundation
import Sandbox
import Testing

@Suite struct ThinkificGroupsTests {
    @Test func createIs200WithAnEightCharacterToken() throws {
        let harness = try ThinkificHarness()
        let answer = harness.send("POST", "/groups", json: ["name": "P&G 2026"])
        #expect(answer.status == 200)
        #expect(Set(answer.object.keys) == ["id", "name", "token", "created_at"])
        #expect((answer.object["token"] as? String)?.count == 8)
        #expect(answer.object["name"] as? String == "P&G 2026")
    }

    @Test func duplicateOrBlankNameIs422() throws {
        let harness = try ThinkificHarness()
        try harness.createGroup("Cohort A")
        let duplicate = harness.send("POST", "/groups", json: ["name": "Cohort A"])
        #expect(duplicate.status == 422)
        #expect(duplicate.object as NSDictionary == ["errors": ["name": ["has already been taken"]]])
        let blank = harness.send("POST", "/groups", json: [:])
        #expect(blank.object as NSDictionary == ["errors": ["name": ["can't be blank"]]])
    }

    @Test func listGetAndDelete() throws {
        let harness = try ThinkificHarness()
        let a = try harness.createGroup("A")
        let b = try harness.createGroup("B")
        #expect(harness.send("GET", "/groups").ids == [a, b])
        #expect(harness.send("GET", "/groups/\(b)").object["name"] as? String == "B")
        #expect(harness.send("DELETE", "/groups/\(a)").status == 204)
        #expect(harness.send("GET", "/groups/\(a)").status == 404)
        #expect(harness.send("DELETE", "/groups/\(a)").object as NSDictionary == ["error": "Record not found."])
        #expect(harness.send("GET", "/groups").ids == [b])
        #expect(try harness.createGroup("A") > b)
    }

    @Test func groupUsersIs201EmptyAndAddsByName() throws {
        let harness = try ThinkificHarness()
        let user = try harness.createUser("ana@pg.com")
        let a = try harness.createGroup("A")
        let b = try harness.createGroup("B")
        let answer = harness.send("POST", "/group_users", json: ["user_id": user, "group_names": ["A", "B"]])
        #expect(answer.status == 201)
        #expect(answer.body.isEmpty)
        #expect(harness.send("POST", "/group_users", json: ["user_id": user, "group_names": ["A"]]).status == 201)
        #expect(harness.send("GET", "/users", query: [("query[group_id]", "\(a)")]).ids == [user])
        #expect(harness.send("GET", "/users", query: [("query[group_id]", "\(b)")]).ids == [user])
    }

    @Test func unknownGroupNameIs422AndAddsNothing() throws {
        let harness = try ThinkificHarness()
        let user = try harness.createUser("ana@pg.com")
        let a = try harness.createGroup("A")
        let answer = harness.send("POST", "/group_users", json: ["user_id": user, "group_names": ["A", "a"]])
        #expect(answer.status == 422)
        #expect(answer.json as? [String: [String]] == ["errors": ["Invalid group_names"]])
        #expect(harness.send("GET", "/users", query: [("query[group_id]", "\(a)")]).items.isEmpty)
        let noUser = harness.send("POST", "/group_users", json: ["user_id": 999, "group_names": ["A"]])
        #expect(noUser.status == 422)
    }

    @Test func analystsNeedTheRoleAndCanBeListedAndRemoved() throws {
        let harness = try ThinkificHarness()
        let group = try harness.createGroup("A")
        let student = try harness.createUser("s@pg.com")
        let analyst = try harness.createUser("a@pg.com", roles: ["group_analyst"])
        let refused = harness.send("POST", "/groups/\(group)/analysts", json: ["user_ids": [student, 999]])
        #expect(refused.status == 422)
        let errors = try #require(refused.object["errors"] as? [String: String])
        #expect(errors["group_analysts"] == "User IDs missing group_analysts role: \(student)")
        #expect(errors["user_id"] == "Invalid user IDs: 999")

        #expect(harness.send("POST", "/groups/\(group)/analysts", json: ["user_ids": [analyst]]).status == 201)
        #expect(harness.send("GET", "/groups/\(group)/analysts").object as NSDictionary == ["group_analysts": [analyst]])
        #expect(harness.send("DELETE", "/groups/\(group)/analysts/\(analyst)").status == 204)
        #expect(harness.send("GET", "/groups/\(group)/analysts").object as NSDictionary == ["group_analysts": []])

        #expect(harness.send("POST", "/group_analysts/\(analyst)/groups", json: ["group_ids": [group]]).status == 201)
        #expect(harness.send("GET", "/groups/\(group)/analysts").object as NSDictionary == ["group_analysts": [analyst]])
        #expect(harness.send("DELETE", "/group_analysts/\(analyst)/groups/\(group)").status == 204)

        let missing = harness.send("GET", "/groups/999/analysts")
        #expect(missing.status == 404)
        #expect(missing.object as NSDictionary == ["error": ["group_id": ["Could not find group with ID 999."]]])
    }
}
