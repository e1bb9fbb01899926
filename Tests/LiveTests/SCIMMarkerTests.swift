import Foundation
import Live
import Planner
import Sandbox
import Spec
import Testing

/// The SCIM client writes stoicprov's marker on the users it creates (`SCIMMarker`), never a bare directory id, and
/// reads it back off: through real loopback HTTP against the sandbox's SCIM app.
@Suite struct SCIMMarkerTests {
    @Test func createdUsersCarryTheMarkerAndUpdatesKeepIt() async throws {
        let server = try SandboxServer(SandboxConfiguration())
        let root = try server.start()
        defer { server.stop() }
        let scim = SCIMClient(
            channel: SCIMClient.channel(
                app: "insights", baseURL: SandboxDefaults.scimBase(root, app: "insights"),
                token: Secret(SandboxDefaults.scimToken(app: "insights")), transport: URLSessionTransport()))

        let ana = try await scim.createUser(userName: "ana@pg.com", externalID: "00u-ana", givenName: "Ana", familyName: "A")
        _ = try await scim.createUser(userName: "Dan@pg.com", externalID: nil, givenName: "Dan", familyName: "D")
        _ = try await scim.updateUser(
            id: ana.id, userName: "ana.new@pg.com", externalID: "00u-ana", givenName: "Ana", familyName: "A", active: true,
            changed: [.userName, .email, .externalID])

        let users = try await scim.allUsers().sorted { $0.userName < $1.userName }
        #expect(users.map(\.userName) == ["ana.new@pg.com", "Dan@pg.com"].sorted())
        let anaRead = try #require(users.first { $0.userName == "ana.new@pg.com" })
        #expect(anaRead.externalID == "00u-ana" && anaRead.hasStoicprovMarker)
        let dan = try #require(users.first { $0.userName == "Dan@pg.com" })
        #expect(dan.externalID == nil && dan.hasStoicprovMarker)

        // What the app stores is the marked form.
        let stored = try #require(try await scim.users(filter: #"externalId eq "stoicprov:idp:00u-ana""#).first)
        #expect(stored.id == ana.id)
    }
}
