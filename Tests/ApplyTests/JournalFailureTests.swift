import Apply
import Foundation
import Live
import Planner
import Testing

/// A journal that cannot be written is a failure (issue 9, class 6): the apply stops starting changes, the report
/// fails and names the file, and every change carried out without a line is named as unrecorded.
@Suite struct JournalFailureTests {
    /// `.stoicprov/journal/pg.jsonl` → `/dev/full`: opening works, every write fails with ENOSPC, as on a full disk
    /// (and as root too, unlike a read-only directory).
    static func fullDiskWorkspace() throws -> URL {
        let workspace = temporaryWorkspace()
        let directory = workspace.appendingPathComponent(".stoicprov/journal")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: directory.appendingPathComponent("pg.jsonl").path, withDestinationPath: "/dev/full")
        return workspace
    }

    @Test func aFullJournalIsAnErrorNamingTheFile() throws {
        let workspace = try Self.fullDiskWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let journal = try Journal(workspace: workspace, tenant: "pg")
        let entry = JournalEntry(
            time: "2026-11-18T11:06:40Z", owner: "ana", planDigest: "d", changeID: "c", action: "a", subject: "s",
            outcome: "done", httpStatus: 201, attempts: 1, error: nil)
        let error = #expect(throws: ApplyError.self) { try journal.append(entry) }
        #expect(error?.description.contains("pg.jsonl") == true, "\(String(describing: error))")
    }

    @Test func applyStopsAtTheFirstUnwritableLineAndFails() async throws {
        let workspace = try Self.fullDiskWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let fake = WriteFake()
        let changes = (1...6).flatMap { personChanges("p\($0)@pg.com") }
        let options = ApplyOptions(parallelism: 1, workspace: workspace)
        let report = await Executor(clients: fake.clients(), options: options).apply(plan(tenantPlan(changes)))

        let tenant = try #require(report.tenants.first)
        #expect(report.hasFailures, "an apply whose journal failed must not succeed")
        let failure = try #require(tenant.journalFailure)
        #expect(failure.contains(".stoicprov/journal/pg.jsonl"), "\(failure)")
        // One change ran (its line failed), and nothing was started after it.
        #expect(tenant.doneCount == 1, "\(tenant.changes.map(\.outcome))")
        #expect(tenant.skippedCount == changes.count - 1, "every other change is reported as not started")
        // The change carried out without a line is named.
        let done = try #require(tenant.changes.first { $0.outcome.isDone })
        #expect(failure.contains(done.changeID), "\(failure)")
        // The lock is released all the same.
        #expect(TenantLock.current(workspace: workspace, tenant: "pg") == nil)
    }

    @Test func aLockThatCannotBeWrittenRefusesBeforeAnyRequest() async throws {
        let workspace = temporaryWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        // `.stoicprov/locks` is a file: no lock can be created under it (as root too).
        try FileManager.default.createDirectory(
            at: workspace.appendingPathComponent(".stoicprov"), withIntermediateDirectories: true)
        try Data().write(to: workspace.appendingPathComponent(".stoicprov/locks"))
        let fake = WriteFake()
        let report = await Executor(clients: fake.clients(), options: ApplyOptions(workspace: workspace))
            .apply(plan(tenantPlan(personChanges("ana@pg.com"))))
        #expect(report.hasFailures)
        #expect(report.tenants[0].refusal?.contains(".stoicprov/locks") == true, "\(report.tenants[0])")
        #expect(fake.transport.requests.isEmpty)
    }
}
