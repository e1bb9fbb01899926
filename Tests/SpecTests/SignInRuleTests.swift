import Foundation
import Spec
import TestSupport
import Testing

/// `sso_sign_in: true`: an access rule granted to everyone who signs in through the tenant's SSO connection.
@Suite struct SignInRuleTests {
    private typealias F = WorkspaceFixture

    private static let signInRule = "\n  signed-in:\n    sso_sign_in: true\n    thinkific: { courses: [foundations] }"

    @Test func signInRuleLoads() throws {
        let loaded = try F(tenants: ["acme": F.tenant + Self.signInRule]).load()
        let tenant = try #require(loaded.workspace?.tenants.first)
        #expect(tenant.signInRules.map(\.name) == ["signed-in"])
        #expect(tenant.rule(named: "learners")?.ssoSignIn == false)
        // Nobody names it in a roster and it maps no group, yet it applies to everyone who signs in: no warning.
        #expect(loaded.diagnostics.isEmpty)
    }

    @Test func signInRuleNeedsAnSSOProvider() throws {
        let tenant =
            F.tenant(replacing: "sso: { provider: okta }", with: "sso: { provider: none }")
            + "\n  signed-in:\n    sso_sign_in: 1️⃣true\n    thinkific: { courses: [foundations] }"
        let diagnostic = try F(tenants: ["acme": tenant]).expectOne("sign-in-without-sso")
        #expect(diagnostic.message.contains("'signed-in'"))
    }

    @Test func signInRuleNeedsAThinkificGrant() throws {
        let tenant = F.tenant + "\n  signed-in:\n    sso_sign_in: 1️⃣true\n    insights: { groups: [learners] }"
        try F(tenants: ["acme": tenant]).expectOne("sign-in-without-thinkific")
    }

    @Test func signInFlagMustBeABoolean() throws {
        let tenant = F.tenant + "\n  signed-in:\n    sso_sign_in: 1️⃣yes\n    thinkific: { courses: [foundations] }"
        try F(tenants: ["acme": tenant]).expectOne("invalid-boolean")
    }

    @Test func signInFalseIsAnOrdinaryRule() throws {
        let tenant = F.tenant + "\n  1️⃣spare:\n    sso_sign_in: false\n    thinkific: { courses: [foundations] }"
        try F(tenants: ["acme": tenant]).expectOne("unused-access-rule", severity: .warning)
    }

    @Test func schemaDescribesTheKey() throws {
        let schema = JSONSchema.text(for: .tenant)
        #expect(schema.contains("\"sso_sign_in\""))
    }
}
