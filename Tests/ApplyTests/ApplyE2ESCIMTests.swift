import Apply
import Foundation
import Live
import Operations
import Planner
import Synchronization
import TestSupport
import Testing

/// A `scim2-server` process (contracts/scim.md §1) on a free loopback port, with `--dynamic-tenants` so each test
/// gets a fresh store under its own prefix. Stopped by its pid.
final class SCIMServerProcess: Sendable {
    static let executable: URL = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appendingPathComponent(".venv-scim/bin/scim2-server")
    }()

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable.path) }

    let port: Int
    private let process: Process

    init() throws {
        port = try LoopbackListener.freePort()
        process = Process()
        process.executableURL = Self.executable
        process.arguments = ["--port", String(port), "--dynamic-tenants", "--bearer-token", SCIMServerProcess.token]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    static let token = "e2e-" + String(repeating: "3", count: 10)

    func waitUntilReady() async throws {
        let transport = URLSessionTransport()
        for _ in 0..<200 {
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/v2/ServiceProviderConfig"))
            let request = TransportRequest(method: "GET", url: url)
            if (try? await transport.send(request)) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LiveError.unreachable(host: "127.0.0.1:\(port)", reason: "scim2-server did not start")
    }

    /// SIGKILL: the server keeps nothing worth saving, and a Python server may sit out a SIGTERM.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

}

/// Wraps a real transport and misbehaves like a flaky network, deterministically: a 503 without sending, a dropped
/// connection without sending, or a lost answer (sent, acted on, answer thrown away).
final class FlakyTransport: HTTPTransport, Sendable {
    let inner: any HTTPTransport
    let serverError: Double
    let drop: Double
    let lost: Double
    private let state = Mutex((random: UInt64(0x5EED), faults: [String: Int]()))

    init(_ inner: any HTTPTransport, serverError: Double, drop: Double, lost: Double) {
        self.inner = inner
        self.serverError = serverError
        self.drop = drop
        self.lost = lost
    }

    var faults: [String: Int] { state.withLock { $0.faults } }

    func send(_ request: TransportRequest) async throws(LiveError) -> TransportResponse {
        let draw = state.withLock { state -> Double in
            state.random = state.random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state.random >> 11) / Double(1 << 53)
        }
        func count(_ kind: String) { state.withLock { $0.faults[kind, default: 0] += 1 } }
        let host = request.url.host ?? ""
        if draw < serverError {
            count("5xx")
            return .json(503, #"{"status":"503","detail":"injected"}"#)
        }
        if draw < serverError + drop {
            count("drop")
            throw .connectionDropped(host: host, reason: "injected drop")
        }
        let response = try await inner.send(request)
        if draw < serverError + drop + lost {
            count("lost")
            throw .connectionDropped(host: host, reason: "injected lost response")
        }
        return response
    }
}

/// A group, `count` users and the first `members` of them (all by default) added to the group.
func scimPlan(users count: Int, members: Int? = nil, app: String = "insights", group: String = "learners") -> Plan {
    var changes = [
        Change(
            id: "scim/\(app)/group/\(group)", kind: .create,
            action: .createSCIMGroup(app: app, displayName: group), reason: "rule")
    ]
    for index in 1...count {
        let userName = "person\(index)@pg.com"
        changes.append(
            Change(
                id: "scim/\(app)/user/\(userName)", kind: .create,
                action: .createSCIMUser(
                    app: app, userName: userName, externalID: "idp-\(index)", givenName: "P", familyName: "\(index)"),
                reason: "joined SG-Stoic-Learners"))
        guard index <= members ?? count else { continue }
        changes.append(
            Change(
                id: "scim/\(app)/member/\(group)/\(userName)", kind: .create,
                action: .addSCIMMember(app: app, group: group, groupID: nil, userName: userName, userID: nil),
                reason: "joined SG-Stoic-Learners",
                dependsOn: ["scim/\(app)/user/\(userName)", "scim/\(app)/group/\(group)"]))
    }
    return plan(tenantPlan(changes))
}

@Suite(.serialized, .enabled(if: SCIMServerProcess.isAvailable, "run scripts/bootstrap for .venv-scim"))
struct ApplyE2ESCIMTests {
    func client(_ server: SCIMServerProcess, tenant: String, transport: any HTTPTransport = URLSessionTransport()) -> SCIMClient {
        // Short backoff: the faults are injected, not a server in trouble.
        SCIMClient(
            channel: SCIMClient.channel(
                app: "insights", baseURL: "http://127.0.0.1:\(server.port)/\(tenant)/v2", token: Secret(SCIMServerProcess.token),
                policy: ChannelPolicy(baseDelay: 0.02, maxDelay: 0.5), transport: transport))
    }

    @Test func convergesAdoptingAnExistingUserAndAcceptingPatch204() async throws {
        let server = try SCIMServerProcess()
        defer { server.stop() }
        try await server.waitUntilReady()
        let scim = client(server, tenant: "converge")
        // Someone made person2 by hand, and deactivated them.
        let existing = try await scim.createUser(userName: "Person2@pg.com", externalID: nil, givenName: "P", familyName: "2")
        _ = try await scim.deactivateUser(id: existing.id)

        let report = await Executor(clients: ApplyClients(scim: ["insights": scim])).apply(scimPlan(users: 5))
        #expect(!report.hasFailures, "\(report.changes.filter { !$0.outcome.isDone })")
        let adopted = report.changes.filter { $0.outcome == .done(adopted: true) }.map(\.changeID)
        #expect(adopted == ["scim/insights/user/person2@pg.com"])
        #expect(report.changes.filter { $0.action == .addSCIMMember }.allSatisfy { $0.httpStatus == 204 })

        let users = try await scim.allUsers()
        #expect(users.count == 5)
        #expect(users.allSatisfy { $0.active })
        let found = try await scim.group(displayName: "learners")
        let group = try #require(found)
        #expect(Set(group.memberIDs) == Set(users.map(\.id)))

        // Applying the same plan again changes nothing and makes nothing twice.
        let again = await Executor(clients: ApplyClients(scim: ["insights": scim])).apply(scimPlan(users: 5))
        #expect(!again.hasFailures)
        let usersAfter = try await scim.allUsers()
        let groupsAfter = try await scim.groups(filter: nil)
        #expect(usersAfter.count == 5)
        #expect(groupsAfter.count == 1)
    }

    @Test func underFaultsEveryChangeIsDoneWithoutDuplicatesPastThePageCap() async throws {
        let server = try SCIMServerProcess()
        defer { server.stop() }
        try await server.waitUntilReady()
        let flaky = FlakyTransport(URLSessionTransport(), serverError: 0.05, drop: 0.02, lost: 0.01)
        let scim = client(server, tenant: "faults", transport: flaky)
        let count = 1010
        let members = 100
        let report = await Executor(clients: ApplyClients(scim: ["insights": scim])).apply(
            scimPlan(users: count, members: members))
        #expect(!report.hasFailures, "\(report.changes.filter { !$0.outcome.isDone }.prefix(5))")
        #expect(report.changes.count == count + members + 1)
        #expect((flaky.faults["lost"] ?? 0) > 0 && (flaky.faults["drop"] ?? 0) > 0 && (flaky.faults["5xx"] ?? 0) > 0)

        let clean = client(server, tenant: "faults")
        let users = try await clean.allUsers()
        #expect(users.count == count)
        #expect(Set(users.map { $0.userName.lowercased() }).count == count)
        let groups = try await clean.groups(filter: nil)
        #expect(groups.count == 1)
        let expectedMembers = users.filter { Int($0.userName.dropFirst(6).prefix { $0.isNumber })! <= members }.map(\.id)
        #expect(groups[0].memberIDs.count == members)
        #expect(Set(groups[0].memberIDs) == Set(expectedMembers))
    }
}
