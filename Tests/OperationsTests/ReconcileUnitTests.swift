import Foundation
import Live
import Operations
import Planner
import TestSupport
import Testing

/// The orchestrator's pieces that need no live system: routing events, the cursor store, `--since`, the burst
/// threshold.
@Suite struct ReconcileUnitTests {
    static let router = EventRouter(
        organizations: ["org_pg": "pg"], directories: ["directory_pg": "pg"], externalIDs: ["pg": "pg", "acme": "acme"])

    static func event(
        _ type: String, organization: String? = "org_pg", directory: String? = nil, user: String? = nil,
        email: String? = nil, previous: String? = nil, externalID: String? = nil
    ) -> WorkOSEvent {
        WorkOSEvent(
            id: "event_1", type: type, createdAt: "2026-11-27T12:00:00Z", organizationID: organization,
            organizationExternalID: externalID, directoryID: directory, directoryUserID: user, email: email,
            previousEmail: previous)
    }

    @Test func personEventsRouteToTheirPeople() {
        #expect(
            Self.router.route(Self.event("dsync.user.created", user: "du_1", email: "zed@pg.com"))
                == .people(tenant: "pg", directoryUserIDs: ["du_1"], emails: ["zed@pg.com"]))
        #expect(
            Self.router.route(Self.event("dsync.user.updated", user: "du_2", email: "ben.o@pg.com", previous: "ben@pg.com"))
                == .people(tenant: "pg", directoryUserIDs: ["du_2"], emails: ["ben.o@pg.com", "ben@pg.com"]))
        #expect(
            Self.router.route(Self.event("dsync.group.user_removed", organization: nil, directory: "directory_pg", user: "du_3"))
                == .people(tenant: "pg", directoryUserIDs: ["du_3"], emails: []))
        #expect(Self.router.route(Self.event("dsync.user.deleted")) == .full(tenant: "pg"), "no person named: the whole tenant")
    }

    @Test func directoryAndOrganizationEventsRouteToTheTenant() {
        #expect(Self.router.route(Self.event("dsync.activated")) == .full(tenant: "pg"))
        #expect(Self.router.route(Self.event("dsync.deleted")) == .full(tenant: "pg"))
        #expect(Self.router.route(Self.event("organization.deleted")) == .full(tenant: "pg"))
        #expect(Self.router.route(Self.event("dsync.group.created")) == .refreshFrame(tenant: "pg"))
        #expect(
            Self.router.route(Self.event("organization.created", organization: "org_new", externalID: "acme"))
                == .refreshFrame(tenant: "acme"), "an organization an apply just created is known by its external id")
    }

    @Test func unknownOrganizationsAndSignInsAreCountedNotHandled() {
        #expect(Self.router.route(Self.event("dsync.user.created", organization: "org_other", user: "x")) == .unknownOrganization)
        #expect(Self.router.route(Self.event("dsync.user.created", organization: nil, user: "x")) == .unknownOrganization)
        #expect(Self.router.route(Self.event("authentication.sso_succeeded")) == .notHandled)
    }

    @Test func theStoreRoundTripsAndReplacesWholeFiles() throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-store-\(UUID())")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let store = ReconcileStore(workspace: workspace)
        #expect(try store.cursor() == nil)
        #expect(try store.tenant("pg") == nil)
        let cursor = ReconcileCursor(after: "event_9", eventTime: "2026-11-27T12:00:00Z", savedAt: "2026-11-27T12:00:01Z")
        try store.save(cursor)
        #expect(try store.cursor() == cursor)
        var state = TenantReconcileState()
        state.entitled = ["ana@pg.com"]
        state.removalsHeldSince = "2026-11-27T12:00:00Z"
        try store.save(state, tenant: "pg")
        #expect(try store.tenant("pg") == state)
        #expect(store.cursorPath.path.hasSuffix(".stoicprov/reconcile/cursor.json"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "no temporary file stays behind: \(leftovers)")
    }

    @Test func aDamagedStateFileIsAnErrorNamingIt() throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-store-\(UUID())")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let store = ReconcileStore(workspace: workspace)
        try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
        try Data("{\"after\": 42".utf8).write(to: store.cursorPath)
        #expect(throws: OperationsError.self) { try store.cursor() }
        do {
            _ = try store.cursor()
        } catch {
            #expect(error.description.contains("cursor.json"))
        }
    }

    @Test func sinceAcceptsDurationsInstantsAndEventIDs() throws {
        #expect(try ReconcileSince.parse("15m") == .duration(seconds: 900))
        #expect(try ReconcileSince.parse("2h") == .duration(seconds: 7200))
        #expect(try ReconcileSince.parse("event_01ABC") == .event("event_01ABC"))
        if case .instant = try ReconcileSince.parse("2026-11-27T10:00:00Z") {} else { Issue.record("not an instant") }
        for bad in ["", "15", "m", "-5m", "yesterday", "99999999999d"] {
            #expect(throws: OperationsError.self, "\(bad)") { try ReconcileSince.parse(bad) }
        }
    }

    @Test func theBurstThresholdWeighsRequestsByRate() {
        // P&G at 50,000 people: 204 Thinkific and 354 WorkOS reads for a full observation.
        let people = BurstThreshold.people(fullCost: ["thinkific": 204, "workos": 354], managedGroups: 1, scimApps: [])
        #expect(people == 109)
        #expect(BurstThreshold.people(fullCost: [:], managedGroups: 1, scimApps: []) == BurstThreshold.defaultPeople)
        let small = BurstThreshold.people(fullCost: ["thinkific": 4, "workos": 6], managedGroups: 1, scimApps: ["insights"])
        #expect(small >= 1 && small < 5, "a small tenant goes full for a handful of people: \(small)")
    }
}
