import Foundation
import Spec
import TestSupport
import Testing

@Suite struct DiagnosticRendererTests {
    /// A small workspace with real loader findings plus hand-made ones that exercise tabs, wide characters,
    /// whole-line (CSV) positions, warnings and a positionless diagnostic.
    static func fixture() -> (Diagnostics, SourceFiles) {
        let tenant = "id: pg\nname: Péter 😀 Group\nid: again\npeople:\n\t- ada\n"
        let roster = "email,name\r\na@x.org\r\n"
        var diagnostics = Diagnostics()
        _ = YAMLLoader.load(Data("id: pg\nname: x\nid: again\n".utf8), file: "tenants/pg.yaml", diagnostics: &diagnostics)
        _ = CSVReader.read(Data(roster.utf8), file: "rosters/pg.csv", diagnostics: &diagnostics)
        diagnostics.append(
            .warning(
                "unknown-key", "unknown key 'grup'; did you mean 'group'?",
                at: Spec.SourceLocation(file: "tenants/pg.yaml", line: 2, column: 15)))
        diagnostics.append(
            .error(
                "tab-demo", "value after a tab, 100% wrong: see\nnext line",
                at: Spec.SourceLocation(file: "tenants/pg.yaml", line: 5, column: 4)))
        diagnostics.append(.error("no-workspace", "no stoicprov.yaml found", at: nil))
        diagnostics.append(
            .error("missing-source", "file not loaded", at: Spec.SourceLocation(file: "gone,1:2.yaml", line: 3, column: 1)))
        let sources = SourceFiles(["tenants/pg.yaml": tenant, "rosters/pg.csv": roster])
        return (diagnostics, sources)
    }

    @Test func textFormat() {
        let (diagnostics, sources) = Self.fixture()
        assertSnapshot(DiagnosticRenderer.render(diagnostics, format: .text, sources: sources), named: "diagnostics-text")
    }

    @Test func coloredTextFormat() {
        let (diagnostics, sources) = Self.fixture()
        let output = DiagnosticRenderer.render(diagnostics, format: .text, sources: sources, isColored: true)
        assertSnapshot(output, named: "diagnostics-text-colored")
    }

    @Test func githubFormat() {
        let (diagnostics, sources) = Self.fixture()
        assertSnapshot(DiagnosticRenderer.render(diagnostics, format: .github, sources: sources), named: "diagnostics-github")
    }

    @Test func jsonFormat() {
        let (diagnostics, sources) = Self.fixture()
        assertSnapshot(DiagnosticRenderer.render(diagnostics, format: .json, sources: sources), named: "diagnostics-json")
    }

    @Test func jsonIsAnArrayOfObjectsInSortedOrder() throws {
        let (diagnostics, _) = Self.fixture()
        let data = Data(DiagnosticRenderer.json(diagnostics).utf8)
        let array = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(array.map { $0["code"] as? String } == diagnostics.sorted.map(\.code))
        #expect(array.first?["file"] is NSNull)
        #expect(Set(array[1].keys) == ["severity", "code", "message", "file", "line", "column"])
    }

    @Test(arguments: DiagnosticRenderer.Format.allCases)
    func noDiagnosticsRenderNothing(format: DiagnosticRenderer.Format) {
        let output = DiagnosticRenderer.render(Diagnostics(), format: format)
        #expect(output == (format == .json ? "[]\n" : ""))
    }

    @Test func summaryCountsErrorsAndWarnings() {
        var diagnostics = Diagnostics()
        let at = Spec.SourceLocation(file: "a.yaml", line: 1, column: 1)
        #expect(DiagnosticRenderer.summary(diagnostics) == nil)
        diagnostics.append(.warning("w", "w", at: at))
        #expect(DiagnosticRenderer.summary(diagnostics) == "1 warning")
        diagnostics.append(.error("e", "e", at: at))
        diagnostics.append(.error("e", "e2", at: at))
        #expect(DiagnosticRenderer.summary(diagnostics) == "2 errors, 1 warning")
    }

    @Test func caretFollowsTabsAndWideCharacters() {
        let marked = MarkedText("\tkey: 😀 1️⃣x")
        var diagnostics = Diagnostics()
        let column = marked.column("1️⃣") ?? 0
        diagnostics.append(.error("c", "m", at: Spec.SourceLocation(file: "f", line: 1, column: column)))
        let output = DiagnosticRenderer.text(diagnostics, sources: SourceFiles(["f": marked.text]))
        let lines = output.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[2] == "\t" + String(repeating: " ", count: 5) + "   ^")
    }

    @Test func githubEscaping() {
        #expect(DiagnosticRenderer.escapeData("100%\r\nok: a,b") == "100%25%0D%0Aok: a,b")
        #expect(DiagnosticRenderer.escapeProperty("a:b,c%") == "a%3Ab%2Cc%25")
    }
}

/// The golden-file helper the renderer tests rely on must itself fail when it should.
@Suite struct SnapshotHelperTests {
    private func temporaryDirectory() throws -> URL {
        try Scratch.directory("stoicprov-snap")
    }

    @Test func mismatchFailsAndMatchPasses() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("a\nb\nc\n".utf8).write(to: directory.appendingPathComponent("golden.txt"))
        withKnownIssue {
            assertSnapshot("a\nB\nc\n", named: "golden", in: directory, record: false)
        }
        assertSnapshot("a\nb\nc\n", named: "golden", in: directory, record: false)
    }

    @Test func recordingWritesTheFileAndStillFailsOnce() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        withKnownIssue {
            assertSnapshot("fresh\n", named: "new", in: directory, record: true)
        }
        let written = try String(contentsOf: directory.appendingPathComponent("new.txt"), encoding: .utf8)
        #expect(written == "fresh\n")
        assertSnapshot("fresh\n", named: "new", in: directory, record: false)
    }

    @Test func missingGoldenFails() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        withKnownIssue {
            assertSnapshot("x", named: "absent", in: directory, record: false)
        }
    }

    @Test func shortDiffShowsOnlyChangedLines() {
        let diff = shortDiff(expected: "a\nb\nc\nd", actual: "a\nB\nc\nd\ne ")
        #expect(diff == "-2: b\n+2: B\n+5: e ⏎")
    }
}
