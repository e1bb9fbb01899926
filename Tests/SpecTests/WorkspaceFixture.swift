import Foundation
import Spec
import TestSupport
import Testing

/// A workspace written to a fresh temporary directory from marked text, loaded with `WorkspaceLoader`.
/// Markers (`1️⃣`) in any file say where a finding must point.
struct WorkspaceFixture {
    static let config = """
        version: 1
        connections:
          workos: { api_key: env:WORKOS_API_KEY }
          thinkific: { subdomain: stoic, api_key: env:THINKIFIC_API_KEY }
          insights: { scim: https://insights.example.com/scim/v2, token: env:INSIGHTS_TOKEN }
        """

    static let tenant = """
        tenant: acme
        name: Acme
        domains: [acme.com]
        sso: { provider: okta }
        directory: workos
        seats: 10
        program: { starts: 2026-01-05, ends: 2026-06-30 }
        access:
          learners:
            idp_groups: [Learners]
            thinkific: { courses: [foundations], groups: [Acme 2026] }
        """

    /// The sample tenant with `original` replaced by `replacement` (which may carry markers).
    static func tenant(replacing original: String, with replacement: String) -> String {
        precondition(tenant.contains(original), "fixture tenant has no '\(original)'")
        return tenant.replacingOccurrences(of: original, with: replacement)
    }

    /// Relative path → marked content.
    var files: [String: MarkedText]

    /// `stoicprov.yaml` (nil: none), tenant files by id (`tenants/<id>.yaml`), and any other files by path.
    init(config: String? = WorkspaceFixture.config, tenants: [String: String] = [:], files: [String: String] = [:]) {
        var all = files
        if let config { all["stoicprov.yaml"] = config }
        for (id, text) in tenants { all["tenants/\(id).yaml"] = text }
        self.files = all.mapValues(MarkedText.init)
    }

    struct Loaded {
        var workspace: Workspace?
        var diagnostics: [Diagnostic]
        var sources: SourceFiles
        /// The directory the workspace was written to (diagnostic paths start with it).
        var directory: String

        /// Diagnostics with this code.
        func with(_ code: String) -> [Diagnostic] { diagnostics.filter { $0.code == code } }

        /// The path of `relative` as diagnostics name it.
        func path(_ relative: String) -> String { directory + "/" + relative }
    }

    /// Writes the files, loads them, and removes them again.
    func load() throws -> Loaded {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (relative, marked) in files {
            let url = URL(fileURLWithPath: directory + "/" + relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try marked.data.write(to: url)
        }
        let (workspace, diagnostics, sources) = WorkspaceLoader.load(directory: directory)
        return Loaded(workspace: workspace, diagnostics: diagnostics.sorted, sources: sources, directory: directory)
    }

    /// Where `marker` stands in file `relative` once loaded into `loaded`.
    func location(_ marker: String, in relative: String = "tenants/acme.yaml", of loaded: Loaded) -> Spec.SourceLocation? {
        files[relative]?.location(marker, file: loaded.path(relative))
    }

    /// Loads the workspace and expects exactly one diagnostic with `code`, at `marker` in `file`; returns it.
    @discardableResult
    func expectOne(
        _ code: String, at marker: String = "1️⃣", in file: String = "tenants/acme.yaml",
        severity: Diagnostic.Severity = .error, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Diagnostic {
        let loaded = try load()
        let found = loaded.with(code)
        #expect(found.count == 1, "expected one \(code), got \(loaded.diagnostics)", sourceLocation: sourceLocation)
        let diagnostic = try #require(found.first, sourceLocation: sourceLocation)
        let expected = try #require(location(marker, in: file, of: loaded), sourceLocation: sourceLocation)
        if diagnostic.location?.column == 0 {
            // A CSV row: the whole line.
            #expect(diagnostic.location?.file == expected.file, sourceLocation: sourceLocation)
            #expect(diagnostic.location?.line == expected.line, sourceLocation: sourceLocation)
        } else {
            #expect(diagnostic.location == expected, sourceLocation: sourceLocation)
        }
        #expect(diagnostic.severity == severity, sourceLocation: sourceLocation)
        if severity == .error { #expect(loaded.workspace == nil, sourceLocation: sourceLocation) }
        return diagnostic
    }
}
