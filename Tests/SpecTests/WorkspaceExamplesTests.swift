import Foundation
import Sandbox
import Spec
import TestSupport
import Testing

/// The example workspace: it validates clean, reads into the model later stages rely on, and matches the
/// sandbox's default seed.
@Suite struct WorkspaceExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let examples = root.appendingPathComponent("examples").path

    private func loadExamples() throws -> Workspace {
        let (workspace, diagnostics, _) = WorkspaceLoader.load(directory: Self.examples)
        #expect(diagnostics.all == [], "\(diagnostics.all)")
        return try #require(workspace)
    }

    @Test func examplesValidateClean() throws {
        let workspace = try loadExamples()
        #expect(workspace.tenants.map(\.id) == ["contoso", "northwind", "pg"])
        #expect(workspace.config.connections.scim.map(\.name) == ["dashboard", "insights"])
        #expect(workspace.config.connections.thinkific?.requestsPerMinute == 120)
        #expect(workspace.config.connections.scim(named: "dashboard")?.token == .file("secrets/dashboard.token"))
        #expect(workspace.config.defaults == Defaults(removal: .expire, maxRemovals: .percent(10)))
    }

    @Test func pgReadsAsWritten() throws {
        let pg = try #require(try loadExamples().tenant(id: "pg"))
        #expect(pg.name == "Procter & Gamble")
        #expect(pg.sso == .pingfederate)
        #expect(pg.directory == .workos)
        #expect(pg.seats == 500)
        #expect(
            pg.program
                == Program(starts: CalendarDate(year: 2026, month: 5, day: 4), ends: CalendarDate(year: 2026, month: 12, day: 18))
        )
        let managers = try #require(pg.rule(named: "managers"))
        #expect(managers.idpGroups == ["SG-Stoic-Managers"])
        #expect(
            managers.thinkific
                == ThinkificGrant(courses: ["conscious-leadership-foundations", "leading-teams"], groups: ["P&G 2026"]))
        #expect(managers.scim.map(\.connection) == ["dashboard", "insights"])
        #expect(pg.rosters.map(\.access) == ["learners"])
        #expect(pg.rosters.first?.path == Self.examples + "/rosters/pg-in-person.csv")
        #expect(pg.rosterEntries.count == 12)
        #expect(pg.rosterEntries.allSatisfy { pg.owns(email: $0.email) && $0.access == "learners" })
    }

    @Test func contosoRosterFromExcelReadsCleanly() throws {
        let contoso = try #require(try loadExamples().tenant(id: "contoso"))
        #expect(contoso.domains == ["contoso.com", "contoso.co.uk"])
        let entries = contoso.rosterEntries
        #expect(entries.count == 25)
        #expect(entries.first?.email == "adaeze.nwosu@contoso.com")  // no BOM glued to the first email
        #expect(entries.first?.location.line == 2)
        #expect(entries.contains { $0.lastName == "Hugo, Jr." })
        #expect(entries.allSatisfy { !$0.lastName.hasSuffix("\r") })
        #expect(Set(entries.map { $0.email.split(separator: "@").last! }) == ["contoso.com", "contoso.co.uk"])
    }

    @Test func examplesMatchTheSandboxSeed() throws {
        let workspace = try loadExamples()
        var diagnostics = Diagnostics()
        let seed = try #require(YAMLLoader.load(Data(DefaultSeed.yaml.utf8), file: "seed", diagnostics: &diagnostics))
        let courses = Set(seed["thinkific"]?["sites"]?.items?.first?["courses"]?.items?.compactMap { $0["slug"]?.string } ?? [])
        let apps = Set(seed["scim"]?["apps"]?.items?.compactMap { $0["name"]?.string } ?? [])
        let organizations = seed["workos"]?["organizations"]?.items ?? []
        #expect(Set(workspace.config.connections.scim.map(\.name)) == apps)
        #expect(
            seed["thinkific"]?["sites"]?.items?.first?["subdomain"]?.string == workspace.config.connections.thinkific?.subdomain)
        for tenant in workspace.tenants {
            #expect(Set(tenant.courses).isSubset(of: courses), "\(tenant.id) courses")
            let organization = organizations.first { $0["external_id"]?.string == tenant.id }
            guard tenant.directory == .workos else {
                #expect(organization == nil, "\(tenant.id) has no organization yet")
                continue
            }
            let directory = try #require(organization?["directories"]?.items?.first, "\(tenant.id)")
            let groups = Set(directory["groups"]?.items?.compactMap(\.string) ?? [])
            #expect(Set(tenant.idpGroups).isSubset(of: groups), "\(tenant.id) idp groups")
            #expect(organization?["domains"]?.items?.compactMap(\.string) == tenant.domains)
            let people = Set(directory["people"]?.items?.compactMap { $0["email"]?.string } ?? [])
            #expect(tenant.rosterEmails.isDisjoint(with: people), "\(tenant.id) roster people are not in the directory")
        }
    }

    @Test func locationsAreKeptButNotCompared() throws {
        let workspace = try loadExamples()
        let pg = try #require(workspace.tenant(id: "pg"))
        #expect(pg.locations.seats.line == 16)
        var moved = pg
        moved.locations.seats = Spec.SourceLocation(file: "elsewhere.yaml", line: 99, column: 1)
        #expect(moved == pg)
        moved.seats = 501
        #expect(moved != pg)
    }
}
