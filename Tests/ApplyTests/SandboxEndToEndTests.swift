import Apply
import Foundation
import Live
import Operations
import Planner
import Sandbox
import Testing

/// The three clients and the Observer against an in-process sandbox (the vendor surfaces) over real loopback.
@Suite struct SandboxEndToEndTests {
    static let seed = """
        thinkific:
          sites:
            - subdomain: stoic
              courses:
                - { id: 101, name: Conscious Leadership Foundations, slug: conscious-leadership-foundations }
                - { id: 102, name: Leading Teams, slug: leading-teams }
              groups:
                - { name: P&G 2026 }
                - { name: Acme 2026 }
              users:
                - { email: ana.garcia@pg.com, first_name: Ana, last_name: Garcia, groups: [P&G 2026] }
                - { email: old.leaver@pg.com, first_name: Old, last_name: Leaver }
                - { email: someone@acme.com, first_name: Some, last_name: One, groups: [Acme 2026] }
              enrollments:
                - { email: ana.garcia@pg.com, course_id: 101, activated_at: 2026-01-05T09:00:00Z }
                - { email: old.leaver@pg.com, course_id: 101, activated_at: 2026-01-05T09:00:00Z }
                - { email: someone@acme.com, course_id: 101, activated_at: 2026-01-05T09:00:00Z }
                - { email: ana.garcia@pg.com, course_id: 102, activated_at: 2026-01-05T09:00:00Z }
              generate: { count: 600, domain: load.example }
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
        var configuration = SandboxConfiguration()
        configuration.seed = .yaml(Self.seed, name: "e2e-seed")
        server = try SandboxServer(configuration)
        root = try server.start()
    }

    func settings() -> ClientSettings {
        ClientSettings.sandbox(root)
    }

    func observer() throws -> Observer {
        try Observer(
            settings: settings(), resolver: SecretResolver(workspace: URL(fileURLWithPath: "/nonexistent"), environment: [:]))
    }

    static let request = ObservationRequest(
        tenant: "pg", domains: ["pg.com"], rosterEmails: ["new.hire@pg.com"],
        thinkific: ThinkificScope(courseSlugs: ["conscious-leadership-foundations"], groupNames: ["P&G 2026"]),
        workos: WorkOSScope(
            organizationExternalID: "pg", readsDirectory: true, idpGroups: ["SG-Stoic-Learners", "SG-Stoic-Managers"]),
        scim: [SCIMScope(app: "insights", groupNames: ["learners"])])

    @Test func thinkificListingsPageToTheEnd() async throws {
        defer { server.stop() }
        let thinkific = try #require(try observer().thinkific)
        let users = try await thinkific.allUsers()
        #expect(users.count == 603)
        #expect(Set(users.map(\.id)).count == 603)
        #expect(thinkific.channel.requestCount == 3)
        #expect(try await thinkific.courseID(slug: "leading-teams") == 102)
        #expect(try await thinkific.user(email: "ANA.GARCIA@pg.com")?.firstName == "Ana")
        #expect(try await thinkific.user(email: "nobody@pg.com") == nil)
        #expect(try await thinkific.enrollments(courseID: 101).count == 3)
        let ana = try #require(users.first { $0.email == "ana.garcia@pg.com" })
        #expect(try await thinkific.enrollments(userID: ana.id).map(\.courseID).sorted() == [101, 102])
        let group = try #require(try await thinkific.groups().first { $0.name == "P&G 2026" })
        #expect(try await thinkific.users(inGroup: group.id).map(\.id) == [ana.id])
    }

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
        let before = workos.channel.requestCount
        let users = try await workos.directoryUsers(groupID: everyone.id)
        #expect(users.count == 250)
        #expect(Set(users.map(\.id)).count == 250)
        #expect(workos.channel.requestCount - before == 3)
    }

    @Test func observesATenantAcrossTheThreeSystems() async throws {
        defer { server.stop() }
        let observer = try observer()
        // SCIM apps start empty: provision two users and a group the way apply would.
        let scim = try #require(observer.scim["insights"])
        var anaID = ""
        for userName in ["ana.garcia@pg.com", "someone@acme.com"] {
            let body = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(userName)","active":true}"#
            let response = try await scim.channel.send(
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
            try await scim.channel.send(
                "POST", "/Groups", body: Data(group.utf8), headers: [("Content-Type", SCIMClient.mediaType)]
            ).status == 201)

        let tenant = try await observer.observe(Self.request)

        let directory = try #require(tenant.directory)
        #expect(directory.readSucceeded)
        #expect(directory.users.compactMap(\.email).sorted() == ["aiko.sato@pg.com", "ana.garcia@pg.com", "ben.okafor@pg.com"])
        #expect(directory.users.first { $0.email == "ben.okafor@pg.com" }?.groups == ["SG-Stoic-Learners", "SG-Stoic-Managers"])

        let thinkific = try #require(tenant.thinkific)
        #expect(thinkific.users.map(\.email).sorted() == ["ana.garcia@pg.com", "old.leaver@pg.com"])
        #expect(thinkific.users.first { $0.email == "ana.garcia@pg.com" }?.firstName == "Ana")
        #expect(thinkific.enrollments.map(\.userEmail).sorted() == ["ana.garcia@pg.com", "old.leaver@pg.com"])
        #expect(thinkific.enrollments.allSatisfy { $0.courseID == 101 })
        #expect(thinkific.groupMembers.map(\.groupName) == ["P&G 2026"])
        #expect(thinkific.groupMembers.first?.userIDs == thinkific.users.filter { $0.email == "ana.garcia@pg.com" }.map(\.id))
        // Candidates ben (directory) and new.hire (roster) were seen in no listing and not on page 1 of the users:
        // two lookups cost as much as the two remaining pages, and ties go to the listing.
        #expect(observer.thinkificRoutes["pg"] == .listing(pages: 3))

        let app = try #require(tenant.scimApps.first)
        #expect(app.users.map(\.userName) == ["ana.garcia@pg.com"])
        #expect(app.groups.first?.memberIDs == [anaID])

        #expect(observer.requests["workos"]?.requests ?? 0 > 0)
        #expect(observer.requests["thinkific"]?.requests ?? 0 > 0)
    }
}
