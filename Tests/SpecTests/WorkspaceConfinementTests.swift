import Foundation
import Spec
import Testing

/// Class 1 of issue 9: every file a workspace reads resolves inside it (no absolute paths, no `..` out, no symbolic
/// link out, only regular files), and what a file holds is never echoed when it could be a secret. Class 9: a file
/// that cannot be read is an error, never "no problems".
@Suite(.timeLimit(.minutes(1))) struct WorkspaceConfinementTests {
    private typealias W = HostileWorkspace

    // MARK: - Rosters outside the workspace

    @Test func absoluteRosterPathIsRefused() throws {
        let base = try W()
        let workspace = try W(roster: base.outside.appendingPathComponent("secret.csv").path)
        let loaded = workspace.load()
        #expect(loaded.workspace == nil)
        #expect(loaded.codes == ["path-outside-workspace"])
        let diagnostic = try #require(loaded.with("path-outside-workspace").first)
        #expect(diagnostic.location?.file.hasSuffix("tenants/acme.yaml") == true)
        #expect(diagnostic.location?.line == 12)
        #expect((diagnostic.location?.column ?? 0) > 0)
        loaded.expectNoCanary()
    }

    @Test(arguments: ["../../outside/secret.csv", "../rosters/../../outside/secret.csv", "../.."])
    func rosterClimbingOutIsRefused(_ written: String) throws {
        let loaded = try W(roster: written).load()
        #expect(loaded.codes == ["path-outside-workspace"])
        loaded.expectNoCanary()
    }

    @Test func rosterThatIsASymlinkOutIsRefused() throws {
        let workspace = try W(roster: "../rosters/link.csv")
        try workspace.symlink("rosters/link.csv", to: workspace.outside.appendingPathComponent("secret.csv").path)
        let loaded = workspace.load()
        #expect(loaded.codes == ["path-outside-workspace"])
        loaded.expectNoCanary()
    }

    @Test func rosterThroughASymlinkedDirectoryIsRefused() throws {
        let workspace = try W(roster: "../shared/secret.csv")
        try workspace.symlink("shared", to: workspace.outside.path)
        let loaded = workspace.load()
        #expect(loaded.codes == ["path-outside-workspace"])
        loaded.expectNoCanary()
    }

    @Test func rosterLinkedToTheProcessEnvironmentIsRefused() throws {
        let workspace = try W(roster: "../rosters/environ.csv")
        try workspace.symlink("rosters/environ.csv", to: "/proc/self/environ")
        let loaded = workspace.load()
        #expect(loaded.workspace == nil)
        #expect(loaded.codes == ["path-outside-workspace"])
    }

    @Test func symlinkThatStaysInsideIsAccepted() throws {
        let workspace = try W(roster: "../rosters/alias.csv")
        try workspace.symlink("rosters/alias.csv", to: "acme.csv")
        let loaded = workspace.load()
        #expect(loaded.diagnostics.sorted.isEmpty)
        #expect(loaded.workspace?.rosterPeopleCount == 1)
    }

    @Test func tenantFileLinkedOutsideIsRefused() throws {
        let workspace = try W()
        try Data("tenant: other\napi_key: \(W.canary)\n".utf8).write(to: workspace.outside.appendingPathComponent("o.yaml"))
        try workspace.symlink("tenants/other.yaml", to: workspace.outside.appendingPathComponent("o.yaml").path)
        let loaded = workspace.load()
        #expect(loaded.workspace == nil)
        #expect(loaded.codes == ["path-outside-workspace"])
        loaded.expectNoCanary()
    }

    // MARK: - Files that are not regular files (never opened in a blocking way)

    @Test func rosterThatIsAFIFOIsRefusedWithoutBlocking() throws {
        let workspace = try W(roster: "../rosters/pipe.csv")
        try workspace.fifo("rosters/pipe.csv")
        let loaded = workspace.load()
        #expect(loaded.codes == ["file-unreadable"])
        #expect(loaded.with("file-unreadable").first?.message.contains("FIFO") == true)
    }

    @Test func rosterThatIsADirectoryIsRefused() throws {
        let workspace = try W(roster: "../rosters")
        let loaded = workspace.load()
        #expect(loaded.codes == ["file-unreadable"])
    }

    @Test func configThatIsADirectoryIsAnError() throws {
        let workspace = try W()
        try workspace.remove("stoicprov.yaml")
        try FileManager.default.createDirectory(
            at: workspace.root.appendingPathComponent("stoicprov.yaml"), withIntermediateDirectories: false)
        let loaded = workspace.load()
        #expect(loaded.workspace == nil)
        #expect(loaded.diagnostics.hasErrors)
        #expect(loaded.codes.contains("file-unreadable"))
    }

    @Test func configThatIsAFIFOIsAnError() throws {
        let workspace = try W()
        try workspace.remove("stoicprov.yaml")
        try workspace.fifo("stoicprov.yaml")
        let loaded = workspace.load()
        #expect(loaded.workspace == nil)
        #expect(loaded.codes.contains("file-unreadable"))
    }

    @Test func tenantFileThatIsAFIFOOrADanglingLinkIsAnError() throws {
        let workspace = try W()
        try workspace.fifo("tenants/pipe.yaml")
        try workspace.symlink("tenants/gone.yaml", to: "nowhere.yaml")
        let loaded = workspace.load()
        #expect(loaded.workspace == nil)
        #expect(loaded.diagnostics.errorCount == 2)
    }

    @Test func tenantsThatIsAFileIsAnError() throws {
        let workspace = try W()
        try FileManager.default.removeItem(at: workspace.root.appendingPathComponent("tenants"))
        try workspace.write("tenants", "not a directory")
        let loaded = workspace.load()
        #expect(loaded.workspace == nil)
        #expect(loaded.codes == ["file-unreadable"])
    }

    /// Root reads any file: the directory, FIFO and dangling-link cases cover unreadable files there.
    @Test(.enabled(if: getuid() != 0)) func unreadableTenantFileIsAnError() throws {
        let workspace = try W()
        try workspace.write("tenants/locked.yaml", "tenant: locked\n")
        chmod(workspace.root.appendingPathComponent("tenants/locked.yaml").path, 0)
        let loaded = workspace.load()
        #expect(loaded.workspace == nil)
        #expect(loaded.codes.contains("file-unreadable"))
    }

    // MARK: - Content is described, not echoed

    @Test func rosterHoldingSecretsIsNeverEchoed() throws {
        let workspace = try W()
        try workspace.write(
            "rosters/acme.csv",
            "API_KEY=\(W.canary),\(W.canary.lowercased()),email\n\(W.canary),x,not-an-email-\(W.canary)\n\(W.canary)-\(W.canary),y,z\n"
        )
        let loaded = workspace.load()
        #expect(loaded.workspace == nil)
        #expect(!loaded.with("unknown-roster-column").isEmpty)
        #expect(loaded.codes.contains("invalid-email"))
        loaded.expectNoCanary()
    }

    @Test func duplicateHeaderHoldingASecretIsDescribed() throws {
        let workspace = try W()
        try workspace.write("rosters/acme.csv", "email,TOKEN=\(W.canary),TOKEN=\(W.canary)\nada@acme.com,1,2\n")
        let loaded = workspace.load()
        #expect(loaded.codes.contains("csv-duplicate-column"))
        loaded.expectNoCanary()
    }

    @Test func plausibleColumnNamesAreStillQuoted() throws {
        let workspace = try W()
        try workspace.write("rosters/acme.csv", "email,frist_name\nada@acme.com,Ada\n")
        let loaded = workspace.load()
        #expect(loaded.with("unknown-roster-column").first?.message.contains("'frist_name'") == true)
    }

    // MARK: - File problems read as actions

    @Test(arguments: [
        FileProblem.notFound, .danglingSymlink, .isDirectory, .notRegularFile(kind: "FIFO (named pipe)"), .permissionDenied,
        .tooLarge(bytes: 9, limit: 8), .absolutePath, .climbsOutOfWorkspace, .symlinkLeavesWorkspace, .system("I/O error"),
    ])
    func everyFileProblemSaysWhatToDo(_ problem: FileProblem) {
        let message = problem.message(path: "tenants/acme.yaml")
        #expect(message.hasPrefix("tenants/acme.yaml: "))
        #expect(message.hasSuffix(")"))
        #expect(!message.contains("NSCocoaErrorDomain"))
    }

    @Test func foundationErrorsBecomeActionableMessages() throws {
        let workspace = try W()
        let directory = workspace.root.appendingPathComponent("rosters").path
        let missing = workspace.root.appendingPathComponent("missing.json").path
        for path in [directory, missing] {
            do {
                _ = try Data(contentsOf: URL(fileURLWithPath: path))
                Issue.record("reading \(path) succeeded")
            } catch {
                let message = FileAccess.describe(error, path: path)
                #expect(message.hasPrefix(path + ": "))
                #expect(!message.contains("NSCocoaErrorDomain"))
                #expect(!message.contains("error 2"))
            }
        }
        #expect(FileAccess.problem(for: CocoaError(.fileReadUnknown), path: directory) == .isDirectory)
        #expect(FileAccess.problem(for: CocoaError(.fileReadUnknown), path: missing) == .notFound)
    }
}
