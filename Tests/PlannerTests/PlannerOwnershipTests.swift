import Foundation
import Planner
import Spec
import TestSupport
import Testing
import Views

/// Ownership (DESIGN §3): stoicprov takes away only what it provisioned, or what the tenant adopted; everything
/// else in scope is counted as unmanaged and left alone. One test per rule.
@Suite struct PlannerOwnershipTests {
    /// pg converged, plus people who were there before stoicprov: in the SCIM app (one without an `externalId`, one
    /// with another provisioning client's) in the `learners` group, and on the Thinkific site (an enrollment made by
    /// hand in a managed course, and membership of the managed group).
    static func withPreExistingPeople() -> ObservedTenant {
        var observed = World.pg()
        observed.scimApps[0].users += [
            SCIMUser(id: "u-zoe", userName: "zoe@pg.com", givenName: "Zoe", familyName: "Hand"),
            SCIMUser(id: "u-yan", userName: "Yan@pg.com", externalID: "okta-00u77", givenName: "Yan", familyName: "Hand"),
        ]
        observed.scimApps[0].groups[0].memberIDs = (observed.scimApps[0].groups[0].memberIDs + ["u-yan", "u-zoe"]).sorted()
        observed.thinkific?.users.append(ThinkificUser(id: 50, email: "zoe@pg.com", firstName: "Zoe", lastName: "Hand"))
        observed.thinkific?.enrollments.append(
            ThinkificEnrollment(
                id: 9500, userID: 50, userEmail: "zoe@pg.com", courseID: World.clf.id,
                activatedAt: "2025-02-03T10:22:31.123Z", expiryDate: nil))
        observed.thinkific?.groupMembers[0].userIDs.append(50)
        return observed
    }

    @Test func preExistingPeopleAreNeverTakenAway() {
        let plan = Scenario.plan(pg: Self.withPreExistingPeople())
        #expect(plan.pg.changes.isEmpty)
        #expect(plan.pg.manualSteps.isEmpty)
        #expect(plan.pg.errors.isEmpty)
        #expect(
            plan.pg.unmanaged == [
                UnmanagedCount(destination: .scim(app: "insights"), kind: .memberships, count: 2),
                UnmanagedCount(destination: .scim(app: "insights"), kind: .users, count: 2),
                UnmanagedCount(destination: .thinkific, kind: .enrollments, count: 1),
                UnmanagedCount(destination: .thinkific, kind: .memberships, count: 1),
            ])
        // They are no base for the mass-removal guard either: they cannot be removed.
        #expect(plan.pg.removalGuard.provisioned == 5)
        assertSnapshot(Scenario.golden(plan), named: "planner-ownership-pre-existing")
    }

    @Test func preExistingPeopleAreNotReportedAsKeptUnderRemovalKeep() {
        let plan = Scenario.plan(ScenarioWorkspace.workspace(removal: .keep), pg: Self.withPreExistingPeople())
        #expect(plan.pg.warnings.isEmpty)
        #expect(plan.pg.unmanaged?.map(\.count).reduce(0, +) == 6)
    }

    @Test func adoptedPeopleAreTakenAway() {
        var tenant = ScenarioWorkspace.pg()
        tenant.adopted = ["insights", "thinkific"]
        let plan = Scenario.plan(ScenarioWorkspace.workspace(pg: tenant), pg: Self.withPreExistingPeople())
        #expect(plan.pg.unmanaged == nil)
        #expect(
            plan.pg.ids == [
                "thinkific/expire/zoe@pg.com/conscious-leadership-foundations", "insights/deactivate/yan@pg.com",
                "insights/remove-member/learners/yan@pg.com", "insights/deactivate/zoe@pg.com",
                "insights/remove-member/learners/zoe@pg.com",
            ])
        // Reasons that tell the truth: neither was on the roster, and the other client's id is no directory id.
        #expect(plan.pg.change("insights/deactivate/zoe@pg.com")?.reason == "no longer in any mapped group or roster")
        #expect(plan.pg.change("insights/deactivate/yan@pg.com")?.reason == "no longer in any mapped group or roster")
        #expect(
            plan.pg.manualSteps.map(\.description) == [#"remove zoe@pg.com from Thinkific group "P&G 2026" (the API cannot)"#])
    }

    @Test func adoptionIsPerDestination() {
        var tenant = ScenarioWorkspace.pg()
        tenant.adopted = ["thinkific"]
        let plan = Scenario.plan(ScenarioWorkspace.workspace(pg: tenant), pg: Self.withPreExistingPeople())
        #expect(plan.pg.ids == ["thinkific/expire/zoe@pg.com/conscious-leadership-foundations"])
        #expect(plan.pg.unmanaged?.map(\.destination.name) == ["insights", "insights"])
    }

    @Test func whatStoicprovProvisionedIsStillRemovedWhenTheyLeave() {
        var observed = Self.withPreExistingPeople()
        observed.setGroups("ana@pg.com", [])
        let plan = Scenario.plan(pg: observed)
        #expect(
            plan.pg.ids == [
                "thinkific/expire/ana@pg.com/conscious-leadership-foundations", "insights/deactivate/ana@pg.com",
                "insights/remove-member/learners/ana@pg.com",
            ])
        #expect(
            plan.pg.manualSteps.map(\.description) == [#"remove ana@pg.com from Thinkific group "P&G 2026" (the API cannot)"#])
        #expect(plan.pg.unmanaged?.map(\.count).reduce(0, +) == 6)
    }

    /// A user made by an earlier version carries the bare directory id: stoicprov's while the directory reports the
    /// person (here: deactivated there).
    @Test func legacyDirectoryUserIsRecognisedByTheDirectoryID() {
        var observed = World.pg()
        observed.scimApps[0].users[0].hasStoicprovMarker = false  // ana, as an earlier version left her
        observed.updateDirectoryPerson("ana@pg.com") { $0.state = "inactive" }
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.change("insights/deactivate/ana@pg.com")?.reason == "deactivated in the directory")
        #expect(plan.pg.unmanaged == nil)
    }

    /// Without the marker, and with a directory id the directory no longer reports, nothing says stoicprov made the
    /// user: it is left alone and counted; the enrollment, which carries the programme's dates, is still expired.
    @Test func unmarkedUserTheDirectoryNoLongerReportsIsLeftAlone() {
        var observed = World.pg()
        observed.scimApps[0].users[0].hasStoicprovMarker = false
        observed.setGroups("ana@pg.com", [])
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.ids == ["thinkific/expire/ana@pg.com/conscious-leadership-foundations"])
        #expect(
            plan.pg.unmanaged == [
                UnmanagedCount(destination: .scim(app: "insights"), kind: .memberships, count: 1),
                UnmanagedCount(destination: .scim(app: "insights"), kind: .users, count: 1),
            ])
    }

    /// Enrollments are stoicprov's by the programme's dates: `activated_at` = start, or `expiry_date` = end.
    @Test func enrollmentsAreRecognisedByTheProgrammeDates() {
        var observed = World.pg()
        observed.setGroups("ana@pg.com", [])
        observed.setGroups("eve@pg.com", [])
        observed.updateEnrollments { enrollment in
            if enrollment.userEmail == "ana@pg.com" { enrollment.activatedAt = "2026-03-01T09:00:00.000Z" }
            if enrollment.userEmail == "eve@pg.com" {
                enrollment.activatedAt = "2026-03-01T09:00:00.000Z"
                enrollment.expiryDate = "2027-03-01T09:00:00.000Z"
            }
        }
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.change("thinkific/expire/ana@pg.com/conscious-leadership-foundations") != nil)
        #expect(plan.pg.change("thinkific/expire/eve@pg.com/conscious-leadership-foundations") == nil)
        #expect(plan.pg.unmanaged?.filter { $0.destination == .thinkific }.map(\.kind) == [.enrollments, .memberships])
    }

    /// 1,100 people in the app before stoicprov: not one deactivation, the guard not even approached.
    @Test func elevenHundredPreExistingUsersGiveZeroDeactivations() {
        var observed = World.pg()
        for index in 0..<1_100 {
            observed.scimApps[0].users.append(SCIMUser(id: "pre-\(index)", userName: "person\(index)@pg.com"))
        }
        let plan = Scenario.plan(pg: observed)
        #expect(plan.pg.changes.isEmpty)
        #expect(plan.pg.errors.isEmpty)
        #expect(plan.pg.unmanaged == [UnmanagedCount(destination: .scim(app: "insights"), kind: .users, count: 1_100)])
        let text = PlanRenderer.text(plan, color: false)
        #expect(text.contains("insights: 1,100 users not provisioned by stoicprov: left alone"))
    }

    /// Reactivating a roster person's account that another client provisioned keeps that client's `externalId`: the
    /// update carries no directory id, so the SCIM client writes none over it (nor a marker).
    @Test func anotherClientsExternalIDIsNeverOverwritten() {
        var observed = World.pg()
        observed.updateSCIMUser("insights", "dan@pg.com") { user in
            user.active = false
            user.externalID = "okta-00u99"
            user.hasStoicprovMarker = false
        }
        let plan = Scenario.plan(pg: observed)
        guard
            case .updateSCIMUser(_, _, _, let externalID, _, _, let active, let changed)? = plan.pg.change(
                "insights/update-user/dan@pg.com")?.action
        else {
            Issue.record("no reactivation for dan: \(plan.pg.ids)")
            return
        }
        #expect(active)
        #expect(externalID == nil)
        #expect(!changed.contains(.externalID))
    }

    @Test func markerRoundTrips() {
        #expect(SCIMMarker.externalID(idpID: "00u-ana", userName: "Ana@pg.com") == "stoicprov:idp:00u-ana")
        #expect(SCIMMarker.externalID(idpID: nil, userName: "Dan@pg.com") == "stoicprov:roster:dan@pg.com")
        #expect(SCIMMarker.read("stoicprov:idp:00u-ana") == ("00u-ana", true))
        #expect(SCIMMarker.read("stoicprov:roster:dan@pg.com") == (nil, true))
        #expect(SCIMMarker.read("00u-ana") == ("00u-ana", false))
        #expect(SCIMMarker.read(nil) == (nil, false))
        let user = SCIMUser(id: "1", userName: "ana@pg.com", externalID: "stoicprov:idp:00u-ana")
        #expect(user.externalID == "00u-ana" && user.hasStoicprovMarker)
    }

    @Test func savedPlanKeepsTheUnmanagedCounts() throws {
        let plan = Scenario.plan(pg: Self.withPreExistingPeople())
        let data = PlanFile.json(plan)
        var reader = PlanReader()
        reader.feed(data)
        let read = try reader.finish()
        #expect(read.pg.unmanaged == plan.pg.unmanaged)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""unmanaged""#))
        let markdown = PlanRenderer.markdown(plan, showEmails: false)
        #expect(markdown.contains("### Unmanaged"))
        #expect(markdown.contains("insights: 2 users, 2 group memberships not provisioned by stoicprov: left alone"))
    }
}
