import Foundation
import Live
import Planner
import Synchronization
import TestSupport
import Testing

/// `WorkOSClient.events`: the Events API read page by page, each event reduced to what the orchestrator routes on,
/// and a hostile server's bytes refused with a `LiveError` rather than trusted.
@Suite struct WorkOSEventsTests {
    static let limits = ListingLimits(maxPages: 40, growthPages: 5)

    func client(_ handler: @escaping @Sendable (TransportRequest) -> RecordedTransport.Reply) -> (WorkOSClient, RecordedTransport)
    {
        let transport = RecordedTransport(handler: handler)
        let channel = WorkOSClient.channel(
            apiKey: Secret("sk_test"), baseURL: FakeWorkOS.base, transport: transport, environment: TestClock().environment)
        return (WorkOSClient(channel: channel, limits: Self.limits), transport)
    }

    static let userCreated = #"""
        {"object":"event","id":"event_01","event":"dsync.user.created","created_at":"2026-11-27T12:00:00.000Z",
         "data":{"id":"directory_user_1","directory_id":"directory_1","organization_id":"org_1","idp_id":"x",
                 "emails":[{"primary":true,"type":"work","value":"Zed.New@pg.com"}],"state":"active"}}
        """#
    static let emailChanged = #"""
        {"object":"event","id":"event_02","event":"dsync.user.updated","created_at":"2026-11-27T12:00:01.000Z",
         "data":{"id":"directory_user_2","organization_id":"org_1","email":"ben.o@pg.com",
                 "previous_attributes":{"email":"Ben.Okafor@pg.com"}}}
        """#
    static let memberAdded = #"""
        {"object":"event","id":"event_03","event":"dsync.group.user_added","created_at":"2026-11-27T12:00:02.000Z",
         "data":{"directory_id":"directory_1","user":{"id":"directory_user_3","email":"ana@pg.com","organization_id":"org_1"},
                 "group":{"id":"directory_group_1","name":"SG"}}}
        """#
    static let organizationUpdated = #"""
        {"object":"event","id":"event_04","event":"organization.updated","created_at":"2026-11-27T12:00:03.000Z",
         "data":{"id":"org_1","external_id":"pg","name":"P&G"}}
        """#

    @Test func eventsAreReducedToWhatRoutesThem() async throws {
        let (client, transport) = client { _ in
            .json(
                200,
                #"{"object":"list","data":[\#(Self.userCreated),\#(Self.emailChanged),\#(Self.memberAdded),"#
                    + #"\#(Self.organizationUpdated)],"list_metadata":{"after":null}}"#)
        }
        let page = try await client.events(WorkOSEventQuery(types: ["dsync.user.created"], after: "event_00", limit: 50))
        #expect(page.events.map(\.id) == ["event_01", "event_02", "event_03", "event_04"])
        #expect(page.after == "event_04", "with no `after`, the last id is where the next read starts")
        let created = page.events[0]
        #expect(created.directoryUserID == "directory_user_1" && created.email == "zed.new@pg.com")
        #expect(created.organizationID == "org_1" && created.directoryID == "directory_1")
        #expect(page.events[1].email == "ben.o@pg.com" && page.events[1].previousEmail == "ben.okafor@pg.com")
        #expect(page.events[2].directoryUserID == "directory_user_3" && page.events[2].email == "ana@pg.com")
        #expect(page.events[3].organizationID == "org_1" && page.events[3].organizationExternalID == "pg")
        let request = try #require(transport.requests.first)
        #expect(request.query("events") == "dsync.user.created" && request.query("after") == "event_00")
        #expect(request.query("limit") == "50" && request.query("order") == "asc")
    }

    @Test func pagingFollowsTheCursorUpToTheBound() async throws {
        let served = Mutex(0)
        let (client, transport) = client { request in
            let index = served.withLock { count -> Int in
                count += 1
                return count
            }
            let limit = Int(request.query("limit") ?? "") ?? 0
            let events = (0..<limit).map { offset in
                #"{"id":"event_\#(index)_\#(offset)","event":"dsync.user.updated","created_at":"2026-11-27T12:00:00Z","data":{}}"#
            }
            return .json(200, #"{"data":[\#(events.joined(separator: ","))],"list_metadata":{"after":"event_\#(index)_end"}}"#)
        }
        let events = try await client.events(WorkOSEventQuery(rangeStart: "2026-11-27T11:45:00Z"), maxEvents: 250)
        #expect(events.count == 250)
        #expect(transport.requests.count == 3)
        #expect(transport.requests[0].query("range_start") == "2026-11-27T11:45:00Z")
        #expect(transport.requests[1].query("after") == "event_1_end" && transport.requests[1].query("range_start") == nil)
        #expect(transport.requests[2].query("limit") == "50")
    }

    @Test(arguments: [
        ("not JSON", "<html>oops</html>"),
        ("an event without an id", #"{"data":[{"event":"dsync.user.created"}]}"#),
        ("deep nesting", String(repeating: "[", count: 100_000)),
        ("an id of 2 KiB", #"{"data":[{"id":"\#(String(repeating: "e", count: 2048))","event":"x"}]}"#),
        (
            "more events than asked",
            #"{"data":[\#(Array(repeating: #"{"id":"e","event":"x"}"#, count: 3).joined(separator: ","))]}"#
        ),
    ])
    func hostileBytesFailTheRead(_ hostile: (String, String)) async {
        let (client, _) = client { _ in .json(200, hostile.1) }
        do throws(LiveError) {
            _ = try await client.events(WorkOSEventQuery(limit: 2))
            Issue.record("\(hostile.0) was accepted")
        } catch {
            #expect(error.description.contains("workos") || error.description.contains("/events"), "\(error)")
        }
    }

    @Test func aRepeatingCursorFailsTheRead() async {
        let (client, transport) = client { request in
            let limit = Int(request.query("limit") ?? "") ?? 0
            let events = (0..<limit).map { #"{"id":"event_\#(UUID().uuidString)_\#($0)","event":"x","data":{}}"# }
            return .json(200, #"{"data":[\#(events.joined(separator: ","))],"list_metadata":{"after":"event_same"}}"#)
        }
        do throws(LiveError) {
            _ = try await client.events(WorkOSEventQuery(limit: 1), maxEvents: 1000)
            Issue.record("an endless cursor was followed")
        } catch {
            #expect(transport.requests.count <= 3)
        }
    }

    @Test func oddFieldsInDataAreIgnoredNotFatal() async throws {
        let (client, _) = client { _ in
            .json(200, #"{"data":[{"id":"event_1","event":"dsync.user.created","data":{"id":42,"emails":"nope","user":[1]}}]}"#)
        }
        let page = try await client.events(WorkOSEventQuery())
        #expect(page.events.count == 1)
        #expect(page.events[0].directoryUserID == nil && page.events[0].email == nil)
    }
}
