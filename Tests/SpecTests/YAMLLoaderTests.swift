import Foundation
import Spec
import TestSupport
import Testing

/// Loads marked YAML and returns the tree plus the diagnostics.
func loadYAML(_ marked: MarkedText, limits: YAMLLimits = .default) -> (node: Node?, diagnostics: [Diagnostic]) {
    var diagnostics = Diagnostics()
    let node = YAMLLoader.load(marked.data, file: "t.yaml", limits: limits, diagnostics: &diagnostics)
    return (node, diagnostics.all)
}

@Suite struct YAMLLoaderTests {
    // MARK: - Positions

    @Test func keysAndValuesCarryTheirPositions() throws {
        let marked = MarkedText(
            """
            1️⃣tenant:
              2️⃣id: 3️⃣pg
              4️⃣people:
                - 5️⃣ada
                - 6️⃣{ 7️⃣name: 8️⃣"Grace" }
            """)
        let (node, diagnostics) = loadYAML(marked)
        #expect(diagnostics.isEmpty)
        let root = try #require(node)
        let tenantKey = try #require(root.pairs?.first?.key)
        let tenant = try #require(root["tenant"])
        let people = try #require(tenant["people"]?.items)
        #expect(tenantKey.location == marked.location("1️⃣", file: "t.yaml"))
        #expect(tenant.pairs?[0].key.location == marked.location("2️⃣", file: "t.yaml"))
        #expect(tenant["id"]?.location == marked.location("3️⃣", file: "t.yaml"))
        #expect(tenant.pairs?[1].key.location == marked.location("4️⃣", file: "t.yaml"))
        #expect(people[0].location == marked.location("5️⃣", file: "t.yaml"))
        #expect(people[1].location == marked.location("6️⃣", file: "t.yaml"))
        #expect(people[1].pairs?[0].key.location == marked.location("7️⃣", file: "t.yaml"))
        #expect(people[1]["name"]?.location == marked.location("8️⃣", file: "t.yaml"))
        #expect(people[1]["name"]?.scalar?.style == .doubleQuoted)
    }

    @Test func columnsCountUnicodeScalarsNotBytes() throws {
        let marked = MarkedText(
            """
            café: 1️⃣crème
            "😀😀": 2️⃣[3️⃣é, 4️⃣x]
            """)
        let (node, diagnostics) = loadYAML(marked)
        #expect(diagnostics.isEmpty)
        let root = try #require(node)
        #expect(root["café"]?.location == marked.location("1️⃣", file: "t.yaml"))
        #expect(root["😀😀"]?.location == marked.location("2️⃣", file: "t.yaml"))
        #expect(root["😀😀"]?.items?[0].location == marked.location("3️⃣", file: "t.yaml"))
        #expect(root["😀😀"]?.items?[1].location == marked.location("4️⃣", file: "t.yaml"))
    }

    @Test func errorColumnsAfterNonASCIICountUnicodeScalars() throws {
        let marked = MarkedText("k: 😀é x1️⃣: y\n")
        let (node, diagnostics) = loadYAML(marked)
        #expect(node == nil)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.code == "yaml-syntax")
        #expect(diagnostic.location == marked.location("1️⃣", file: "t.yaml"))
    }

    @Test func byteOrderMarkIsAcceptedAndPositionsStayRight() throws {
        let marked = MarkedText("\u{FEFF}1️⃣a: 2️⃣1\n3️⃣b: 4️⃣two\n")
        let (node, diagnostics) = loadYAML(marked)
        #expect(diagnostics.isEmpty)
        let root = try #require(node)
        #expect(root.pairs?[0].key.location == marked.location("1️⃣", file: "t.yaml").map { bomShifted($0) })
        #expect(root["a"]?.location == marked.location("2️⃣", file: "t.yaml").map { bomShifted($0) })
        #expect(root.pairs?[1].key.location == marked.location("3️⃣", file: "t.yaml"))
        #expect(root["b"]?.string == "two")
        #expect(root["b"]?.location == marked.location("4️⃣", file: "t.yaml"))
    }

    /// The BOM is not part of the text an editor shows, so positions on line 1 do not count it.
    private func bomShifted(_ location: Spec.SourceLocation) -> Spec.SourceLocation {
        Spec.SourceLocation(file: location.file, line: location.line, column: location.column - 1)
    }

    @Test func crlfLineEndingsKeepLinesRight() throws {
        let data = Data("a: 1\r\nb: 2\r\nc: 3\r\n".utf8)
        var diagnostics = Diagnostics()
        let root = try #require(YAMLLoader.load(data, file: "t.yaml", diagnostics: &diagnostics))
        #expect(root["c"]?.location == Spec.SourceLocation(file: "t.yaml", line: 3, column: 4))
    }

    // MARK: - Syntax errors

    @Test(arguments: [
        ("tab indentation", "a:\n1️⃣\tb: 1\n"),
        ("unclosed quote", "a: \"abc\n1️⃣"),
        ("bad indentation", "a:\n  b: 1\n 1️⃣c: 2\n"),
        ("colon in plain value", "a: b1️⃣: c\n"),
        ("unclosed flow sequence", "a: [1, 2\nb1️⃣: 3\n"),
    ])
    func syntaxErrorsAreOneDiagnosticAtTheProblem(name: String, source: String) throws {
        let marked = MarkedText(source)
        let (node, diagnostics) = loadYAML(marked)
        #expect(node == nil, "\(name)")
        #expect(diagnostics.count == 1, "\(name)")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.code == "yaml-syntax", "\(name)")
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location == marked.location("1️⃣", file: "t.yaml"), "\(name): \(diagnostic.message)")
    }

    @Test(arguments: ["a:\n\tb: 1\n", "\u{FEFF}\tb: 1\n"])
    func tabMessageSaysTabs(source: String) throws {
        let (_, diagnostics) = loadYAML(MarkedText(source))
        let message = try #require(diagnostics.first?.message)
        #expect(message.contains("tab character"))
    }

    @Test func unclosedQuoteMessageNamesWhereTheQuoteOpened() throws {
        let (_, diagnostics) = loadYAML(MarkedText("x: 1\na: \"abc\n"))
        let message = try #require(diagnostics.first?.message)
        #expect(message.contains("unclosed quote"))
        #expect(message.contains("line 2, column 4"))
    }

    @Test func invalidUTF8IsReportedAtTheOffendingByte() throws {
        var bytes = Array("a: 1\nb: é".utf8)
        bytes.append(0xFF)
        bytes.append(contentsOf: Array("\n".utf8))
        var diagnostics = Diagnostics()
        let node = YAMLLoader.load(Data(bytes), file: "t.yaml", diagnostics: &diagnostics)
        #expect(node == nil)
        let diagnostic = try #require(diagnostics.all.first)
        #expect(diagnostic.code == "yaml-syntax")
        #expect(diagnostic.location == Spec.SourceLocation(file: "t.yaml", line: 2, column: 5))
        #expect(diagnostic.message.contains("0xFF"))
    }

    @Test func invalidUTF8AfterAByteOrderMarkIsPlacedWithoutCountingTheMark() throws {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array("a: é".utf8) + [0xC3]
        var diagnostics = Diagnostics()
        #expect(YAMLLoader.load(Data(bytes), file: "t.yaml", diagnostics: &diagnostics) == nil)
        #expect(diagnostics.all.map(\.code) == ["yaml-syntax"])
        #expect(diagnostics.all.first?.location == Spec.SourceLocation(file: "t.yaml", line: 1, column: 5))
    }

    // MARK: - Duplicates

    @Test func everyDuplicateKeyIsReportedAtTheSecondOccurrence() throws {
        let marked = MarkedText(
            """
            name: a
            id: 1
            1️⃣name: b
            nested:
              x: 1
              2️⃣"x": 2
            """)
        let (node, diagnostics) = loadYAML(marked)
        #expect(node == nil)
        #expect(diagnostics.map(\.code) == ["duplicate-key", "duplicate-key"])
        #expect(diagnostics[0].location == marked.location("1️⃣", file: "t.yaml"))
        #expect(diagnostics[0].message.contains("'name'"))
        #expect(diagnostics[0].message.contains("line 1"))
        #expect(diagnostics[1].location == marked.location("2️⃣", file: "t.yaml"))
        #expect(diagnostics[1].message.contains("line 5"))
    }

    @Test func duplicatesAreFoundInLargeMappingsToo() {
        var source = (1...40).map { "k\($0): \($0)\n" }.joined()
        source += "k3: again\nk40: again\nk41: new\n"
        let (node, diagnostics) = loadYAML(MarkedText(source))
        #expect(node == nil)
        #expect(diagnostics.map(\.location?.line) == [41, 42])
        #expect(
            diagnostics.map(\.message) == [
                "duplicate key 'k3' (first defined on line 3)", "duplicate key 'k40' (first defined on line 40)",
            ])
    }

    @Test func sameKeyInDifferentMappingsIsNotADuplicate() {
        let (node, diagnostics) = loadYAML(MarkedText("- {a: 1}\n- {a: 2}\n"))
        #expect(diagnostics.isEmpty)
        #expect(node?.items?.count == 2)
    }

    // MARK: - Aliases

    @Test func aliasesCopyTheAnchoredNodeAtTheAliasPosition() throws {
        let marked = MarkedText(
            """
            base: &defaults
              access: learners
              active: true
            pg: 1️⃣*defaults
            """)
        let (node, diagnostics) = loadYAML(marked)
        #expect(diagnostics.isEmpty)
        let root = try #require(node)
        #expect(root["pg"] == root["base"])
        #expect(root["pg"]?["access"]?.string == "learners")
        #expect(root["pg"]?.location == marked.location("1️⃣", file: "t.yaml"))
    }

    @Test func undefinedAliasIsAnErrorAtTheAlias() throws {
        let marked = MarkedText("a: 1\nb: 1️⃣*nowhere\n")
        let (node, diagnostics) = loadYAML(marked)
        #expect(node == nil)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.code == "undefined-alias")
        #expect(diagnostic.message.contains("nowhere"))
        #expect(diagnostic.location == marked.location("1️⃣", file: "t.yaml"))
    }

    @Test func billionLaughsFailsWithAliasBomb() throws {
        var source = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            source += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        let (node, diagnostics) = loadYAML(MarkedText(source))
        #expect(node == nil)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.code == "alias-bomb")
        #expect(diagnostic.message.contains("billion laughs"))
        #expect(diagnostic.message.contains("1000000"))
    }

    @Test func nodeLimitCountsAliasExpansions() {
        var limits = YAMLLimits()
        limits.maxNodes = 15
        // mapping 1 + key 1 + anchored sequence 4 + key 1 + outer sequence 1 + two expansions of 4 = 16
        let small = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
        let (node, diagnostics) = loadYAML(MarkedText(small), limits: limits)
        #expect(node == nil)
        #expect(diagnostics.map(\.code) == ["alias-bomb"])
        limits.maxNodes = 16
        let (fits, none) = loadYAML(MarkedText(small), limits: limits)
        #expect(fits != nil)
        #expect(none.isEmpty)
    }

    // MARK: - Limits and document shape

    @Test func nestingDeeperThanTheLimitIsTooDeep() throws {
        var limits = YAMLLimits()
        limits.maxDepth = 3
        let marked = MarkedText("a:\n  b:\n    - 1️⃣[1]\n")
        let (node, diagnostics) = loadYAML(marked, limits: limits)
        #expect(node == nil)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.code == "too-deep")
        #expect(diagnostic.location == marked.location("1️⃣", file: "t.yaml"))
        limits.maxDepth = 4
        #expect(loadYAML(marked, limits: limits).node != nil)
    }

    @Test func filesOverTheSizeLimitAreRefusedBeforeParsing() throws {
        var limits = YAMLLimits()
        limits.maxFileBytes = 10
        let (node, diagnostics) = loadYAML(MarkedText("a: [unclosed, but too long anyway"), limits: limits)
        #expect(node == nil)
        #expect(diagnostics.map(\.code) == ["file-too-large"])
        #expect(diagnostics.first?.location == Spec.SourceLocation(file: "t.yaml", line: 1, column: 1))
    }

    @Test(arguments: ["", "# only a comment\n\n# and another\n", "---\n", "\n\n"])
    func emptyDocumentsAreEmptyFile(source: String) {
        let (node, diagnostics) = loadYAML(MarkedText(source))
        #expect(node == nil)
        #expect(diagnostics.map(\.code) == ["empty-file"])
    }

    @Test func secondDocumentIsAnError() throws {
        let marked = MarkedText("a: 1\n1️⃣---\nb: 2\n")
        let (node, diagnostics) = loadYAML(marked)
        #expect(node == nil)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.code == "multiple-documents")
        #expect(diagnostic.location == marked.location("1️⃣", file: "t.yaml"))
    }

    @Test func aDocumentThatIsOnlyAScalarLoads() throws {
        let (node, diagnostics) = loadYAML(MarkedText("just text\n"))
        #expect(diagnostics.isEmpty)
        #expect(node?.string == "just text")
    }

    // MARK: - Scalars

    @Test func styleAndTagAreKept() throws {
        let source = "plain: a\nsingle: 'a'\ndouble: \"a\"\nliteral: |\n  a\nfolded: >\n  a\ntagged: !!str 12\n"
        let root = try #require(loadYAML(MarkedText(source)).node)
        #expect(root["plain"]?.scalar?.style == .plain)
        #expect(root["single"]?.scalar?.style == .singleQuoted)
        #expect(root["double"]?.scalar?.style == .doubleQuoted)
        #expect(root["literal"]?.scalar?.style == .literal)
        #expect(root["literal"]?.string == "a\n")
        #expect(root["folded"]?.scalar?.style == .folded)
        #expect(root["tagged"]?.scalar?.tag == "tag:yaml.org,2002:str")
        #expect(root["tagged"]?.int == nil)
        #expect(root["tagged"]?.string == "12")
    }
}

/// The marker helper used by the loader tests.
@Suite struct MarkedTextTests {
    @Test func markersAreStrippedAndLocatedInUnicodeScalars() {
        let marked = MarkedText("1️⃣a: é😀2️⃣b\n  3️⃣c: 9")
        #expect(marked.text == "a: é😀b\n  c: 9")
        #expect(marked.line("1️⃣") == 1)
        #expect(marked.column("1️⃣") == 1)
        #expect(marked.column("2️⃣") == 6)
        #expect(marked.line("3️⃣") == 2)
        #expect(marked.column("3️⃣") == 3)
        #expect(marked.line("4️⃣") == nil)
        #expect(marked.data == Data("a: é😀b\n  c: 9".utf8))
    }
}
