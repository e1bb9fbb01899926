import Foundation
import Live
import Planner
import TestSupport
import Testing

@Suite struct ThinkificUserRouteTests {
    @Test(arguments: [
        (3, 40, ThinkificUserRoute.lookups(3)),
        (100, 40, .listing(pages: 40)),
        (39, 40, .listing(pages: 40)),
        (38, 40, .lookups(38)),
        (5, 1, .listing(pages: 1)),
    ])
    func choosesTheCheaperRoute(remaining: Int, totalPages: Int, expected: ThinkificUserRoute) {
        #expect(ThinkificUserRoute.choose(remainingCandidates: remaining, totalPages: totalPages) == expected)
    }
}

@Suite struct ObserverTests {
    static let learners = "SG-Stoic-Learners"

    func request(
        roster: [String] = [], idpGroups: [String]? = nil, scim: [SCIMScope] = [], thinkific: Bool = true
    )
        -> ObservationRequest
    {
        ObservationRequest(
            tenant: "pg", domains: ["pg.com"], rosterEmails: roster,
            thinkific: thinkific ? ThinkificScope(courseSlugs: ["foundations"], groupNames: ["P&G 2026"]) : nil,
            workos: idpGroups.map { WorkOSScope(organizationExternalID: "pg", readsDirectory: true, idpGroups: $0) }, scim: scim)
    }

    func usersRequests(_ transport: RecordedTransport) -> [TransportRequest] {
        transport.requests.filter { $0.url.path.hasSuffix("/users") && $0.query("query[group_id]") == nil }
    }

    // MARK: - Thinkific routes

    @Test func aFewUnknownPeopleOnABigSiteAreLookedUpByEmail() async throws {
        var site = FakeThinkific(courses: [(101, "foundations")], groups: [(7, "P&G 2026")])
        site.users = (1...2000).map { .init(id: $0, email: "other\($0)@acme.com") }
        site.users.append(.init(id: 5000, email: "ana@pg.com"))
        let (client, transport) = thinkificClient(site)
        let observer = Observer(thinkific: client)
        let tenant = try await observer.observe(request(roster: ["ana@pg.com", "ben@pg.com", "chloe@pg.com"]))
        #expect(observer.thinkificRoutes["pg"] == .lookups(3))
        #expect(tenant.thinkific?.users.map(\.email) == ["ana@pg.com"])
        // Page 1 of the listing (to learn the total) plus one lookup per remaining person; never the other 7 pages.
        let reads = usersRequests(transport)
        #expect(reads.count == 4)
        #expect(reads.compactMap { $0.query("query[email]") }.sorted() == ["ana@pg.com", "ben@pg.com", "chloe@pg.com"])
        #expect(observer.requests["thinkific"]?.requests == transport.requests.count)
    }

    @Test func manyPeopleOnASmallSiteListTheSiteInstead() async throws {
        var site = FakeThinkific(courses: [(101, "foundations")], groups: [(7, "P&G 2026")])
        site.users = (1...400).map { .init(id: $0, email: "p\($0)@pg.com") }
        let (client, transport) = thinkificClient(site)
        let roster = (1...30).map { "p\($0 * 10)@pg.com" } + ["new@pg.com"]
        let observer = Observer(thinkific: client)
        let tenant = try await observer.observe(request(roster: roster))
        #expect(observer.thinkificRoutes["pg"] == .listing(pages: 2))
        #expect(usersRequests(transport).count == 2)
        #expect(usersRequests(transport).allSatisfy { $0.query("query[email]") == nil })
        // The whole listing is scoped to the tenant's domain: 400 users of pg.com, not the roster only.
        #expect(tenant.thinkific?.users.count == 400)
    }

    @Test func peopleSeenInEnrollmentsOrGroupsNeedNoUserReads() async throws {
        let site = FakeThinkific(
            users: [
                .init(id: 1, email: "ana@pg.com", groups: [7]), .init(id: 2, email: "ben@pg.com"),
                .init(id: 3, email: "x@acme.com"),
            ],
            courses: [(101, "foundations"), (102, "other")], groups: [(7, "P&G 2026"), (8, "Acme")],
            enrollments: [(11, 2, 101), (12, 3, 101), (13, 2, 102)])
        let (client, transport) = thinkificClient(site)
        let observer = Observer(thinkific: client)
        let observed = try #require(try await observer.observe(request(roster: ["ana@pg.com", "BEN@pg.com"])).thinkific)
        #expect(observer.thinkificRoutes["pg"] == .alreadyKnown)
        #expect(usersRequests(transport).isEmpty)
        // Only the managed course's enrollments of the tenant's people; acme's enrollment is not pg's business.
        #expect(observed.enrollments.map(\.id) == [11])
        #expect(observed.groupMembers == [ThinkificGroupMembers(groupID: 7, groupName: "P&G 2026", userIDs: [1])])
        #expect(observed.users.map(\.id) == [1, 2])
        #expect(observed.courses.map(\.id) == [101, 102])
        #expect(!transport.requests.contains { $0.query("query[course_id]") == "102" })
    }

    @Test func siteWideListingsAreReadOncePerRun() async throws {
        let site = FakeThinkific(courses: [(101, "foundations")], groups: [(7, "P&G 2026")])
        let (client, transport) = thinkificClient(site)
        var second = request()
        second.tenant = "northwind"
        second.domains = ["northwind.com"]
        // One observer is one run: tenants observed one after another, as `PlanSession` does.
        let observer = Observer(thinkific: client)
        let tenants = [try await observer.observe(request()), try await observer.observe(second)]
        #expect(tenants.map(\.tenant) == ["pg", "northwind"])
        #expect(transport.requests.filter { $0.url.path.hasSuffix("/courses") }.count == 1)
        #expect(transport.requests.filter { $0.url.path.hasSuffix("/groups") }.count == 1)
    }

    // MARK: - Directory

    @Test func readsDirectoryPeopleOneListingPerMappedGroup() async throws {
        let fake = FakeWorkOS(
            groupNames: [Self.learners, "SG-Stoic-Managers", "SG-Finance"],
            people: [
                .init(id: "a", email: "ana@pg.com", groups: [Self.learners]),
                .init(id: "i", email: "ivy@pg.com", groups: [Self.learners, "SG-Stoic-Managers"]),
                .init(id: "k", email: "kira@pg.com", groups: ["SG-Finance"]),
                .init(id: "s", email: "sam@pg.com", state: "inactive", groups: [Self.learners]),
            ])
        let (workos, transport) = workosClient(fake)
        let observed = try await Observer(workos: workos).observe(
            request(idpGroups: [Self.learners, "SG-Stoic-Managers"], thinkific: false))
        let directory = try #require(observed.directory)
        #expect(directory.readSucceeded)
        #expect(directory.organization?.externalID == "pg")
        #expect(directory.connections.map(\.state) == ["active"])
        #expect(directory.groups.count == 3)
        #expect(directory.users.map(\.email) == ["ana@pg.com", "ivy@pg.com", "sam@pg.com"])
        #expect(directory.users.first { $0.id == "i" }?.groups == [Self.learners, "SG-Stoic-Managers"])
        #expect(directory.users.first { $0.id == "s" }?.isActive == false)
        let userListings = transport.requests.filter { $0.url.path == "/directory_users" }
        #expect(
            userListings.compactMap { $0.query("group") }.sorted() == [
                "directory_group_SG-Stoic-Learners", "directory_group_SG-Stoic-Managers",
            ])
        #expect(!transport.requests.contains { $0.url.path == "/directory_groups" && $0.query("user") != nil })
    }

    @Test func anUnknownOrganizationIsObservedAsAbsent() async throws {
        let (workos, _) = workosClient(FakeWorkOS(externalID: "someone-else"))
        let observed = try await Observer(workos: workos).observe(request(idpGroups: [Self.learners], thinkific: false))
        #expect(observed.directory == ObservedDirectory(organization: nil))
    }

    @Test func aFailedDirectoryReadIsMarkedNotEmpty() async throws {
        let fake = FakeWorkOS(groupNames: [Self.learners], people: [.init(id: "a", email: "ana@pg.com", groups: [Self.learners])])
        let transport = RecordedTransport(handler: { request in
            request.url.path == "/directory_users" ? .json(403, #"{"message":"Forbidden"}"#) : fake.handle(request)
        })
        let workos = WorkOSClient(
            channel: WorkOSClient.channel(
                apiKey: Secret("k"), baseURL: FakeWorkOS.base, transport: transport, environment: TestClock().environment))
        let directory = try #require(
            try await Observer(workos: workos).observe(request(idpGroups: [Self.learners], thinkific: false)).directory)
        #expect(!directory.readSucceeded)
        #expect(directory.failure?.contains("403") == true)
    }

    @Test func directoryPeopleBecomeThinkificCandidates() async throws {
        let site = FakeThinkific(
            users: [.init(id: 1, email: "ana@pg.com"), .init(id: 2, email: "zed@pg.com")], courses: [(101, "foundations")])
        let (thinkific, transport) = thinkificClient(site)
        let (workos, _) = workosClient(
            FakeWorkOS(groupNames: [Self.learners], people: [.init(id: "a", email: "ana@pg.com", groups: [Self.learners])]))
        let observed = try await Observer(thinkific: thinkific, workos: workos).observe(request(idpGroups: [Self.learners]))
        #expect(observed.thinkific?.users.map(\.email) == ["ana@pg.com"])
        #expect(usersRequests(transport).map { $0.query("query[email]") } == ["ana@pg.com"])
    }

    // MARK: - SCIM

    @Test func readsSCIMUsersByDomainAndGroupsByName() async throws {
        let fake = FakeSCIM(
            userNames: ["ana@pg.com", "ben@pg.com", "x@acme.com"], groups: [("learners", ["ana@pg.com"]), ("other", [])])
        let (client, transport) = scimClient(fake)
        let observed = try await Observer(scim: ["insights": client]).observe(
            request(scim: [SCIMScope(app: "insights", groupNames: ["learners", "managers"])], thinkific: false))
        let app = try #require(observed.scimApps.first)
        #expect(app.users.map(\.userName) == ["ana@pg.com", "ben@pg.com"])
        #expect(app.groups.map(\.displayName) == ["learners"])
        #expect(transport.requests.contains { $0.query("filter") == #"userName ew "@pg.com""# })
    }

    @Test func fallsBackToTheFullListingWithoutEndsWithFiltering() async throws {
        let fake = FakeSCIM(userNames: ["ana@pg.com", "x@acme.com"], supportsEndsWith: false)
        let (client, _) = scimClient(fake)
        let observed = try await Observer(scim: ["insights": client]).observe(
            request(scim: [SCIMScope(app: "insights", groupNames: [])], thinkific: false))
        #expect(observed.scimApps.first?.users.map(\.userName) == ["ana@pg.com"])
    }

    @Test func aMissingConnectionFailsThatTenantOnly() async throws {
        let (client, _) = scimClient(FakeSCIM())
        var other = request(scim: [SCIMScope(app: "dashboard", groupNames: [])])
        other.tenant = "northwind"
        other.thinkific = nil
        var first = request(scim: [SCIMScope(app: "insights", groupNames: [])])
        first.thinkific = nil
        let observer = Observer(scim: ["insights": client])
        #expect(try await observer.observe(first).tenant == "pg")
        await #expect(throws: LiveError.missingConnection(name: "dashboard", tenant: "northwind")) {
            try await observer.observe(other)
        }
    }
}
