import Foundation
import Spec
import TestSupport
import Testing

/// `TenantScaffold`: the drafted tenant file validates through `WorkspaceLoader` for every provider and directory,
/// follows the workspace's connections, and refuses answers `validate` would refuse.
@Suite struct ScaffoldTests {
    static let exampleConfig = try! String(
        contentsOf: URL(fileURLWithPath: WorkspaceExamplesTests.examples).appendingPathComponent("stoicprov.yaml"),
        encoding: .utf8)
    static let program = TenantScaffold.placeholderProgram(after: CalendarDate(year: 2026, month: 11, day: 27))

    /// The connections of `config`, as `stoicprov new` reads them.
    static func connections(_ config: String) throws -> Connections {
        var diagnostics = Diagnostics()
        let node = try #require(YAMLLoader.load(Data(config.utf8), file: "stoicprov.yaml", diagnostics: &diagnostics))
        return try #require(TenantScaffold.connections(inConfig: node, file: "stoicprov.yaml"))
    }

    static let combinations: [(SSOProvider, DirectorySource)] = SSOProvider.allCases.flatMap { provider in
        DirectorySource.allCases.map { (provider, $0) }
    }

    @Test(arguments: combinations)
    func validatesWithTheExampleConfig(provider: SSOProvider, directory: DirectorySource) throws {
        let scaffold = TenantScaffold(
            id: "acme-corp", domains: ["acme.com", "acme.co.uk"], provider: provider, directory: directory,
            program: Self.program, connections: try Self.connections(Self.exampleConfig))
        #expect(scaffold.problems() == [])
        let loaded = try WorkspaceFixture(config: Self.exampleConfig, tenants: ["acme-corp": scaffold.text]).load()
        #expect(!loaded.diagnostics.contains { $0.severity == .error }, "\(loaded.diagnostics)\n\(scaffold.text)")
        let tenant = try #require(loaded.workspace?.tenant(id: "acme-corp"))
        #expect(tenant.sso == provider)
        #expect(tenant.directory == directory)
        #expect(tenant.domains == ["acme.com", "acme.co.uk"])
        #expect(tenant.program == Self.program)
        #expect(tenant.seats == TenantScaffold.placeholderSeats)
        let rule = try #require(tenant.rule(named: "learners"))
        #expect(rule.scim.map(\.connection) == ["dashboard", "insights"])
        #expect(rule.thinkific?.groups == ["Acme Corp 2026"])
        switch directory {
        case .workos:
            // Nothing to warn about: the rule maps an IdP group.
            #expect(loaded.diagnostics == [], "\(loaded.diagnostics)")
            #expect(rule.idpGroups == ["Stoic Learners"])
        case .none:
            // Until a roster names the rule, it applies to nobody: the one warning, and the comments say so.
            #expect(loaded.diagnostics.map(\.code) == ["unused-access-rule"])
            #expect(rule.idpGroups == [])
            #expect(scaffold.text.contains("# rosters:\n#   - { file: ../rosters/acme-corp.csv, access: learners }"))
        }
    }

    @Test(arguments: combinations)
    func validatesWithoutAConfigReadUsingTheDefaults(provider: SSOProvider, directory: DirectorySource) throws {
        let scaffold = TenantScaffold(
            id: "acme", domains: ["acme.com"], provider: provider, directory: directory, program: Self.program)
        let config = """
            version: 1
            connections:
              workos: { api_key: env:WORKOS_API_KEY }
              thinkific: { subdomain: stoic, api_key: env:THINKIFIC_API_KEY }
              insights: { scim: https://insights.example.com/scim/v2, token: env:INSIGHTS_SCIM_TOKEN }
            """
        let loaded = try WorkspaceFixture(config: config, tenants: ["acme": scaffold.text]).load()
        #expect(!loaded.diagnostics.contains { $0.severity == .error }, "\(loaded.diagnostics)")
        let rule = try #require(loaded.workspace?.tenant(id: "acme")?.rule(named: "learners"))
        #expect(rule.scim.map(\.connection) == ["insights"])
        #expect(rule.thinkific != nil)
    }

    @Test func grantsOnlyThroughConnectionsTheWorkspaceHas() throws {
        let config = """
            version: 1
            connections:
              workos: { api_key: env:WORKOS_API_KEY }
              portal: { scim: https://portal.example.com/scim/v2, token: env:PORTAL_TOKEN }
            """
        let scaffold = TenantScaffold(
            id: "acme", domains: ["acme.com"], provider: .okta, program: Self.program,
            connections: try Self.connections(config))
        let loaded = try WorkspaceFixture(config: config, tenants: ["acme": scaffold.text]).load()
        #expect(loaded.diagnostics == [], "\(loaded.diagnostics)")
        let rule = try #require(loaded.workspace?.tenant(id: "acme")?.rule(named: "learners"))
        #expect(rule.thinkific == nil)
        #expect(rule.scim == [SCIMGrant(connection: "portal", groups: ["learners"])])
    }

    @Test func startsWithTheSchemaLineAndSaysWhatToFillIn() {
        let scaffold = TenantScaffold(
            id: "acme", name: "Acme Corp", domains: ["acme.com"], provider: .entra, program: Self.program,
            schemaPath: "../../schema/tenant.schema.json")
        let text = scaffold.text
        #expect(text.hasPrefix("# yaml-language-server: $schema=../../schema/tenant.schema.json\n"))
        #expect(text.contains("TODO: the licensed seats"))
        #expect(text.contains("TODO: the programme dates"))
        #expect(text.contains("TODO: the slugs of the programme's courses"))
        #expect(text.contains("TODO: the Entra ID security group holding the programme's learners. Ask Acme Corp's IT"))
    }

    @Test func givenSeatsAreNotAPlaceholder() throws {
        let scaffold = TenantScaffold(
            id: "acme", domains: ["acme.com"], provider: .okta, seats: 250, program: Self.program)
        #expect(scaffold.text.contains("\nseats: 250\n"))
        #expect(!scaffold.text.contains("TODO: the licensed seats"))
    }

    @Test func hostileNameStaysOneQuotedValue() throws {
        let name = "Evil\nseats: 1 # \"quoted\" \\ \u{7}\u{2028}end"
        let scaffold = TenantScaffold(id: "acme", name: name, domains: ["acme.com"], provider: .okta, program: Self.program)
        let loaded = try WorkspaceFixture(tenants: ["acme": scaffold.text]).load()
        #expect(!loaded.diagnostics.contains { $0.severity == .error }, "\(loaded.diagnostics)")
        let tenant = try #require(loaded.workspace?.tenant(id: "acme"))
        #expect(tenant.name == name)
        #expect(tenant.seats == TenantScaffold.placeholderSeats)
        #expect(tenant.access.map(\.name) == ["learners"])
    }

    @Test func defaultsFollowTheAnswers() {
        let scaffold = TenantScaffold(id: "acme-corp", domains: ["ACME.com", "acme.com"], provider: .none, program: Self.program)
        #expect(scaffold.name == "Acme Corp")
        #expect(scaffold.directory == .none)
        #expect(scaffold.domains == ["acme.com"])
        #expect(TenantScaffold(id: "a1", domains: [], provider: .google, program: Self.program).directory == .workos)
    }

    @Test func placeholderProgramRunsSixMonthsFromNextMonth() {
        let december = TenantScaffold.placeholderProgram(after: CalendarDate(year: 2026, month: 12, day: 31))
        #expect(december == Program(starts: CalendarDate("2027-01-01")!, ends: CalendarDate("2027-06-30")!))
        let august = TenantScaffold.placeholderProgram(after: CalendarDate(year: 2027, month: 8, day: 2))
        #expect(august == Program(starts: CalendarDate("2027-09-01")!, ends: CalendarDate("2028-02-29")!))
    }

    @Test func refusesWhatValidateRefuses() {
        let scaffold = TenantScaffold(
            id: "Acme_Corp", name: " ", domains: ["acme", "pg.com", "acme.com"], provider: .okta, seats: 0,
            program: Self.program)
        let problems = scaffold.problems(claimedDomains: ["pg.com": "pg"])
        #expect(
            problems.map(\.code) == ["invalid-id", "missing-value", "invalid-domain", "domain-claimed-twice", "invalid-number"])
        #expect(problems.allSatisfy { $0.severity == .error && $0.location == nil })
        #expect(problems[0].message.hasPrefix("tenant id 'Acme_Corp' is not a valid id"))
        #expect(problems[3].message == "domain pg.com is already claimed by tenant 'pg'")
        #expect(
            TenantScaffold(id: "acme", domains: [], provider: .okta, program: Self.program).problems().map(\.code) == [
                "empty-list"
            ])
    }
}
