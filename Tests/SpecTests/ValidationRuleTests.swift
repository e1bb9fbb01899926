import Foundation
import Spec
import TestSupport
import Testing

/// Rules beyond shape: ids, dates, references, rosters, and claims across tenants.
@Suite struct ValidationRuleTests {
    private typealias F = WorkspaceFixture

    private static let rosterTenant = F.tenant + "\nrosters:\n  - { file: ../rosters/acme.csv, access: learners }"

    // MARK: - One tenant

    @Test func tenantIDMustEqualTheFileName() throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "tenant: acme", with: "tenant: 1️⃣acme-corp")])
        let diagnostic = try fixture.expectOne("tenant-id-mismatch")
        #expect(diagnostic.message.contains("'acme'"))
    }

    @Test func programMustNotEndBeforeItStarts() throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "ends: 2026-06-30", with: "ends: 1️⃣2026-01-04")])
        let diagnostic = try fixture.expectOne("program-ends-before-start")
        #expect(diagnostic.message == "program ends 2026-01-04, before it starts (2026-01-05)")
    }

    @Test func programOfOneDayIsFine() throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "ends: 2026-06-30", with: "ends: 2026-01-05")])
        #expect(try fixture.load().workspace?.tenants.first?.program.ends == CalendarDate("2026-01-05"))
    }

    @Test func idpGroupsNeedADirectory() throws {
        let fixture = F(
            tenants: [
                "acme": F.tenant(replacing: "directory: workos", with: "directory: none")
                    .replacingOccurrences(of: "idp_groups: [Learners]", with: "idp_groups: 1️⃣[Learners]")
            ])
        try fixture.expectOne("idp-groups-without-directory")
    }

    @Test func accessRuleMustNameAConnectionThatExists() throws {
        let tenant = F.tenant + "\n    1️⃣insight: { groups: [learners] }"
        let diagnostic = try F(tenants: ["acme": tenant]).expectOne("unknown-connection")
        #expect(diagnostic.message.contains("did you mean 'insights'?"))
    }

    @Test func thinkificGrantNeedsAThinkificConnection() throws {
        let config = F.config.replacingOccurrences(
            of: "  thinkific: { subdomain: stoic, api_key: env:THINKIFIC_API_KEY }\n", with: "")
        let tenant = F.tenant(replacing: "    thinkific:", with: "    1️⃣thinkific:") + "\n    insights: { groups: [x] }"
        try F(config: config, tenants: ["acme": tenant]).expectOne("unknown-connection")
    }

    @Test func accessRuleGrantingNothingIsAWarning() throws {
        let tenant = F.tenant(
            replacing: "thinkific: { courses: [foundations], groups: [Acme 2026] }", with: "thinkific: { courses: [] }"
        )
        .replacingOccurrences(of: "  learners:", with: "  1️⃣learners:")
        let fixture = F(tenants: ["acme": tenant])
        try fixture.expectOne("empty-grant", severity: .warning)
        #expect(try fixture.load().workspace != nil)
    }

    @Test func accessRuleThatAppliesToNobodyIsAWarning() throws {
        let tenant = F.tenant + "\n  1️⃣spare:\n    thinkific: { courses: [foundations] }"
        try F(tenants: ["acme": tenant]).expectOne("unused-access-rule", severity: .warning)
    }

    @Test func rosterMustNameAnAccessRuleThatExists() throws {
        let tenant = F.tenant + "\nrosters:\n  - { file: ../rosters/acme.csv, access: 1️⃣learner }"
        let fixture = F(tenants: ["acme": tenant], files: ["rosters/acme.csv": "email\nada@acme.com\n"])
        let diagnostic = try fixture.expectOne("unknown-access-rule")
        #expect(diagnostic.message.contains("did you mean 'learners'?"))
    }

    @Test func rosterFileMustExist() throws {
        let tenant = F.tenant + "\nrosters:\n  - { file: 1️⃣../rosters/missing.csv, access: learners }"
        let diagnostic = try F(tenants: ["acme": tenant]).expectOne("roster-not-found")
        #expect(diagnostic.message.contains("rosters/missing.csv"))
    }

    // MARK: - Rosters

    @Test func rosterNeedsAnEmailColumn() throws {
        let fixture = F(
            tenants: ["acme": Self.rosterTenant], files: ["rosters/acme.csv": "1️⃣mail,first_name\nada@acme.com,Ada\n"])
        try fixture.expectOne("roster-missing-email-column", in: "rosters/acme.csv")
    }

    @Test func unknownRosterColumnIsAWarningWithSuggestion() throws {
        let fixture = F(
            tenants: ["acme": Self.rosterTenant], files: ["rosters/acme.csv": "1️⃣email,frist_name\nada@acme.com,Ada\n"])
        let diagnostic = try fixture.expectOne("unknown-roster-column", in: "rosters/acme.csv", severity: .warning)
        #expect(diagnostic.message.contains("did you mean 'first_name'?"))
    }

    @Test func rosterRowNeedsAnEmail() throws {
        let fixture = F(
            tenants: ["acme": Self.rosterTenant],
            files: ["rosters/acme.csv": "email,first_name\nada@acme.com,Ada\n1️⃣,Grace\n"])
        try fixture.expectOne("roster-missing-email", in: "rosters/acme.csv")
    }

    @Test func rosterEmailMustBeValid() throws {
        let fixture = F(
            tenants: ["acme": Self.rosterTenant], files: ["rosters/acme.csv": "email\nada@acme.com\n1️⃣ada at acme.com\n"])
        try fixture.expectOne("invalid-email", in: "rosters/acme.csv")
    }

    @Test func rosterEmailMustBeInTheTenantsDomains() throws {
        let fixture = F(
            tenants: ["acme": Self.rosterTenant],
            files: ["rosters/acme.csv": "email\nada@acme.com\n1️⃣grace@acme.com.evil.example\nsub@mail.acme.com\n"])
        let loaded = try fixture.load()
        #expect(loaded.with("email-outside-domains").map(\.location?.line) == [3, 4])
        #expect(loaded.workspace == nil)
    }

    @Test func rosterEmailTwiceInOneRosterIsAWarning() throws {
        let fixture = F(
            tenants: ["acme": Self.rosterTenant], files: ["rosters/acme.csv": "email\nAda@Acme.com\n1️⃣ada@acme.com\n"])
        try fixture.expectOne("duplicate-roster-email", in: "rosters/acme.csv", severity: .warning)
        #expect(try fixture.load().workspace?.tenants.first?.rosterEntries.count == 1)
    }

    @Test func unparsableRosterIsReportedAtItsRow() throws {
        let fixture = F(
            tenants: ["acme": Self.rosterTenant], files: ["rosters/acme.csv": "email\nada@acme.com\n1️⃣\"grace@acme.com\n"])
        let loaded = try fixture.load()
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.location?.file == loaded.path("rosters/acme.csv"))
        #expect(errors.first?.location?.line == 3)
    }

    // MARK: - Across tenants

    private static func other(_ id: String, domain: String) -> String {
        F.tenant.replacingOccurrences(of: "tenant: acme", with: "tenant: \(id)")
            .replacingOccurrences(of: "domains: [acme.com]", with: "domains: [\(domain)]")
    }

    @Test func duplicateTenantIDs() throws {
        // acme.yml sorts after acme.yaml, so the duplicate is reported there.
        let fixture = F(
            tenants: ["acme": F.tenant],
            files: ["tenants/acme.yml": Self.other("1️⃣acme", domain: "acme.org")])
        let diagnostic = try fixture.expectOne("duplicate-tenant-id", in: "tenants/acme.yml")
        #expect(diagnostic.message.contains("tenants/acme.yaml"))
        #expect(try fixture.load().with("first-claim").first?.location?.file.hasSuffix("tenants/acme.yaml") == true)
    }

    @Test func domainClaimedByTwoTenants() throws {
        let fixture = F(tenants: ["acme": F.tenant, "zeta": Self.other("zeta", domain: "zeta.com, 1️⃣ACME.com")])
        let diagnostic = try fixture.expectOne("domain-claimed-twice", in: "tenants/zeta.yaml")
        #expect(diagnostic.message == "domain acme.com is already claimed by tenant 'acme'")
    }

    @Test func emailClaimedByTwoTenantsIsReportedAtTheSecondWithANoteAtTheFirst() throws {
        let zeta =
            Self.other("zeta", domain: "zeta.com") + "\nrosters:\n  - { file: ../rosters/zeta.csv, access: learners }"
        let fixture = F(
            tenants: ["acme": Self.rosterTenant, "zeta": zeta],
            files: [
                "rosters/acme.csv": "email\n1️⃣ada@acme.com\n",
                "rosters/zeta.csv": "email\nzed@zeta.com\n2️⃣ADA@acme.com\n",
            ])
        let loaded = try fixture.load()
        let error = try #require(loaded.with("email-claimed-twice").first)
        #expect(loaded.with("email-claimed-twice").count == 1)
        #expect(error.location?.file == loaded.path("rosters/zeta.csv"))
        #expect(error.location?.line == fixture.files["rosters/zeta.csv"]?.line("2️⃣"))
        #expect(error.message.contains("tenant 'acme'"))
        let note = try #require(loaded.with("first-claim").first)
        #expect(note.severity == .note)
        #expect(note.location?.file == loaded.path("rosters/acme.csv"))
        #expect(note.location?.line == fixture.files["rosters/acme.csv"]?.line("1️⃣"))
    }

    // MARK: - The workspace itself

    @Test func missingConfigIsAnError() throws {
        let loaded = try F(config: nil, tenants: ["acme": F.tenant]).load()
        #expect(loaded.with("config-not-found").count == 1)
        #expect(loaded.workspace == nil)
    }

    @Test func missingDirectoryIsAnError() {
        let (workspace, diagnostics, _) = WorkspaceLoader.load(directory: "/nonexistent/\(UUID().uuidString)")
        #expect(workspace == nil)
        #expect(diagnostics.all.map(\.code) == ["workspace-not-found"])
    }

    @Test func everyProblemOfARunIsReported() throws {
        let tenant = F.tenant(replacing: "seats: 10", with: "seats: 1️⃣0")
            .replacingOccurrences(of: "provider: okta", with: "provider: 2️⃣octa")
            .replacingOccurrences(of: "starts: 2026-01-05", with: "starts: 3️⃣2026-02-30")
        let fixture = F(tenants: ["acme": tenant, "beta": Self.other("4️⃣gamma", domain: "beta.com")])
        let loaded = try fixture.load()
        let expected: [(String, Spec.SourceLocation?)] = [
            ("invalid-number", fixture.location("1️⃣", of: loaded)),
            ("invalid-choice", fixture.location("2️⃣", of: loaded)),
            ("invalid-date", fixture.location("3️⃣", of: loaded)),
            ("tenant-id-mismatch", fixture.location("4️⃣", in: "tenants/beta.yaml", of: loaded)),
        ]
        #expect(loaded.diagnostics.count == expected.count, "\(loaded.diagnostics)")
        for (code, location) in expected {
            #expect(loaded.with(code).first?.location == location, "\(code)")
        }
    }
}
