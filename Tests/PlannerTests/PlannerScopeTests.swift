import Foundation
import Planner
import Spec
import TestSupport
import Testing

/// Planning scoped to a few people (the orchestrator's targeted reads): the observation holds only them, and
/// nobody else's absence from it may read as "left" or "to be created".
@Suite struct PlannerScopeTests {
    /// Only `names` of the full scenario world, as a targeted read would return them.
    static func partial(_ names: Set<String>, directoryGroups: [String: [String]] = [:]) -> ObservedTenant {
        var observed = World.pg()
        let emails = Set(names.map { "\($0)@pg.com" })
        if var thinkific = observed.thinkific {
            thinkific.users = thinkific.users.filter { emails.contains($0.email) }
            let ids = Set(thinkific.users.map(\.id))
            thinkific.enrollments = thinkific.enrollments.filter { ids.contains($0.userID) }
            thinkific.groupMembers = thinkific.groupMembers.map { members in
                var kept = members
                kept.userIDs = members.userIDs.filter(ids.contains)
                return kept
            }
            observed.thinkific = thinkific
        }
        var people = (observed.directory?.users ?? []).filter { emails.contains($0.email ?? "") }
        for (name, groups) in directoryGroups {
            people.removeAll { $0.email == "\(name)@pg.com" }
            guard !groups.isEmpty else { continue }
            people.append(
                DirectoryPerson(
                    id: "directory_user_\(name)", idpID: "00u-\(name)", email: "\(name)@pg.com", firstName: name.capitalized,
                    lastName: "Doe", state: "active", groups: groups))
        }
        observed.directory?.users = people
        observed.scimApps = observed.scimApps.map { app in
            var kept = app
            kept.users = app.users.filter { emails.contains($0.userName) }
            let ids = Set(kept.users.map(\.id))
            kept.groups = app.groups.map {
                SCIMGroup(id: $0.id, displayName: $0.displayName, memberIDs: $0.memberIDs.filter(ids.contains))
            }
            return kept
        }
        return observed
    }

    static func plan(_ observed: ObservedTenant, emails: Set<String>, outside: Int, seats: Int = 500) -> ScopedTenantPlan {
        let workspace = ScenarioWorkspace.workspace(pg: ScenarioWorkspace.pg(seats: seats), maxRemovals: .percent(10))
        let tenant = workspace.tenant(id: "pg")!
        return Planner.plan(
            workspace: workspace, tenant: tenant, observation: observed,
            scope: PlanScope(emails: emails, entitledOutside: outside, provisionedOutside: outside), now: World.now)
    }

    @Test func aJoinerIsPlannedAndNobodyElseIsTouched() {
        let observed = Self.partial(["fay"], directoryGroups: ["fay": [World.learners]])
        let scoped = Self.plan(observed, emails: ["fay@pg.com"], outside: 5)
        let plan = scoped.plan
        #expect(!plan.changes.isEmpty)
        #expect(plan.changes.allSatisfy { $0.id.contains("fay@pg.com") || $0.kind != .remove }, "\(plan.changes.map(\.id))")
        #expect(plan.changes.filter { $0.kind == .remove }.isEmpty, "absence from a partial read is not leaving")
        #expect(!plan.changes.contains { $0.id.contains("dan@pg.com") }, "a roster row outside the scope is not created")
        #expect(plan.errors.isEmpty, "\(plan.errors)")
        #expect(plan.seats == SeatUsage(entitled: 6, licensed: 500))
        #expect(scoped.entitled == ["fay@pg.com"])
    }

    @Test func seatsCountTheWholeTenant() {
        let observed = Self.partial(["fay"], directoryGroups: ["fay": [World.learners]])
        let plan = Self.plan(observed, emails: ["fay@pg.com"], outside: 5, seats: 5).plan
        #expect(plan.errors.contains { $0.code == "seats-exceeded" }, "\(plan.errors)")
    }

    @Test func aLeaverIsRemovedWithoutTheEmptyDirectoryGuard() {
        // ana left every mapped group: the targeted read finds her nowhere in the directory.
        let observed = Self.partial(["ana"], directoryGroups: ["ana": []])
        let scoped = Self.plan(observed, emails: ["ana@pg.com"], outside: 40)
        let plan = scoped.plan
        let removals = plan.changes.filter { $0.kind == .remove }
        #expect(!removals.isEmpty && removals.allSatisfy { $0.id.contains("ana@pg.com") }, "\(plan.changes.map(\.id))")
        #expect(!plan.errors.contains { $0.code == "directory-empty" }, "\(plan.errors)")
        #expect(plan.removalGuard.provisioned == 41 && !plan.removalGuard.isTripped)
        #expect(scoped.provisioned == ["ana@pg.com"] && scoped.entitled.isEmpty)
    }

    @Test func aFailedDirectoryReadStopsRemovals() {
        var observed = Self.partial(["ana"], directoryGroups: ["ana": []])
        observed.directory?.readSucceeded = false
        observed.directory?.failure = "HTTP 500"
        let plan = Self.plan(observed, emails: ["ana@pg.com"], outside: 40).plan
        #expect(plan.changes.filter { $0.kind == .remove }.isEmpty)
        #expect(!plan.errors.isEmpty)
    }

    @Test func theRemovalGuardCountsTheWholeTenant() {
        let observed = Self.partial(
            ["ana", "ben", "carla", "eve"], directoryGroups: ["ana": [], "ben": [], "carla": [], "eve": []])
        let plan = Self.plan(observed, emails: ["ana@pg.com", "ben@pg.com", "carla@pg.com", "eve@pg.com"], outside: 6).plan
        #expect(plan.removalGuard.provisioned == 10)
        #expect(plan.removalGuard.isTripped, "4 of 10 is over 10%")
    }
}
