import CYAML
import Foundation

/// Limits that keep hostile YAML from eating time or memory.
public struct YAMLLimits: Sendable {
    /// Files larger than this are refused before parsing.
    public var maxFileBytes: Int = 5 * 1024 * 1024
    /// Nesting deeper than this is refused.
    public var maxDepth: Int = 256
    /// Total nodes produced after expanding aliases; bounds "billion laughs".
    public var maxNodes: Int = 1_000_000

    public init() {}
    public static let `default` = YAMLLimits()
}

/// Parses YAML text into a marked `Node` tree over libyaml's event API.
///
/// The tree is built iteratively with an explicit stack, so nesting depth is bounded by `YAMLLimits.maxDepth`
/// and never by the thread's stack. An alias is stored as a copy of its anchored node (copy-on-write, so cheap);
/// the copy's top node carries the alias's position, nodes inside it keep the anchor's positions.
public enum YAMLLoader {
    /// Parses one YAML document. Problems (syntax, duplicate keys, limits) are appended to `diagnostics`
    /// with the position they occur at; on any error the result is `nil`. An empty document yields `nil`
    /// and an `empty-file` error.
    public static func load(
        _ data: Data, file: String, limits: YAMLLimits = .default, diagnostics: inout Diagnostics
    ) -> Node? {
        let start = SourceLocation(file: file, line: 1, column: 1)
        guard data.count <= limits.maxFileBytes else {
            diagnostics.append(.fileTooLarge(bytes: data.count, limit: limits.maxFileBytes, at: start))
            return nil
        }
        // libyaml wants a non-null pointer even for empty input.
        let bytes = data.isEmpty ? Data([0]) : data
        return bytes.withUnsafeBytes { raw -> Node? in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return nil }
            var builder = TreeBuilder(file: file, data: data, limits: limits)
            builder.run(base, count: data.count)
            diagnostics.append(contentsOf: builder.diagnostics)
            return builder.diagnostics.contains { $0.severity == .error } ? nil : builder.root
        }
    }
}

// MARK: - Tree building

/// The state of one parse: the explicit stack of open collections, anchors, and the running node count.
private struct TreeBuilder {
    /// An open collection waiting for its children; mutated in place on top of the stack.
    private struct Frame {
        var isMapping: Bool
        var location: SourceLocation
        var anchor: String?
        var items: [Node] = []
        var pairs: [Pair] = []
        /// A mapping's key whose value has not arrived yet.
        var pendingKey: Node?
        /// Key → line of its first occurrence, kept only once a mapping is too large for a linear scan.
        var firstLines: [KeyIdentity: Int] = [:]
        /// Nodes in this subtree so far, alias expansions included.
        var nodeCount = 1

        /// The line where an equal key first appeared, if `key` repeats one of this mapping's keys.
        mutating func firstLine(ofDuplicate key: Node) -> Int? {
            let identity = KeyIdentity(key)
            if pairs.count < 16 {
                return pairs.first { KeyIdentity($0.key) == identity }?.key.location.line
            }
            if firstLines.isEmpty {
                for pair in pairs.reversed() { firstLines[KeyIdentity(pair.key)] = pair.key.location.line }
            }
            if let line = firstLines[identity] { return line }
            firstLines[identity] = key.location.line
            return nil
        }
    }

    /// How two keys are judged the same: scalars by their text (as `Node[key]` looks them up), others by value.
    private enum KeyIdentity: Hashable {
        case text(String)
        case node(Node)

        init(_ node: Node) {
            if let scalar = node.scalar { self = .text(scalar.value) } else { self = .node(node) }
        }
    }

    let file: String
    let data: Data
    let limits: YAMLLimits
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var root: Node?

    private var stack: [Frame] = []
    private var anchors: [String: (node: Node, count: Int)] = [:]
    private var totalNodes = 0
    private var aliasesExpanded = 0
    private var documents = 0

    init(file: String, data: Data, limits: YAMLLimits) {
        self.file = file
        self.data = data
        self.limits = limits
    }

    mutating func run(_ input: UnsafePointer<UInt8>, count: Int) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) != 0 else {
            diagnostics.append(.yamlSyntax("libyaml could not be initialised", at: location(line: 0, column: 0)))
            return
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, input, count)

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) != 0 else {
                diagnostics.append(syntaxError(parser))
                return
            }
            defer { yaml_event_delete(&event) }
            let keepGoing = handle(event)
            if !keepGoing { return }
            if event.type == YAML_STREAM_END_EVENT { break }
        }
        if documents == 0 || isEmptyDocument(root) {
            diagnostics.append(.emptyFile(at: location(line: 0, column: 0)))
            root = nil
        }
    }

    /// Handles one event; returns `false` when parsing must stop (a limit was hit).
    private mutating func handle(_ event: yaml_event_t) -> Bool {
        let at = location(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                diagnostics.append(.multipleDocuments(at: at))
                return false
            }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let scalar = Scalar(value, style: style(s.style), tag: string(s.tag))
            totalNodes += 1
            return add(Node(.scalar(scalar), at: at), count: 1, anchor: string(s.anchor))
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                diagnostics.append(.undefinedAlias(name, at: at))
                return true
            }
            aliasesExpanded += 1
            var node = anchored.node
            node.location = at
            totalNodes += anchored.count
            return add(node, count: anchored.count, anchor: nil)
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            return open(Frame(isMapping: false, location: at, anchor: string(s.anchor)))
        case YAML_MAPPING_START_EVENT:
            let m = event.data.mapping_start
            return open(Frame(isMapping: true, location: at, anchor: string(m.anchor)))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return true }
            let kind: Node.Kind = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
            // The collection and its children were counted towards `totalNodes` as they were added.
            return add(Node(kind, at: frame.location), count: frame.nodeCount, anchor: frame.anchor)
        default:
            break
        }
        return true
    }

    private mutating func open(_ frame: Frame) -> Bool {
        guard stack.count < limits.maxDepth else {
            diagnostics.append(.tooDeep(limit: limits.maxDepth, at: frame.location))
            return false
        }
        totalNodes += 1
        guard checkNodeCount(at: frame.location) else { return false }
        stack.append(frame)
        return true
    }

    /// Attaches a finished node (with `count` nodes in its subtree) to the innermost open collection.
    private mutating func add(_ node: Node, count: Int, anchor: String?) -> Bool {
        guard checkNodeCount(at: node.location) else { return false }
        if let anchor { anchors[anchor] = (node, count) }
        guard !stack.isEmpty else {
            if root == nil { root = node }
            return true
        }
        let top = stack.count - 1
        stack[top].nodeCount += count
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if let key = stack[top].pendingKey {
            stack[top].pairs.append(Pair(key: key, value: node))
            stack[top].pendingKey = nil
        } else {
            if let firstLine = stack[top].firstLine(ofDuplicate: node) {
                diagnostics.append(.duplicateKey(node.description, firstLine: firstLine, at: node.location))
            }
            stack[top].pendingKey = node
        }
        return true
    }

    private mutating func checkNodeCount(at location: SourceLocation) -> Bool {
        guard totalNodes > limits.maxNodes else { return true }
        if aliasesExpanded > 0 {
            diagnostics.append(.aliasBomb(limit: limits.maxNodes, at: location))
        } else {
            diagnostics.append(.tooManyNodes(limit: limits.maxNodes, at: location))
        }
        return false
    }

    private func isEmptyDocument(_ node: Node?) -> Bool {
        guard let scalar = node?.scalar else { return node == nil }
        return scalar.style == .plain && scalar.tag == nil && scalar.value.isEmpty
    }

    // MARK: - libyaml conversions

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private func style(_ style: yaml_scalar_style_t) -> Scalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    /// libyaml's marks are 0-based and count characters (not bytes) within the line, which is what we report.
    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        location(line: Int(mark.line), column: Int(mark.column))
    }

    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line + 1, column: column + 1)
    }

    /// Turns libyaml's error state into one readable `yaml-syntax` diagnostic.
    private func syntaxError(_ parser: yaml_parser_t) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        let context = parser.context.map { String(cString: $0) }
        switch parser.error {
        case YAML_READER_ERROR:
            let at = location(byteOffset: Int(parser.problem_offset))
            var message = "invalid input: \(problem)"
            if parser.problem_value != -1 {
                message += " (byte 0x\(String(format: "%02X", parser.problem_value)))"
            }
            return .yamlSyntax(message, at: at)
        case YAML_MEMORY_ERROR:
            return .yamlSyntax("out of memory while parsing", at: location(line: 0, column: 0))
        default:
            let at = location(parser.problem_mark)
            let contextAt = location(parser.context_mark)
            var message: String
            switch (problem, context) {
            case ("found character that cannot start any token", _) where character(at: parser.problem_mark) == "\t":
                message = "tab character where indentation or a value is expected (YAML indents with spaces only)"
            case ("found unexpected end of stream", "while scanning a quoted scalar"):
                message = "unclosed quote: the quoted string at line \(contextAt.line), column \(contextAt.column) never ends"
            case ("mapping values are not allowed in this context", _):
                message = "':' is not allowed here (quote a value that contains ': ', or check the indentation)"
            case ("did not find expected key", let context?):
                message =
                    "did not find the expected key \(context) that starts at line \(contextAt.line), column \(contextAt.column) (check the indentation)"
            case (_, let context?) where contextAt != at:
                message = "\(problem) (\(context) that starts at line \(contextAt.line), column \(contextAt.column))"
            case (_, let context?):
                message = "\(problem) (\(context))"
            case (_, nil):
                message = problem
            }
            return .yamlSyntax(message, at: at)
        }
    }

    /// The character at a libyaml mark, looked up by line and column in the raw input.
    private func character(at mark: yaml_mark_t) -> Unicode.Scalar? {
        var scalars = String(decoding: data, as: UTF8.self).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }  // libyaml's marks skip the BOM
        var line = 0
        var lineStart = scalars.startIndex
        var index = lineStart
        while index < scalars.endIndex, line < Int(mark.line) {
            if scalars[index] == "\n" {
                line += 1
                lineStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        let target = scalars.index(lineStart, offsetBy: Int(mark.column), limitedBy: scalars.endIndex) ?? scalars.endIndex
        return target < scalars.endIndex ? scalars[target] : nil
    }

    /// Line and column (in Unicode scalars) of a byte offset, for reader errors that only know the offset.
    private func location(byteOffset: Int) -> SourceLocation {
        let prefix = data.prefix(min(byteOffset, data.count))
        var line = 0
        var lineStart = prefix.startIndex
        for index in prefix.indices where prefix[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        var linePrefix = prefix[lineStart...]
        if line == 0, linePrefix.starts(with: [0xEF, 0xBB, 0xBF]) { linePrefix = linePrefix.dropFirst(3) }
        let column = String(decoding: linePrefix, as: UTF8.self).unicodeScalars.count
        return location(line: line, column: column)
    }
}

// MARK: - Diagnostics

extension Diagnostic {
    static func yamlSyntax(_ message: String, at location: SourceLocation) -> Diagnostic {
        .error("yaml-syntax", "YAML syntax error: \(message)", at: location)
    }

    static func duplicateKey(_ key: String, firstLine: Int, at location: SourceLocation) -> Diagnostic {
        .error(
            "duplicate-key", "duplicate key \(SecretRedaction.quotedKey(key)) (first defined on line \(firstLine))", at: location)
    }

    static func tooDeep(limit: Int, at location: SourceLocation) -> Diagnostic {
        .error("too-deep", "nesting is deeper than \(limit) levels", at: location)
    }

    static func aliasBomb(limit: Int, at location: SourceLocation) -> Diagnostic {
        .error(
            "alias-bomb",
            "document with its aliases expanded expands to more than \(limit) nodes (a \"billion laughs\" document?)",
            at: location)
    }

    static func tooManyNodes(limit: Int, at location: SourceLocation) -> Diagnostic {
        .error("too-many-nodes", "document has more than \(limit) nodes", at: location)
    }

    static func undefinedAlias(_ name: String, at location: SourceLocation) -> Diagnostic {
        .error("undefined-alias", "alias '*\(Excerpt.quote(name))' refers to no anchor defined before it", at: location)
    }

    static func fileTooLarge(bytes: Int, limit: Int, at location: SourceLocation) -> Diagnostic {
        .error("file-too-large", "file is \(bytes) bytes; the limit is \(limit) bytes", at: location)
    }

    static func emptyFile(at location: SourceLocation) -> Diagnostic {
        .error("empty-file", "file contains no YAML document", at: location)
    }

    static func multipleDocuments(at location: SourceLocation) -> Diagnostic {
        .error("multiple-documents", "file contains more than one YAML document; use one document per file", at: location)
    }
}
