import Apply
import Foundation
import Live
import Operations
import Planner
import Synchronization
import TestSupport
import Testing

func tenantPlan(
    _ changes: [Change], tenant: String = "pg", errors: [PlanProblem] = [], removalGuard: RemovalGuard? = nil
) -> TenantPlan {
    TenantPlan(
        tenant: tenant, name: tenant.uppercased(), changes: changes, errors: errors,
        seats: SeatUsage(entitled: 1, licensed: 100),
        removalGuard: removalGuard ?? RemovalGuard(removals: 0, provisioned: 10, threshold: 1))
}

func plan(_ tenants: TenantPlan...) -> Plan {
    Plan(createdAt: Date(timeIntervalSince1970: 1_790_000_000), workspaceDigest: "d1", tenants: tenants)
}

/// A user, their enrollment (which needs the user's new id) and their group membership.
func personChanges(_ email: String, course: Int = 3) -> [Change] {
    [
        Change(
            id: "thinkific/user/\(email)", kind: .create,
            action: .createThinkificUser(email: email, firstName: "F", lastName: "L"), reason: "joined"),
        Change(
            id: "thinkific/enroll/\(email)/c\(course)", kind: .create,
            action: .enroll(
                email: email, userID: nil, courseSlug: "c\(course)", courseID: course, activatedAt: "2026-05-04", expiryDate: nil),
            reason: "joined", dependsOn: ["thinkific/user/\(email)"]),
        Change(
            id: "thinkific/groups/\(email)", kind: .create,
            action: .addToThinkificGroups(email: email, userID: nil, groups: ["P&G 2026"]), reason: "joined"),
    ]
}

@Suite struct ExecuteTests {
    @Test func createsUsersBeforeTheirEnrollmentsAndUsesTheNewIDs() async throws {
        let fake = WriteFake()
        let changes = personChanges("ana@pg.com") + personChanges("bo@pg.com")
        let report = await Executor(clients: fake.clients()).apply(plan(tenantPlan(changes.reversed())))
        #expect(!report.hasFailures)
        let state = fake.snapshot
        #expect(state.users.count == 2)
        #expect(Set(state.enrollments.map(\.userID)) == Set(state.users.map(\.id)))
        #expect(Set(state.groupUsers.map(\.userID)) == Set(state.users.map(\.id)))
        // Every enrollment POST came after its user's POST.
        let posts = fake.transport.requests.filter { $0.method == "POST" }.map(\.url.path)
        #expect(posts.lastIndex(of: "/v1/users")! < posts.lastIndex(of: "/v1/enrollments")!)
    }

    @Test func aFailedChangeSkipsOnlyItsDependents() async throws {
        let fake = WriteFake()
        fake.inject("POST /users", .status(403))
        let changes =
            personChanges("ana@pg.com") + [
                Change(
                    id: "scim/insights/user/cy@pg.com", kind: .create,
                    action: .createSCIMUser(
                        app: "insights", userName: "cy@pg.com", externalID: nil, givenName: "C", familyName: "Y"),
                    reason: "joined")
            ]
        let report = await Executor(clients: fake.clients(), options: ApplyOptions(parallelism: 1)).apply(
            plan(tenantPlan(changes)))
        let outcomes = Dictionary(uniqueKeysWithValues: report.changes.map { ($0.changeID, $0.outcome) })
        #expect(outcomes["thinkific/user/ana@pg.com"]?.label == "failed")
        #expect(outcomes["thinkific/user/ana@pg.com"]?.reason?.contains("403") == true)
        #expect(outcomes["thinkific/enroll/ana@pg.com/c3"] == .skipped(reason: "depends on failed thinkific/user/ana@pg.com"))
        #expect(outcomes["thinkific/groups/ana@pg.com"]?.label == "skipped")
        #expect(outcomes["scim/insights/user/cy@pg.com"] == .done(adopted: false))
        #expect(report.hasFailures)
        #expect(fake.snapshot.scimUsers.count == 1)
    }

    @Test func resolvesSCIMGroupAndUserIDsMadeByEarlierChanges() async throws {
        let fake = WriteFake()
        let changes = [
            Change(
                id: "m", kind: .create,
                action: .addSCIMMember(app: "insights", group: "learners", groupID: nil, userName: "ana@pg.com", userID: nil),
                reason: "joined"),
            Change(
                id: "g", kind: .create,
                action: .createSCIMGroup(app: "insights", displayName: "learners"),
                reason: "rule"),
            Change(
                id: "u", kind: .create,
                action: .createSCIMUser(
                    app: "insights", userName: "ana@pg.com", externalID: nil, givenName: "A", familyName: "L"),
                reason: "joined"),
        ]
        let report = await Executor(clients: fake.clients()).apply(plan(tenantPlan(changes)))
        #expect(!report.hasFailures)
        let state = fake.snapshot
        #expect(state.scimGroups.map(\.members) == [state.scimUsers.map(\.id)])
    }

    @Test func planWithErrorsIsRefusedWithoutARequest() async throws {
        let fake = WriteFake()
        let tenant = tenantPlan(
            personChanges("ana@pg.com"), errors: [PlanProblem(code: "seats-exceeded", message: "501 > 500 seats")])
        let report = await Executor(clients: fake.clients()).apply(plan(tenant))
        #expect(report.tenants[0].refusal?.contains("501 > 500 seats") == true)
        #expect(report.hasFailures)
        #expect(fake.transport.requests.isEmpty)
    }

    @Test func trippedRemovalGuardNeedsTheOverride() async throws {
        let expire = Change(
            id: "x", kind: .remove,
            action: .expireEnrollment(email: "a@pg.com", enrollmentID: 55, courseSlug: "c", expiryDate: "2026-01-01"),
            reason: "left")
        let tripped = tenantPlan([expire], removalGuard: RemovalGuard(removals: 5, provisioned: 10, threshold: 1))
        let fake = WriteFake()
        fake.edit { $0.enrollments = [.init(id: 55, userID: 1, courseID: 3, activatedAt: nil, expiry: nil)] }
        let refused = await Executor(clients: fake.clients()).apply(plan(tripped))
        #expect(refused.tenants[0].refusal?.contains("--allow-mass-removal") == true)
        #expect(fake.transport.requests.isEmpty)
        let allowed = await Executor(clients: fake.clients(), options: ApplyOptions(allowMassRemoval: true)).apply(plan(tripped))
        #expect(!allowed.hasFailures)
        #expect(fake.snapshot.enrollments[0].expiry != nil)
    }

    @Test func deletesNeedAllowDelete() async throws {
        let delete = Change(
            id: "d", kind: .remove,
            action: .deleteSCIMUser(app: "insights", userID: "u1", userName: "a@pg.com"),
            reason: "left")
        let fake = WriteFake()
        fake.edit { $0.scimUsers = [.init(id: "u1", userName: "a@pg.com", active: true)] }
        let refused = await Executor(clients: fake.clients()).apply(plan(tenantPlan([delete])))
        #expect(refused.tenants[0].refusal?.contains("--allow-delete") == true)
        #expect(fake.snapshot.scimUsers.count == 1)
        let allowed = await Executor(clients: fake.clients(), options: ApplyOptions(allowDelete: true)).apply(
            plan(tenantPlan([delete])))
        #expect(!allowed.hasFailures)
        #expect(fake.snapshot.scimUsers.isEmpty)
    }

    @Test func progressCountsUpToTheTotal() async throws {
        let fake = WriteFake()
        let seen = Mutex<[ApplyProgress]>([])
        let changes = (1...5).flatMap { personChanges("p\($0)@pg.com") }
        let executor = Executor(clients: fake.clients()) { progress in seen.withLock { $0.append(progress) } }
        let report = await executor.apply(plan(tenantPlan(changes)))
        let events = seen.withLock { $0 }
        #expect(events.map(\.finished) == Array(1...15))
        #expect(events.allSatisfy { $0.total == 15 })
        #expect(events.last?.requests == report.tenants[0].requests.values.reduce(0) { $0 + $1.requests })
        #expect(events.last?.estimatedSecondsLeft == 0)
    }

    @Test func runsExactlyTheParallelismOfChangesAtOnce() async throws {
        let fake = WriteFake()
        // Each request suspends (it does not block a thread) for a while, so that independent changes overlap: a
        // sequential executor peaks at 1, an unbounded one at 12.
        let slow = InFlightTransport(RecordedTransport { fake.handle($0) }, holding: .milliseconds(20))
        let connection = SCIMClient.channel(
            app: "insights", baseURL: "https://scim.test/v2", token: Secret("t"), transport: slow,
            environment: TestClock().environment)
        let changes = (1...12).map { index in
            Change(
                id: "u\(index)", kind: .create,
                action: .createSCIMUser(
                    app: "insights", userName: "u\(index)@pg.com", externalID: nil, givenName: "A", familyName: "B"),
                reason: "joined")
        }
        let executor = Executor(
            clients: ApplyClients(scim: ["insights": SCIMClient(channel: connection)]), options: ApplyOptions(parallelism: 3))
        let report = await executor.apply(plan(tenantPlan(changes)))
        #expect(!report.hasFailures)
        #expect(slow.peak == 3)
        #expect(fake.snapshot.scimUsers.count == 12)
    }
}

/// Counts the requests in flight through `inner`, each held for `holding` before it is answered.
private final class InFlightTransport: HTTPTransport, Sendable {
    private let inner: any HTTPTransport
    private let holding: Duration
    private let counts = Mutex((now: 0, peak: 0))

    init(_ inner: any HTTPTransport, holding: Duration) {
        self.inner = inner
        self.holding = holding
    }

    /// The most requests that were ever in flight at once.
    var peak: Int { counts.withLock { $0.peak } }

    func send(_ request: TransportRequest) async throws(LiveError) -> TransportResponse {
        counts.withLock {
            $0.now += 1
            $0.peak = max($0.peak, $0.now)
        }
        defer { counts.withLock { $0.now -= 1 } }
        try? await Task.sleep(for: holding)
        return try await inner.send(request)
    }
}
