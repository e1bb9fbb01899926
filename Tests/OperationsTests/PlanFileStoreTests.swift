import Foundation
import Operations
import Planner
import Spec
import Testing

/// Saved plans are read in pieces (`PlanReader`, issue 12) under `FileAccess`'s rules and size cap (issue 9).
@Suite struct PlanFileStoreTests {
    static func plan(changes count: Int) -> Plan {
        let changes = (0..<count).map { index in
            Change(
                id: "thinkific/enroll/p\(index)@pg.com/c101", kind: .create,
                action: .enroll(
                    email: "p\(index)@pg.com", userID: nil, courseSlug: "c101", courseID: 101, activatedAt: "2026-05-04",
                    expiryDate: "2026-12-18"),
                reason: "joined SG-Stoic-Learners", dependsOn: [],
                preconditions: [Precondition(key: "thinkific/enrollment/p\(index)@pg.com/c101", observed: nil)])
        }
        let tenant = TenantPlan(
            tenant: "pg", name: "P&G", changes: changes, errors: [], seats: SeatUsage(entitled: count, licensed: count),
            removalGuard: RemovalGuard(removals: 0, provisioned: 0, threshold: 5))
        return Plan(createdAt: Date(timeIntervalSince1970: 1_800_000_000), workspaceDigest: "d", tenants: [tenant])
    }

    @Test func aSavedPlanIsReadBackAsItWasWritten() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-store-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("plan.json").path
        // Several thousand changes: the file spans more than one 1 MB piece.
        let plan = Self.plan(changes: 6000)
        try PlanFileStore.save(plan, to: path)
        #expect(try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) > 1 << 20)
        #expect(try PlanFileStore.read(path) == plan)
    }

    @Test func aDirectoryOrMissingFileIsAFileProblem() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-store-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: OperationsError.cannotReadPlan(detail: FileProblem.isDirectory.message(path: directory.path))) {
            try PlanFileStore.read(directory.path)
        }
        let missing = directory.appendingPathComponent("none.json").path
        #expect(throws: OperationsError.cannotReadPlan(detail: FileProblem.notFound.message(path: missing))) {
            try PlanFileStore.read(missing)
        }
    }

    @Test func piecesStopAtTheCap() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-store-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big").path
        try Data(repeating: 0x20, count: 10_000).write(to: URL(fileURLWithPath: path))
        var received = 0
        let result = FileAccess.read(path, maxBytes: 4_000, pieceBytes: 1_000) { received += $0.count }
        guard case .failure(let problem) = result else {
            Issue.record("a file over the cap was read")
            return
        }
        #expect(problem == .tooLarge(bytes: 10_000, limit: 4_000))
        #expect(received == 0)
        var pieces: [Int] = []
        if case .failure(let problem) = FileAccess.read(
            path, maxBytes: 10_000, pieceBytes: 3_000, into: { pieces.append($0.count) })
        {
            Issue.record("\(problem)")
        }
        #expect(pieces == [3_000, 3_000, 3_000, 1_000])
    }
}
