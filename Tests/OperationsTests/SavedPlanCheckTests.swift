import Apply
import Foundation
import Operations
import Planner
import Testing

/// A saved plan is a request, not an order (issue 9, class 2): `SavedPlanCheck` keeps a saved tenant plan only when
/// the plan derived afresh makes every one of its changes with the same value, and hands back the fresh plan's
/// changes and guards.
@Suite struct SavedPlanCheckTests {
    static func enroll(_ email: String, course: Int = 101, userID: Int? = nil, expiry: String? = "2026-12-18") -> Change {
        Change(
            id: "thinkific/enroll/\(email)/\(course)", kind: .create,
            action: .enroll(
                email: email, userID: userID, courseSlug: "c\(course)", courseID: course, activatedAt: "2026-05-04",
                expiryDate: expiry),
            reason: "joined SG-Stoic-Learners", dependsOn: [],
            preconditions: [Precondition(key: "thinkific/enrollment/\(email)/c\(course)", observed: nil)])
    }

    static func expire(_ email: String, enrollment: Int, at date: String = "2026-11-18T11:06:40Z") -> Change {
        Change(
            id: "thinkific/expire/\(email)/c101", kind: .remove,
            action: .expireEnrollment(email: email, enrollmentID: enrollment, courseSlug: "c101", expiryDate: date),
            reason: "left SG-Stoic-Learners",
            preconditions: [Precondition(key: "thinkific/enrollment/\(email)/c101", observed: "f1")])
    }

    static func tenant(_ changes: [Change], errors: [PlanProblem] = [], threshold: Int = 5) -> TenantPlan {
        TenantPlan(
            tenant: "pg", name: "P&G", changes: changes, errors: errors, seats: SeatUsage(entitled: 3, licensed: 10),
            removalGuard: RemovalGuard(
                removals: changes.count { $0.kind == .remove }, provisioned: 10, threshold: threshold))
    }

    static let fresh = tenant([enroll("ana@pg.com"), enroll("bo@pg.com"), expire("carla@pg.com", enrollment: 9002)])

    @Test func theSamePlanOrASubsetIsKept() throws {
        let same = try SavedPlanCheck.select(saved: Self.fresh, fresh: Self.fresh).get()
        #expect(same.changes == Self.fresh.changes)
        let subset = try SavedPlanCheck.select(saved: Self.tenant([Self.enroll("bo@pg.com")]), fresh: Self.fresh).get()
        #expect(subset.changes.map(\.id) == ["thinkific/enroll/bo@pg.com/101"])
    }

    @Test func anExpiryIsComparedWithoutItsPlanningTimeAndCarriedOutAsPlannedNow() throws {
        let saved = Self.tenant([Self.expire("carla@pg.com", enrollment: 9002, at: "2026-11-17T08:00:00Z")])
        let kept = try SavedPlanCheck.select(saved: saved, fresh: Self.fresh).get()
        #expect(kept.changes == [Self.expire("carla@pg.com", enrollment: 9002)], "the fresh change is the one carried out")
    }

    @Test func aChangeTheFreshPlanDoesNotMakeIsRefused() {
        // Another tenant's person, slipped into pg's plan.
        let saved = Self.tenant(Self.fresh.changes + [Self.enroll("eve@contoso.com")])
        #expect(refusal(saved)?.contains("thinkific/enroll/eve@contoso.com/101") == true)
    }

    @Test func everyFieldIsCompared() {
        var retargeted = Self.enroll("ana@pg.com")
        retargeted.action = .enroll(
            email: "eve@evil.com", userID: nil, courseSlug: "c101", courseID: 101, activatedAt: "2026-05-04",
            expiryDate: "2026-12-18")
        var enrollmentID = Self.expire("carla@pg.com", enrollment: 9002)
        enrollmentID.action = .expireEnrollment(
            email: "carla@pg.com", enrollmentID: 1, courseSlug: "c101", expiryDate: "2026-11-18T11:06:40Z")
        var longer = Self.enroll("ana@pg.com")
        longer.action = Self.enroll("ana@pg.com", expiry: nil).action
        var userID = Self.enroll("ana@pg.com")
        userID.action = Self.enroll("ana@pg.com", userID: 7).action
        var preconditions = Self.enroll("ana@pg.com")
        preconditions.preconditions = []
        var dependsOn = Self.enroll("ana@pg.com")
        dependsOn.dependsOn = ["thinkific/user/eve@evil.com"]
        for change in [retargeted, enrollmentID, longer, userID, preconditions, dependsOn] {
            #expect(refusal(Self.tenant([change])) != nil, "\(change) was accepted")
        }
    }

    @Test func aChangeListedTwiceIsRefused() {
        #expect(refusal(Self.tenant([Self.enroll("ana@pg.com"), Self.enroll("ana@pg.com")]))?.contains("more than once") == true)
    }

    @Test func theGuardsAreTheFreshPlansNeverTheFiles() throws {
        let seats = PlanProblem(code: "seats-exceeded", message: "46 people entitled, 10 seats")
        let freshWithErrors = Self.tenant(Self.fresh.changes, errors: [seats], threshold: 0)
        // The file cleared the error and raised the threshold.
        let edited = Self.tenant(Self.fresh.changes, errors: [], threshold: 1000)
        let kept = try SavedPlanCheck.select(saved: edited, fresh: freshWithErrors).get()
        #expect(kept.errors == [seats])
        #expect(kept.removalGuard.threshold == 0 && kept.removalGuard.isTripped)
    }

    private func refusal(_ saved: TenantPlan) -> String? {
        if case .failure(let error) = SavedPlanCheck.select(saved: saved, fresh: Self.fresh) { return error.description }
        return nil
    }
}
