import Foundation
import Spec
import TestSupport
import Testing

/// Keys, types and scalar formats: the rules the key description drives.
@Suite struct ValidationShapeTests {
    private typealias F = WorkspaceFixture

    @Test func unknownKeyNamesTheClosestKnownKey() throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "seats: 10", with: "1️⃣seat: 10")])
        let diagnostic = try fixture.expectOne("unknown-key")
        #expect(diagnostic.message.contains("did you mean 'seats'?"))
        #expect(try fixture.load().with("missing-key").count == 1)
    }

    @Test func unknownKeyInConfigWithoutCloseMatchListsTheKeys() throws {
        let fixture = F(config: F.config + "\n1️⃣colour: blue", tenants: ["acme": F.tenant])
        let diagnostic = try fixture.expectOne("unknown-key", in: "stoicprov.yaml")
        #expect(diagnostic.message.contains("version, connections, defaults"))
    }

    @Test func misspelledConnectionIsATypoNotAnSCIMConnection() throws {
        let config = F.config.replacingOccurrences(of: "  thinkific:", with: "  1️⃣thinkfic:")
        let fixture = F(config: config, tenants: ["acme": F.tenant])
        let diagnostic = try fixture.expectOne("unknown-key", in: "stoicprov.yaml")
        #expect(diagnostic.message.contains("did you mean 'thinkific'?"))
    }

    @Test func wrongTypeSaysWhatWasExpectedAndFound() throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "domains: [acme.com]", with: "domains: 1️⃣{ a: acme.com }")])
        let diagnostic = try fixture.expectOne("wrong-type")
        #expect(diagnostic.message == "'domains' must be a list of domains, found a mapping")
    }

    @Test func missingRequiredKeyPointsAtTheMapping() throws {
        let fixture = F(
            tenants: [
                "acme": F.tenant(
                    replacing: "program: { starts: 2026-01-05, ends: 2026-06-30 }", with: "program: 1️⃣{ starts: 2026-01-05 }")
            ])
        let diagnostic = try fixture.expectOne("missing-key")
        #expect(diagnostic.message == "program is missing required key 'ends'")
    }

    @Test func emptyValueIsMissing() throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "name: Acme", with: "name: 1️⃣\"\"")])
        try fixture.expectOne("missing-value")
    }

    @Test func domainsNeedAtLeastOne() throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "domains: [acme.com]", with: "domains: 1️⃣[]")])
        try fixture.expectOne("empty-list")
    }

    @Test func courseListedTwice() throws {
        let fixture = F(
            tenants: ["acme": F.tenant(replacing: "courses: [foundations]", with: "courses: [foundations, 1️⃣foundations]")])
        let diagnostic = try fixture.expectOne("duplicate-item")
        #expect(diagnostic.message.contains("course 'foundations' is listed twice"))
    }

    @Test func tenantIDMustBeAnID() throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "tenant: acme", with: "tenant: 1️⃣Acme_Corp")])
        try fixture.expectOne("invalid-id")
    }

    @Test func accessRuleNameMustBeAnID() throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "  learners:", with: "  1️⃣Learners:")])
        try fixture.expectOne("invalid-id")
    }

    @Test func courseMustBeASlug() throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "courses: [foundations]", with: "courses: [1️⃣Foundations Course]")])
        try fixture.expectOne("invalid-slug")
    }

    @Test(arguments: ["acme", "acme..com", "-acme.com", "acme.c0m", "ac me.com"])
    func badDomain(_ domain: String) throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "domains: [acme.com]", with: "domains: [1️⃣\"\(domain)\"]")])
        try fixture.expectOne("invalid-domain")
    }

    @Test(arguments: ["2026-02-30", "2026-13-01", "05/01/2026", "2026-1-5", "2025-02-29"])
    func badDate(_ date: String) throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "starts: 2026-01-05", with: "starts: 1️⃣\(date)")])
        try fixture.expectOne("invalid-date")
    }

    @Test func leapDayIsADate() throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "starts: 2026-01-05", with: "starts: 2024-02-29")])
        #expect(try fixture.load().diagnostics.filter { $0.severity == .error }.isEmpty)
    }

    @Test func scimURLMustBeHTTP() throws {
        let config = F.config.replacingOccurrences(of: "https://insights.example.com/scim/v2", with: "1️⃣ftp://insights")
        try F(config: config, tenants: ["acme": F.tenant]).expectOne("invalid-url", in: "stoicprov.yaml")
    }

    @Test func literalSecretIsAnErrorThatNeverEchoesTheValue() throws {
        let literal = "sk_live_" + String(repeating: "x7", count: 12)
        let config = F.config.replacingOccurrences(of: "env:WORKOS_API_KEY", with: "1️⃣\(literal)")
        let fixture = F(config: config, tenants: ["acme": F.tenant])
        let diagnostic = try fixture.expectOne("literal-secret", in: "stoicprov.yaml")
        let loaded = try fixture.load()
        #expect(!diagnostic.message.contains(literal))
        #expect(!loaded.diagnostics.contains { $0.message.contains("x7x7") })
    }

    @Test func secretOfTheWrongTypeIsNotEchoedEither() throws {
        let config = F.config.replacingOccurrences(of: "env:WORKOS_API_KEY", with: "1️⃣[hunter2-hunter2]")
        let diagnostic = try F(config: config, tenants: ["acme": F.tenant]).expectOne("wrong-type", in: "stoicprov.yaml")
        #expect(!diagnostic.message.contains("hunter2"))
    }

    @Test func envNameIsCheckedForShapeWithoutEchoingIt() throws {
        let config = F.config.replacingOccurrences(of: "env:WORKOS_API_KEY", with: "1️⃣env:workos-key")
        let diagnostic = try F(config: config, tenants: ["acme": F.tenant]).expectOne("invalid-env-name", in: "stoicprov.yaml")
        #expect(!diagnostic.message.contains("workos-key"))
    }

    @Test func envReferenceIsNotResolved() throws {
        let config = F.config.replacingOccurrences(
            of: "env:WORKOS_API_KEY", with: "env:SURELY_UNSET_\(UInt32.random(in: 0...UInt32.max))")
        let loaded = try F(config: config, tenants: ["acme": F.tenant]).load()
        #expect(loaded.diagnostics.filter { $0.severity == .error } == [])
        guard case .env(let name)? = loaded.workspace?.config.connections.workos?.apiKey else {
            Issue.record("no env reference in \(String(describing: loaded.workspace))")
            return
        }
        #expect(name.hasPrefix("SURELY_UNSET_"))
    }

    @Test func filePathMustNotBeEmpty() throws {
        let config = F.config.replacingOccurrences(of: "env:INSIGHTS_TOKEN", with: "1️⃣\"file:\"")
        try F(config: config, tenants: ["acme": F.tenant]).expectOne("invalid-secret-path", in: "stoicprov.yaml")
    }

    @Test(arguments: ["0", "-3", "ten", "\"10\"", "010", "1.5"])
    func seatsArePositiveWholeNumbers(_ seats: String) throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "seats: 10", with: "seats: 1️⃣\(seats)")])
        try fixture.expectOne("invalid-number")
    }

    @Test func versionMustBeOne() throws {
        let config = F.config.replacingOccurrences(of: "version: 1", with: "version: 1️⃣2")
        try F(config: config, tenants: ["acme": F.tenant]).expectOne("unsupported-version", in: "stoicprov.yaml")
    }

    @Test func ssoProviderIsAChoiceWithSuggestion() throws {
        let fixture = F(tenants: ["acme": F.tenant(replacing: "provider: okta", with: "provider: 1️⃣octa")])
        let diagnostic = try fixture.expectOne("invalid-choice")
        #expect(diagnostic.message.contains("did you mean 'okta'?"))
    }

    @Test(arguments: ["120%", "-1", "ten", "10 %", "%"])
    func maxRemovalsIsAPercentageOrCount(_ value: String) throws {
        let config = F.config + "\ndefaults: { safety: { max_removals: 1️⃣\"\(value)\" } }"
        // Quoted numbers are text: "-1" is not a count, so all of these are invalid.
        try F(config: config, tenants: ["acme": F.tenant]).expectOne("invalid-percentage", in: "stoicprov.yaml")
    }

    @Test func maxRemovalsReadsPercentagesAndCounts() throws {
        for (value, expected) in [("25%", RemovalLimit.percent(25)), ("12.5%", .percent(12.5)), ("40", .count(40))] {
            let config = F.config + "\ndefaults: { removal: keep, safety: { max_removals: \(value) } }"
            let loaded = try F(config: config, tenants: ["acme": F.tenant]).load()
            #expect(loaded.workspace?.config.defaults == Defaults(removal: .keep, maxRemovals: expected), "\(value)")
        }
    }

    /// No spec key is a boolean yet; the shape check is ready for one, and only `true`/`false` pass it.
    @Test(arguments: ["yes", "on", "no", "True", "\"true\""])
    func booleansAreTrueOrFalseOnly(_ value: String) throws {
        var loadDiagnostics = Diagnostics()
        let marked = MarkedText("flag: 1️⃣\(value)")
        let node = try #require(YAMLLoader.load(marked.data, file: "b.yaml", diagnostics: &loadDiagnostics))
        let shape = SpecShape.object(ObjectShape("test", keys: [KeyShape("flag", .value(.boolean), "A flag.")]))
        let diagnostics = shape.diagnostics(for: node, name: "test")
        #expect(diagnostics.map(\.code) == ["invalid-boolean"])
        #expect(diagnostics.first?.location == marked.location("1️⃣", file: "b.yaml"))
        #expect(shape.diagnostics(for: MarkedText("flag: false").node(), name: "test").isEmpty)
    }
}

extension MarkedText {
    /// The text loaded as YAML (tests only: assumes it is valid).
    func node() -> Node {
        var diagnostics = Diagnostics()
        return YAMLLoader.load(data, file: "b.yaml", diagnostics: &diagnostics)!
    }
}
