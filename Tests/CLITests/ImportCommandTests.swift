import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `stoicprov import --from-live` round trip: a client onboarded by hand in a sandbox (Thinkific users, enrollments
/// and a group created over HTTP as a person would; the organization and directory from the seed), imported, then
/// validated and planned: the first plan shows no changes.
@Suite struct ImportCommandTests {
    static let participants = [
        "diego.haddad", "kofi.walsh", "rosa.santos", "yusuf.cohen", "felix.berg", "maya.khan", "farid.weber",
        "mateo.martin", "tara.petrova", "aiko.demir", "hugo.ali", "ana.kim", "hiro.lopez", "omar.bianchi",
        "vera.eriksson",
    ]
    static let leads = ["carla.mensah", "jamal.costa", "chloe.patel"]

    /// A workspace with the example connections and no tenant.
    static func workspace() throws -> URL {
        try Scratch.examples("stoicprov-import", only: ["stoicprov.yaml"])
    }

    /// Onboards Northwind by hand: participants in the foundations course, leads in two courses, both in the cohort
    /// group; one person outside the mapped groups (Sales EMEA) in another course.
    static func onboardByHand(_ sandbox: SandboxProcess) async throws {
        let site = ThinkificSite(root: sandbox.url)
        _ = try await site.post("/groups", ["name": "Northwind Cohort 1"])
        func onboard(_ name: String, courses: [Int], group: Bool) async throws {
            let parts = name.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }
            let user = try await site.post(
                "/users", ["email": "\(name)@northwind.com", "first_name": parts[0], "last_name": parts[1]])
            let id = try #require(user["id"] as? Int)
            for course in courses {
                _ = try await site.post(
                    "/enrollments",
                    [
                        "user_id": id, "course_id": course, "activated_at": "2026-09-01T00:00:00Z",
                        "expiry_date": "2027-03-31T23:59:59Z",
                    ])
            }
            if group { _ = try await site.post("/group_users", ["user_id": id, "group_names": ["Northwind Cohort 1"]]) }
        }
        for name in participants { try await onboard(name, courses: [101], group: true) }
        for name in leads { try await onboard(name, courses: [101, 102], group: true) }
        try await onboard("jonas.silva", courses: [104], group: false)
    }

    @Test func importedTenantValidatesAndItsFirstPlanShowsNoChanges() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        try await Self.onboardByHand(sandbox)
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }

        let result = try BinaryRunner.run(
            ["import", "northwind", "--from-live", ".", "--sandbox", sandbox.url, "--domain", "northwind.com"], in: workspace)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("wrote tenants/northwind.yaml\nwrote rosters/northwind-imported.csv\n"))
        let text = try String(contentsOf: workspace.appendingPathComponent("tenants/northwind.yaml"), encoding: .utf8)
        #expect(text.contains("name: \"Northwind Traders\"\n"))
        #expect(text.contains("sso: { provider: okta }\ndirectory: workos\n"))
        #expect(text.contains("program: { starts: 2026-09-01, ends: 2027-03-31 }\n"))
        #expect(text.contains("seats: 20\n"))
        #expect(
            text.contains(
                "  stoic-leads:\n    idp_groups: [\"Stoic Leads\"]\n"
                    + "    thinkific: { courses: [conscious-leadership-foundations, leading-teams], groups: [\"Northwind Cohort 1\"] }\n"
            ))
        #expect(
            text.contains(
                "  stoic-participants:\n    idp_groups: [\"Stoic Participants\"]\n"
                    + "    thinkific: { courses: [conscious-leadership-foundations], groups: [\"Northwind Cohort 1\"] }\n"))
        #expect(text.contains("  intro-to-stoicism:\n    thinkific: { courses: [intro-to-stoicism] }\n"))
        #expect(text.contains("  - { file: ../rosters/northwind-imported.csv, access: intro-to-stoicism }\n"))
        let roster = try String(contentsOf: workspace.appendingPathComponent("rosters/northwind-imported.csv"), encoding: .utf8)
        #expect(roster == "email,first_name,last_name\r\njonas.silva@northwind.com,Jonas,Silva\r\n")

        let validate = try BinaryRunner.run(["validate", "."], in: workspace)
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        let plan = try BinaryRunner.run(["plan", ".", "--sandbox", sandbox.url, "--detailed-exitcode"], in: workspace)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.hasPrefix("No changes."), "\(plan.stdout)")

        // A second import refuses to overwrite what the first wrote.
        let again = try BinaryRunner.run(
            ["import", "northwind", "--from-live", ".", "--sandbox", sandbox.url, "--domain", "northwind.com"], in: workspace)
        #expect(again.status == 1)
        #expect(again.stderr.contains("tenant 'northwind' already exists"))
        #expect(try String(contentsOf: workspace.appendingPathComponent("tenants/northwind.yaml"), encoding: .utf8) == text)
    }

    @Test func anExistingTenantFileIsNeverOverwritten() throws {
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let tenants = workspace.appendingPathComponent("tenants")
        try FileManager.default.createDirectory(at: tenants, withIntermediateDirectories: true)
        // Not a valid tenant file, so the workspace does not load: import refuses before reading anything live.
        try Data("tenant: [\n".utf8).write(to: tenants.appendingPathComponent("acme.yaml"))
        let result = try BinaryRunner.run(
            ["import", "acme", "--from-live", ".", "--sandbox", "http://127.0.0.1:9", "--domain", "acme.com"], in: workspace)
        #expect(result.status == 1)
        #expect(try String(contentsOf: tenants.appendingPathComponent("acme.yaml"), encoding: .utf8) == "tenant: [\n")
    }

    @Test func usageErrorsExit64() throws {
        for arguments in [
            ["import"], ["import", "acme", "--domain", "acme.com"], ["import", "acme", "--from-live"],
            ["import", "acme", "--from-live", "--domain", "acme.com", "--idp", "aol"],
            ["import", "acme", "a", "b", "--from-live", "--domain", "acme.com"],
        ] {
            let result = try BinaryRunner.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("stoicprov import --help"), "\(arguments)")
        }
    }

    @Test func aDomainOfAnotherTenantExits1() throws {
        let result = try BinaryRunner.run(
            ["import", "procter", "--from-live", "examples", "--sandbox", "http://127.0.0.1:9", "--domain", "pg.com"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("pg.com"), "\(result.stderr)")
    }
}

/// The Thinkific Admin API of a sandbox, as a person onboarding by hand would call it.
private struct ThinkificSite {
    let base: String

    init(root: String) {
        base = root + "/thinkific/api/public/v1"
    }

    func post(_ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        var request = URLRequest(url: try #require(URL(string: base + path)))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("sandbox-thinkific-key", forHTTPHeaderField: "X-Auth-API-Key")
        request.setValue("stoic", forHTTPHeaderField: "X-Auth-Subdomain")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw URLError(.badServerResponse, userInfo: ["body": String(decoding: data, as: UTF8.self)])
        }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}
