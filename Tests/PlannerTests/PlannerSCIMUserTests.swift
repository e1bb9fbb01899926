import Foundation
import Planner
import Spec
import Testing

/// The SCIM user's managed attributes (issue 10, "wrong today"): the primary email, the names and `active` are
/// compared and planned, and an update names only what changes.
@Suite struct PlannerSCIMUserTests {
    /// The update of `email` in insights, with what it changes.
    func update(_ plan: Plan, _ email: String) -> (change: Change, changed: [SCIMUserAttribute], given: String, family: String)? {
        guard let change = plan.pg.change("insights/update-user/\(email)"),
            case .updateSCIMUser(_, _, _, _, let given, let family, _, let changed) = change.action
        else { return nil }
        return (change, changed, given, family)
    }

    @Test func aPrimaryEmailLeftBehindIsUpdated() throws {
        // The app followed the directory's email change in userName but kept the old primary email.
        var observed = World.pg()
        observed.updateDirectoryPerson("ana@pg.com") { $0.email = "ana.garcia@pg.com" }
        observed.updateSCIMUser("insights", "ana@pg.com") { $0.userName = "ana.garcia@pg.com" }
        let plan = Scenario.plan(pg: observed)
        let found = try #require(update(plan, "ana.garcia@pg.com"), "no SCIM update: \(plan.pg.ids)")
        #expect(found.changed == [.email])
        #expect(found.change.reason == "email changed in the directory (was ana@pg.com)")
    }

    @Test func aNameChangedInTheIdPIsUpdatedAlone() throws {
        var observed = World.pg()
        observed.updateDirectoryPerson("eve@pg.com") { $0.lastName = "Okafor" }
        let plan = Scenario.plan(pg: observed)
        let found = try #require(update(plan, "eve@pg.com"), "no SCIM update: \(plan.pg.ids)")
        #expect(found.changed == [.familyName])
        #expect(found.family == "Okafor" && found.given == "Eve")
        #expect(found.change.reason == "name changed in the IdP")
        #expect(found.change.kind == .update)
    }

    @Test func anImmutableUserNameGetsTheEmailOnly() throws {
        var workspace = ScenarioWorkspace.workspace()
        workspace.config.connections.scim = workspace.config.connections.scim.map { connection in
            var connection = connection
            connection.userNameIsMutable = connection.name != "insights"
            return connection
        }
        var observed = World.pg()
        observed.updateDirectoryPerson("ana@pg.com") { $0.email = "ana.garcia@pg.com" }
        let plan = Scenario.plan(workspace, pg: observed)
        let found = try #require(update(plan, "ana.garcia@pg.com"), "no SCIM update: \(plan.pg.ids)")
        #expect(found.changed == [.email])

        // Once the email is there, the old userName is no difference: the next plan is empty.
        observed.updateSCIMUser("insights", "ana@pg.com") { $0.email = "ana.garcia@pg.com" }
        let next = Scenario.plan(workspace, pg: observed)
        #expect(next.pg.ids.filter { $0.hasPrefix("insights/") }.isEmpty, "\(next.pg.ids)")
    }

    @Test func aMissingPrimaryEmailIsSet() throws {
        var observed = World.pg()
        observed.updateSCIMUser("insights", "ben@pg.com") { $0.email = nil }
        let plan = Scenario.plan(pg: observed)
        let found = try #require(update(plan, "ben@pg.com"))
        #expect(found.changed == [.email])
        #expect(found.change.reason == "no primary email in the app")
    }

    @Test func theChangedListRoundTripsAndAnOlderPlanMeansEverything() throws {
        let action = Action.updateSCIMUser(
            app: "insights", userID: "u-1", userName: "ana@pg.com", externalID: nil, givenName: "Ana", familyName: "Doe",
            active: true, changed: [.email, .familyName])
        let data = try JSONEncoder().encode(action)
        #expect(try JSONDecoder().decode(Action.self, from: data) == action)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["changed"] as? [String] == ["email", "family_name"])

        let older = #"""
            {"type":"update_scim_user","app":"insights","user_id":"u-1","user_name":"ana@pg.com","external_id":null,
             "given_name":"Ana","family_name":"Doe","active":true}
            """#
        let decoded = try JSONDecoder().decode(Action.self, from: Data(older.utf8))
        guard case .updateSCIMUser(_, _, _, _, _, _, _, let changed) = decoded else {
            Issue.record("decoded \(decoded)")
            return
        }
        #expect(changed == SCIMUserAttribute.legacy)
    }
}
