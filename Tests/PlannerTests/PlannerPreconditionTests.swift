import Foundation
import Planner
import Testing

/// The staleness check: what a plan observed against a fresh observation.
@Suite struct PlannerPreconditionTests {
    @Test func nothingFailsAgainstTheSameObservation() {
        var observed = World.pg()
        observed.setGroups("eve@pg.com", [])
        let tenantPlan = Scenario.plan(pg: observed).pg
        #expect(!tenantPlan.changes.isEmpty)
        #expect(Preconditions.failures(of: tenantPlan, against: observed).isEmpty)
    }

    @Test func aChangedEnrollmentMakesAnExpiryStale() {
        var observed = World.pg()
        observed.setGroups("eve@pg.com", [])
        let tenantPlan = Scenario.plan(pg: observed).pg
        var later = observed
        later.updateEnrollments { if $0.userEmail == "eve@pg.com" { $0.expiryDate = "2026-11-30T23:59:59.000Z" } }
        #expect(
            Preconditions.failures(of: tenantPlan, against: later) == [
                "thinkific/enrollment/eve@pg.com/conscious-leadership-foundations: changed since the plan"
            ])
    }

    @Test func aPersonWhoReturnedMakesARemovalStale() {
        var observed = World.pg()
        observed.setGroups("eve@pg.com", [])
        let tenantPlan = Scenario.plan(pg: observed).pg
        let failures = Preconditions.failures(of: tenantPlan, against: World.pg())
        #expect(failures == ["directory/person/eve@pg.com: now exists (was absent)"])
    }

    @Test func aUserCreatedMeanwhileMakesACreateStale() {
        let before = World.pgBeforeOnboarding()
        let tenantPlan = Scenario.plan(pg: before).pg
        var later = before
        later.thinkific?.users.append(ThinkificUser(id: 77, email: "Ana@pg.com"))
        #expect(Preconditions.failures(of: tenantPlan, against: later) == ["thinkific/user/ana@pg.com: now exists (was absent)"])
        var gone = World.pg()
        gone.directory?.organization = nil
        let updatePlan = Scenario.plan(pg: renamedOrganization()).pg
        #expect(Preconditions.failures(of: updatePlan, against: gone) == ["workos/organization/pg: now absent"])
    }

    @Test func indexKeysAreCaseInsensitiveForEmails() {
        var observed = World.pg()
        observed.thinkific?.users[0].email = "ANA@PG.COM"
        let index = ObservationIndex(observed)
        #expect(index["thinkific/user/ana@pg.com"] != nil)
        #expect(index["thinkific/enrollment/ana@pg.com/conscious-leadership-foundations"] != nil)
        #expect(index["thinkific/membership/ana@pg.com/P&G 2026"] != nil)
        #expect(index["scim/insights/member/learners/ana@pg.com"] != nil)
        #expect(index["scim/insights/member/managers/ana@pg.com"] == nil)
    }

    private func renamedOrganization() -> ObservedTenant {
        var observed = World.pg()
        observed.directory?.organization?.name = "P&G"
        return observed
    }
}
