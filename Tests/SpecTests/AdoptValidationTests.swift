import Foundation
import Spec
import TestSupport
import Testing

/// `adopt:` (docs/spec.md, Ownership): which destinations' existing people stoicprov may take access from.
@Suite struct AdoptValidationTests {
    private typealias F = WorkspaceFixture

    @Test func adoptedDestinationsAreRead() throws {
        let tenant = F.tenant + "\nadopt:\n  thinkific: { existing: true }\n  insights: { existing: false }"
        let workspace = try #require(try F(tenants: ["acme": tenant]).load().workspace)
        #expect(workspace.tenants.first?.adopted == ["thinkific"])
    }

    @Test func noAdoptAdoptsNothing() throws {
        let workspace = try #require(try F(tenants: ["acme": F.tenant]).load().workspace)
        #expect(workspace.tenants.first?.adopted == [])
    }

    @Test func adoptMustNameAConnectionThatExists() throws {
        let tenant = F.tenant + "\nadopt:\n  1️⃣insight: { existing: true }"
        let diagnostic = try F(tenants: ["acme": tenant]).expectOne("unknown-connection")
        #expect(diagnostic.message.contains("adopt names 'insight'"))
        #expect(diagnostic.message.contains("did you mean 'insights'?"))
    }

    @Test func existingMustBeABoolean() throws {
        let tenant = F.tenant + "\nadopt:\n  thinkific: { existing: 1️⃣yes }"
        try F(tenants: ["acme": tenant]).expectOne("invalid-boolean")
    }

    @Test func existingIsRequired() throws {
        let tenant = F.tenant + "\nadopt:\n  thinkific: 1️⃣{ }"
        let loaded = try F(tenants: ["acme": tenant]).load()
        #expect(!loaded.diagnostics.filter { $0.severity == .error }.isEmpty)
        #expect(loaded.workspace?.tenants.first?.adopted ?? [] == [])
    }
}
