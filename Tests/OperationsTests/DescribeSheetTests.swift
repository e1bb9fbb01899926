import Apply
import Foundation
import Live
import Operations
import Planner
import Spec
import Testing
import Views

/// The hand-off sheet's rendering from hand-built values: what IT still has to do follows the live state.
@Suite struct DescribeSheetTests {
    static let here = SourceLocation(file: "tenants/acme.yaml", line: 1, column: 1)
    static let tenant = Tenant(
        id: "acme", name: "Acme | Corp", domains: ["acme.com"], sso: .okta, directory: .workos, seats: 50,
        program: Program(starts: CalendarDate(year: 2026, month: 9, day: 1), ends: CalendarDate(year: 2027, month: 3, day: 31)),
        access: [
            AccessRule(
                name: "learners", idpGroups: ["Stoic Learners"], thinkific: ThinkificGrant(courses: ["one"]),
                scim: [SCIMGrant(connection: "insights", groups: ["learners"])], location: here)
        ], file: "tenants/acme.yaml", locations: .init(tenant: here, seats: here, program: here))

    static func sheet(connectionState: String, domainState: String, link: PortalLink? = nil) -> HandoffSheet {
        let organization = WorkOSOrganization(
            id: "org_9", name: "Acme", externalID: "acme", domains: [WorkOSDomain(domain: "acme.com", state: domainState)])
        let live = LiveWorkOS(
            organization: organization,
            connections: [SSOConnection(id: "c", name: "Okta", connectionType: "OktaSAML", state: connectionState)],
            directories: [
                LiveDirectory(
                    directory: WorkOSDirectory(id: "d", name: "Okta", type: "okta scim v2.0", state: "linked"),
                    groups: ["Everyone"], people: 3, activePeople: 2)
            ])
        return HandoffSheet(
            tenant: tenant, removal: .expire, connections: ["insights", "thinkific", "workos"], workos: live, plan: nil,
            portalLink: link)
    }

    @Test func stepsAreDoneOnlyWhenLiveStateSaysSo() {
        let pending = Self.sheet(connectionState: "inactive", domainState: "pending").markdown
        #expect(pending.contains("(intent `sso`). Status: to do."))
        #expect(pending.contains("intent `domain_verification`). Status: to do."))
        #expect(pending.contains("Okta: `OktaSAML`, inactive (expected type, not active yet)"))
        #expect(pending.contains("mapped groups it does not push: `Stoic Learners`"))
        let done = Self.sheet(connectionState: "active", domainState: "verified").markdown
        #expect(done.contains("(intent `sso`). Status: done."))
        #expect(done.contains("intent `domain_verification`). Status: done."))
    }

    @Test func portalLinkAppearsOnlyWhenGiven() {
        let without = Self.sheet(connectionState: "active", domainState: "verified").markdown
        #expect(!without.contains("https://"))
        let link = PortalLink(intent: .sso, url: "https://portal.example/launch?secret=abc", generatedAt: Date())
        let with = Self.sheet(connectionState: "active", domainState: "verified", link: link).markdown
        #expect(with.contains("Admin Portal link (`sso`): https://portal.example/launch?secret=abc"))
        #expect(with.contains("short-lived"))
    }

    @Test func freeTextCannotBreakTheTable() {
        let text = Self.sheet(connectionState: "active", domainState: "verified").markdown
        #expect(text.hasPrefix("# Acme \\| Corp (`acme`): hand-off sheet\n"))
        #expect(text.contains("- insights (SCIM) groups: `learners`"))
    }
}
