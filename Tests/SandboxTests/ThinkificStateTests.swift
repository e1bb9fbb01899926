import Foundation
import Sandbox
import Spec
import Synchronization
import Testing

@Suite struct ThinkificStateTests {
    @Test func sitesAreIndependent() throws {
        let seed = ThinkificSeed(sites: [
            .init(subdomain: "alpha", apiKey: "key-alpha"), .init(subdomain: "beta", apiKey: "key-beta"),
        ])
        var alpha = try ThinkificHarness(seed)
        alpha.subdomain = "alpha"
        alpha.key = "key-alpha"
        var beta = ThinkificHarness(sharing: alpha)
        beta.subdomain = "beta"
        beta.key = "key-beta"
        let inAlpha = try alpha.createUser("ana@pg.com")
        let inBeta = try beta.createUser("ana@pg.com")
        try beta.createUser("ben@pg.com")
        #expect(inAlpha == 1)
        #expect(inBeta == 1)
        #expect(alpha.send("GET", "/users").pagination["total_items"] as? Int == 1)
        #expect(beta.send("GET", "/users").pagination["total_items"] as? Int == 2)
        let crossed = alpha.send("GET", "/users", headers: [("X-Auth-API-Key", "key-alpha"), ("X-Auth-Subdomain", "beta")])
        #expect(crossed.status == 401)
    }

    @Test func snapshotRestoreAndReset() throws {
        let harness = try ThinkificHarness()
        let id = try harness.createUser("ana@pg.com")
        let enrollment = try harness.enroll(user: id, course: 101)
        let snapshot = try harness.surface.snapshot()

        harness.surface.reset()
        #expect(harness.send("GET", "/users").items.isEmpty)
        #expect(harness.send("GET", "/courses").ids == [101, 102, 103, 104])

        try harness.surface.restore(from: snapshot)
        #expect(harness.send("GET", "/users", query: [("query[email]", "ana@pg.com")]).ids == [id])
        #expect(harness.send("GET", "/enrollments", query: [("query[user_id]", "\(id)")]).ids == [enrollment])
        #expect(try harness.createUser("ben@pg.com") == id + 1)
        #expect(throws: (any Error).self) { try harness.surface.restore(from: Data("[]".utf8)) }
    }

    @Test func seedWithUsersGroupsAnalystsAndEnrollments() throws {
        let seed = ThinkificSeed(sites: [
            .init(
                subdomain: "stoic", courses: [.init(id: 7, name: "Seven", slug: "seven")],
                users: [
                    .init(email: "ana@pg.com", firstName: "Ana", lastName: "Garcia", groups: ["P&G 2026"]),
                    .init(id: 40, email: "lead@pg.com", firstName: "Lea", lastName: "D", roles: ["group_analyst"]),
                ],
                groups: [.init(name: "P&G 2026", analysts: ["lead@pg.com"])],
                enrollments: [
                    .init(
                        email: "ana@pg.com", courseID: 7, activatedAt: Date(timeIntervalSince1970: 1_700_000_000),
                        completedAt: Date(timeIntervalSince1970: 1_700_100_000), percentageCompleted: 1)
                ])
        ])
        let harness = try ThinkificHarness(seed)
        let group = try #require(harness.send("GET", "/groups").ids.first)
        let members = harness.send("GET", "/users", query: [("query[group_id]", "\(group)")])
        #expect(members.items.map { $0["email"] as? String } == ["ana@pg.com"])
        #expect(harness.send("GET", "/groups/\(group)/analysts").object as NSDictionary == ["group_analysts": [40]])
        let enrollment = try #require(harness.send("GET", "/enrollments").items.first)
        #expect(enrollment["completed"] as? Bool == true)
        #expect(enrollment["percentage_completed"] as? Double == 1)
        #expect(enrollment["is_free_trial"] as? Bool == false)
        // Seeded users without an id are numbered after the highest explicit one; new users follow them.
        #expect(members.ids == [41])
        #expect(try harness.createUser("new@pg.com") == 42)
    }

    @Test func seedErrorsPointAtTheNode() throws {
        let node = try Node.fromJSON(#"{"sites":[{"subdomain":"stoic","courses":[],"usres":[]}]}"#)
        do {
            _ = try ThinkificSurface(seed: node)
            Issue.record("expected a seed error")
        } catch {
            guard case .seed(let diagnostic) = error else { throw error }
            #expect(diagnostic.code == "seed-unknown-key")
            #expect(diagnostic.message.contains("`users`"))
            #expect(diagnostic.location != nil)
        }
        let unknownGroup = ThinkificSeed(sites: [
            .init(subdomain: "s", users: [.init(email: "a@b.com", firstName: "A", lastName: "B", groups: ["Nope"])])
        ])
        #expect(throws: SandboxError.self) { try ThinkificSurface(seed: unknownGroup) }
    }

    @Test func seedNodeDecodesSitesCoursesAndGenerator() throws {
        let node = try Node.fromJSON(
            #"""
            {"sites":[{"subdomain":"load","api_key":"k","courses":[{"id":5,"name":"Five","slug":"five"}],
              "generate":{"count":50000,"domain":"load.example"}}]}
            """#)
        var harness = try ThinkificHarness(try ThinkificSeed(node: node))
        harness.subdomain = "load"
        harness.key = "k"
        let last = harness.send("GET", "/users", query: [("page", "200"), ("limit", "250")])
        #expect(last.items.count == 250)
        #expect(last.pagination["entries_info"] as? String == "49751-50000 of 50000")
        #expect(last.pagination["next_page"] is NSNull)
        let found = harness.send("GET", "/users", query: [("query[email]", "PERSON031337@load.example")])
        #expect(found.items.map { $0["email"] as? String } == ["person031337@load.example"])
        #expect(harness.send("GET", "/courses").ids == [5])
    }

    @Test func noSeedMeansTheDefaultSite() throws {
        let surface = try ThinkificSurface(seed: nil as Node?)
        let fromDefault = try ThinkificSurface(seed: ThinkificSeed.default)
        #expect(try surface.snapshot() == fromDefault.snapshot())
    }
}

extension ThinkificHarness {
    /// A second harness on the same surface (another site's credentials).
    init(sharing other: ThinkificHarness) {
        self = other
    }
}

@Suite struct ThinkificConcurrencyTests {
    @Test func concurrentCreatesOfTheSameEmailsMakeEachUserOnce() throws {
        let harness = try ThinkificHarness()
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            var mine: [Int] = []
            for number in 0..<50 {
                let answer = harness.send(
                    "POST", "/users", json: ["first_name": "P", "last_name": "\(number)", "email": "p\(number)@x.com"])
                mine.append(answer.status)
            }
            statuses.withLock { $0 += mine }
        }
        let all = statuses.withLock { $0 }
        #expect(all.count { $0 == 201 } == 50)
        #expect(all.count { $0 == 422 } == 350)
        let listed = harness.send("GET", "/users", query: [("limit", "250")])
        #expect(listed.ids == Array(1...50))
    }
}

@Suite struct ThinkificYAMLSeedTests {
    static func section(_ yaml: String) throws -> Node? {
        var diagnostics = Diagnostics()
        let root = YAMLLoader.load(Data(yaml.utf8), file: "seed.yaml", diagnostics: &diagnostics)
        return try #require(root)["thinkific"]
    }

    @Test func aHandOnboardedSiteFromYAML() throws {
        let node = try Self.section(
            """
            thinkific:
              sites:
                - subdomain: stoic
                  courses: [{ id: 101, name: Foundations, slug: foundations }]
                  groups: [{ name: P&G 2026 }]
                  users:
                    - { email: ana@pg.com, first_name: Ana, last_name: Garcia, groups: [P&G 2026] }
                  enrollments:
                    - { email: ana@pg.com, course_id: 101, activated_at: 2026-01-05T09:00:00Z, percentage_completed: 0.25 }
            """)
        let harness = try ThinkificHarness(try ThinkificSeed(node: node))
        let enrollment = try #require(harness.send("GET", "/enrollments", query: [("query[email]", "ana@pg.com")]).items.first)
        #expect(enrollment["percentage_completed"] as? Double == 0.25)
        #expect(enrollment["activated_at"] as? String == "2026-01-05T09:00:00.000Z")
        #expect(harness.send("GET", "/users", query: [("query[group_id]", "1")]).items.count == 1)
    }

    @Test func seedErrorsCarryTheYAMLPosition() throws {
        let node = try Self.section(
            """
            thinkific:
              sites:
                - subdomain: stoic
                  courses:
                    - { id: 101, name: Foundations, slgu: foundations }
            """)
        #expect {
            try ThinkificSurface(seed: node)
        } throws: { error in
            guard case .seed(let diagnostic) = error as? SandboxError else { return false }
            return diagnostic.location?.line == 5 && diagnostic.location?.column == 41
                && diagnostic.message.contains("did you mean `slug`")
        }
    }
}
