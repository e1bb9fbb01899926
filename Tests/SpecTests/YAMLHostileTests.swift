import Foundation
import Spec
import Testing

/// Every file in `Fixtures/hostile` must load without crashing or hanging, and either load (the only-scalar and
/// BOM files) or fail with one positioned error of the expected code.
@Suite struct YAMLHostileTests {
    static let expectations: [(file: String, code: String?, line: Int, column: Int)] = [
        ("syntax-error.yaml", "yaml-syntax", 4, 5),
        ("tabs.yaml", "yaml-syntax", 2, 1),
        ("duplicate-keys.yaml", "duplicate-key", 3, 1),
        ("billion-laughs.yaml", "alias-bomb", 7, 8),
        ("deep-flow.yaml", "too-deep", 1, 257),
        ("deep-block.yaml", "too-deep", 1, 513),
        ("invalid-utf8.yaml", "yaml-syntax", 2, 11),
        ("empty.yaml", "empty-file", 1, 1),
        ("only-comments.yaml", "empty-file", 1, 1),
        ("two-documents.yaml", "multiple-documents", 2, 1),
        ("only-scalar.yaml", nil, 1, 1),
        ("bom.yaml", nil, 1, 1),
    ]

    static var hostileDirectory: URL {
        get throws {
            let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            return fixtures.appendingPathComponent("hostile")
        }
    }

    @Test func everyFixtureHasAnExpectation() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.hostileDirectory.path)
        #expect(Set(files) == Set(Self.expectations.map(\.file)))
    }

    @Test(arguments: expectations.map(\.file))
    func hostileFileFailsCleanly(file: String) throws {
        let expectation = try #require(Self.expectations.first { $0.file == file })
        let data = try Data(contentsOf: Self.hostileDirectory.appendingPathComponent(file))
        var diagnostics = Diagnostics()
        let node = YAMLLoader.load(data, file: file, diagnostics: &diagnostics)
        guard let code = expectation.code else {
            #expect(node != nil)
            #expect(diagnostics.all.isEmpty)
            #expect(node?.location == Spec.SourceLocation(file: file, line: 1, column: 1))
            return
        }
        #expect(node == nil)
        #expect(diagnostics.all.count == 1)
        let diagnostic = try #require(diagnostics.all.first)
        #expect(diagnostic.code == code, "\(diagnostic.message)")
        #expect(diagnostic.severity == .error)
        #expect(
            diagnostic.location == Spec.SourceLocation(file: file, line: expectation.line, column: expectation.column),
            "\(diagnostic.message)")
    }

    @Test func bomFileKeepsValuesAndPositions() throws {
        let data = try Data(contentsOf: Self.hostileDirectory.appendingPathComponent("bom.yaml"))
        var diagnostics = Diagnostics()
        let root = try #require(YAMLLoader.load(data, file: "bom.yaml", diagnostics: &diagnostics))
        #expect(root.pairs?.first?.key.string == "id")
        #expect(root["name"]?.string == "PéG")
        #expect(root["name"]?.location == Spec.SourceLocation(file: "bom.yaml", line: 2, column: 7))
    }

    @Test func aFileOverFiveMiBIsRefusedBeforeParsing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stoicprov-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("huge.yaml")
        let line = Data("- a perfectly ordinary line of YAML\n".utf8)
        var data = Data(capacity: 6 * 1024 * 1024 + line.count)
        while data.count < 6 * 1024 * 1024 { data.append(line) }
        try data.write(to: url)

        var diagnostics = Diagnostics()
        let node = YAMLLoader.load(try Data(contentsOf: url), file: "huge.yaml", diagnostics: &diagnostics)
        #expect(node == nil)
        #expect(diagnostics.all.map(\.code) == ["file-too-large"])
        #expect(diagnostics.all.first?.location == Spec.SourceLocation(file: "huge.yaml", line: 1, column: 1))
    }
}
