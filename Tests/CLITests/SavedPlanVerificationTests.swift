import Foundation
import Live
import Testing

/// A saved plan is a request, not an order (issue 9, class 2): `apply FILE` carries out only what the current
/// workspace and a fresh observation call for. Every hand-edited plan below is refused with exit 1 and the live
/// systems, read back through the sandbox's APIs, unchanged; the legitimate flows still converge.
@Suite struct SavedPlanVerificationTests {
    // MARK: - Helpers

    /// Everything an apply could change, read through the APIs: users, enrollments with their dates, SCIM users
    /// with their state.
    static func liveState(_ fixture: ApplyCLIFixture) async throws -> [String] {
        let clients = fixture.clients()
        let thinkific = try #require(clients.thinkific)
        var lines = try await thinkific.allUsers().map { "user \($0.id) \($0.email)" }
        for course in try await thinkific.courses() {
            lines += try await thinkific.enrollments(courseID: course.id).map {
                "enrollment \($0.id) \($0.userID)/\($0.courseID) \($0.activatedAt ?? "-") \($0.expiryDate ?? "-")"
            }
        }
        for (app, scim) in clients.scim {
            lines += try await scim.allUsers().map { "\(app) \($0.id) \($0.userName) active=\($0.active)" }
        }
        return lines.sorted()
    }

    static func readJSON(_ fixture: ApplyCLIFixture, _ relative: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: fixture.path(relative))) as? [String: Any])
    }

    static func writeJSON(_ fixture: ApplyCLIFixture, _ relative: String, _ object: [String: Any]) throws {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: fixture.path(relative))
    }

    /// The saved plan with only `tenant`, its tenant object edited by `edit`.
    static func edited(
        _ plan: [String: Any], tenant: String, _ edit: (inout [String: Any]) throws -> Void
    ) throws -> [String: Any] {
        var plan = plan
        let tenants = plan["tenants"] as? [[String: Any]] ?? []
        var only = try #require(tenants.first { $0["tenant"] as? String == tenant })
        try edit(&only)
        plan["tenants"] = [only]
        return plan
    }

    static func changes(_ plan: [String: Any], tenant: String) -> [[String: Any]] {
        let tenants = plan["tenants"] as? [[String: Any]] ?? []
        return tenants.first { $0["tenant"] as? String == tenant }?["changes"] as? [[String: Any]] ?? []
    }

    /// Applies each hand-edited plan: every one must exit 1 and leave the live systems and the journals as they were.
    static func expectRefused(
        _ fixture: ApplyCLIFixture, _ attacks: [String: [String: Any]], flags: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = try await liveState(fixture)
        let journals = ["contoso", "northwind", "pg"].map { fixture.journalText($0) }
        for (name, plan) in attacks.sorted(by: { $0.key < $1.key }) {
            try writeJSON(fixture, "\(name).json", plan)
            let applied = try fixture.run(["apply", "\(name).json"] + flags)
            #expect(
                applied.status == 1, "\(name) was applied: \(applied.stdout)\(applied.stderr)", sourceLocation: sourceLocation)
            #expect(!applied.stderr.isEmpty, "\(name): a refusal says why", sourceLocation: sourceLocation)
            #expect(try await liveState(fixture) == before, "\(name) changed the live systems", sourceLocation: sourceLocation)
        }
        let after = ["contoso", "northwind", "pg"].map { fixture.journalText($0) }
        #expect(after == journals, "a refused plan journals nothing", sourceLocation: sourceLocation)
    }

    // MARK: - Legitimate flows

    /// A plan made before someone joined the directory is a subset of the plan made now: it applies, and only its
    /// own changes are carried out; the newcomer is left for the next plan.
    @Test func aSubsetOfTheCurrentPlanIsCarriedOutAndNothingMore() async throws {
        let fixture = try ApplyCLIFixture()
        #expect(try fixture.run(["plan", "--tenant", "pg", "--out", "pg.json"]).status == 0)
        let planned = try fixture.changeIDs(ofPlan: "pg.json")["pg"] ?? []
        let joined = try await fixture.control(
            "POST", "workos/directories/pg/users",
            json: #"{"email":"zed.new@pg.com","first_name":"Zed","last_name":"New","groups":["SG-Stoic-Learners"]}"#)
        #expect(joined.status / 100 == 2, "\(joined.body)")

        let applied = try fixture.run(["apply", "pg.json"])
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        let journaled = try fixture.journal("pg").compactMap { $0["change_id"] as? String }
        #expect(journaled.sorted() == planned.sorted(), "exactly the saved changes")

        #expect(try fixture.run(["plan", "--tenant", "pg", "--out", "rest.json"]).status == 0)
        let rest = try fixture.changeIDs(ofPlan: "rest.json")["pg"] ?? []
        #expect(!rest.isEmpty && rest.allSatisfy { $0.contains("zed.new@pg.com") }, "\(rest)")
        #expect(try fixture.run(["apply", "rest.json"]).status == 0)
        let again = try fixture.run(["plan", "--tenant", "pg", "--detailed-exitcode"])
        #expect(again.status == 0 && again.stdout.contains("No changes"), "\(again.stdout)")
    }

    // MARK: - Hand-edited plans

    @Test func changesTheCurrentPlanDoesNotMakeAreRefused() async throws {
        let fixture = try ApplyCLIFixture()
        #expect(try fixture.run(["plan", "--out", "all.json"]).status == 0)
        let plan = try Self.readJSON(fixture, "all.json")
        let pgEnroll = try #require(
            Self.changes(plan, tenant: "pg").first { ($0["id"] as? String ?? "").hasPrefix("thinkific/enroll/") })
        var attacks: [String: [String: Any]] = [:]
        // A change for another tenant's person, in contoso's plan.
        attacks["other-tenant"] = try Self.edited(plan, tenant: "contoso") { tenant in
            tenant["changes"] = (tenant["changes"] as? [[String: Any]] ?? []) + [pgEnroll]
        }
        // The same change ids, retargeted: another email, another course.
        attacks["retargeted-email"] = try Self.edited(plan, tenant: "contoso") { tenant in
            try Self.editFirstAction(of: &tenant, where: { $0["type"] as? String == "enroll" }) {
                $0["email"] = "eve@evil.example"
            }
        }
        attacks["retargeted-course"] = try Self.edited(plan, tenant: "contoso") { tenant in
            try Self.editFirstAction(of: &tenant, where: { $0["type"] as? String == "enroll" }) { action in
                action["course_id"] = ((action["course_id"] as? Int) ?? 0) + 1
            }
        }
        try await Self.expectRefused(fixture, attacks)

        // 10 seats for dozens of people: the seats error cleared from the file does not let them through.
        try fixture.edit("tenants/pg.yaml", replacing: "seats: 500", with: "seats: 10")
        #expect(try fixture.run(["plan", "--tenant", "pg", "--out", "seats.json"]).status == 1)
        let seats = try Self.edited(try Self.readJSON(fixture, "seats.json"), tenant: "pg") { tenant in
            tenant["errors"] = []
            tenant["seats"] = ["entitled": 46, "licensed": 500]
        }
        try #require(Self.changes(seats, tenant: "pg").count > 10)
        try await Self.expectRefused(fixture, ["cleared-seats": seats], flags: ["--allow-mass-removal"])
    }

    /// Removals: a delete under `removal: expire`, an expiry retargeted to someone else's enrollment, and a
    /// mass removal whose threshold was raised in the file.
    @Test func removalsAreHeldToTheSpecAndTheFreshGuards() async throws {
        let fixture = try ApplyCLIFixture()
        let converged = try fixture.run(["apply", ".", "--tenant", "pg", "--auto-approve"])
        try #require(converged.status == 0, "\(converged.stdout)\(converged.stderr)")
        let learner = "ana.garcia@pg.com"
        #expect(
            try await fixture.control("PATCH", "workos/directories/pg/users/\(learner)", json: #"{"groups":[]}"#).status == 200)
        #expect(try fixture.run(["plan", "--tenant", "pg", "--out", "one.json"]).status == 0)
        let one = try Self.readJSON(fixture, "one.json")
        let kinds = Self.changes(one, tenant: "pg").compactMap { ($0["action"] as? [String: Any])?["type"] as? String }
        try #require(kinds.contains("deactivate_scim_user") && kinds.contains("expire_enrollment"), "\(kinds)")

        var attacks: [String: [String: Any]] = [:]
        attacks["delete-under-expire"] = try Self.edited(one, tenant: "pg") { tenant in
            try Self.editFirstAction(of: &tenant, where: { $0["type"] as? String == "deactivate_scim_user" }) {
                $0["type"] = "delete_scim_user"
            }
        }
        attacks["retargeted-enrollment"] = try Self.edited(one, tenant: "pg") { tenant in
            try Self.editFirstAction(of: &tenant, where: { $0["type"] as? String == "expire_enrollment" }) { action in
                action["enrollment_id"] = ((action["enrollment_id"] as? Int) ?? 0) + 1
            }
        }
        try await Self.expectRefused(fixture, attacks, flags: ["--allow-delete"])

        // Enough people leave to trip the mass-removal guard; the file raises the threshold and drops the error.
        let people = Set(try fixture.journal("pg").compactMap { $0["subject"] as? String }.filter { $0.hasSuffix("@pg.com") })
        var left = 0
        for person in people.sorted() where left < 10 {
            let moved = try await fixture.control("PATCH", "workos/directories/pg/users/\(person)", json: #"{"groups":[]}"#)
            if moved.status == 200 { left += 1 }
        }
        try #require(left == 10, "only \(left) directory people")
        #expect(try fixture.run(["plan", "--tenant", "pg", "--out", "mass.json"]).status == 1)
        let mass = try Self.edited(try Self.readJSON(fixture, "mass.json"), tenant: "pg") { tenant in
            var guardrail = tenant["removal_guard"] as? [String: Any] ?? [:]
            try #require((guardrail["removals"] as? Int ?? 0) > (guardrail["threshold"] as? Int ?? 0), "\(guardrail)")
            guardrail["threshold"] = 1000
            tenant["removal_guard"] = guardrail
            tenant["errors"] = []
        }
        try await Self.expectRefused(fixture, ["raised-threshold": mass])
    }

    /// Edits the `action` of the first change whose action matches.
    static func editFirstAction(
        of tenant: inout [String: Any], where matches: ([String: Any]) -> Bool, _ edit: (inout [String: Any]) -> Void
    ) throws {
        var changes = tenant["changes"] as? [[String: Any]] ?? []
        let index = try #require(changes.firstIndex { matches($0["action"] as? [String: Any] ?? [:]) }, "no such change")
        var action = changes[index]["action"] as? [String: Any] ?? [:]
        edit(&action)
        changes[index]["action"] = action
        tenant["changes"] = changes
    }
}
