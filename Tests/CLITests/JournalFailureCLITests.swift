import Foundation
import Testing

/// A journal that cannot be written is a failure (issue 9, class 6), through the binary: the journal on a full disk
/// (`/dev/full`) stops the apply after the change in flight, exits 1 naming the file, and names the change whose
/// outcome is unrecorded; a lock that cannot be written refuses before anything is written.
@Suite struct JournalFailureCLITests {
    @Test func aFullJournalStopsTheApplyAndFails() async throws {
        let fixture = try ApplyCLIFixture()
        #expect(try fixture.run(["plan", "--tenant", "pg", "--out", "pg.json"]).status == 0)
        let planned = try fixture.changeIDs(ofPlan: "pg.json")["pg"] ?? []
        try #require(planned.count > 10)
        let journal = fixture.path(".stoicprov/journal")
        try FileManager.default.createDirectory(at: journal, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: journal.appendingPathComponent("pg.jsonl").path, withDestinationPath: "/dev/full")
        let before = try await SavedPlanVerificationTests.liveState(fixture)

        let applied = try fixture.run(["apply", "pg.json", "--parallelism", "1"])
        #expect(applied.status == 1, "\(applied.stdout)\(applied.stderr)")
        #expect(applied.stderr.contains(".stoicprov/journal/pg.jsonl"), "the error names the file: \(applied.stderr)")
        #expect(!applied.stdout.contains("\(planned.count) done"), "\(applied.stdout)")
        // One change was carried out (its line could not be written) and it is named; nothing else was started.
        let after = try await SavedPlanVerificationTests.liveState(fixture)
        let written = Set(after).subtracting(before)
        #expect(written.count <= 1, "nothing was started after the failed line: \(written)")
        #expect(planned.contains { applied.stderr.contains($0) }, "the unrecorded change is named: \(applied.stderr)")
        #expect(fixture.lock("pg") == nil)
    }

    @Test func aLockThatCannotBeWrittenRefusesTheApply() async throws {
        let fixture = try ApplyCLIFixture()
        #expect(try fixture.run(["plan", "--tenant", "contoso", "--out", "contoso.json"]).status == 0)
        try FileManager.default.createDirectory(at: fixture.path(".stoicprov"), withIntermediateDirectories: true)
        try Data().write(to: fixture.path(".stoicprov/locks"))
        let before = try await SavedPlanVerificationTests.liveState(fixture)
        let applied = try fixture.run(["apply", "contoso.json"])
        #expect(applied.status == 1, "\(applied.stdout)\(applied.stderr)")
        #expect(applied.stderr.contains(".stoicprov/locks"), "\(applied.stderr)")
        #expect(try await SavedPlanVerificationTests.liveState(fixture) == before)
    }
}
