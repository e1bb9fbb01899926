import Foundation
import Sandbox
import Spec
import TestSupport
import Testing

/// `--profile workos=strict`: the WorkOS surface with the vendor's documented manners (docs/sandbox.md, "Vendor
/// profiles"), and the kind default without them.
@Suite struct WorkOSProfileTests {
    static let yaml = """
        workos:
          organizations:
            - name: Procter & Gamble
              external_id: pg
              domains: [pg.com]
              directories:
                - name: P&G SCIM
                  groups: [Learners, Managers]
                  people:
                    - { email: ana@pg.com, first_name: Ana, last_name: Garcia, groups: [Learners] }
                    - { email: ben@pg.com, first_name: Ben, last_name: Okafor, groups: [Learners, Managers] }
                    - { email: sam@pg.com, first_name: Sam, last_name: Hold, groups: [Learners], state: suspended }
                    - { email: ~, first_name: Service, last_name: Account, groups: [Learners] }
            - name: Northwind
              external_id: northwind
              domains: [northwind.com]
              directories:
                - name: Northwind Okta
                  groups: [Everyone]
        """

    static func seed(_ yaml: String = yaml) throws -> Node? {
        var diagnostics = Diagnostics()
        let root = YAMLLoader.load(Data(yaml.utf8), file: "seed.yaml", diagnostics: &diagnostics)
        #expect(!diagnostics.hasErrors, "\(diagnostics.all)")
        return try #require(root)["workos"]
    }

    static func strict(clock: MovableClock = WorkOSFixture.clock()) throws -> WorkOSClient {
        WorkOSClient(surface: try WorkOSSurface(seed: try seed(), profile: .strict, clock: clock.function))
    }

    static func directoryID(_ client: WorkOSClient, _ external: String) -> String {
        let organization = json(client.get("/organizations/external_id/\(external)"))["id"] as? String ?? ""
        return items(client.get("/directories", [("organization_id", organization)])).first?["id"] as? String ?? ""
    }

    // MARK: - 4 requests a second per directory

    @Test func theFifthDirectoryUsersReadOfASecondIsABareRatelimitedWithoutRetryAfter() throws {
        let clock = WorkOSFixture.clock()
        let client = try Self.strict(clock: clock)
        let pg = Self.directoryID(client, "pg")
        let learners = try #require(
            items(client.get("/directory_groups", [("directory", pg)])).first { $0["name"] as? String == "Learners" })
        for _ in 1...3 { #expect(client.get("/directory_users", [("directory", pg)]).status == 200) }
        // A group's read counts against its directory.
        #expect(client.get("/directory_users", [("group", learners["id"] as! String)]).status == 200)
        let limited = client.get("/directory_users", [("group", learners["id"] as! String)])
        #expect(limited.status == 429)
        #expect(String(decoding: limited.body, as: UTF8.self) == #""Ratelimited""#)
        #expect(limited.headers["Retry-After"] == nil && limited.headers["RateLimit-Reset"] == nil)
        // Per directory: another directory, and other routes, are not limited.
        #expect(client.get("/directory_users", [("directory", Self.directoryID(client, "northwind"))]).status == 200)
        #expect(client.get("/directory_groups", [("directory", pg)]).status == 200)
        // The next second is a new window.
        clock.advance(by: 1)
        #expect(client.get("/directory_users", [("directory", pg)]).status == 200)
    }

    @Test func theKindDefaultDoesNotLimitDirectoryReads() throws {
        let client = WorkOSClient(surface: WorkOSFixture.surface())
        let pg = Self.directoryID(client, "pg")
        for _ in 1...10 { #expect(client.get("/directory_users", [("directory", pg)]).status == 200) }
    }

    // MARK: - The secure flow

    @Test(arguments: ["inactive", "suspended"])
    func aUserMadeInactiveIsDeletedNotKept(state: String) throws {
        let client = try Self.strict()
        let pg = Self.directoryID(client, "pg")
        let changed = try #require(client.control("PATCH", "/directories/pg/users/ana@pg.com", body: ["state": state]))
        #expect(changed.status == 200)
        let emails = items(client.get("/directory_users", [("directory", pg), ("limit", "100")])).map { $0["email"] }
        #expect(!emails.contains { $0 as? String == "ana@pg.com" })
        let events = items(client.get("/events", [("events", "dsync.user.deleted")]))
        #expect(events.count == 1)
        // Gone for good: the IdP cannot reach the user again.
        #expect(client.control("PATCH", "/directories/pg/users/ana@pg.com", body: ["state": "active"])?.status == 404)
    }

    @Test func theKindDefaultKeepsAnInactiveUser() throws {
        let client = WorkOSClient(surface: WorkOSFixture.surface())
        #expect(client.control("PATCH", "/directories/pg/users/ana.garcia@pg.com", body: ["state": "inactive"])?.status == 200)
        let pg = Self.directoryID(client, "pg")
        let ana = items(client.get("/directory_users", [("directory", pg), ("email", "ana.garcia@pg.com")]))
        #expect(ana.first?["state"] as? String == "inactive")
    }

    // MARK: - Suspended users and users without an email

    @Test func strictSeedsHoldSuspendedUsersAndUsersWithoutAnEmail() throws {
        let client = try Self.strict()
        let users = items(client.get("/directory_users", [("directory", Self.directoryID(client, "pg")), ("limit", "100")]))
        #expect(users.count == 4)
        #expect(users.first { $0["email"] as? String == "sam@pg.com" }?["state"] as? String == "suspended")
        let service = try #require(users.first { $0["first_name"] as? String == "Service" })
        #expect(service["email"] is NSNull)
        #expect((service["emails"] as? [Any])?.isEmpty == true)
        let added = try #require(
            client.control("POST", "/directories/pg/users", body: ["first_name": "Bot", "groups": ["Learners"]]))
        #expect(added.status == 201)
    }

    @Test func theKindDefaultRefusesThem() throws {
        #expect(throws: SandboxError.self) { _ = try WorkOSSurface(seed: try Self.seed()) }
        let client = WorkOSClient(surface: WorkOSFixture.surface())
        #expect(client.control("POST", "/directories/pg/users", body: ["first_name": "Bot"])?.status == 422)
        let suspended = client.control("PATCH", "/directories/pg/users/ana.garcia@pg.com", body: ["state": "suspended"])
        #expect(suspended?.status == 422)
    }

    // MARK: - Events

    @Test func eventsComeNewestFirstUnlessAskedOtherwise() throws {
        let client = try Self.strict()
        for name in ["Cara", "Dan", "Eve"] {
            _ = client.control(
                "POST", "/directories/pg/users", body: ["email": "\(name.lowercased())@pg.com", "first_name": name])
        }
        let ids = items(client.get("/events", [("events", "dsync.user.created")])).compactMap { $0["id"] as? String }
        #expect(ids.count == 3 && ids == ids.sorted(by: >), "the schema's default order is desc")
        let ascending = items(client.get("/events", [("events", "dsync.user.created"), ("order", "asc")]))
        #expect(ascending.compactMap { $0["id"] as? String } == ids.reversed())
    }

    // MARK: - --profile

    @Test func profilesParseAndUnknownOnesAreRefused() throws {
        #expect(try SandboxProfiles.parse("workos=strict")["workos"] == "strict")
        #expect(try SandboxProfiles.parse("none").names.isEmpty)
        let known = SandboxServer.knownProfiles
        for bad in ["workos", "workos=", "workos=strict,workos=kind"] {
            #expect(throws: SandboxError.self) { _ = try SandboxProfiles.parse(bad) }
        }
        for unknown in ["workos=lenient", "nowhere=strict"] {
            #expect(throws: SandboxError.self) { try SandboxProfiles.parse(unknown).check(known: known) }
        }
        var configuration = SandboxConfiguration()
        configuration.profiles = try SandboxProfiles.parse("workos=strict")
        let server = try SandboxServer(configuration)
        let workos = try #require(server.surfaces.compactMap { $0 as? WorkOSSurface }.first)
        #expect(workos.profile == .strict)
    }
}
