import Foundation
import Planner
import Spec
import Testing

/// Grants on SSO sign-in (`sso_sign_in: true`), planned from sign-ins given as input, sign-ins observed in the
/// events, and the durable record on the Thinkific user.
@Suite struct PlannerSignInTests {
    static let here = SourceLocation(file: "tenants/acme.yaml", line: 1, column: 1)
    static let march = Date(timeIntervalSince1970: 1_772_452_800)  // 2026-03-02T12:00:00Z
    static let marker = SignIn.marker(tenant: "acme")

    /// Acme: no directory; `signed-in` grants `foundations` on sign-in; `cohort` (a roster) shares the course.
    static func workspace(seats: Int = 10, signInRule: Bool = true) -> Workspace {
        let tenant = Tenant(
            id: "acme", name: "Acme", domains: ["acme.com"], sso: .okta, directory: .none, seats: seats,
            program: Program(
                starts: CalendarDate(year: 2026, month: 1, day: 5), ends: CalendarDate(year: 2026, month: 6, day: 30)),
            access: [
                AccessRule(
                    name: "signed-in", ssoSignIn: signInRule, thinkific: ThinkificGrant(courses: ["foundations"]),
                    location: here),
                AccessRule(name: "cohort", thinkific: ThinkificGrant(courses: ["foundations"]), location: here),
            ],
            rosters: [
                Roster(
                    file: "cohort.csv", path: "rosters/cohort.csv", access: "cohort",
                    entries: [
                        RosterEntry(email: "kim@acme.com", firstName: "Kim", lastName: "Ko", access: "cohort", location: here)
                    ],
                    location: here)
            ],
            file: "tenants/acme.yaml", locations: Tenant.Locations(tenant: here, seats: here, program: here))
        return Workspace(directory: ".", config: ScenarioWorkspace.config(), tenants: [tenant])
    }

    /// Kim (roster) enrolled; `users` and `enrollments` added.
    static func observed(
        users: [ThinkificUser] = [], enrollments: [ThinkificEnrollment] = [], signIns: [SignIn] = []
    )
        -> ObservedTenant
    {
        let kim = ThinkificUser(id: 1, email: "kim@acme.com", firstName: "Kim", lastName: "Ko")
        let kimEnrolled = ThinkificEnrollment(
            id: 1, userID: 1, userEmail: "kim@acme.com", courseID: 10, activatedAt: "2026-01-05T00:00:00Z",
            expiryDate: "2026-06-30T23:59:59Z")
        let organization = WorkOSOrganization(
            id: "org_1", name: "Acme", externalID: "acme", domains: [WorkOSDomain(domain: "acme.com", state: "verified")])
        return ObservedTenant(
            tenant: "acme",
            thinkific: ObservedThinkific(
                users: [kim] + users, courses: [ThinkificCourse(id: 10, name: "Foundations", slug: "foundations")],
                enrollments: [kimEnrolled] + enrollments),
            directory: ObservedDirectory(organization: organization), signIns: signIns)
    }

    static func plan(
        _ workspace: Workspace = workspace(), _ observed: ObservedTenant = observed(), signIns: [SignIn] = [],
        now: Date = march
    ) -> TenantPlan {
        Planner.plan(
            workspace: workspace, observations: ["acme": observed], now: now, workspaceDigest: "sha256:test",
            signIns: ["acme": signIns]
        ).tenants[0]
    }

    static func thinkific(_ plan: TenantPlan) -> [Change] { plan.changes.filter { $0.destination == .thinkific } }

    static let nia = SignIn(email: "Nia.Joiner@acme.com", at: Instant(Date(timeIntervalSince1970: 1_772_366_400)))

    @Test func aSignInGrantsTheRuleAndRecordsItOnTheThinkificUser() throws {
        let plan = Self.plan(signIns: [Self.nia])
        let changes = Self.thinkific(plan)
        #expect(
            changes.map(\.id).sorted() == [
                "thinkific/enroll/nia.joiner@acme.com/foundations", "thinkific/record-sign-in/nia.joiner@acme.com",
                "thinkific/user/nia.joiner@acme.com",
            ])
        #expect(changes.allSatisfy { $0.reason == "signed in via SSO on 2026-03-01" })
        let create = try #require(changes.first { $0.id == "thinkific/user/nia.joiner@acme.com" })
        #expect(create.action == .createThinkificUser(email: "nia.joiner@acme.com", firstName: "Nia", lastName: "Joiner"))
        let record = try #require(changes.first { $0.id.hasPrefix("thinkific/record-sign-in/") })
        #expect(record.action == .recordThinkificSignIn(email: "nia.joiner@acme.com", userID: nil, marker: "stoicprov-sso:acme"))
        #expect(record.dependsOn == [create.id])
        let enroll = try #require(changes.first { $0.id.hasPrefix("thinkific/enroll/") })
        #expect(enroll.action.description == "enroll nia.joiner@acme.com in foundations until 2026-06-30")
        #expect(plan.seats.entitled == 2)
    }

    @Test func aSignInWithAnInvalidEmailGrantsNothing() {
        let plan = Self.plan(signIns: [SignIn(email: "not an address@acme.com", at: nil), SignIn(email: "@acme.com", at: nil)])
        #expect(plan.changes.isEmpty)
        #expect(plan.seats.entitled == 1)
    }

    @Test func signInsObservedInTheEventsGrantToo() {
        let plan = Self.plan(Self.workspace(), Self.observed(signIns: [Self.nia]))
        #expect(Self.thinkific(plan).count == 3)
    }

    @Test func theRecordKeepsTheGrantOnceTheEventIsGone() {
        let nia = ThinkificUser(
            id: 2, email: "nia.joiner@acme.com", firstName: "Nia", lastName: "Joiner", externalSource: Self.marker)
        let enrolled = ThinkificEnrollment(
            id: 2, userID: 2, userEmail: "nia.joiner@acme.com", courseID: 10, activatedAt: "2026-01-05T00:00:00Z",
            expiryDate: "2026-06-30T23:59:59Z")
        let plan = Self.plan(Self.workspace(), Self.observed(users: [nia], enrollments: [enrolled]))
        #expect(plan.changes.isEmpty)
        #expect(plan.seats.entitled == 2)
        // Without the record, the same enrollment is nobody's grant: it is expired.
        var unmarked = nia
        unmarked.externalSource = "stoicprov-sso:other-tenant"
        let without = Self.plan(Self.workspace(), Self.observed(users: [unmarked], enrollments: [enrolled]))
        #expect(without.changes.map(\.id) == ["thinkific/expire/nia.joiner@acme.com/foundations"])
    }

    @Test func anExistingUserWithoutTheRecordGetsIt() {
        let nia = ThinkificUser(id: 2, email: "nia.joiner@acme.com", firstName: "Nia", lastName: "Joiner")
        let plan = Self.plan(Self.workspace(), Self.observed(users: [nia]), signIns: [Self.nia])
        #expect(
            Self.thinkific(plan).map(\.action).contains(
                .recordThinkificSignIn(email: "nia.joiner@acme.com", userID: 2, marker: Self.marker)))
        #expect(!Self.thinkific(plan).contains { $0.id.hasPrefix("thinkific/user/") })
    }

    @Test func revokingTheRuleEndsTheGrant() {
        let nia = ThinkificUser(
            id: 2, email: "nia.joiner@acme.com", firstName: "Nia", lastName: "Joiner", externalSource: Self.marker)
        let enrolled = ThinkificEnrollment(
            id: 2, userID: 2, userEmail: "nia.joiner@acme.com", courseID: 10, activatedAt: "2026-01-05T00:00:00Z",
            expiryDate: "2026-06-30T23:59:59Z")
        let plan = Self.plan(Self.workspace(signInRule: false), Self.observed(users: [nia], enrollments: [enrolled]))
        #expect(plan.changes.map(\.id) == ["thinkific/expire/nia.joiner@acme.com/foundations"])
        #expect(plan.changes.first?.reason == "sign-in grant revoked in the spec")
    }

    @Test func signInsAfterTheProgrammeGrantNothing() {
        let july = Date(timeIntervalSince1970: 1_783_000_000)  // 2026-07-02
        let plan = Self.plan(signIns: [Self.nia], now: july)
        #expect(plan.changes.isEmpty)
        #expect(plan.seats.entitled == 1)
    }

    @Test func signInGranteesCountAgainstSeats() {
        let plan = Self.plan(Self.workspace(seats: 2), signIns: [Self.nia, SignIn(email: "ola@acme.com", at: nil)])
        #expect(plan.seats.entitled == 3)
        #expect(plan.errors.map(\.code) == ["seats-exceeded"])
    }

    @Test func namesComeFromTheEmailWhenTheEventHasNone() {
        let signIn = SignIn(email: "ana-maria.de_la.cruz@acme.com", at: nil)
        #expect(signIn.firstName == "Ana" && signIn.lastName == "Maria De La Cruz")
        let single = SignIn(email: "ola@acme.com", at: nil)
        #expect(single.firstName == "Ola" && single.lastName == "Ola")
    }

    @Test func theRecordActionRoundTripsThroughPlanJSON() throws {
        let action = Action.recordThinkificSignIn(email: "nia@acme.com", userID: nil, marker: "stoicprov-sso:acme")
        let data = try JSONEncoder().encode(action)
        #expect(try JSONDecoder().decode(Action.self, from: data) == action)
        #expect(String(decoding: data, as: UTF8.self).contains("\"record_thinkific_sign_in\""))
    }
}
