import Foundation
import Planner
import Sandbox
import Spec
import TestSupport
import Testing

@testable import Live

/// WorkOS's `GET /directory_users` limit, 4 a second per directory, with a 429 that is the bare string
/// `"Ratelimited"` and no hint: reads of one directory share one pace, a hintless 429 waits for the next window
/// instead of spending an attempt, and only a stall with no progress fails the read (issue 10).
@Suite struct DirectoryPacingTests {
    let clock = TestClock()
    static let ratelimited = RecordedTransport.Reply.json(429, #""Ratelimited""#)

    func channel(_ transport: RecordedTransport, maxAttempts: Int = 3) -> HTTPChannel {
        HTTPChannel(
            name: "workos", baseURL: "https://api.workos.test", secretHeaders: [("Authorization", "Bearer ", Secret("sk_1"))],
            policy: ChannelPolicy(maxAttempts: maxAttempts, baseDelay: 1, maxDelay: 60),
            transport: transport, environment: clock.environment)
    }

    static func limit(stallBudget: Double = 60) -> PacedLimit {
        PacedLimit(requests: 4, window: 1, margin: 0, stallBudget: stallBudget)
    }

    @Test func aHintless429WaitsForTheNextWindowAndIsNotAFailedAttempt() async throws {
        let transport = RecordedTransport(handler: { _ in .json(200, #"{"data":[]}"#) })
        // More 429s in a row than attempts allowed: none of them is an attempt.
        for _ in 1...6 { transport.enqueue(Self.ratelimited) }
        let channel = channel(transport, maxAttempts: 3)
        let response = try await channel.send("GET", "/directory_users", pacing: Self.limit())
        #expect(response.status == 200)
        #expect(transport.requests.count == 7)
        // Each 429 waited a whole window, not a growing backoff.
        #expect(clock.sleeps.filter { $0 > 0 } == Array(repeating: 1, count: 6))
        #expect(channel.stats.rateLimited == 6)
    }

    @Test func itGivesUpOnlyAfterTheStallBudgetWithoutProgress() async throws {
        let transport = RecordedTransport(handler: { _ in Self.ratelimited })
        let response = try await channel(transport).send("GET", "/directory_users", pacing: Self.limit(stallBudget: 5))
        #expect(response.status == 429)
        #expect(clock.now >= 5 && clock.now < 7, "\(clock.now)")
        #expect(transport.requests.count == 6)
    }

    @Test func progressOfAnyStreamOfTheDirectoryKeepsItGoing() async throws {
        let limit = Self.limit(stallBudget: 5)
        let transport = RecordedTransport(handler: { _ in .json(200, "{}") })
        let channel = channel(transport)
        // Another stream of the directory made progress at t = 4: a 429 at t = 8 is within the budget again.
        _ = try await channel.send("GET", "/directory_users", pacing: limit)
        clock.sleep(4)
        _ = try await channel.send("GET", "/directory_users", pacing: limit)
        clock.sleep(4)
        transport.enqueue(Self.ratelimited)
        #expect(try await channel.send("GET", "/directory_users", pacing: limit).status == 200)
    }

    @Test func readsOfOneDirectorySharePaceAndOtherDirectoriesDoNot() async throws {
        let transport = RecordedTransport(handler: { _ in .json(200, "{}") })
        let channel = channel(transport)
        let limits = PacedLimits { Self.limit() }
        for _ in 1...8 { _ = try await channel.send("GET", "/directory_users", pacing: limits.limit("directory_A")) }
        // Eight reads of one directory at 4 a second, evenly: the last leaves 1.75 s after the first.
        #expect(abs(clock.now - 1.75) < 1e-9, "\(clock.now)")
        let before = clock.now
        _ = try await channel.send("GET", "/directory_users", pacing: limits.limit("directory_B"))
        #expect(clock.now == before, "another directory has its own limit")
    }

    @Test func theWorkOSLimitIsFourASecondLessTheMargin() {
        let limit = PacedLimit.workosDirectory()
        #expect(limit.window == 1 && limit.stallBudget == VendorLimits.workosDirectoryStallSeconds)
        #expect(limit.reserve(now: 0) == 0)
        #expect(abs(limit.reserve(now: 0) - 1.1 / 4) < 1e-9)
    }

    // MARK: - Against the sandbox's strict profile

    /// Eight groups of one directory read at once, each its own stream of pages, against `workos=strict` over
    /// loopback: every group is read whole.
    @Test func eightGroupsOfOneDirectoryAreReadWholeUnderTheStrictProfile() async throws {
        let groups = (1...8).map { "G\($0)" }
        let seed = WorkOSSeed(organizations: [
            .init(
                name: "P&G", externalID: "pg", domains: ["pg.com"],
                directories: [
                    .init(
                        name: "P&G SCIM", groups: groups,
                        generators: [.init(count: 1600, domain: "pg.com", groups: .roundRobin(groups))])
                ])
        ])
        var configuration = SandboxConfiguration()
        configuration.profiles = try SandboxProfiles.parse("workos=strict")
        let server = try SandboxServer(configuration, surfaces: [WorkOSSurface(seed, profile: .strict)])
        let root = try server.start()
        defer { server.stop() }
        let client = WorkOSClient(
            channel: WorkOSClient.channel(
                apiKey: Secret(SandboxDefaults.workosAPIKey), baseURL: root + "/workos", transport: URLSessionTransport()))
        let organization = try #require(try await client.organization(externalID: "pg"))
        let directories = try await client.directories(organizationID: organization.id)
        let found = try await client.groups(of: directories)
        let members = try await concurrently(found.count) { (index: Int) async throws(LiveError) in
            try await client.directoryUsers(in: found[index])
        }
        #expect(members.map(\.count) == Array(repeating: 200, count: 8))
        #expect(Set(members.flatMap { $0.map(\.id) }).count == 1600)
    }
}
