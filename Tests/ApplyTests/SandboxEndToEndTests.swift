import Apply
import Foundation
import Planner
import Sandbox
import Testing

/// The clients and the Observer against an in-process sandbox (the vendor surfaces) over real loopback.
/// (The Thinkific surface is not in main yet; its client is tested over loopback in `SandboxTransportTests`.)
@Suite struct SandboxEndToEndTests {
    static let seed = """
        workos:
          api_key: sk_test_sandbox
          organizations:
            - name: Procter & Gamble
              external_id: pg
              domains: [pg.com]
              connections:
                - { type: PingFederateSAML, name: P&G Ping Federate, state: active }
              directories:
                - name: P&G Ping Federate SCIM
                  type: generic scim v2.0
                  groups: [SG-Stoic-Learners, SG-Stoic-Managers, SG-Finance]
                  people:
                    - { email: ana.garcia@pg.com, first_name: Ana, last_name: Garcia, groups: [SG-Stoic-Learners] }
                    - { email: ben.okafor@pg.com, first_name: Ben, last_name: Okafor, groups: [SG-Stoic-Learners, SG-Stoic-Managers] }
                    - { email: kira.jensen@pg.com, first_name: Kira, last_name: Jensen, groups: [SG-Finance] }
                    - { email: aiko.sato@pg.com, first_name: Aiko, last_name: Sato, groups: [SG-Stoic-Learners], state: inactive }
            - name: Bulk Corp
              external_id: bulk
              domains: [bulk.example]
              directories:
                - name: Bulk Okta
                  type: okta scim v2.0
                  groups: [Everyone]
                  people:
                    - generate: { count: 250, domain: bulk.example, groups: [Everyone] }
        scim:
          apps:
            - { name: insights }
        """

    let server: SandboxServer
    let root: String

    init() throws {
        let seed = try SandboxSeed.load(.yaml(Self.seed, name: "e2e-seed"))
        server = try SandboxServer(
            SandboxConfiguration(), surfaces: [try WorkOSSurface(seed: seed?["workos"]), try SCIMSurface(seed: seed?["scim"])])
        root = try server.start()
    }

    func settings() -> ClientSettings {
        ClientSettings(
            workos: .init(
                apiKey: .value(Secret(SandboxDefaults.workosAPIKey)), baseURL: SandboxDefaults.workosBase(root),
                requestsPerMinute: nil),
            scim: [
                .init(
                    app: "insights", baseURL: SandboxDefaults.scimBase(root, app: "insights"),
                    token: .value(Secret(SandboxDefaults.scimToken(app: "insights"))))
            ])
    }

    func observer() throws -> Observer {
        try Observer(
            settings: settings(), resolver: SecretResolver(workspace: URL(fileURLWithPath: "/nonexistent"), environment: [:]))
    }

    static let request = ObservationRequest(
        tenant: "pg", domains: ["pg.com"], rosterEmails: ["new.hire@pg.com"],
        workos: WorkOSScope(
            organizationExternalID: "pg", readsDirectory: true, idpGroups: ["SG-Stoic-Learners", "SG-Stoic-Managers"]),
        scim: [SCIMScope(app: "insights", groupNames: ["learners"])])

    @Test func workosReadsTheOrganizationAndItsDirectory() async throws {
        defer { server.stop() }
        let workos = try #require(try observer().workos)
        #expect(try await workos.organization(externalID: "contoso") == nil)
        let organization = try #require(try await workos.organization(externalID: "pg"))
        #expect(try await workos.connections(organizationID: organization.id).map(\.connectionType) == ["PingFederateSAML"])
        let directory = try #require(try await workos.directories(organizationID: organization.id).first)
        let groups = try await workos.directoryGroups(directoryID: directory.id)
        #expect(Set(groups.map(\.name)) == ["SG-Stoic-Learners", "SG-Stoic-Managers", "SG-Finance"])
        let learners = try #require(groups.first { $0.name == "SG-Stoic-Learners" })
        #expect(
            Set(try await workos.directoryUsers(groupID: learners.id).compactMap(\.email)) == [
                "ana.garcia@pg.com", "ben.okafor@pg.com", "aiko.sato@pg.com",
            ])
        #expect(try await workos.directoryUsers(directoryID: directory.id).count == 4)
    }

    @Test func pagesADirectoryGroupWithTheAfterCursor() async throws {
        defer { server.stop() }
        let workos = try #require(try observer().workos)
        let organization = try #require(try await workos.organization(externalID: "bulk"))
        let directory = try #require(try await workos.directories(organizationID: organization.id).first)
        let everyone = try #require(try await workos.directoryGroups(directoryID: directory.id).first)
        let before = workos.connection.requestCount
        let users = try await workos.directoryUsers(groupID: everyone.id)
        #expect(users.count == 250)
        #expect(Set(users.map(\.id)).count == 250)
        #expect(workos.connection.requestCount - before == 3)
    }

    @Test func observesATenantInWorkOSAndSCIM() async throws {
        defer { server.stop() }
        let observer = try observer()
        // SCIM apps start empty: provision two users and a group the way apply would.
        let scim = try #require(observer.scim["insights"])
        var anaID = ""
        for userName in ["ana.garcia@pg.com", "someone@acme.com"] {
            let body = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(userName)","active":true}"#
            let response = try await scim.connection.send(
                "POST", "/Users", body: Data(body.utf8), headers: [("Content-Type", SCIMClient.mediaType)])
            #expect(response.status == 201)
            if userName.hasPrefix("ana") {
                anaID =
                    try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])["id"] as? String ?? ""
            }
        }
        let group =
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"learners","members":[{"value":"\#(anaID)"}]}"#
        #expect(
            try await scim.connection.send(
                "POST", "/Groups", body: Data(group.utf8), headers: [("Content-Type", SCIMClient.mediaType)]
            ).status == 201)

        let report = await observer.observe([Self.request])
        #expect(report.failures.isEmpty, "\(report.failures)")
        let tenant = try #require(report.tenants.first)

        let directory = try #require(tenant.directory)
        #expect(directory.readSucceeded)
        #expect(directory.users.compactMap(\.email).sorted() == ["aiko.sato@pg.com", "ana.garcia@pg.com", "ben.okafor@pg.com"])
        #expect(directory.users.first { $0.email == "ben.okafor@pg.com" }?.groups == ["SG-Stoic-Learners", "SG-Stoic-Managers"])

        #expect(tenant.thinkific == nil)

        let app = try #require(tenant.scimApps.first)
        #expect(app.users.map(\.userName) == ["ana.garcia@pg.com"])
        #expect(app.groups.first?.memberIDs == [anaID])

        #expect(report.requests["workos"]?.requests ?? 0 > 0)
        #expect(report.totalRequests == report.requests.values.reduce(0) { $0 + $1.requests })
    }
}
