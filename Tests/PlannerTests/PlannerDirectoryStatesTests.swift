import Foundation
import Planner
import Spec
import Testing

/// What WorkOS's directory users can look like beyond `active`/`inactive` (issue 10): `suspended`, deleted by the
/// secure flow, or without an email.
@Suite struct PlannerDirectoryStatesTests {
    static let bensAccess = [
        "thinkific/expire/ben@pg.com/conscious-leadership-foundations", "thinkific/expire/ben@pg.com/leading-teams",
        "insights/deactivate/ben@pg.com", "insights/remove-member/managers/ben@pg.com",
    ]

    @Test func aSuspendedPersonIsNotActive() {
        var observed = World.pg()
        observed.updateDirectoryPerson("ben@pg.com") { $0.state = "suspended" }
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.ids == Self.bensAccess)
        #expect(plan.pg.changes.allSatisfy { $0.reason == "deactivated in the directory" })
    }

    /// The secure flow deletes a deactivated user: they disappear from their groups' listings, and are a leaver.
    @Test func aPersonDeletedFromTheDirectoryLosesTheirAccessOnce() throws {
        var observed = World.pg()
        var directory = try #require(observed.directory)
        directory.users.removeAll { $0.email == "ben@pg.com" }
        observed.directory = directory
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.ids == Self.bensAccess)
        #expect(plan.pg.changes.allSatisfy { $0.reason.hasPrefix("left ") || $0.reason.hasPrefix("no longer in ") })
        #expect(plan.pg.errorCodes.isEmpty)
    }

    @Test func aNewPersonWithoutAnEmailIsAWarningNotAChange() throws {
        var observed = World.pg()
        var directory = try #require(observed.directory)
        directory.users.append(
            DirectoryPerson(
                id: "directory_user_svc", idpID: "00u-svc", email: nil, firstName: "Service", lastName: "Account",
                state: "active", groups: directory.users[0].groups))
        observed.directory = directory
        let before = Scenario.plan(pg: World.pg()).pg.seats.entitled
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.changes.isEmpty, "\(plan.pg.ids)")
        #expect(plan.pg.warningCodes == ["directory-email-missing"])
        #expect(plan.pg.warnings.first?.message.contains("directory_user_svc") == true)
        #expect(plan.pg.seats.entitled == before)
    }

    /// Someone whose email the IdP cleared is still in the directory: nothing of theirs is removed, and nobody else is
    /// matched to them.
    @Test func aPersonWhoseEmailWasClearedKeepsWhatTheyHave() {
        var observed = World.pg()
        observed.updateDirectoryPerson("ana@pg.com") { $0.email = nil }
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.warningCodes == ["directory-email-missing"])
        #expect(plan.pg.changes.isEmpty, "\(plan.pg.ids)")
    }
}
