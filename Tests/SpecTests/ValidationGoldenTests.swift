import Foundation
import Spec
import TestSupport
import Testing

/// What a user reads for a broken workspace, in each format, compared with golden files in `Snapshots/`.
/// Re-record with `STOICPROV_RECORD=1 swift test --filter ValidationGoldenTests`.
@Suite struct ValidationGoldenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Loads the fixture named after the test, with paths as a user at the package root would see them.
    private func render(_ format: DiagnosticRenderer.Format) -> String {
        let directory = Self.root + "/Tests/SpecTests/Fixtures/brokenWorkspaceDiagnostics"
        let (workspace, diagnostics, sources) = WorkspaceLoader.load(directory: directory)
        #expect(workspace == nil)
        let rendered = DiagnosticRenderer.render(diagnostics, format: format, sources: sources)
        return rendered.replacingOccurrences(of: Self.root + "/", with: "")
    }

    @Test(arguments: DiagnosticRenderer.Format.allCases)
    func brokenWorkspaceDiagnostics(_ format: DiagnosticRenderer.Format) {
        let rendered = render(format)
        #expect(!rendered.contains("sk_live"), "a literal secret must never be printed, not even in a snippet")
        assertSnapshot(rendered, named: "brokenWorkspaceDiagnostics.\(format.rawValue)")
    }
}
