import Foundation
import Planner
import Spec
import TestSupport
import Testing

/// One scenario per planning rule, each compared with a golden plan under `Snapshots/planner-*.txt`, with the
/// facts that matter asserted directly as well.
@Suite struct PlannerScenarioTests {
    @Test func convergedStateHasNoChanges() {
        let plan = Scenario.plan()
        #expect(plan.pg.changes.isEmpty)
        #expect(plan.pg.manualSteps.isEmpty)
        #expect(plan.pg.errors.isEmpty)
        #expect(plan.pg.warnings.isEmpty)
        #expect(plan.pg.seats == SeatUsage(entitled: 5, licensed: 500))
        #expect(plan.pg.removalGuard == RemovalGuard(removals: 0, provisioned: 5, threshold: 2))
        assertSnapshot(Scenario.golden(plan), named: "planner-converged")
    }

    @Test func firstOnboardingCreatesEverythingInDependencyOrder() {
        let plan = Scenario.plan(pg: World.pgBeforeOnboarding())
        let pg = plan.pg
        #expect(pg.counts.remove == 0)
        #expect(pg.ids.filter { $0.hasPrefix("thinkific/user/") }.count == 5)
        #expect(pg.ids.filter { $0 == "thinkific/group/P&G 2026" }.count == 1)
        let enroll = pg.change("thinkific/enroll/ben@pg.com/leading-teams")
        #expect(enroll?.dependsOn == ["thinkific/user/ben@pg.com"])
        #expect(enroll?.reason == "joined SG-Stoic-Managers")
        if case .enroll(_, _, _, let courseID, let activatedAt, let expiryDate)? = enroll?.action {
            #expect(courseID == 102)
            #expect(activatedAt == "2026-05-04T00:00:00Z")
            #expect(expiryDate == "2026-12-18T23:59:59Z")
        } else {
            Issue.record("no enrollment for ben in leading-teams")
        }
        #expect(
            pg.change("thinkific/groups/dan@pg.com")?.dependsOn == ["thinkific/user/dan@pg.com", "thinkific/group/P&G 2026"])
        #expect(pg.change("thinkific/groups/dan@pg.com")?.reason == "listed in pg-in-person.csv")
        #expect(
            pg.change("insights/add-member/managers/carla@pg.com")?.dependsOn == [
                "insights/user/carla@pg.com", "insights/group/managers",
            ])
        // Every dependency comes earlier in the plan.
        for (position, change) in pg.changes.enumerated() {
            for dependency in change.dependsOn {
                #expect(pg.ids.firstIndex(of: dependency).map { $0 < position } == true, "\(change.id) after \(dependency)")
            }
        }
        if case .createSCIMUser(_, _, let externalID, _, _)? = pg.change("insights/user/ana@pg.com")?.action {
            #expect(externalID == "00u-ana")
        }
        if case .createSCIMUser(_, _, let externalID, _, _)? = pg.change("insights/user/dan@pg.com")?.action {
            #expect(externalID == nil)
        }
        assertSnapshot(Scenario.golden(plan), named: "planner-first-onboarding")
    }

    @Test func joinedAGroupAddsWhatTheNewRuleGrants() {
        var observed = World.pg()
        observed.setGroups("ana@pg.com", [World.learners, World.managers])
        let pg = Scenario.plan(pg: observed).pg
        #expect(pg.ids == ["thinkific/enroll/ana@pg.com/leading-teams", "insights/add-member/managers/ana@pg.com"])
        #expect(pg.changes.allSatisfy { $0.reason == "joined SG-Stoic-Managers" })
        #expect(pg.removalGuard.removals == 0)
        assertSnapshot(Scenario.golden(Scenario.plan(pg: observed)), named: "planner-joined-group")
    }

    @Test func leftAllGroupsExpiresDeactivatesAndAsksForTheGroupByHand() {
        var observed = World.pg()
        observed.setGroups("eve@pg.com", [])
        let plan = Scenario.plan(pg: observed)
        let pg = plan.pg
        #expect(
            pg.ids == [
                "thinkific/expire/eve@pg.com/conscious-leadership-foundations", "insights/deactivate/eve@pg.com",
                "insights/remove-member/learners/eve@pg.com",
            ])
        // Directory people are read per mapped group: the groups that granted the access are the reason.
        #expect(
            pg.changes.map(\.reason) == [
                "no longer in SG-Stoic-Learners or SG-Stoic-Managers", "no longer in SG-Stoic-Learners or SG-Stoic-Managers",
                "left SG-Stoic-Learners",
            ])
        #expect(pg.manualSteps.map(\.description) == [#"remove eve@pg.com from Thinkific group "P&G 2026" (the API cannot)"#])
        if case .expireEnrollment(_, let id, _, let expiryDate)? = pg.changes.first?.action {
            #expect(id == 9051)
            #expect(expiryDate == "2026-11-18T11:06:40Z")
        }
        #expect(pg.removalGuard == RemovalGuard(removals: 1, provisioned: 5, threshold: 2))
        assertSnapshot(Scenario.golden(plan), named: "planner-left-all-groups")
    }

    @Test func leftOneGroupKeepsWhatTheOtherRuleGrants() {
        var observed = World.pg()
        observed.setGroups("carla@pg.com", [World.learners])
        let plan = Scenario.plan(pg: observed)
        #expect(
            plan.pg.ids == [
                "thinkific/expire/carla@pg.com/leading-teams", "insights/remove-member/managers/carla@pg.com",
            ])
        #expect(plan.pg.changes.allSatisfy { $0.reason == "left SG-Stoic-Managers" })
        #expect(plan.pg.manualSteps.isEmpty, "both rules grant P&G 2026")
        #expect(plan.pg.removalGuard.removals == 0, "carla keeps access")
        assertSnapshot(Scenario.golden(plan), named: "planner-left-one-group")
    }

    @Test func movedBetweenRulesIsTheUnion() {
        var observed = World.pg()
        observed.setGroups("ana@pg.com", [World.managers])
        let plan = Scenario.plan(pg: observed)
        #expect(
            plan.pg.ids == [
                "thinkific/enroll/ana@pg.com/leading-teams", "insights/add-member/managers/ana@pg.com",
                "insights/remove-member/learners/ana@pg.com",
            ])
        #expect(!plan.pg.ids.contains { $0.contains("conscious-leadership-foundations") })
        assertSnapshot(Scenario.golden(plan), named: "planner-moved-between-rules")
    }

    @Test func deactivatedInTheDirectory() {
        var observed = World.pg()
        observed.updateDirectoryPerson("ben@pg.com") { $0.state = "inactive" }
        let plan = Scenario.plan(pg: observed)
        #expect(
            plan.pg.ids == [
                "thinkific/expire/ben@pg.com/conscious-leadership-foundations", "thinkific/expire/ben@pg.com/leading-teams",
                "insights/deactivate/ben@pg.com", "insights/remove-member/managers/ben@pg.com",
            ])
        #expect(plan.pg.changes.allSatisfy { $0.reason == "deactivated in the directory" })
        #expect(plan.pg.changes.allSatisfy { $0.preconditions.contains { $0.key == "directory/person/ben@pg.com" } })
        assertSnapshot(Scenario.golden(plan), named: "planner-deactivated")
    }

    @Test func emailChangedIsAnUpdateNotACreateAndARemoval() {
        var observed = World.pg()
        observed.updateDirectoryPerson("ana@pg.com") { $0.email = "ana.garcia@pg.com" }
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.ids == ["thinkific/update-user/ana.garcia@pg.com", "insights/update-user/ana.garcia@pg.com"])
        #expect(plan.pg.changes.allSatisfy { $0.reason == "email changed in the directory (was ana@pg.com)" })
        if case .updateThinkificUser(let userID, let email, _, _)? = plan.pg.changes.first?.action {
            #expect(userID == 1)
            #expect(email == "ana.garcia@pg.com")
        }
        if case .updateSCIMUser(_, let userID, let userName, let externalID, _, _, let active)? = plan.pg.changes.last?.action {
            #expect(userID == "u-ana")
            #expect(userName == "ana.garcia@pg.com")
            #expect(externalID == "00u-ana")
            #expect(active)
        }
        #expect(plan.pg.removalGuard.removals == 0)
        assertSnapshot(Scenario.golden(plan), named: "planner-email-changed")
    }

    @Test func programmeExtendedUpdatesEveryEnrollment() {
        let workspace = ScenarioWorkspace.workspace(pg: ScenarioWorkspace.pg(ends: ScenarioWorkspace.extendedEnd))
        let plan = Scenario.plan(workspace)
        #expect(plan.pg.counts.update == 7)
        #expect(plan.pg.counts.total == 7)
        #expect(plan.pg.changes.allSatisfy { $0.reason == "program.ends changed" })
        if case .updateEnrollment(_, _, _, let activatedAt, let expiryDate, let previous)? = plan.pg.changes.first?.action {
            #expect(activatedAt == nil)
            #expect(expiryDate == "2027-01-29T23:59:59Z")
            #expect(previous == World.expiry)
        }
        assertSnapshot(Scenario.golden(plan), named: "planner-programme-extended")
    }

    @Test func expiredAndReEntitledIsReGrantedNotEnrolledAgain() {
        var observed = World.pg()
        observed.updateEnrollments { enrollment in
            if enrollment.userEmail == "eve@pg.com" {
                enrollment.expiryDate = "2026-10-01T09:00:00.000Z"
                enrollment.isExpired = true
            }
        }
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.ids == ["thinkific/update-enrollment/eve@pg.com/conscious-leadership-foundations"])
        #expect(plan.pg.changes.first?.reason == "re-granted: joined SG-Stoic-Learners")
        #expect(!plan.pg.ids.contains { $0.hasPrefix("thinkific/enroll/") })
        assertSnapshot(Scenario.golden(plan), named: "planner-re-granted")
    }

    @Test func rosterOnlyTenantCreatesTheOrganizationAndItsPeople() {
        let plan = Scenario.plan(pg: nil, tenants: ["contoso"], contoso: World.contosoNew())
        let contoso = plan.contoso
        #expect(contoso.changes.first?.id == "workos/organization/contoso")
        #expect(contoso.ids.contains("thinkific/enroll/kim@contoso.com/resilient-self"))
        #expect(contoso.ids.contains("dashboard/add-member/contoso-cohort/lee@contoso.com"))
        #expect(contoso.manualSteps.map(\.destination) == [.workos])
        #expect(contoso.errors.isEmpty)
        #expect(contoso.observationRequests == ["dashboard": 1, "thinkific": 3, "workos": 1])
        #expect(contoso.estimates.map(\.connection) == ["workos", "thinkific", "dashboard"])
        assertSnapshot(Scenario.golden(plan), named: "planner-roster-only")
    }

    @Test func removalKeepLeavesAccessAndWarns() {
        var observed = World.pg()
        observed.setGroups("eve@pg.com", [])
        let plan = Scenario.plan(ScenarioWorkspace.workspace(removal: .keep), pg: observed)
        #expect(plan.pg.changes.isEmpty)
        #expect(plan.pg.manualSteps.isEmpty)
        #expect(plan.pg.warningCodes == ["removal-kept"])
        #expect(plan.pg.warnings.first?.message.contains("eve@pg.com keeps conscious-leadership-foundations") == true)
        assertSnapshot(Scenario.golden(plan), named: "planner-removal-keep")
    }

    @Test func removalDeleteDeletesSCIMUsersButOnlyExpiresEnrollments() {
        var observed = World.pg()
        observed.setGroups("eve@pg.com", [])
        let workspace = ScenarioWorkspace.workspace(pg: ScenarioWorkspace.pg(removal: .delete))
        let plan = Scenario.plan(workspace, pg: observed)
        #expect(
            plan.pg.ids == ["thinkific/expire/eve@pg.com/conscious-leadership-foundations", "insights/delete/eve@pg.com"])
        assertSnapshot(Scenario.golden(plan), named: "planner-removal-delete")
    }

    @Test func seatsExceededIsAnErrorButTheChangesAreListed() {
        var observed = World.pg()
        observed.setGroups("ana@pg.com", [World.learners, World.managers])
        let plan = Scenario.plan(ScenarioWorkspace.workspace(pg: ScenarioWorkspace.pg(seats: 4)), pg: observed)
        #expect(plan.pg.errorCodes == ["seats-exceeded"])
        #expect(plan.pg.seats == SeatUsage(entitled: 5, licensed: 4))
        #expect(plan.pg.changes.count == 2)
        assertSnapshot(Scenario.golden(plan), named: "planner-seats-exceeded")
    }

    @Test func emptyDirectoryIsAnErrorNotEveryoneLeft() {
        var observed = World.pg()
        observed.directory?.users = []
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.errorCodes == ["directory-empty"])
        #expect(plan.pg.counts.remove == 0)
        #expect(plan.pg.manualSteps.isEmpty)
        assertSnapshot(Scenario.golden(plan), named: "planner-directory-empty")
    }

    @Test func failedDirectoryReadIsAnErrorWithNoRemovals() {
        var observed = World.pg()
        observed.directory?.readSucceeded = false
        observed.directory?.failure = "GET /directory_users: 503"
        observed.directory?.users.removeLast(2)
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.errorCodes == ["directory-read-failed"])
        #expect(plan.pg.counts.remove == 0)
        #expect(plan.pg.errors.first?.message.contains("503") == true)
        assertSnapshot(Scenario.golden(plan), named: "planner-directory-read-failed")
    }

    @Test func massRemovalTrips() {
        var observed = World.pg()
        for email in ["ana@pg.com", "ben@pg.com", "eve@pg.com"] { observed.setGroups(email, []) }
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.removalGuard == RemovalGuard(removals: 3, provisioned: 5, threshold: 2))
        #expect(plan.pg.errorCodes == ["mass-removal"])
        assertSnapshot(Scenario.golden(plan), named: "planner-mass-removal")
    }

    @Test func massRemovalAtTheLimitDoesNotTrip() {
        var observed = World.pg()
        for email in ["ana@pg.com", "eve@pg.com"] { observed.setGroups(email, []) }
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.removalGuard == RemovalGuard(removals: 2, provisioned: 5, threshold: 2))
        #expect(plan.pg.errors.isEmpty)
        let absolute = Scenario.plan(ScenarioWorkspace.workspace(maxRemovals: .count(1)), pg: observed)
        #expect(absolute.pg.removalGuard.threshold == 1)
        #expect(absolute.pg.errorCodes == ["mass-removal"])
    }

    @Test func scimReactivation() {
        var observed = World.pg()
        observed.updateSCIMUser("insights", "carla@pg.com") { $0.active = false }
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.ids == ["insights/update-user/carla@pg.com"])
        #expect(plan.pg.changes.first?.reason == "reactivated: joined SG-Stoic-Learners")
        if case .updateSCIMUser(_, _, _, _, _, _, let active)? = plan.pg.changes.first?.action { #expect(active) }
        assertSnapshot(Scenario.golden(plan), named: "planner-scim-reactivation")
    }

    @Test func missingTenantObservationIsAnError() {
        let plan = Scenario.plan(pg: nil)
        #expect(plan.pg.errorCodes == ["not-observed"])
        #expect(plan.pg.changes.isEmpty)
    }

    @Test func planIsDeterministic() {
        var observed = World.pgBeforeOnboarding()
        observed.directory?.users.reverse()
        #expect(Scenario.plan(pg: observed) == Scenario.plan(pg: World.pgBeforeOnboarding()))
    }

    @Test func removedFromRoster() {
        var tenant = ScenarioWorkspace.pg()
        tenant.rosters[0].entries = []
        let plan = Scenario.plan(ScenarioWorkspace.workspace(pg: tenant))
        #expect(
            plan.pg.ids == [
                "thinkific/expire/dan@pg.com/conscious-leadership-foundations", "insights/deactivate/dan@pg.com",
                "insights/remove-member/learners/dan@pg.com",
            ])
        #expect(plan.pg.changes.allSatisfy { $0.reason == "removed from roster" })
        #expect(plan.pg.manualSteps.map(\.reason) == ["removed from roster"])
    }

    @Test func idpGroupsMatchCaseSensitively() {
        var observed = World.pg()
        observed.setGroups("ana@pg.com", ["sg-stoic-managers"])
        let plan = Scenario.plan(pg: observed)
        #expect(!plan.pg.ids.contains("thinkific/enroll/ana@pg.com/leading-teams"))
        #expect(plan.pg.ids.contains("thinkific/expire/ana@pg.com/conscious-leadership-foundations"))
    }

    @Test func missingIdpGroupAndInactiveSSOAreWarnings() {
        var observed = World.pg()
        observed.directory?.groups.removeLast()
        observed.directory?.connections[0].state = "inactive"
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.warningCodes == ["sso-not-active", "idp-group-missing"])
        #expect(plan.pg.manualSteps.map(\.destination) == [.workos])
        observed.directory?.connections[0] = SSOConnection(
            id: "conn_2", name: "Okta", connectionType: "OktaSAML", state: "active")
        #expect(Scenario.plan(pg: observed).pg.warningCodes == ["sso-unexpected-type", "idp-group-missing"])
    }
}
