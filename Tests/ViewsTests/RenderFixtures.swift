import Foundation
import Planner
import Views

/// Hand-made plans for the renderer tests, shaped like the examples workspace (pg, northwind, contoso).
enum RenderFixtures {
    static let createdAt = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T11:06:40Z, whole seconds

    /// Three tenants: pg with creates, an extension, removals and a manual step; northwind new and over the removal
    /// limit on insights; contoso with a failed directory read and no changes.
    static var threeTenants: Plan {
        Plan(createdAt: createdAt, workspaceDigest: "sha256:3f2a", tenants: [pg, northwind, contoso])
    }

    static var pg: TenantPlan {
        TenantPlan(
            tenant: "pg", name: "Procter & Gamble",
            changes: [
                Change(
                    id: "thinkific/user/ana@pg.com", kind: .create,
                    action: .createThinkificUser(email: "ana@pg.com", firstName: "Ana", lastName: "Garcia"),
                    reason: "joined SG-Stoic-Learners",
                    preconditions: [Precondition(key: "thinkific/user/ana@pg.com", observed: nil)]),
                Change(
                    id: "thinkific/groups/ana@pg.com", kind: .create,
                    action: .addToThinkificGroups(email: "ana@pg.com", userID: nil, groups: ["P&G 2026"]),
                    reason: "joined SG-Stoic-Learners", dependsOn: ["thinkific/user/ana@pg.com"]),
                Change(
                    id: "thinkific/enroll/ana@pg.com/conscious-leadership-foundations", kind: .create,
                    action: .enroll(
                        email: "ana@pg.com", userID: nil, courseSlug: "conscious-leadership-foundations", courseID: 101,
                        activatedAt: "2026-05-04", expiryDate: "2026-12-18"),
                    reason: "joined SG-Stoic-Learners", dependsOn: ["thinkific/user/ana@pg.com"]),
                Change(
                    id: "thinkific/enrollment/ben@pg.com/conscious-leadership-foundations", kind: .update,
                    action: .updateEnrollment(
                        email: "ben@pg.com", enrollmentID: 9001, courseSlug: "conscious-leadership-foundations",
                        activatedAt: nil, expiryDate: "2026-12-18", previousExpiry: "2026-06-30"),
                    reason: "program.ends changed",
                    preconditions: [
                        Precondition(key: "thinkific/enrollment/ben@pg.com/conscious-leadership-foundations", observed: "e1c9")
                    ]),
                Change(
                    id: "thinkific/expire/carla@pg.com/leading-teams", kind: .remove,
                    action: .expireEnrollment(
                        email: "carla@pg.com", enrollmentID: 9002, courseSlug: "leading-teams", expiryDate: "2026-11-18"),
                    reason: "left SG-Stoic-Managers"),
                Change(
                    id: "insights/user/ana@pg.com", kind: .create,
                    action: .createSCIMUser(
                        app: "insights", userName: "ana@pg.com", externalID: "00u1ana", givenName: "Ana", familyName: "Garcia"),
                    reason: "joined SG-Stoic-Learners"),
                Change(
                    id: "insights/member/learners/ana@pg.com", kind: .create,
                    action: .addSCIMMember(
                        app: "insights", group: "learners", groupID: "g-17", userName: "ana@pg.com", userID: nil),
                    reason: "joined SG-Stoic-Learners", dependsOn: ["insights/user/ana@pg.com"]),
                Change(
                    id: "insights/member/managers/carla@pg.com", kind: .remove,
                    action: .removeSCIMMember(
                        app: "insights", group: "managers", groupID: "g-18", userName: "carla@pg.com", userID: "u-3"),
                    reason: "left SG-Stoic-Managers"),
            ],
            manualSteps: [
                ManualStep(
                    destination: .thinkific, description: "remove carla@pg.com from Thinkific group \"P&G 2026\"",
                    reason: "the Thinkific API cannot remove group members")
            ],
            seats: SeatUsage(entitled: 412, licensed: 500),
            removalGuard: RemovalGuard(removals: 2, provisioned: 411, threshold: 41),
            observationRequests: ["thinkific": 6, "workos": 4, "insights": 3],
            estimates: [
                ApplyEstimate(connection: "thinkific", requests: 5, requestsPerMinute: 120, seconds: 2.5),
                ApplyEstimate(connection: "insights", requests: 3, requestsPerMinute: nil, seconds: 0.3),
            ])
    }

    static var northwind: TenantPlan {
        let leavers = ["eve", "finn", "gus"]
        return TenantPlan(
            tenant: "northwind", name: "Northwind Traders",
            changes: [
                Change(
                    id: "workos/organization/northwind", kind: .create,
                    action: .createOrganization(externalID: "northwind", name: "Northwind Traders", domains: ["northwind.com"]),
                    reason: "new tenant"),
                Change(
                    id: "thinkific/group/Northwind 2026", kind: .create,
                    action: .createThinkificGroup(name: "Northwind 2026"), reason: "named by access rule learners"),
                Change(
                    id: "thinkific/user/dan@northwind.com", kind: .update,
                    action: .updateThinkificUser(userID: 4012, email: "dan@northwind.com", firstName: "Dan", lastName: "Ito"),
                    reason: "email changed in the directory"),
            ]
                + leavers.map { name in
                    Change(
                        id: "insights/user/\(name)@northwind.com", kind: .remove,
                        action: .deactivateSCIMUser(app: "insights", userID: "u-\(name)", userName: "\(name)@northwind.com"),
                        reason: "left SG-Stoic-Learners")
                },
            warnings: [PlanProblem(code: "removal-kept", message: "hal@northwind.com keeps access: removal is keep")],
            seats: SeatUsage(entitled: 17, licensed: 25),
            removalGuard: RemovalGuard(removals: 3, provisioned: 20, threshold: 2),
            observationRequests: ["thinkific": 2, "workos": 3, "insights": 1],
            estimates: [
                ApplyEstimate(connection: "workos", requests: 1, requestsPerMinute: nil, seconds: 0.1),
                ApplyEstimate(connection: "thinkific", requests: 2, requestsPerMinute: 120, seconds: 1),
                ApplyEstimate(connection: "insights", requests: 3, requestsPerMinute: nil, seconds: 0.3),
            ])
    }

    static var contoso: TenantPlan {
        TenantPlan(
            tenant: "contoso", name: "Contoso",
            errors: [
                PlanProblem(
                    code: "directory-read-failed",
                    message: "the WorkOS directory of contoso returned no users; refusing to treat that as everyone leaving")
            ],
            seats: SeatUsage(entitled: 0, licensed: 50),
            removalGuard: RemovalGuard(removals: 0, provisioned: 38, threshold: 3),
            observationRequests: ["workos": 2])
    }

    /// Every tenant matches: nothing to do.
    static var noChanges: Plan {
        Plan(
            createdAt: createdAt, workspaceDigest: "sha256:3f2a",
            tenants: [
                TenantPlan(
                    tenant: "contoso", name: "Contoso", seats: SeatUsage(entitled: 38, licensed: 50),
                    removalGuard: RemovalGuard(removals: 0, provisioned: 38, threshold: 3), observationRequests: ["workos": 2]),
                TenantPlan(
                    tenant: "pg", name: "Procter & Gamble", seats: SeatUsage(entitled: 412, licensed: 500),
                    removalGuard: RemovalGuard(removals: 0, provisioned: 412, threshold: 41),
                    observationRequests: ["thinkific": 6, "workos": 4]),
            ])
    }

    /// Seats exceeded: an error that forbids applying, next to the changes that caused it.
    static var seatsExceeded: Plan {
        var tenant = northwind
        tenant.changes = Array(tenant.changes.prefix(3))
        tenant.removalGuard = RemovalGuard(removals: 0, provisioned: 20, threshold: 2)
        tenant.seats = SeatUsage(entitled: 26, licensed: 25)
        tenant.errors = [PlanProblem(code: "seats-exceeded", message: "26 people would be entitled; 25 seats are licensed")]
        tenant.warnings = []
        return Plan(createdAt: createdAt, workspaceDigest: "sha256:3f2a", tenants: [tenant])
    }

    /// One action of every type, for round trips.
    static var everyAction: [Action] {
        [
            .createOrganization(externalID: "pg", name: "Procter & Gamble", domains: ["pg.com", "pgcorp.com"]),
            .updateOrganization(id: "org_01H", name: "P&G", domains: ["pg.com"]),
            .createThinkificUser(email: "ana@pg.com", firstName: "Ana", lastName: "Garcia"),
            .updateThinkificUser(userID: 4012, email: "dan@northwind.com", firstName: "Dan", lastName: "Ito"),
            .createThinkificGroup(name: "P&G 2026"),
            .addToThinkificGroups(email: "ana@pg.com", userID: nil, groups: ["P&G 2026", "Cohort <A>"]),
            .addToThinkificGroups(email: "ana@pg.com", userID: 77, groups: []),
            .enroll(
                email: "ana@pg.com", userID: nil, courseSlug: "leading-teams", courseID: 102, activatedAt: "2026-05-04",
                expiryDate: nil),
            .enroll(
                email: "ana@pg.com", userID: 77, courseSlug: "leading-teams", courseID: 102, activatedAt: "2026-05-04",
                expiryDate: "2026-12-18"),
            .updateEnrollment(
                email: "ben@pg.com", enrollmentID: 9001, courseSlug: "leading-teams", activatedAt: "2026-05-04",
                expiryDate: nil, previousExpiry: "2026-06-30"),
            .expireEnrollment(email: "carla@pg.com", enrollmentID: 9002, courseSlug: "leading-teams", expiryDate: "2026-11-18"),
            .createSCIMUser(app: "insights", userName: "ana@pg.com", externalID: nil, givenName: "Ana", familyName: "Garcia"),
            .updateSCIMUser(
                app: "dashboard", userID: "u-1", userName: "ana@pg.com", externalID: "00u1", givenName: "Ana",
                familyName: "García", active: true),
            .deactivateSCIMUser(app: "insights", userID: "u-2", userName: "ben@pg.com"),
            .deleteSCIMUser(app: "insights", userID: "u-3", userName: "carla@pg.com"),
            .createSCIMGroup(app: "insights", displayName: "managers"),
            .addSCIMMember(app: "insights", group: "managers", groupID: nil, userName: "ana@pg.com", userID: nil),
            .removeSCIMMember(app: "insights", group: "managers", groupID: "g-1", userName: "carla@pg.com", userID: "u-3"),
        ]
    }
}
