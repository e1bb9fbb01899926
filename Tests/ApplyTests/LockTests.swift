import Apply
import Foundation
import Live
import Operations
import Planner
import TestSupport
import Testing

func temporaryWorkspace() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-apply-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct LockTests {
    @Test func secondAcquireIsRefusedNamingOwnerHostAndHowToUnlock() throws {
        let workspace = temporaryWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let first = try TenantLock.acquire(workspace: workspace, tenant: "pg", owner: "ana")
        #expect(FileManager.default.fileExists(atPath: workspace.path + "/.stoicprov/locks/pg.lock"))
        let error = #expect(throws: ApplyError.self) { try TenantLock.acquire(workspace: workspace, tenant: "pg", owner: "bo") }
        let message = try #require(error).description
        #expect(message.contains("locked by ana on \(ProcessInfo.processInfo.hostName)"))
        #expect(message.contains("--force-unlock \(first.info.id)"))
        #expect(!message.contains("no longer running"))
        first.release()
        let again = try TenantLock.acquire(workspace: workspace, tenant: "pg", owner: "bo")
        #expect(again.info.id != first.info.id)
        again.release()
    }

    @Test func lockOfADeadProcessIsReportedButNotStolen() throws {
        let workspace = temporaryWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let lock = try TenantLock.acquire(workspace: workspace, tenant: "pg", owner: "ana")
        // Rewrite the lock as if a process that has exited held it.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        var info = lock.info
        info.pid = process.processIdentifier
        try JSONEncoder().encode(info).write(to: lock.path)
        let error = #expect(throws: ApplyError.self) { try TenantLock.acquire(workspace: workspace, tenant: "pg", owner: "bo") }
        #expect(error?.description.contains("no longer running") == true)
        #expect(TenantLock.current(workspace: workspace, tenant: "pg")?.id == info.id)
    }

    @Test func forceUnlockNeedsTheLockID() throws {
        let workspace = temporaryWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let lock = try TenantLock.acquire(workspace: workspace, tenant: "pg", owner: "ana")
        #expect(throws: ApplyError.lockMismatch(tenant: "pg", given: "wrong", held: lock.info.id)) {
            try TenantLock.forceUnlock(workspace: workspace, tenant: "pg", id: "wrong")
        }
        try TenantLock.forceUnlock(workspace: workspace, tenant: "pg", id: lock.info.id)
        #expect(TenantLock.current(workspace: workspace, tenant: "pg") == nil)
    }

    @Test func applyOnALockedTenantIsRefusedAndSendsNothing() async throws {
        let workspace = temporaryWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let held = try TenantLock.acquire(workspace: workspace, tenant: "pg", owner: "ana")
        let fake = WriteFake()
        let report = await Executor(clients: fake.clients(), options: ApplyOptions(workspace: workspace, owner: "bo"))
            .apply(plan(tenantPlan(personChanges("x@pg.com"))))
        #expect(report.tenants[0].refusal?.contains("locked by ana") == true)
        #expect(fake.transport.requests.isEmpty)
        #expect(TenantLock.current(workspace: workspace, tenant: "pg") == held.info)
    }

    @Test func applyReleasesItsLockAtTheEndEvenWhenChangesFail() async throws {
        let workspace = temporaryWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let fake = WriteFake()
        fake.inject("POST /users", .status(403))
        let report = await Executor(clients: fake.clients(), options: ApplyOptions(workspace: workspace))
            .apply(plan(tenantPlan(personChanges("x@pg.com"))))
        #expect(report.hasFailures && report.tenants[0].refusal == nil)
        #expect(TenantLock.current(workspace: workspace, tenant: "pg") == nil)
    }
}
