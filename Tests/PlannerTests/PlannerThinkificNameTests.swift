import Planner
import Testing

/// Names are managed in Thinkific (issue 10): a first or last name changed in the directory is an update of the
/// user, never ignored, and an empty name in the directory never blanks the user's.
@Suite struct PlannerThinkificNameTests {
    @Test func aLastNameChangedInTheDirectoryIsPlannedAsAnUpdate() throws {
        var observed = World.pg()
        observed.updateDirectoryPerson("ana@pg.com") { $0.lastName = "García" }
        let plan = Scenario.plan(pg: observed)
        let change = try #require(plan.pg.change("thinkific/update-user/ana@pg.com"))
        #expect(change.reason == "name changed in the IdP")
        #expect(change.kind == .update)
        guard case .updateThinkificUser(let userID, let email, let first, let last) = change.action else {
            Issue.record("not a user update: \(change.action)")
            return
        }
        #expect(userID == 1)
        #expect(email == "ana@pg.com")
        #expect(first == "Ana")
        #expect(last == "García")
        #expect(plan.pg.removalGuard.removals == 0)
    }

    @Test func aFirstNameChangeAndAnEmailChangeAreOneUpdateWithBothReasons() throws {
        var observed = World.pg()
        observed.updateDirectoryPerson("ana@pg.com") {
            $0.email = "ana.garcia@pg.com"
            $0.firstName = "Anna"
        }
        let plan = Scenario.plan(pg: observed)
        let updates = plan.pg.ids.filter { $0.hasPrefix("thinkific/update-user/") }
        #expect(updates == ["thinkific/update-user/ana.garcia@pg.com"])
        let change = try #require(plan.pg.change("thinkific/update-user/ana.garcia@pg.com"))
        #expect(change.reason == "email changed in the directory (was ana@pg.com); name changed in the IdP")
        guard case .updateThinkificUser(_, let email, let first, let last) = change.action else {
            Issue.record("not a user update: \(change.action)")
            return
        }
        #expect([email, first, last] == ["ana.garcia@pg.com", "Anna", "Doe"])
    }

    @Test func anEmptyNameInTheDirectoryLeavesTheUsersNameAlone() {
        var observed = World.pg()
        observed.updateDirectoryPerson("ana@pg.com") {
            $0.firstName = nil
            $0.lastName = ""
        }
        let plan = Scenario.plan(pg: observed)
        #expect(!plan.pg.ids.contains { $0.hasPrefix("thinkific/update-user/") })
    }

    @Test func aNameThatOnlyDiffersInSurroundingSpacesIsNoChange() {
        var observed = World.pg()
        observed.updateDirectoryPerson("ana@pg.com") { $0.firstName = " Ana " }
        let plan = Scenario.plan(pg: observed)
        #expect(!plan.pg.ids.contains { $0.hasPrefix("thinkific/update-user/") })
    }
}
