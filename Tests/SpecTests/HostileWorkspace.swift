import Foundation
import Spec
import Testing

/// A small, valid workspace in a fresh temporary directory that a test then breaks (symbolic links, FIFOs, huge or
/// secret-laden files), loaded with `WorkspaceLoader` and rendered in every `--format`.
final class HostileWorkspace {
    /// A distinctive secret: it must appear in no rendered byte, in any case.
    static let canary = "CANARY_SECRET_9f3b"

    static let config = """
        version: 1
        connections:
          workos: { api_key: env:WORKOS_API_KEY }
          thinkific: { subdomain: stoic, api_key: env:THINKIFIC_API_KEY }
        """

    /// A tenant whose `rosters:` list names `roster` (as written in the tenant file).
    static func tenant(roster: String = "../rosters/acme.csv") -> String {
        """
        tenant: acme
        name: Acme
        domains: [acme.com]
        sso: { provider: none }
        directory: none
        seats: 10
        program: { starts: 2026-01-05, ends: 2026-06-30 }
        access:
          learners:
            thinkific: { courses: [foundations] }
        rosters:
          - { file: "\(roster)", access: learners }
        """
    }

    /// The workspace directory (a resolved path, so tests compare paths exactly).
    let root: URL
    /// A directory beside the workspace, outside it, holding `secret.csv` with the canary.
    let outside: URL

    init(roster: String = "../rosters/acme.csv") throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-spec-\(UUID().uuidString)")
        root = base.appendingPathComponent("workspace")
        outside = base.appendingPathComponent("outside")
        for directory in ["tenants", "rosters"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try write("stoicprov.yaml", Self.config)
        try write("tenants/acme.yaml", Self.tenant(roster: roster))
        try write("rosters/acme.csv", "email,first_name\nada@acme.com,Ada\n")
        try Data("email\n\(Self.canary)@acme.com\nAPI_KEY=\(Self.canary)\n".utf8)
            .write(to: outside.appendingPathComponent("secret.csv"))
    }

    deinit {
        try? FileManager.default.removeItem(at: root.deletingLastPathComponent())
    }

    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: root.appendingPathComponent(relative))
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(relative))
    }

    func symlink(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent(relative).path, withDestinationPath: target)
    }

    func fifo(_ relative: String) throws {
        let path = root.appendingPathComponent(relative).path
        #expect(mkfifo(path, 0o600) == 0, "mkfifo \(path)")
    }

    struct Loaded {
        var workspace: Workspace?
        var diagnostics: Diagnostics
        /// Every format rendered: text, github, json.
        var outputs: [DiagnosticRenderer.Format: String]

        /// The codes of the errors (warnings such as an unused rule follow from a roster not read).
        var codes: [String] { diagnostics.sorted.filter { $0.severity == .error }.map(\.code) }
        func with(_ code: String) -> [Diagnostic] { diagnostics.sorted.filter { $0.code == code } }
        var allOutput: String { DiagnosticRenderer.Format.allCases.map { outputs[$0] ?? "" }.joined() }
        var totalBytes: Int { outputs.values.reduce(0) { $0 + $1.utf8.count } }

        /// No rendering holds the canary, as written or lower-cased.
        func expectNoCanary(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            for (format, output) in outputs {
                #expect(!output.contains(HostileWorkspace.canary), "\(format) leaks", sourceLocation: sourceLocation)
                #expect(
                    !output.lowercased().contains(HostileWorkspace.canary.lowercased()), "\(format) leaks lower-cased",
                    sourceLocation: sourceLocation)
            }
        }
    }

    func load() -> Loaded {
        let (workspace, diagnostics, sources) = WorkspaceLoader.load(directory: root.path)
        var outputs: [DiagnosticRenderer.Format: String] = [:]
        for format in DiagnosticRenderer.Format.allCases {
            outputs[format] = DiagnosticRenderer.render(diagnostics, format: format, sources: sources)
        }
        return Loaded(workspace: workspace, diagnostics: diagnostics, outputs: outputs)
    }
}
