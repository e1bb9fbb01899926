import Apply
import Foundation
import Live
import Planner
import Testing

/// The guards an apply enforces: the verified plan's, never the saved file's; and `--allow-mass-removal` overrides
/// the mass-removal error and nothing else.
@Suite struct GuardTests {
    static let expire = Change(
        id: "thinkific/expire/a@pg.com/c", kind: .remove,
        action: .expireEnrollment(email: "a@pg.com", enrollmentID: 55, courseSlug: "c", expiryDate: "2026-01-01"),
        reason: "left")
    static let massRemoval = PlanProblem(code: "mass-removal", message: "5 of 10 provisioned people would lose all access")
    static let seats = PlanProblem(code: "seats-exceeded", message: "46 people would be entitled; 10 seats are licensed")

    static func fake() -> WriteFake {
        let fake = WriteFake()
        fake.edit { $0.enrollments = [.init(id: 55, userID: 1, courseID: 3, activatedAt: nil, expiry: nil)] }
        return fake
    }

    @Test func theMassRemovalErrorYieldsToTheOverrideAndNoOtherErrorDoes() async throws {
        let tripped = RemovalGuard(removals: 5, provisioned: 10, threshold: 1)
        let single = plan(tenantPlan([Self.expire], errors: [Self.massRemoval], removalGuard: tripped))
        let refused = await Executor(clients: Self.fake().clients()).apply(single)
        #expect(refused.tenants[0].refusal != nil)

        let fake = Self.fake()
        let allowed = await Executor(clients: fake.clients(), options: ApplyOptions(allowMassRemoval: true)).apply(single)
        #expect(!allowed.hasFailures, "\(allowed.tenants[0])")
        #expect(fake.snapshot.enrollments[0].expiry != nil)

        let both = plan(tenantPlan([Self.expire], errors: [Self.massRemoval, Self.seats], removalGuard: tripped))
        let stillRefused = await Executor(clients: Self.fake().clients(), options: ApplyOptions(allowMassRemoval: true))
            .apply(both)
        #expect(stillRefused.tenants[0].refusal?.contains("10 seats") == true)
    }

    /// A saved tenant plan with its errors cleared and its threshold raised: the verified plan's guards refuse it,
    /// after the lock is taken and before any request.
    @Test func theVerifiedPlansGuardsAreCheckedNotTheSavedOnes() async throws {
        let workspace = temporaryWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let saved = tenantPlan([Self.expire], removalGuard: RemovalGuard(removals: 1, provisioned: 10, threshold: 1000))
        for verified in [
            tenantPlan([Self.expire], errors: [Self.seats]),
            tenantPlan([Self.expire], removalGuard: RemovalGuard(removals: 5, provisioned: 10, threshold: 1)),
            tenantPlan(
                [
                    Change(
                        id: "d", kind: .remove,
                        action: .deleteSCIMUser(app: "insights", userID: "u1", userName: "a@pg.com"), reason: "left")
                ]),
        ] {
            let fake = Self.fake()
            let executor = Executor(clients: fake.clients(), options: ApplyOptions(workspace: workspace))
            let report = await executor.apply(saved, planDigest: "d") { _ in .success(verified) }
            #expect(report.refusal != nil, "\(verified)")
            #expect(fake.transport.requests.isEmpty)
            #expect(TenantLock.current(workspace: workspace, tenant: "pg") == nil)
        }
    }
}
