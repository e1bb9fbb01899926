import Apply
import Foundation
import Live
import Planner
import Testing

/// The end-to-end loop through the binary, with the sandbox's SCIM apps behaving as real providers document
/// (`--profile scim=NAME`, docs/sandbox.md): plan → apply → plan shows no changes, nothing is duplicated; then an
/// email change, a name change and a leaver in the directory are planned, applied, and converge the same way.
@Suite(.serialized) struct SCIMProfileTests {
    /// Each profile, and what the workspace says about the apps (`filter: ew` where the point is that the app does
    /// not honour it).
    static let profiles: [(profile: String, settings: String)] = [
        ("eq-only", "filter: ew"),
        ("eq-only-empty", "filter: ew"),
        ("no-members", ""),
        ("immutable-username", "user_name: immutable"),
        ("count-100", ""),
        ("patch-204", ""),
        ("delayed-membership", ""),
        ("strict", "user_name: immutable"),
    ]

    @Test(arguments: profiles.map(\.profile))
    func convergesUnderTheProfile(_ profile: String) async throws {
        let settings = try #require(Self.profiles.first { $0.profile == profile }?.settings)
        let fixture = try ApplyCLIFixture(sandbox: ["--rate-limit", "none", "--profile", "scim=\(profile)"])
        if !settings.isEmpty {
            for app in ["insights", "dashboard"] {
                try fixture.edit(
                    "stoicprov.yaml", replacing: "\(app): { scim: ", with: "\(app): { \(settings), scim: ")
            }
        }
        try await converge(fixture, profile, step: "first apply")
        let before = try await scimUsers(fixture)
        #expect(before.values.map(\.count).reduce(0, +) > 10, "\(profile): the apps were provisioned")

        // The directory changes: an email, a last name, and a learner leaves.
        try await directory(fixture, "ana.garcia@pg.com", #"{"email": "ana.g@pg.com"}"#)
        try await directory(fixture, "ben.okafor@pg.com", #"{"last_name": "Okafor-Smith"}"#)
        try await directory(fixture, "chloe.martin@pg.com", #"{"groups": []}"#)
        let plan = try fixture.run(["plan", "--tenant", "pg", "--out", "pg.json"])
        #expect(plan.status == 0, "\(profile): \(plan.stdout)\(plan.stderr)")
        let ids = try fixture.changeIDs(ofPlan: "pg.json")["pg"] ?? []
        let scimIDs = ids.filter { $0.hasPrefix("insights/") || $0.hasPrefix("dashboard/") }.sorted()
        #expect(
            scimIDs == [
                "insights/deactivate/chloe.martin@pg.com", "insights/remove-member/learners/chloe.martin@pg.com",
                "insights/update-user/ana.g@pg.com", "insights/update-user/ben.okafor@pg.com",
            ], "\(profile): \(plan.stdout)")
        try await converge(fixture, profile, step: "after the directory changes")

        let after = try await scimUsers(fixture)
        let ana = try #require(after["insights"]?.first { $0.externalID != nil && $0.email == "ana.g@pg.com" })
        #expect(ana.userName == (settings.contains("immutable") ? "ana.garcia@pg.com" : "ana.g@pg.com"), "\(profile)")
        let ben = try #require(after["insights"]?.first { $0.userName == "ben.okafor@pg.com" })
        #expect(ben.familyName == "Okafor-Smith", "\(profile)")
        let chloe = try #require(after["insights"]?.first { $0.userName == "chloe.martin@pg.com" })
        #expect(!chloe.active, "\(profile): the leaver is deactivated")
        #expect(after.mapValues(\.count) == before.mapValues(\.count), "\(profile): nobody was created twice")
    }

    /// Applies everything, then plans until there is nothing left (a `delayed-membership` app shows new members
    /// only after its delay); nothing may be duplicated.
    func converge(_ fixture: ApplyCLIFixture, _ profile: String, step: String) async throws {
        let applied = try fixture.run(["apply", ".", "--auto-approve"], timeout: 300)
        #expect(applied.status == 0, "\(profile), \(step): \(applied.stdout)\(applied.stderr)")
        if profile == "delayed-membership" { try await Task.sleep(for: .seconds(3)) }
        let again = try fixture.run(["plan", "--detailed-exitcode"], timeout: 300)
        #expect(again.status == 0, "\(profile), \(step): \(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("No changes"), "\(profile), \(step): \(again.stdout)")
        #expect(try await fixture.liveDuplicates() == [:], "\(profile), \(step)")
    }

    func directory(_ fixture: ApplyCLIFixture, _ email: String, _ change: String) async throws {
        let (status, body) = try await fixture.control("PATCH", "workos/directories/pg/users/\(email)", json: change)
        #expect(status == 200, "\(email): \(body)")
    }

    /// Every user of each app, read without filters.
    func scimUsers(_ fixture: ApplyCLIFixture) async throws -> [String: [SCIMUser]] {
        var users: [String: [SCIMUser]] = [:]
        for (app, client) in fixture.clients().scim { users[app] = try await client.allUsers() }
        return users
    }
}
