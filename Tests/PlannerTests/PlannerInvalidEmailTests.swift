import Foundation
import Planner
import Spec
import Testing

/// A directory person whose email is not a valid address is reported (by directory user id, the address only
/// masked) and never planned as a create.
@Suite struct PlannerInvalidEmailTests {
    private static let invalid = ["CANARY_SECRET_9f3b@@pg.com", "no-at-sign.pg.com", "ana garcia@pg.com", "eve@-pg-.com"]

    @Test(arguments: PlannerInvalidEmailTests.invalid)
    func newDirectoryPersonWithAnInvalidEmailIsAWarningNotACreate(_ email: String) throws {
        var observed = World.pg()
        var directory = try #require(observed.directory)
        directory.users.append(
            DirectoryPerson(
                id: "directory_user_eve", idpID: "00u-eve", email: email, firstName: "Eve", lastName: "Doe", state: "active",
                groups: directory.users[0].groups))
        observed.directory = directory
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.changes.isEmpty)
        #expect(plan.pg.warningCodes == ["directory-email-invalid"])
        let message = try #require(plan.pg.warnings.first?.message)
        #expect(message.contains("directory_user_eve"))
        #expect(!message.contains("CANARY_SECRET_9f3b"))
        #expect(!message.contains(email))
        #expect(plan.pg.seats.entitled == 5)
    }

    @Test func validEmailsAreStillPlanned() {
        var observed = World.pg()
        observed.updateDirectoryPerson("ana@pg.com") { $0.email = "Ana.Garcia+learn@pg.com" }
        let plan = Scenario.plan(pg: observed)
        #expect(!plan.pg.warningCodes.contains("directory-email-invalid"))
        #expect(!plan.pg.changes.isEmpty)
    }
}

extension PlannerInvalidEmailTests {
    /// The directory still has the person: their email going bad is not "they left", so nothing of theirs is removed.
    @Test func emailChangedToAnInvalidAddressChangesNothingLive() throws {
        var observed = World.pg()
        observed.updateDirectoryPerson("ana@pg.com") { $0.email = "ana@" }
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.warningCodes == ["directory-email-invalid"])
        #expect(plan.pg.changes.isEmpty, "\(plan.pg.ids)")
        #expect(plan.pg.manualSteps.isEmpty)
    }
}
