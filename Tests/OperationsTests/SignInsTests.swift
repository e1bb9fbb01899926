import Foundation
import Live
import Operations
import Planner
import Sandbox
import Spec
import TestSupport
import Testing

/// The sign-in events reader (`WorkOSClient.signInEvents`) against an in-process sandbox, and the reconcile loop's
/// entry point (`SignIns`): which tenant an `authentication.sso_succeeded` event grants to.
@Suite struct SignInsTests {
    static let here = SourceLocation(file: "tenants/pg.yaml", line: 1, column: 1)

    /// pg grants `resilient-self` on sign-in; northwind has no sign-in rule.
    static let workspace: Workspace = {
        let program = Program(
            starts: CalendarDate(year: 2026, month: 5, day: 4), ends: CalendarDate(year: 2026, month: 12, day: 18))
        let locations = Tenant.Locations(tenant: here, seats: here, program: here)
        let pg = Tenant(
            id: "pg", name: "P&G", domains: ["pg.com"], sso: .pingfederate, directory: .none, seats: 10, program: program,
            access: [
                AccessRule(
                    name: "signed-in", ssoSignIn: true, thinkific: ThinkificGrant(courses: ["resilient-self"]), location: here)
            ], file: "tenants/pg.yaml", locations: locations)
        let northwind = Tenant(
            id: "northwind", name: "Northwind", domains: ["northwind.com"], sso: .okta, directory: .none, seats: 10,
            program: program,
            access: [AccessRule(name: "cohort", thinkific: ThinkificGrant(courses: ["resilient-self"]), location: here)],
            file: "tenants/northwind.yaml", locations: locations)
        let config = WorkspaceConfig(
            connections: Connections(workos: WorkOSConnection(apiKey: .env("WORKOS_API_KEY"), location: here)),
            file: "stoicprov.yaml")
        return Workspace(directory: ".", config: config, tenants: [pg, northwind])
    }()

    final class World {
        let server: SandboxServer
        let url: String
        let workos: WorkOSClient

        init() throws {
            var configuration = SandboxConfiguration()
            configuration.rateLimits = .none
            server = try SandboxServer(configuration)
            url = try server.start()
            workos = try #require(
                SandboxClients.observer(url, policy: ChannelPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 1, timeout: 10))
                    .workos)
        }

        deinit { server.stop() }

        func signIn(_ email: String, through organization: String) async throws {
            let url = try #require(URL(string: url + "/_sandbox/workos/organizations/\(organization)/sign-ins"))
            let response = try await URLSessionTransport().send(
                TransportRequest(
                    method: "POST", url: url, headers: [("Content-Type", "application/json")],
                    body: Data(#"{"email":"\#(email)"}"#.utf8)))
            try #require(response.status == 201)
        }
    }

    @Test func readsEverySignInOfOneOrganizationAcrossPages() async throws {
        let world = try World()
        for index in 0..<105 { try await world.signIn("person\(index)@pg.com", through: "pg") }
        try await world.signIn("someone@northwind.com", through: "northwind")
        let pg = try await world.workos.organizationRecord(externalID: "pg")
        let organization = try #require(pg.organization)
        let events = try await world.workos.signInEvents(organizationID: organization.id)
        #expect(events.count == 105)
        #expect(events.first?.email == "person0@pg.com" && events.last?.email == "person104@pg.com")
        let connections = Set(pg.connections.map(\.id))
        #expect(events.allSatisfy { $0.signIn(organizationID: organization.id, connections: connections) != nil })
        #expect(events.first?.signIn(organizationID: organization.id, connections: [])?.email == nil)
        #expect(world.workos.channel.stats.requests >= 2 + 3)
    }

    @Test func aWindowReadsOnlyTheLaterSignIns() async throws {
        let world = try World()
        try await world.signIn("early@pg.com", through: "pg")
        try await Task.sleep(for: .milliseconds(1100))
        let cut = Date()
        try await world.signIn("late@pg.com", through: "pg")
        let organization = try #require(try await world.workos.organizationRecord(externalID: "pg").organization)
        let later = try await world.workos.signInEvents(organizationID: organization.id, since: cut)
        #expect(later.map(\.email) == ["late@pg.com"])

        let pg = try #require(Self.workspace.tenant(id: "pg"))
        #expect(SignIns().scope(for: pg)?.readsEvents == true)
        #expect(SignIns(events: .since(cut)).scope(for: pg)?.since == cut)
        #expect(SignIns(events: .none).scope(for: pg)?.readsEvents == false)
        #expect(SignIns().scope(for: try #require(Self.workspace.tenant(id: "northwind"))) == nil)
    }

    @Test func anEventGrantsToTheTenantWhoseOrganizationAndConnectionItNames() async throws {
        let world = try World()
        try await world.signIn("nia.joiner@pg.com", through: "pg")
        try await world.signIn("nia.joiner@pg.com", through: "northwind")
        let pg = try await world.workos.organizationRecord(externalID: "pg")
        let northwind = try await world.workos.organizationRecord(externalID: "northwind")
        let pgEvent = try #require(try await world.workos.signInEvents(organizationID: pg.organization?.id ?? "").first)
        let northwindEvent = try #require(
            try await world.workos.signInEvents(organizationID: northwind.organization?.id ?? "").first)

        var signIns = SignIns()
        #expect(signIns.record(pgEvent, workspace: Self.workspace, organization: pg) == "pg")
        // Northwind grants nothing on sign-in; an event read against the wrong organization grants nothing either.
        #expect(signIns.record(northwindEvent, workspace: Self.workspace, organization: northwind) == nil)
        #expect(signIns.record(northwindEvent, workspace: Self.workspace, organization: pg) == nil)
        let granted = signIns.grants(tenant: "pg")
        #expect(granted.map(\.email) == ["nia.joiner@pg.com"])
        #expect(granted.first?.firstName == "Nia" && granted.first?.lastName == "Joiner")
        #expect(granted.first?.at != nil)
        #expect(signIns.grants(tenant: "northwind").isEmpty)
    }
}
