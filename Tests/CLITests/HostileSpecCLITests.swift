import Foundation
import Testing

/// Issue 9, the spec side, through the built binary: files outside the workspace (class 1), output proportional to
/// input (7), secrets in YAML that does not parse (8), nothing read means not "no problems" (9), and actionable file
/// errors (10). Each case checks the exit status, that a canary secret (in the environment and in files) appears in
/// no byte of stdout or stderr for every `--format`, and that output stays small.
@Suite(.timeLimit(.minutes(5))) struct HostileSpecCLITests {
    static let canary = "CANARY_SECRET_9f3b"
    /// Every secret the examples reference, and one more variable, all set to the canary.
    static let environment = [
        "WORKOS_API_KEY": canary, "THINKIFIC_API_KEY": canary, "INSIGHTS_SCIM_TOKEN": canary, "STOIC_CANARY": canary,
    ]
    static let outputBound = 64 * 1024

    /// A copy of the examples in a fresh directory, with a sibling `outside/` holding files full of the canary.
    final class Workspace {
        let base: URL
        var root: URL { base.appendingPathComponent("workspace") }
        var outside: URL { base.appendingPathComponent("outside") }

        init() throws {
            base = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: BinaryRunner.root.appendingPathComponent("examples"), to: root)
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            try Data("\(canary)\n".utf8).write(to: outside.appendingPathComponent("token"))
            try Data("email\n\(canary)\nAPI_KEY=\(canary)\n".utf8).write(to: outside.appendingPathComponent("roster.csv"))
        }

        deinit { try? FileManager.default.removeItem(at: base) }

        func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

        func write(_ relative: String, _ text: String) throws {
            try Data(text.utf8).write(to: root.appendingPathComponent(relative))
        }

        func replace(_ relative: String, with make: (String) throws -> Void) throws {
            try FileManager.default.removeItem(atPath: path(relative))
            try make(path(relative))
        }

        func edit(_ relative: String, _ change: (String) -> String) throws {
            let text = try String(contentsOfFile: path(relative), encoding: .utf8)
            let changed = change(text)
            #expect(changed != text, "edit of \(relative) changed nothing")
            try write(relative, changed)
        }
    }

    /// Runs `arguments` in the workspace and checks what every run must: a normal exit with `status`, no canary,
    /// bounded output. Returns stdout + stderr.
    @discardableResult
    static func expect(
        _ arguments: [String], in workspace: Workspace, status: Int32 = 1, timeout: Int = 60,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let result = try BinaryRunner.run(arguments, in: workspace.root, environment: environment, timeout: timeout)
        let output = result.stdout + result.stderr
        let label = arguments.joined(separator: " ")
        #expect(result.exitedNormally, "\(label): crashed", sourceLocation: sourceLocation)
        #expect(result.status == status, "\(label): \(output.prefix(600))", sourceLocation: sourceLocation)
        #expect(!output.contains(canary), "\(label) leaks the canary", sourceLocation: sourceLocation)
        #expect(
            !output.lowercased().contains(canary.lowercased()), "\(label) leaks the canary lower-cased",
            sourceLocation: sourceLocation)
        #expect(output.utf8.count < outputBound, "\(label): \(output.utf8.count) bytes", sourceLocation: sourceLocation)
        return output
    }

    /// `validate .` in every format, each checked by `expect`; returns the text format's output.
    @discardableResult
    static func validateEveryFormat(
        _ workspace: Workspace, status: Int32 = 1, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        var text = ""
        for format in ["text", "github", "json"] {
            let output = try expect(
                ["validate", ".", "--format", format], in: workspace, status: status, sourceLocation: sourceLocation)
            if format == "text" { text = output }
            if status != 0 {
                #expect(!output.contains("no problems"), "\(format) says no problems", sourceLocation: sourceLocation)
            }
        }
        return text
    }

    // MARK: - Class 1: files outside the workspace

    @Test func rosterLinkedToTheProcessEnvironmentLeaksNothing() throws {
        let workspace = try Workspace()
        try workspace.replace("rosters/pg-in-person.csv") {
            try FileManager.default.createSymbolicLink(atPath: $0, withDestinationPath: "/proc/self/environ")
        }
        let text = try Self.validateEveryFormat(workspace)
        #expect(text.contains("tenants/pg.yaml:37:"))
        for format in ["text", "json", "markdown"] {
            try Self.expect(["plan", ".", "--format", format, "--out", "plan.json"], in: workspace)
        }
        try Self.expect(["apply", ".", "--auto-approve"], in: workspace)
        #expect(!FileManager.default.fileExists(atPath: workspace.path("plan.json")))
    }

    @Test func absoluteAndClimbingRosterPathsAreRefused() throws {
        for written in [try Workspace().outside.appendingPathComponent("roster.csv").path, "../../outside/roster.csv"] {
            let workspace = try Workspace()
            let target = written.hasPrefix("/") ? workspace.outside.appendingPathComponent("roster.csv").path : written
            try workspace.edit("tenants/pg.yaml") { $0.replacingOccurrences(of: "../rosters/pg-in-person.csv", with: target) }
            let text = try Self.validateEveryFormat(workspace)
            #expect(text.contains("outside the workspace") || text.contains("absolute path"), "\(text)")
            try Self.expect(["plan", "."], in: workspace)
        }
    }

    @Test func secretFileOutsideTheWorkspaceIsRefusedByPlan() throws {
        let workspace = try Workspace()
        try workspace.edit("stoicprov.yaml") {
            $0.replacingOccurrences(of: "api_key: env:WORKOS_API_KEY", with: "api_key: file:../outside/token")
        }
        try Self.validateEveryFormat(workspace, status: 0)
        let output = try Self.expect(["plan", "."], in: workspace)
        #expect(output.contains("outside the workspace"), "\(output)")
    }

    // MARK: - Class 7: output proportional to input

    @Test func hugeRosterHeaderAndKeyLineStaySmall() throws {
        let workspace = try Workspace()
        let columns = (1...16_000).map { "c\($0)" }.joined(separator: ",")
        try workspace.write("rosters/pg-in-person.csv", "email,\(columns)\n")
        let keys = (1...16_000).map { "k\($0): 1" }.joined(separator: ", ")
        try workspace.edit("tenants/pg.yaml") {
            $0.replacingOccurrences(of: "program: {", with: "program: { \(keys),")
        }
        let started = Date()
        let text = try Self.validateEveryFormat(workspace)
        #expect(Date().timeIntervalSince(started) < 120)
        #expect(text.contains("more unknown-key"))
        #expect(text.contains("more unknown-roster-column"))
    }

    // MARK: - Class 8: YAML that does not parse

    @Test func duplicateKeyOrSyntaxErrorNeverShowsALiteralSecret() throws {
        let cases = [
            "  workos: { api_key: env:WORKOS_API_KEY }":
                "  workos: { api_key: \(Self.canary) }\n  workos: { api_key: \(Self.canary) }",
            "  thinkific: {": "  thinkific: { api_key: \(Self.canary): x,",
        ]
        for (original, replacement) in cases {
            let workspace = try Workspace()
            try workspace.edit("stoicprov.yaml") { $0.replacingOccurrences(of: original, with: replacement) }
            try Self.validateEveryFormat(workspace)
            try Self.expect(["plan", "."], in: workspace)
        }
    }

    // MARK: - Class 9: what could not be read is never "no problems"

    @Test func configThatIsADirectoryOrAFIFOFails() throws {
        for makeConfig in [
            { (path: String) in try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false) },
            { (path: String) in #expect(mkfifo(path, 0o600) == 0) },
        ] {
            let workspace = try Workspace()
            try workspace.replace("stoicprov.yaml", with: makeConfig)
            let text = try Self.validateEveryFormat(workspace)
            #expect(text.contains("stoicprov.yaml"))
            #expect(!text.contains("NSCocoaErrorDomain"))
        }
    }

    @Test func tenantEntriesThatCannotBeReadFail() throws {
        let workspace = try Workspace()
        #expect(mkfifo(workspace.path("tenants/pipe.yaml"), 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: workspace.path("tenants/gone.yaml"), withDestinationPath: "none.yaml")
        try FileManager.default.createDirectory(atPath: workspace.path("tenants/dir.yaml"), withIntermediateDirectories: false)
        let text = try Self.validateEveryFormat(workspace)
        for name in ["pipe.yaml", "gone.yaml", "dir.yaml"] { #expect(text.contains("tenants/\(name)"), "\(name)") }
    }

    // MARK: - Class 10: file errors a user can act on

    @Test func unreadablePlanFileSaysWhatToDo() throws {
        let workspace = try Workspace()
        let output = try Self.expect(["show", "rosters"], in: workspace)
        #expect(output.contains("is a directory"), "\(output)")
        #expect(mkfifo(workspace.path("plan.json"), 0o600) == 0)
        for command in ["show", "apply"] {
            let output = try Self.expect([command, "plan.json"], in: workspace, timeout: 20)
            #expect(output.contains("FIFO"), "\(command): \(output)")
            #expect(!output.contains("NSCocoaErrorDomain"), "\(command): \(output)")
        }
    }
}
