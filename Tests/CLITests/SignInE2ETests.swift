import Foundation
import Live
import Planner
import Sandbox
import TestSupport
import Testing

/// Grant on sign-in end to end: the built binary's `plan` and `apply` against a `stoicprov sandbox` process, on a copy
/// of `examples/` whose `pg` tenant grants `resilient-self` to everyone who signs in through P&G's Ping Federate.
@Suite(.serialized) struct SignInE2ETests {
    static let rule = """
          # Everyone who signs in through P&G's SSO connection takes Resilient Self.
          signed-in:
            sso_sign_in: true
            thinkific: { courses: [resilient-self] }

          managers:

        """

    /// A sandbox process (restartable on the same state file), the workspace copy, and the binary run in it.
    final class World {
        let workspace: URL
        let state: URL
        var sandbox: SandboxProcess
        var now = SandboxProcess.pinnedNow

        init(_ arguments: [String] = []) throws {
            workspace = try Scratch.examples("stoicprov-signin")
            state = workspace.appendingPathComponent("sandbox-state.json")
            sandbox = try Self.start(state: state, now: now, arguments: arguments)
            try edit("stoicprov.yaml", "requests_per_minute: 120", "requests_per_minute: 60000")
            try edit("tenants/pg.yaml", "  managers:\n", SignInE2ETests.rule)
        }

        deinit {
            sandbox.stop()
            try? FileManager.default.removeItem(at: workspace)
        }

        static func start(state: URL, now: String, arguments: [String]) throws -> SandboxProcess {
            try SandboxProcess(
                arguments: ["--rate-limit", "none", "--state", state.path] + arguments, executable: BinaryRunner.binary,
                environment: ["STOICPROV_NOW": now])
        }

        /// Stops the sandbox (its state saved) and starts it again at `now` with `arguments`.
        func restart(at now: String, _ arguments: [String]) throws {
            sandbox.stop()
            self.now = now
            sandbox = try Self.start(state: state, now: now, arguments: arguments)
        }

        func edit(_ relative: String, _ old: String, _ new: String) throws {
            let url = workspace.appendingPathComponent(relative)
            let text = try String(contentsOf: url, encoding: .utf8)
            try #require(text.contains(old), "\(relative) has no '\(old)'")
            try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
        }

        /// `stoicprov <arguments> --tenant pg --sandbox URL`, on the world's clock.
        func run(_ arguments: [String], now: String? = nil) throws -> BinaryRunner.Result {
            let child = try ApplyCLIFixture.Child(
                arguments + ["--tenant", "pg", "--sandbox", sandbox.url], in: workspace,
                environment: ["STOICPROV_NOW": now ?? self.now])
            return try child.wait(timeout: 300)
        }

        /// The pg tenant of `plan --format json`.
        func plan(now: String? = nil) throws -> [String: Any] {
            let result = try run(["plan", "--format", "json"], now: now)
            try #require(result.status == 0 || result.status == 1, "plan failed: \(result.stderr)")
            let plan = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            return try #require((plan["tenants"] as? [[String: Any]])?.first)
        }

        func applyAll() throws {
            let result = try run(["apply", "--auto-approve"])
            #expect(result.status == 0, "apply failed: \(result.stdout)\n\(result.stderr)")
        }

        /// Whether `plan --detailed-exitcode` finds nothing to do.
        func planIsEmpty(now: String? = nil) throws -> Bool {
            let result = try run(["plan", "--detailed-exitcode"], now: now)
            try #require(result.status != 1, "plan failed: \(result.stdout)\n\(result.stderr)")
            return result.status == 0
        }

        /// `POST /_sandbox/workos/organizations/{organization}/sign-ins`.
        func signIn(_ email: String, through organization: String = "pg") async throws {
            let url = try #require(URL(string: sandbox.url + "/_sandbox/workos/organizations/\(organization)/sign-ins"))
            let body = #"{"email":"\#(email)","first_name":"Nia","last_name":"Joiner","idp_id":"ping-\#(email)"}"#
            let response = try await URLSessionTransport().send(
                TransportRequest(
                    method: "POST", url: url, headers: [("Content-Type", "application/json")], body: Data(body.utf8)))
            try #require(response.status == 201, "sign-in: \(String(decoding: response.body, as: UTF8.self))")
        }

        var observer: Observer {
            SandboxClients.observer(
                sandbox.url, policy: ChannelPolicy(maxAttempts: 3, baseDelay: 0.02, maxDelay: 1, timeout: 10))
        }
    }

    static func changes(_ tenant: [String: Any], about email: String) -> [[String: Any]] {
        (tenant["changes"] as? [[String: Any]] ?? []).filter { ($0["id"] as? String)?.hasSuffix(email) ?? false }
            + (tenant["changes"] as? [[String: Any]] ?? []).filter { ($0["id"] as? String)?.contains("/\(email)/") ?? false }
    }

    static func entitled(_ tenant: [String: Any]) -> Int? { (tenant["seats"] as? [String: Any])?["entitled"] as? Int }

    /// `stoicprov reconcile --once` hands a sign-in to the plan of that one person: they are provisioned in a targeted
    /// batch, and a full plan afterwards has nothing left to do.
    @Test func reconcileProvisionsAFirstSignInInATargetedBatch() async throws {
        let world = try World()
        func reconcile() throws -> BinaryRunner.Result {
            let child = try ApplyCLIFixture.Child(
                ["reconcile", "--once", "--burst-people", "100", "--sandbox", world.sandbox.url], in: world.workspace,
                environment: ["STOICPROV_NOW": world.now])
            return try child.wait(timeout: 300)
        }
        let first = try reconcile()
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(try world.planIsEmpty(), "the first reconcile converges")

        try await world.signIn("nia.joiner@pg.com")
        let run = try reconcile()
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
        let signIn = lines.first { $0["type"] as? String == "authentication.sso_succeeded" }
        #expect(signIn?["tenant"] as? String == "pg", "\(run.stdout)")
        #expect(signIn?["mode"] as? String == "targeted", "\(run.stdout)")
        #expect((signIn?["done"] as? Int ?? 0) > 0, "the sign-in provisioned nobody: \(run.stdout)")
        #expect(try world.planIsEmpty(), "a full plan after the reconcile has nothing left")
    }

    @Test func firstSignInIsProvisionedAndOutlivesItsEvent() async throws {
        let world = try World(["--event-retention", "1h"])
        try world.applyAll()
        #expect(try world.planIsEmpty())
        let before = try #require(Self.entitled(try world.plan()))

        try await world.signIn("nia.joiner@pg.com")
        let planned = try world.plan()
        let changes = Self.changes(planned, about: "nia.joiner@pg.com")
        #expect(
            Set(changes.compactMap { $0["id"] as? String }) == [
                "thinkific/user/nia.joiner@pg.com", "thinkific/record-sign-in/nia.joiner@pg.com",
                "thinkific/enroll/nia.joiner@pg.com/resilient-self",
            ])
        #expect(changes.allSatisfy { $0["reason"] as? String == "signed in via SSO on 2026-11-27" })
        #expect(Self.entitled(planned) == before + 1)
        let text = try world.run(["plan"])
        #expect(text.stdout.contains("signed in via SSO on 2026-11-27"))
        let markdown = try world.run(["plan", "--format", "markdown", "--show-emails"])
        #expect(markdown.stdout.contains("signed in via SSO on 2026-11-27"))

        try world.applyAll()
        let thinkific = try #require(world.observer.thinkific)
        let recorded = try await thinkific.users(externalSource: "stoicprov-sso:pg")
        #expect(recorded.map(\.email) == ["nia.joiner@pg.com"])
        let course = try #require(try await thinkific.courses().first { $0.slug == "resilient-self" })
        let enrollment = try #require(
            try await thinkific.enrollments(courseID: course.id).first { $0.userID == recorded.first?.id })
        // The grant ends with the programme: the enrollment expires when pg's programme ends.
        #expect(enrollment.expiryDate.flatMap { Instant(parsing: $0) } == Instant(parsing: "2026-12-18T23:59:59Z"))
        #expect(try world.planIsEmpty())

        // A day later the event has aged out of the 1 h retention; a fresh checkout (no .stoicprov/) plans nothing.
        try world.restart(at: "2026-11-28T13:00:00Z", ["--event-retention", "1h"])
        let events = try await world.observer.workos!.channel.send(
            "GET", "/events", query: [("events", "authentication.sso_succeeded")])
        #expect(events.status == 200 && !String(decoding: events.body, as: UTF8.self).contains("nia.joiner@pg.com"))
        try FileManager.default.removeItem(at: world.workspace.appendingPathComponent(".stoicprov"))
        #expect(try world.planIsEmpty())
        #expect(Self.entitled(try world.plan()) == before + 1)

        // After the programme's end the grant is over: nothing to do, and the grantee holds no seat.
        let ended = "2026-12-20T12:00:00Z"
        #expect(try world.planIsEmpty(now: ended))
        try await world.signIn("late.comer@pg.com")
        let afterEnd = try world.plan(now: ended)
        #expect(Self.changes(afterEnd, about: "late.comer@pg.com").isEmpty)
        #expect(Self.changes(afterEnd, about: "nia.joiner@pg.com").isEmpty)

        // The spec revokes the grant: Nia's enrollment is expired. (With no sign-in rule left the record is not read,
        // so the reason is the general one.)
        try world.edit("tenants/pg.yaml", "sso_sign_in: true", "sso_sign_in: false")
        let revoked = Self.changes(try world.plan(), about: "nia.joiner@pg.com")
        #expect(revoked.compactMap { $0["id"] as? String } == ["thinkific/expire/nia.joiner@pg.com/resilient-self"])
        #expect(revoked.first?["reason"] as? String == "no access rule grants it any more")
    }

    @Test func seatsCountGranteesAndOtherOrganizationsGrantNothing() async throws {
        let world = try World()
        try world.applyAll()
        let before = try #require(Self.entitled(try world.plan()))
        try world.edit("tenants/pg.yaml", "seats: 500", "seats: \(before)")

        // Northwind's Okta connection is not P&G's: a pg.com address signing in there gets nothing from pg.
        try await world.signIn("stranger@pg.com", through: "northwind")
        let unaffected = try world.plan()
        #expect(Self.changes(unaffected, about: "stranger@pg.com").isEmpty)
        #expect(Self.entitled(unaffected) == before)
        #expect(try world.planIsEmpty())

        try await world.signIn("one.more@pg.com")
        let over = try world.plan()
        #expect(Self.entitled(over) == before + 1)
        let codes = (over["errors"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes.contains("seats-exceeded"))
        let refused = try world.run(["apply", "--auto-approve"])
        #expect(refused.status == 1)
        let thinkific = try #require(world.observer.thinkific)
        #expect(try await thinkific.user(email: "one.more@pg.com") == nil)
    }
}
