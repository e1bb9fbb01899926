import Apply
import Foundation
import Live
import Sandbox
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `stoicprov reconcile` end to end: the built binary against a `stoicprov sandbox` process, in a copy of
/// `examples/`; the directory changes through the sandbox's control routes, as an IdP would push them.
@Suite(.serialized) struct ReconcileCommandTests {
    /// A fixture whose tenants have had their first (full) reconcile.
    static func reconciled(_ sandbox: [String] = ["--rate-limit", "none"]) throws -> ApplyCLIFixture {
        let fixture = try ApplyCLIFixture(sandbox: sandbox)
        let first = try fixture.run(["reconcile", "--once"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains(#""reason":"first""#), "\(first.stdout)")
        return fixture
    }

    /// The JSON lines of a run's stdout.
    static func lines(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
    }

    /// `plan --detailed-exitcode` exits 0: the live systems are where a full plan/apply would bring them.
    static func expectNoChanges(_ fixture: ApplyCLIFixture, _ step: String) throws {
        let plan = try fixture.run(["plan", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(step): a full plan still has changes:\n\(plan.stdout)\(plan.stderr)")
    }

    static func cursor(_ fixture: ApplyCLIFixture) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: fixture.path(".stoicprov/reconcile/cursor.json").path) else {
            return nil
        }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    // MARK: - Each directory change reaches the state of a full plan/apply

    @Test func directoryChangesConvergeThroughTargetedBatches() async throws {
        let fixture = try Self.reconciled()
        try Self.expectNoChanges(fixture, "after the first reconcile")
        let steps: [(String, String, String, String?)] = [
            (
                "joiner", "POST", "workos/directories/pg/users",
                #"{"email":"zed.new@pg.com","first_name":"Zed","last_name":"New","groups":["SG-Stoic-Managers"]}"#
            ),
            ("group move", "PATCH", "workos/directories/pg/users/ana.garcia@pg.com", #"{"groups":["SG-Stoic-Managers"]}"#),
            ("email change", "PATCH", "workos/directories/pg/users/ben.okafor@pg.com", #"{"email":"ben.o@pg.com"}"#),
            ("leaver", "PATCH", "workos/directories/pg/users/chloe.martin@pg.com", #"{"groups":[]}"#),
            ("deactivation", "PATCH", "workos/directories/pg/users/diego.silva@pg.com", #"{"state":"inactive"}"#),
            ("deletion", "DELETE", "workos/directories/pg/users/emma.novak@pg.com", nil),
        ]
        for (step, method, path, body) in steps {
            let (status, answer) = try await fixture.control(method, path, json: body)
            #expect((200..<300).contains(status), "\(step): \(answer)")
            // A full reconcile of this small tenant costs only a few requests: keep the batches targeted.
            let run = try fixture.run(["reconcile", "--once", "--burst-people", "100"])
            #expect(run.status == 0, "\(step): \(run.stdout)\(run.stderr)")
            let lines = try Self.lines(run.stdout).filter { line in
                let type = line["type"] as? String ?? ""
                return type.hasPrefix("dsync.user.") || type.hasPrefix("dsync.group.user_")
            }
            #expect(!lines.isEmpty, "\(step): no event handled")
            #expect(
                lines.allSatisfy { $0["tenant"] as? String == "pg" && $0["mode"] as? String == "targeted" }, "\(step): \(lines)")
            #expect(lines.contains { ($0["done"] as? Int ?? 0) > 0 }, "\(step): nothing was done: \(run.stdout)")
            try Self.expectNoChanges(fixture, step)
        }
        #expect(try await fixture.liveDuplicates() == [:])
        let again = try fixture.run(["reconcile", "--once"])
        #expect(again.status == 0 && !again.stdout.contains(#""event""#), "no event is handled twice: \(again.stdout)")
    }

    @Test func planAndDescribeShowTheReconcileStatus() async throws {
        let fixture = try Self.reconciled()
        _ = try await fixture.control(
            "POST", "workos/directories/pg/users",
            json: #"{"email":"sam.status@pg.com","first_name":"Sam","last_name":"Status","groups":["SG-Stoic-Learners"]}"#)
        let run = try fixture.run(["reconcile", "--once", "--burst-people", "100"])
        #expect(run.status == 0, "\(run.stderr)")
        let plan = try fixture.run(["plan", "--tenant", "pg"])
        let line = plan.stdout.split(separator: "\n").first { $0.hasPrefix("Reconcile pg: ") } ?? ""
        #expect(
            line.contains("last event event_") && line.contains("lag") && line.contains("last full reconcile 20"),
            "\(plan.stdout)")
        let describe = try fixture.run(["describe", "pg"])
        #expect(
            describe.stdout.contains("## Reconcile") && describe.stdout.contains("Last full reconcile 20"), "\(describe.stdout)")
    }

    // MARK: - Bursts and retention

    @Test func aBurstBecomesOneFullReconcileOfTheTenant() async throws {
        let fixture = try Self.reconciled()
        for index in 0..<5 {
            _ = try await fixture.control(
                "POST", "workos/directories/pg/users",
                json:
                    #"{"email":"burst\#(index)@pg.com","first_name":"Burst","last_name":"N\#(index)","groups":["SG-Stoic-Learners"]}"#
            )
        }
        let run = try fixture.run(["reconcile", "--once", "--burst-people", "3"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try Self.lines(run.stdout)
        let fulls = lines.compactMap { $0["full_reconcile"] as? [String: Any] }
        #expect(
            fulls.count == 1 && fulls.first?["reason"] as? String == "burst" && fulls.first?["tenant"] as? String == "pg",
            "\(lines)")
        #expect(lines.filter { ($0["type"] as? String ?? "").hasPrefix("dsync") }.allSatisfy { $0["mode"] as? String == "full" })
        try Self.expectNoChanges(fixture, "after the burst")
    }

    @Test func aCursorOlderThanTheRetentionTriggersAFullReconcile() async throws {
        let fixture = try Self.reconciled()
        let cursor = #"{"after":null,"event_time":"2020-01-01T00:00:00Z","saved_at":"2020-01-01T00:00:00Z"}"#
        try Data(cursor.utf8).write(to: fixture.path(".stoicprov/reconcile/cursor.json"))
        let run = try fixture.run(["reconcile", "--once"])
        #expect(run.status == 0, "\(run.stderr)")
        let fulls = try Self.lines(run.stdout).compactMap { $0["full_reconcile"] as? [String: Any] }
        #expect(Set(fulls.compactMap { $0["tenant"] as? String }) == ["contoso", "northwind", "pg"])
        #expect(fulls.allSatisfy { $0["reason"] as? String == "retention" }, "\(fulls)")
    }

    @Test func listenServesHealthAndMetrics() async throws {
        let fixture = try Self.reconciled()
        let port = try LoopbackListener.freePort()
        let child = try fixture.start(["reconcile", "--follow", "--interval", "1s", "--listen", "127.0.0.1:\(port)"])
        defer { kill(child.pid, SIGKILL) }
        var health: (Int, String)?
        for _ in 0..<40 where health?.0 != 200 {
            try await Task.sleep(for: .milliseconds(250))
            health = try? await Self.get("http://127.0.0.1:\(port)/healthz")
        }
        #expect(health?.0 == 200, "\(String(describing: health))")
        let metrics = try await Self.get("http://127.0.0.1:\(port)/metrics")
        #expect(metrics.0 == 200)
        for name in [
            "stoicprov_reconcile_events_total", "stoicprov_reconcile_lag_seconds", "stoicprov_requests_total",
            "stoicprov_rate_limit_waits_total", "stoicprov_reconcile_spec_valid 1",
        ] {
            #expect(metrics.1.contains(name), "\(name) missing:\n\(metrics.1)")
        }
        #expect(try await Self.get("http://127.0.0.1:\(port)/nope").0 == 404)
        // A broken spec makes the service unhealthy on the next pass.
        try fixture.edit("tenants/pg.yaml", replacing: "seats:", with: "seats: [oops]\n  old_seats:")
        var broken: (Int, String)?
        for _ in 0..<40 where broken?.0 != 503 {
            try await Task.sleep(for: .milliseconds(250))
            broken = try? await Self.get("http://127.0.0.1:\(port)/healthz")
        }
        #expect(broken?.0 == 503, "\(String(describing: broken))")
        kill(child.pid, SIGTERM)
        let result = try child.wait(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
    }

    static func get(_ url: String) async throws -> (Int, String) {
        let response = try await URLSessionTransport().send(TransportRequest(method: "GET", url: try #require(URL(string: url))))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    // MARK: - Guards

    @Test func removalRateGuardHoldsAMassLeaveAndJoinersStillGoAhead() async throws {
        let fixture = try Self.reconciled()
        for person in ["farid.haddad", "grace.kim", "hiro.tanaka"] {
            _ = try await fixture.control("PATCH", "workos/directories/pg/users/\(person)@pg.com", json: #"{"groups":[]}"#)
        }
        _ = try await fixture.control(
            "POST", "workos/directories/pg/users",
            json: #"{"email":"yara.join@pg.com","first_name":"Yara","last_name":"Join","groups":["SG-Stoic-Learners"]}"#)
        let run = try fixture.run(["reconcile", "--once", "--max-removals-per-hour", "2", "--burst-people", "100"])
        #expect(run.stderr.contains("removals held"), "\(run.stderr)")
        let journal = try fixture.journal("pg").filter { ($0["owner"] as? String) == "stoicprov-reconcile" }
        let subjects = journal.compactMap { $0["change_id"] as? String }
        #expect(subjects.contains { $0.contains("yara.join@pg.com") }, "the joiner is provisioned: \(subjects)")
        let removals = journal.filter {
            ["expire_enrollment", "deactivate_scim_user", "remove_scim_member"].contains($0["action"] as? String)
        }
        #expect(removals.isEmpty, "no removal is applied: \(removals)")
        // The next pass holds them too, until a person applies.
        _ = try await fixture.control("PATCH", "workos/directories/pg/users/ines.moreau@pg.com", json: #"{"groups":[]}"#)
        let next = try fixture.run(["reconcile", "--once", "--max-removals-per-hour", "100", "--burst-people", "100"])
        #expect(next.stderr.contains("removals held"), "\(next.stderr)")
        let plan = try fixture.run(["plan", "--tenant", "pg", "--detailed-exitcode"])
        #expect(plan.status == 2, "the held removals wait for a person: \(plan.stdout)")
        let apply = try fixture.run(["apply", ".", "--tenant", "pg", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        _ = try await fixture.control("PATCH", "workos/directories/pg/users/jonas.berg@pg.com", json: #"{"groups":[]}"#)
        let released = try fixture.run(["reconcile", "--once", "--burst-people", "100"])
        #expect(!released.stderr.contains("removals held"), "a person's apply releases the hold: \(released.stderr)")
        try Self.expectNoChanges(fixture, "after the release")
    }

    @Test func anInvalidSpecStopsEveryWriteWithAnErrorOnEveryPass() async throws {
        let fixture = try Self.reconciled()
        try fixture.edit("tenants/pg.yaml", replacing: "seats:", with: "seats: [oops]\n  old_seats:")
        _ = try await fixture.control(
            "POST", "workos/directories/pg/users",
            json: #"{"email":"xavi.wait@pg.com","first_name":"Xavi","last_name":"Wait","groups":["SG-Stoic-Learners"]}"#)
        let journal = fixture.journalText("pg")
        for _ in 0..<2 {
            let run = try fixture.run(["reconcile", "--once"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("does not validate"), "\(run.stderr)")
            #expect(fixture.journalText("pg") == journal, "nothing may be written")
        }
    }

    // MARK: - Locks, signals, crashes

    @Test func aTenantLockedByAPersonWaitsAndItsEventsAreNotLost() async throws {
        let fixture = try Self.reconciled()
        let lock = try TenantLock.acquire(workspace: fixture.workspace, tenant: "pg", owner: "a-person")
        _ = try await fixture.control(
            "POST", "workos/directories/pg/users",
            json: #"{"email":"walt.lock@pg.com","first_name":"Walt","last_name":"Lock","groups":["SG-Stoic-Learners"]}"#)
        let blocked = try fixture.run(["reconcile", "--once"])
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("tenant pg") && blocked.stderr.contains("a-person"), "\(blocked.stderr)")
        #expect(!fixture.journalText("pg").contains("walt.lock@pg.com"))
        lock.release()
        let later = try fixture.run(["reconcile", "--once"])
        #expect(later.status == 0, "\(later.stderr)")
        #expect(fixture.journalText("pg").contains("walt.lock@pg.com"), "the event was kept for the next pass")
        try Self.expectNoChanges(fixture, "after the lock")
    }

    @Test func sigtermFinishesThePassSavesTheCursorAndExitsZero() async throws {
        let fixture = try Self.reconciled()
        let child = try fixture.start(["reconcile", "--follow", "--interval", "1s"])
        _ = try await fixture.control(
            "POST", "workos/directories/pg/users",
            json: #"{"email":"vera.term@pg.com","first_name":"Vera","last_name":"Term","groups":["SG-Stoic-Learners"]}"#)
        var handled = false
        for _ in 0..<60 where !handled {
            try await Task.sleep(for: .milliseconds(500))
            handled = fixture.journalText("pg").contains("vera.term@pg.com")
        }
        #expect(handled, "the joiner is provisioned while following")
        try await Task.sleep(for: .milliseconds(1500))
        kill(child.pid, SIGTERM)
        let result = try child.wait(timeout: 60)
        #expect(result.status == 0 && result.exitedNormally, "\(result.stderr)")
        #expect(result.stdout.contains("vera.term@pg.com"), "\(result.stdout)")
        #expect(Self.cursor(fixture)?["after"] as? String != nil, "the cursor is saved")
        try Self.expectNoChanges(fixture, "after SIGTERM")
    }

    @Test func killMinusNineMidBatchLosesNothingAndDoesNothingTwice() async throws {
        let fixture = try Self.reconciled(["--rate-limit", "none", "--latency", "60"])
        for index in 0..<12 {
            _ = try await fixture.control(
                "POST", "workos/directories/pg/users",
                json:
                    #"{"email":"kill\#(index)@pg.com","first_name":"Kill","last_name":"N\#(index)","groups":["SG-Stoic-Learners"]}"#
            )
        }
        let child = try fixture.start(["reconcile", "--once"])
        var started = false
        for _ in 0..<200 where !started {
            try await Task.sleep(for: .milliseconds(100))
            started = fixture.journalText("pg").contains("kill")
        }
        #expect(started, "the batch started")
        kill(child.pid, SIGKILL)
        _ = try? child.wait(timeout: 10)
        let restart = try fixture.run(["reconcile", "--once"])
        #expect(restart.status == 0, "\(restart.stdout)\(restart.stderr)")
        try Self.expectNoChanges(fixture, "after kill -9 and a restart")
        #expect(try await fixture.liveDuplicates() == [:])
        let done = try fixture.journal("pg").filter { ($0["outcome"] as? String) == "done" }.compactMap {
            $0["change_id"] as? String
        }
        #expect(ApplyCLIFixture.duplicates(done) == [:], "a change done twice")
    }

    @Test func followingThroughFaultsConvergesWithoutDuplicates() async throws {
        let fixture = try Self.reconciled(["--rate-limit", "none", "--faults", "*:5xx=0.05,drop=0.02,lost=0.02"])
        let child = try fixture.start(["reconcile", "--follow", "--interval", "1s"])
        for index in 0..<6 {
            _ = try await fixture.control(
                "POST", "workos/directories/pg/users",
                json:
                    #"{"email":"fault\#(index)@pg.com","first_name":"Fault","last_name":"N\#(index)","groups":["SG-Stoic-Managers"]}"#
            )
        }
        _ = try await fixture.control("PATCH", "workos/directories/pg/users/kofi.mensah@pg.com", json: #"{"groups":[]}"#)
        var converged = false
        for _ in 0..<90 where !converged {
            try await Task.sleep(for: .seconds(1))
            converged = (0..<6).allSatisfy { fixture.journalText("pg").contains("fault\($0)@pg.com") }
        }
        try await Task.sleep(for: .seconds(3))
        kill(child.pid, SIGTERM)
        let result = try child.wait(timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(converged, "\(result.stdout)\(result.stderr)")
        try Self.expectNoChanges(fixture, "after following through faults")
        #expect(try await fixture.liveDuplicates() == [:])
    }
}
