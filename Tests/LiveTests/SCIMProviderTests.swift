import Foundation
import Live
import Planner
import Spec
import TestSupport
import Testing

/// The SCIM client against providers that depart from the kind default (issue 10): minimal user updates, filters
/// the app ignores or refuses, groups without `members`, adds the app says are already done.
@Suite struct SCIMProviderTests {
    static let ana = #"{"id":"u-ana","userName":"ana@pg.com","active":true,"emails":[{"value":"ana@pg.com","primary":true}]}"#
    static let ben = #"{"id":"u-ben","userName":"ben@pg.com","active":true}"#
    static let other = #"{"id":"u-zed","userName":"zed@other.com","active":true}"#

    static func list(_ items: [String]) -> RecordedTransport.Reply {
        .json(200, #"{"totalResults":\#(items.count),"Resources":[\#(items.joined(separator: ","))]}"#)
    }

    func client(
        filter: SCIMFilterSupport = .auto, _ handler: @escaping @Sendable (TransportRequest) -> RecordedTransport.Reply
    ) -> (SCIMClient, RecordedTransport) {
        let transport = RecordedTransport(handler: handler)
        let channel = SCIMClient.channel(
            app: "insights", baseURL: FakeSCIM.base, token: Secret("tok"), transport: transport,
            environment: TestClock().environment)
        return (SCIMClient(channel: channel, filter: filter), transport)
    }

    /// The PatchOp operations of each PATCH sent, as (path, value) pairs.
    func patches(_ transport: RecordedTransport) throws -> [[String]] {
        try transport.requests.filter { $0.method == "PATCH" }.map { request in
            let body = try #require(request.body)
            let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let operations = try #require(object["Operations"] as? [[String: Any]])
            return operations.map { "\($0["op"] ?? "") \($0["path"] ?? "")" }
        }
    }

    // MARK: - Minimal updates

    @Test func reactivationIsOneActiveOperation() async throws {
        let (scim, transport) = client { _ in .status(204) }
        _ = try await scim.updateUser(
            id: "u-ana", userName: "ana@pg.com", externalID: "00u-ana", givenName: "Ana", familyName: "Doe", active: true,
            changed: [.active])
        #expect(try patches(transport) == [["replace active"]])
    }

    @Test func anEmailChangeSendsUserNameAloneThenOnlyWhatChanged() async throws {
        let (scim, transport) = client { _ in .json(200, SCIMProviderTests.ana) }
        _ = try await scim.updateUser(
            id: "u-ana", userName: "ana.g@pg.com", externalID: "00u-ana", givenName: "Ana", familyName: "Doe", active: true,
            changed: [.userName, .email, .familyName])
        #expect(try patches(transport) == [["replace userName"], ["replace name.familyName", "replace emails"]])
        let last = try #require(transport.requests.last?.body)
        #expect(String(decoding: last, as: UTF8.self).contains(#""value":"ana.g@pg.com""#))
    }

    @Test func anAddTheAppSaysIsAlreadyThereIsDone() async throws {
        let (scim, _) = client { _ in .json(409, #"{"status":"409","scimType":"uniqueness"}"#) }
        #expect(try await scim.addMembers(groupID: "g-1", userIDs: ["u-ana"]) == 409)
        let (other, _) = client { _ in .json(400, #"{"status":"400","scimType":"uniqueness"}"#) }
        #expect(try await other.addMembers(groupID: "g-1", userIDs: ["u-ana"]) == 400)
        let (refusing, _) = client { _ in .json(400, #"{"status":"400","scimType":"invalidValue"}"#) }
        await #expect(throws: LiveError.self) { _ = try await refusing.addMembers(groupID: "g-1", userIDs: ["u-ana"]) }
    }

    // MARK: - Filters

    @Test func aFilterAnsweredWithAnEmpty200IsCrossCheckedAgainstTheListing() async throws {
        // Supports filters by its ServiceProviderConfig, but answers every filter as if nobody matched.
        let (scim, transport) = client { request in
            if request.url.path.hasSuffix("/ServiceProviderConfig") { return .json(200, #"{"filter":{"supported":true}}"#) }
            if request.query("filter") != nil { return SCIMProviderTests.list([]) }
            return SCIMProviderTests.list([SCIMProviderTests.ana, SCIMProviderTests.ben])
        }
        let found = try await scim.user(userName: "Ben@pg.com")
        #expect(found?.id == "u-ben")
        #expect(transport.requests.contains { $0.query("filter") == nil && $0.url.path.hasSuffix("/Users") })
    }

    @Test func anAppWithoutFiltersIsNeverSentOne() async throws {
        let (scim, transport) = client { request in
            if request.url.path.hasSuffix("/ServiceProviderConfig") { return .json(200, #"{"filter":{"supported":false}}"#) }
            return SCIMProviderTests.list([SCIMProviderTests.ana, SCIMProviderTests.ben])
        }
        #expect(try await scim.user(userName: "ana@pg.com")?.id == "u-ana")
        #expect(try await scim.user(userName: "nobody@pg.com") == nil)
        #expect(transport.requests.allSatisfy { $0.query("filter") == nil })
    }

    /// A connection that claims `ew` for an app that ignores it: the tenant's users still come from the listing
    /// (before, 0 results meant 193 creates and a leaver never deactivated).
    @Test func tenantUsersSurviveAnIgnoredEndsWithFilter() async throws {
        let (scim, transport) = client(filter: .ew) { request in
            if request.query("filter") != nil || request.url.path.hasSuffix("/Groups") { return SCIMProviderTests.list([]) }
            return SCIMProviderTests.list([SCIMProviderTests.ana, SCIMProviderTests.ben, SCIMProviderTests.other])
        }
        let observed = try await observe(scim)
        #expect(observed.users.map(\.userName) == ["ana@pg.com", "ben@pg.com"])
        #expect(transport.requests.contains { $0.query("filter") == #"userName ew "@pg.com""# })
    }

    @Test func tenantUsersSurviveARefusedEndsWithFilter() async throws {
        let (scim, _) = client(filter: .ew) { request in
            if request.query("filter")?.contains(" ew ") == true { return .json(400, #"{"scimType":"invalidFilter"}"#) }
            if request.url.path.hasSuffix("/Groups") { return SCIMProviderTests.list([]) }
            return SCIMProviderTests.list([SCIMProviderTests.ana, SCIMProviderTests.other])
        }
        #expect(try await observe(scim).users.map(\.userName) == ["ana@pg.com"])
    }

    // MARK: - Groups without members

    @Test func groupsWithoutMembersAreReadPerUser() async throws {
        let group = #"{"id":"g-1","displayName":"learners"}"#
        let (scim, transport) = client { request in
            let filter = request.query("filter") ?? ""
            if request.url.path.hasSuffix("/ServiceProviderConfig") { return .json(200, #"{"filter":{"supported":true}}"#) }
            if request.url.path.hasSuffix("/Groups/g-1") { return .json(200, group) }
            if filter.hasPrefix("displayName eq") { return SCIMProviderTests.list([group]) }
            if filter == #"members[value eq "u-ana"]"# { return SCIMProviderTests.list([group]) }
            if filter.hasPrefix("members[") { return SCIMProviderTests.list([]) }
            return SCIMProviderTests.list([SCIMProviderTests.ana, SCIMProviderTests.ben])
        }
        let observed = try await observe(scim)
        #expect(observed.groups.map(\.memberIDs) == [["u-ana"]])
        #expect(transport.requests.contains { $0.url.path.hasSuffix("/Groups/g-1") })
    }

    func observe(_ scim: SCIMClient) async throws -> ObservedSCIMApp {
        let observer = Observer(scim: ["insights": scim])
        let observed = try await observer.observe(
            ObservationRequest(tenant: "pg", domains: ["pg.com"], scim: [SCIMScope(app: "insights", groupNames: ["learners"])]))
        return try #require(observed.scimApps.first)
    }
}
