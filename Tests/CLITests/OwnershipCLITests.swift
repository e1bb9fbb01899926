import Foundation
import Planner
import Sandbox
import TestSupport
import Testing

/// Ownership end to end, through the binary against the sandbox: people who were in the SCIM app and on the
/// Thinkific site before stoicprov are never taken away; the ones stoicprov provisioned still are; adopting hands the
/// others over.
@Suite struct OwnershipCLITests {
    /// Converged P&G, plus what was there before stoicprov: 1,100 accounts in insights (the seed's `generate:`, and one
    /// with another client's `externalId`), and on the Thinkific site a person onboarded by hand with an enrollment in
    /// a managed course and membership of the managed group. (Memberships of pre-existing SCIM users are covered by
    /// PlannerOwnershipTests: `createSCIM` makes the rule's groups, which a seeded group of the same name would clash with.)
    static func seed(_ world: ConvergedPG) -> String {
        var seed = world.seed
        let preExistingThinkific = """
                    - { email: hand.made@pg.com, first_name: Hand, last_name: Made, groups: ["P&G 2026"] }
                  enrollments:
                    - { email: hand.made@pg.com, course_id: 101, activated_at: 2025-03-14T10:22:31Z }

            """
        seed = seed.replacingOccurrences(of: "      enrollments:\n", with: preExistingThinkific)
        let apps =
            [
                "    - name: insights",
                "      users:",
                "        - { userName: okta.synced@pg.com, externalId: 00u-okta-1 }",
                "      generate: { count: 1099, domain: pg.com }",
                "    - { name: dashboard }",
            ].joined(separator: "\n") + "\n"
        seed = seed.replacingOccurrences(of: "    - { name: insights }\n    - { name: dashboard }\n", with: apps)
        return seed
    }

    static func plan(_ sandbox: PlanSandbox, workspace: URL) throws -> (BinaryRunner.Result, TenantPlan?) {
        let result = try BinaryRunner.run(
            ["plan", workspace.path, "--sandbox", sandbox.url, "--tenant", "pg", "--format", "json"])
        let plan = try? Plan.decode(from: Data(result.stdout.utf8))
        return (result, plan?.tenants.first)
    }

    @Test func elevenHundredPreExistingUsersGiveZeroDeactivationsAndStoicprovsOwnStillGo() async throws {
        let world = try ConvergedPG()
        let seed = Self.seed(world)
        #expect(seed.contains("generate: { count: 1099") && seed.contains("hand.made@pg.com, course_id: 101"))
        let sandbox = try PlanSandbox(seed: .yaml(seed, name: "pre-existing-pg"))
        try await world.createSCIM(in: sandbox)
        let workspace = try world.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }

        let (before, converged) = try Self.plan(sandbox, workspace: workspace)
        #expect(before.status == 0, "\(before.stderr)")
        let tenant = try #require(converged, "\(before.stdout)\(before.stderr)")
        #expect(tenant.changes.isEmpty, "\(tenant.changes.prefix(5).map(\.action.description))")
        #expect(tenant.manualSteps.isEmpty)
        #expect(tenant.errors.isEmpty)
        #expect(
            tenant.unmanaged == [
                UnmanagedCount(destination: .scim(app: "insights"), kind: .users, count: 1_100),
                UnmanagedCount(destination: .thinkific, kind: .enrollments, count: 1),
                UnmanagedCount(destination: .thinkific, kind: .memberships, count: 1),
            ])

        // The text view says so, with the way to adopt them.
        let text = try BinaryRunner.run(["plan", workspace.path, "--sandbox", sandbox.url, "--tenant", "pg"])
        #expect(
            text.stdout.contains(
                "Unmanaged: insights: 1,100 users not provisioned by stoicprov: left alone"),
            "\(text.stdout)")

        // Ben, whom stoicprov provisioned, is deactivated in the directory: his access still goes, nobody else's.
        try await sandbox.changeDirectoryUser("ben.okafor@pg.com", ["state": "inactive"])
        let (_, afterChurn) = try Self.plan(sandbox, workspace: workspace)
        let churned = try #require(afterChurn)
        let removals = churned.changes.filter { $0.kind == .remove }.map(\.id)
        #expect(
            removals == [
                "thinkific/expire/ben.okafor@pg.com/conscious-leadership-foundations", "insights/deactivate/ben.okafor@pg.com",
                "insights/remove-member/learners/ben.okafor@pg.com",
            ])
        #expect(!churned.removalGuard.isTripped)
    }

    @Test func adoptingTheAppHandsThePreExistingUsersOver() async throws {
        let world = try ConvergedPG()
        let sandbox = try PlanSandbox(seed: .yaml(Self.seed(world), name: "pre-existing-pg"))
        try await world.createSCIM(in: sandbox)
        let workspace = try world.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let file = workspace.appendingPathComponent("tenants/pg.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try (text + "\nadopt:\n  insights: { existing: true }\n").write(to: file, atomically: true, encoding: .utf8)

        let (result, planned) = try Self.plan(sandbox, workspace: workspace)
        let tenant = try #require(planned, "\(result.stdout)\(result.stderr)")
        let deactivations = tenant.changes.filter { $0.id.hasPrefix("insights/deactivate/") }
        #expect(deactivations.count == 1_100)
        // Taking 1,100 people's access at once is exactly what the mass-removal guard is for.
        #expect(tenant.removalGuard.isTripped)
        #expect(tenant.unmanaged?.map(\.destination.name) == ["thinkific", "thinkific"])
    }

    /// The example seed (examples/seeds/pre-existing.yaml) against the example workspace: the first plan for P&G
    /// provisions its people and takes nothing from the 1,100 accounts, nor from the people onboarded by hand.
    @Test func exampleSeedWithPreExistingPeoplePlansNoRemovals() throws {
        let seed = BinaryRunner.root.appendingPathComponent("examples/seeds/pre-existing.yaml").path
        let sandbox = try PlanSandbox(seed: .file(seed))
        let result = try BinaryRunner.run(
            ["plan", PlanCommandTests.examples, "--sandbox", sandbox.url, "--tenant", "pg", "--format", "json"])
        let plan = try Plan.decode(from: Data(result.stdout.utf8))
        let tenant = try #require(plan.tenants.first, "\(result.stderr)")
        #expect(tenant.errors.isEmpty, "\(tenant.errors)")
        #expect(tenant.changes.contains { $0.kind == .create })
        #expect(tenant.changes.filter { $0.kind == .remove }.isEmpty)
        #expect(tenant.manualSteps.isEmpty)
        #expect(
            tenant.unmanaged == [
                UnmanagedCount(destination: .scim(app: "insights"), kind: .memberships, count: 1_100),
                UnmanagedCount(destination: .scim(app: "insights"), kind: .users, count: 1_100),
                UnmanagedCount(destination: .thinkific, kind: .enrollments, count: 2),
                UnmanagedCount(destination: .thinkific, kind: .memberships, count: 1),
            ])
    }
}
