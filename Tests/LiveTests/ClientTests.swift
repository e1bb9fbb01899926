import Foundation
import Live
import Planner
import TestSupport
import Testing

func thinkificClient(_ site: FakeThinkific, clock: TestClock = TestClock()) -> (ThinkificClient, RecordedTransport) {
    let transport = RecordedTransport(handler: { site.handle($0) })
    let connection = ThinkificClient.channel(
        subdomain: "stoic", apiKey: Secret("key"), baseURL: FakeThinkific.base, policy: .thinkific(requestsPerMinute: nil),
        transport: transport, environment: clock.environment)
    return (ThinkificClient(channel: connection), transport)
}

func workosClient(_ fake: FakeWorkOS) -> (WorkOSClient, RecordedTransport) {
    let transport = RecordedTransport(handler: { fake.handle($0) })
    let connection = WorkOSClient.channel(
        apiKey: Secret("sk_test"), baseURL: FakeWorkOS.base, transport: transport, environment: TestClock().environment)
    return (WorkOSClient(channel: connection), transport)
}

func scimClient(_ fake: FakeSCIM, app: String = "insights") -> (SCIMClient, RecordedTransport) {
    let transport = RecordedTransport(handler: { fake.handle($0) })
    let connection = SCIMClient.channel(
        app: app, baseURL: FakeSCIM.base, token: Secret("tok"), transport: transport, environment: TestClock().environment)
    return (SCIMClient(channel: connection), transport)
}

@Suite struct ThinkificClientTests {
    @Test func pagesAUserListingToTheEndAt250APage() async throws {
        let site = FakeThinkific(users: (1...600).map { .init(id: $0, email: "u\($0)@pg.com") })
        let (client, transport) = thinkificClient(site)
        let users = try await client.allUsers()
        #expect(users.map(\.id) == Array(1...600))
        #expect(transport.requests.count == 3)
        #expect(Set(transport.requests.compactMap { $0.query("page") }) == ["1", "2", "3"])
        #expect(transport.requests.allSatisfy { $0.query("limit") == "250" })
        #expect(transport.requests.allSatisfy { $0.header("X-Auth-Subdomain") == "stoic" })
    }

    @Test func followsNextPageBeyondTheTotalFirstAnnounced() async throws {
        // Page 1 claims one page in total but still names a next page (the listing grew while reading).
        let transport = RecordedTransport()
        transport.enqueue(
            .json(
                200, #"{"items":[{"id":1,"name":"G1"}],"meta":{"pagination":{"current_page":1,"next_page":2,"total_pages":1}}}"#),
            .json(
                200,
                #"{"items":[{"id":2,"name":"G2"}],"meta":{"pagination":{"current_page":2,"next_page":null,"total_pages":2}}}"#))
        let client = ThinkificClient(
            channel: ThinkificClient.channel(
                subdomain: "s", apiKey: Secret("k"), baseURL: FakeThinkific.base, transport: transport,
                environment: TestClock().environment))
        #expect(try await client.groups().map(\.name) == ["G1", "G2"])
    }

    @Test func looksUpAUserByExactEmailThroughAPartialSearch() async throws {
        let site = FakeThinkific(users: [.init(id: 1, email: "ana.garcia@pg.com.au"), .init(id: 2, email: "Ana.Garcia@pg.com")])
        let (client, transport) = thinkificClient(site)
        #expect(try await client.user(email: "ana.garcia@pg.com")?.id == 2)
        #expect(try await client.user(email: "nobody@pg.com") == nil)
        #expect(transport.requests.first?.query("query[email]") == "ana.garcia@pg.com")
    }

    @Test func readsGroupMembersEnrollmentsAndCourseSlugs() async throws {
        let site = FakeThinkific(
            users: [.init(id: 1, email: "a@pg.com", groups: [7]), .init(id: 2, email: "b@pg.com")],
            courses: [(101, "foundations"), (102, "leading-teams")], groups: [(7, "P&G 2026")],
            enrollments: [(11, 1, 101), (12, 2, 102), (13, 2, 101)])
        let (client, transport) = thinkificClient(site)
        #expect(try await client.users(inGroup: 7).map(\.id) == [1])
        #expect(try await client.enrollments(courseID: 101).map(\.id) == [11, 13])
        #expect(try await client.enrollments(userID: 2).map(\.id) == [12, 13])
        #expect(try await client.courseID(slug: "leading-teams") == 102)
        #expect(try await client.courseID(slug: "missing") == nil)
        #expect(transport.requests[0].query("query[group_id]") == "7")
        let enrollment = try #require(try await client.enrollments(courseID: 102).first)
        #expect(
            enrollment
                == ThinkificEnrollment(
                    id: 12, userID: 2, userEmail: "b@pg.com", courseID: 102, activatedAt: "2026-05-04T00:00:00.000Z"))
    }

    @Test func aMalformedBodyIsAClearError() async throws {
        let transport = RecordedTransport(handler: { _ in .json(200, #"{"items":[{"id":1}]}"#) })
        let client = ThinkificClient(
            channel: ThinkificClient.channel(
                subdomain: "s", apiKey: Secret("k"), baseURL: FakeThinkific.base, transport: transport,
                environment: TestClock().environment))
        await #expect(throws: LiveError.malformedResponse(method: "GET", path: "/groups", reason: "missing items[0].name")) {
            _ = try await client.groups()
        }
    }
}

@Suite struct WorkOSClientTests {
    @Test func anUnknownExternalIDIsNil() async throws {
        let (client, _) = workosClient(FakeWorkOS(externalID: "pg"))
        #expect(try await client.organization(externalID: "contoso") == nil)
        let organization = try #require(try await client.organization(externalID: "pg"))
        #expect(organization.id == "org_1")
        #expect(organization.domains == [WorkOSDomain(domain: "pg.com", state: "verified")])
    }

    @Test func followsTheAfterCursorAt100APage() async throws {
        let people = (1...250).map { FakeWorkOS.Person(id: String(format: "u%03d", $0), email: "p\($0)@pg.com", groups: ["L"]) }
        let (client, transport) = workosClient(FakeWorkOS(groupNames: ["L"], people: people))
        let users = try await client.directoryUsers(groupID: "directory_group_L")
        #expect(users.count == 250)
        #expect(Set(users.map(\.id)).count == 250)
        #expect(transport.requests.map { $0.query("after") } == [nil, "u100", "u200"])
        #expect(transport.requests.allSatisfy { $0.query("limit") == "100" && $0.query("group") == "directory_group_L" })
        #expect(transport.requests.allSatisfy { $0.header("Authorization") == "Bearer sk_test" })
    }

    @Test func readsConnectionsDirectoriesAndGroups() async throws {
        let (client, _) = workosClient(FakeWorkOS(groupNames: ["A", "B"]))
        #expect(try await client.connections(organizationID: "org_1").map(\.connectionType) == ["PingFederateSAML"])
        #expect(try await client.directories(organizationID: "org_1").map(\.state) == ["linked"])
        #expect(try await client.directoryGroups(directoryID: "directory_1").map(\.name) == ["A", "B"])
    }

    @Test func aRepeatingCursorIsAnErrorNotAnEndlessLoop() async throws {
        let transport = RecordedTransport(handler: { _ in
            .json(200, #"{"object":"list","data":[{"id":"g","name":"G"}],"list_metadata":{"before":null,"after":"g"}}"#)
        })
        let client = WorkOSClient(
            channel: WorkOSClient.channel(
                apiKey: Secret("k"), baseURL: FakeWorkOS.base, transport: transport, environment: TestClock().environment))
        await #expect(throws: LiveError.self) { _ = try await client.directoryGroups(directoryID: "d") }
        #expect(transport.requests.count == 2)
    }
}

@Suite struct SCIMClientTests {
    @Test func pagesPastAServerCapSmallerThanTheRequestedCount() async throws {
        let names = (1...7).map { "user\($0)@pg.com" }
        let (client, transport) = scimClient(FakeSCIM(userNames: names, cap: 3))
        let users = try await client.allUsers()
        #expect(users.map(\.userName) == names)
        #expect(transport.requests.map { $0.query("startIndex") } == ["1", "4", "7"])
        #expect(transport.requests.allSatisfy { $0.query("count") == "1000" })
        #expect(transport.requests.allSatisfy { $0.header("Accept")?.contains("application/scim+json") == true })
    }

    @Test func findsUsersAndGroupsByFilter() async throws {
        let fake = FakeSCIM(userNames: ["ana@pg.com", "ben@pg.com"], groups: [("learners", ["ana@pg.com"]), ("managers", [])])
        let (client, transport) = scimClient(fake)
        #expect(try await client.user(userName: "ANA@pg.com")?.id == "u-ana@pg.com")
        #expect(transport.requests.first?.query("filter") == #"userName eq "ANA@pg.com""#)
        let group = try #require(try await client.group(displayName: "learners"))
        #expect(group.memberIDs == ["u-ana@pg.com"])
        #expect(try await client.group(displayName: "nobody") == nil)
    }

    @Test func quotesFilterValues() {
        #expect(SCIMClient.quote(#"a"b\c"#) == #""a\"b\\c""#)
    }
}
