import Foundation

/// An attribute path as written: `[URN ":"] name ["." sub]` (RFC 7644 §3.10).
struct SCIMAttrPath: Sendable, Hashable {
    var urn: String?
    var name: String
    var sub: String?

    init(urn: String? = nil, name: String, sub: String? = nil) {
        self.urn = urn
        self.name = name
        self.sub = sub
    }

    init(parsing text: String) {
        var rest = Substring(text)
        if text.lowercased().hasPrefix("urn:"), let colon = text.lastIndex(of: ":") {
            urn = String(text[..<colon])
            rest = text[text.index(after: colon)...]
        }
        if let dot = rest.firstIndex(of: ".") {
            name = String(rest[..<dot])
            sub = String(rest[rest.index(after: dot)...])
        } else {
            name = String(rest)
        }
    }
}

/// A path resolved against a schema: where the value lives and how to compare it.
struct SCIMFieldRef: Sendable {
    /// The extension URN whose object holds the attribute; `nil` for core and common attributes.
    var container: String?
    var attribute: SCIMAttribute
    var sub: SCIMAttribute?

    /// The definition whose type and case-exactness a comparison uses.
    var leaf: SCIMAttribute { sub ?? (attribute.kind == .complex ? attribute.subAttribute("value") ?? attribute : attribute) }

    /// Every value at this path in an object (multi-valued attributes give one per element).
    func values(in object: [String: SCIMJSON]) -> [SCIMJSON] {
        var holder = object
        if let container {
            guard let nested = object.value(named: container)?.objectValue else { return [] }
            holder = nested
        }
        guard let value = holder.value(named: attribute.name), value != .null else { return [] }
        let subName = sub?.name ?? (attribute.kind == .complex ? "value" : nil)
        let items = value.arrayValue ?? [value]
        guard let subName else { return items }
        return items.compactMap { $0.objectValue?.value(named: subName) }.filter { $0 != .null }
    }
}

/// Where names in a filter are looked up: a resource type, or the sub-attributes of a complex attribute
/// (inside `emails[type eq "work"]`).
enum SCIMScope: Sendable {
    case resource(SCIMResourceType)
    case complex(SCIMAttribute)

    /// Attributes every resource has (RFC 7643 §3.1), with the parts of `meta` a filter can use.
    static let common: [SCIMAttribute] = [
        SCIMAttribute(name: "id", kind: .string, isCaseExact: true, mutability: .readOnly, returned: .always),
        SCIMAttribute(name: "externalId", kind: .string, isCaseExact: true),
        SCIMAttribute(
            name: "meta", kind: .complex, mutability: .readOnly,
            subAttributes: [
                SCIMAttribute(name: "resourceType", kind: .string, isCaseExact: true, mutability: .readOnly),
                SCIMAttribute(name: "created", kind: .dateTime, mutability: .readOnly),
                SCIMAttribute(name: "lastModified", kind: .dateTime, mutability: .readOnly),
                SCIMAttribute(name: "location", kind: .reference, isCaseExact: true, mutability: .readOnly),
                SCIMAttribute(name: "version", kind: .string, isCaseExact: true, mutability: .readOnly),
            ]),
    ]

    func resolve(_ path: SCIMAttrPath) -> SCIMFieldRef? {
        switch self {
        case .complex(let parent):
            guard path.urn == nil, path.sub == nil, let attribute = parent.subAttribute(path.name) else { return nil }
            return SCIMFieldRef(container: nil, attribute: attribute)
        case .resource(let type):
            var container: String?
            var attributes = type.schema.attributes + Self.common
            if let urn = path.urn, urn.caseInsensitiveCompare(type.schema.id) != .orderedSame {
                guard let schema = type.extensions.first(where: { $0.id.caseInsensitiveCompare(urn) == .orderedSame })
                else { return nil }
                container = schema.id
                attributes = schema.attributes
            }
            guard let attribute = attributes.first(where: { $0.name.caseInsensitiveCompare(path.name) == .orderedSame })
            else { return nil }
            var sub: SCIMAttribute?
            if let subName = path.sub {
                guard let found = attribute.subAttribute(subName) else { return nil }
                sub = found
            }
            return SCIMFieldRef(container: container, attribute: attribute, sub: sub)
        }
    }
}

enum SCIMCompareOp: String, Sendable, CaseIterable {
    case eq, ne, co, sw, ew, gt, ge, lt, le
}

/// A parsed filter (RFC 7644 §3.4.2.2) with every path resolved.
indirect enum SCIMFilter: Sendable {
    case and(SCIMFilter, SCIMFilter)
    case or(SCIMFilter, SCIMFilter)
    case not(SCIMFilter)
    case present(SCIMFieldRef)
    case compare(SCIMFieldRef, SCIMCompareOp, SCIMJSON)
    /// `attr[filter]`: some element of the multi-valued complex attribute matches the inner filter.
    case valuePath(SCIMFieldRef, SCIMFilter)

    static func parse(_ text: String, scope: SCIMScope) throws(SCIMFailure) -> SCIMFilter {
        var parser = SCIMFilterParser(tokens: try SCIMFilterParser.tokenize(text))
        let filter = try parser.parseOr(scope: scope)
        guard parser.isAtEnd else { throw .invalidFilter("Unexpected '\(parser.peekText)' in filter") }
        return filter
    }

    func matches(_ object: [String: SCIMJSON]) -> Bool {
        switch self {
        case .and(let left, let right): return left.matches(object) && right.matches(object)
        case .or(let left, let right): return left.matches(object) || right.matches(object)
        case .not(let inner): return !inner.matches(object)
        case .present(let ref):
            return ref.values(in: object).contains { value in
                if case .string(let text) = value { return !text.isEmpty }
                if case .array(let items) = value { return !items.isEmpty }
                return true
            }
        case .compare(let ref, let op, let operand):
            let values = ref.values(in: object)
            if operand == .null { return (op == .eq) == values.isEmpty }
            if op == .ne { return !values.contains { Self.compare($0, .eq, operand, leaf: ref.leaf) } }
            return values.contains { Self.compare($0, op, operand, leaf: ref.leaf) }
        case .valuePath(let ref, let inner):
            var holder = object
            if let container = ref.container {
                guard let nested = object.value(named: container)?.objectValue else { return false }
                holder = nested
            }
            guard let value = holder.value(named: ref.attribute.name) else { return false }
            return (value.arrayValue ?? [value]).contains { element in
                element.objectValue.map { inner.matches($0) } ?? false
            }
        }
    }

    private static func compare(_ value: SCIMJSON, _ op: SCIMCompareOp, _ operand: SCIMJSON, leaf: SCIMAttribute) -> Bool {
        if let number = value.numberValue, let target = operand.numberValue {
            switch op {
            case .eq: return number == target
            case .ne: return number != target
            case .gt: return number > target
            case .ge: return number >= target
            case .lt: return number < target
            case .le: return number <= target
            case .co, .sw, .ew: return false
            }
        }
        if case .bool(let flag) = value {
            let target: Bool? =
                switch operand {
                case .bool(let other): other
                case .string(let text): Bool(text.lowercased())
                default: nil
                }
            guard let target else { return false }
            return op == .eq ? flag == target : op == .ne ? flag != target : false
        }
        guard var text = value.stringValue, var target = operand.stringValue else { return false }
        if !leaf.isCaseExact {
            text = text.lowercased()
            target = target.lowercased()
        }
        switch op {
        case .eq: return text == target
        case .ne: return text != target
        case .co: return text.contains(target)
        case .sw: return text.hasPrefix(target)
        case .ew: return text.hasSuffix(target)
        case .gt: return text > target
        case .ge: return text >= target
        case .lt: return text < target
        case .le: return text <= target
        }
    }
}

/// A recursive-descent parser: `or` binds loosest, then `and`, then `not` and parentheses. Recursion is bounded:
/// nesting deeper than `SandboxLimits.scimFilterDepth`, or more than `SandboxLimits.scimFilterTerms` attribute
/// expressions, is refused with `invalidFilter` before anything deep is built (the tree's own recursion —
/// matching, index lookups, release — stays as shallow as the filter the parser accepted).
struct SCIMFilterParser {
    enum Token: Sendable, Equatable {
        case word(String)
        case string(String)
        case open, close, openBracket, closeBracket
    }

    private var tokens: [Token]
    private var index = 0
    /// Groups (parentheses, `not`, value paths) open at the current position.
    private var depth = 0
    /// Attribute expressions parsed so far.
    private var terms = 0

    init(tokens: [Token]) { self.tokens = tokens }

    var isAtEnd: Bool { index >= tokens.count }
    var peekText: String {
        guard index < tokens.count else { return "end" }
        switch tokens[index] {
        case .word(let word): return word
        case .string(let text): return "\"\(text)\""
        case .open: return "("
        case .close: return ")"
        case .openBracket: return "["
        case .closeBracket: return "]"
        }
    }

    static func tokenize(_ text: String) throws(SCIMFailure) -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text.unicodeScalars)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case " ", "\t", "\n", "\r": i += 1
            case "(": tokens.append(.open); i += 1
            case ")": tokens.append(.close); i += 1
            case "[": tokens.append(.openBracket); i += 1
            case "]": tokens.append(.closeBracket); i += 1
            case "\"":
                var j = i + 1
                var escaped = false
                while j < chars.count {
                    if escaped {
                        escaped = false
                    } else if chars[j] == "\\" {
                        escaped = true
                    } else if chars[j] == "\"" {
                        break
                    }
                    j += 1
                }
                guard j < chars.count else { throw .invalidFilter("Unterminated string in filter") }
                var literal = String.UnicodeScalarView()
                literal.append(contentsOf: chars[i...j])
                guard let value = SCIMJSON.parse(Data(String(literal).utf8))?.stringValue else {
                    throw .invalidFilter("Invalid string literal \(String(literal)) in filter")
                }
                tokens.append(.string(value))
                i = j + 1
            default:
                var j = i
                while j < chars.count, !" \t\n\r()[]\"".unicodeScalars.contains(chars[j]) { j += 1 }
                var word = String.UnicodeScalarView()
                word.append(contentsOf: chars[i..<j])
                tokens.append(.word(String(word)))
                i = j
            }
        }
        return tokens
    }

    private mutating func next() -> Token? {
        guard index < tokens.count else { return nil }
        defer { index += 1 }
        return tokens[index]
    }

    private func peekWord(_ word: String) -> Bool {
        guard index < tokens.count, case .word(let found) = tokens[index] else { return false }
        return found.caseInsensitiveCompare(word) == .orderedSame
    }

    private mutating func expect(_ token: Token, _ what: String) throws(SCIMFailure) {
        guard next() == token else { throw .invalidFilter("Expected \(what) in filter") }
    }

    /// Parses a nested group (the inside of `(…)`, `not (…)` or `attr[…]`) one level deeper.
    private mutating func parseNested(scope: SCIMScope) throws(SCIMFailure) -> SCIMFilter {
        depth += 1
        defer { depth -= 1 }
        guard depth <= SandboxLimits.scimFilterDepth else {
            throw .invalidFilter("Filter nested deeper than \(SandboxLimits.scimFilterDepth) levels")
        }
        return try parseOr(scope: scope)
    }

    mutating func parseOr(scope: SCIMScope) throws(SCIMFailure) -> SCIMFilter {
        var left = try parseAnd(scope: scope)
        while peekWord("or") {
            index += 1
            left = .or(left, try parseAnd(scope: scope))
        }
        return left
    }

    private mutating func parseAnd(scope: SCIMScope) throws(SCIMFailure) -> SCIMFilter {
        var left = try parseUnary(scope: scope)
        while peekWord("and") {
            index += 1
            left = .and(left, try parseUnary(scope: scope))
        }
        return left
    }

    private mutating func parseUnary(scope: SCIMScope) throws(SCIMFailure) -> SCIMFilter {
        if peekWord("not") {
            index += 1
            try expect(.open, "'(' after not")
            let inner = try parseNested(scope: scope)
            try expect(.close, "')'")
            return .not(inner)
        }
        if index < tokens.count, tokens[index] == .open {
            index += 1
            let inner = try parseNested(scope: scope)
            try expect(.close, "')'")
            return inner
        }
        return try parseAttributeExpression(scope: scope)
    }

    private mutating func parseAttributeExpression(scope: SCIMScope) throws(SCIMFailure) -> SCIMFilter {
        guard case .word(let pathText) = next() else { throw .invalidFilter("Expected an attribute path in filter") }
        let path = SCIMAttrPath(parsing: pathText)
        guard let ref = scope.resolve(path) else { throw .invalidFilter("Unknown attribute '\(pathText)' in filter") }
        if index < tokens.count, tokens[index] == .openBracket {
            guard ref.sub == nil, ref.attribute.kind == .complex else {
                throw .invalidFilter("'\(pathText)' is not a complex attribute")
            }
            index += 1
            let inner = try parseNested(scope: .complex(ref.attribute))
            try expect(.closeBracket, "']'")
            // `emails[type eq "work"].value eq "x"`: the element must match both.
            if index < tokens.count, case .word(let word) = tokens[index], word.hasPrefix(".") {
                index += 1
                let subScope = SCIMScope.complex(ref.attribute)
                let condition = try parseOperator(
                    ref: subScope.resolve(SCIMAttrPath(name: String(word.dropFirst()))), text: word)
                return .valuePath(ref, .and(inner, condition))
            }
            return .valuePath(ref, inner)
        }
        return try parseOperator(ref: ref, text: pathText)
    }

    private mutating func parseOperator(ref: SCIMFieldRef?, text: String) throws(SCIMFailure) -> SCIMFilter {
        guard let ref else { throw .invalidFilter("Unknown attribute '\(text)' in filter") }
        terms += 1
        guard terms <= SandboxLimits.scimFilterTerms else {
            throw .invalidFilter("Filter has more than \(SandboxLimits.scimFilterTerms) attribute expressions")
        }
        guard case .word(let opText) = next() else { throw .invalidFilter("Expected an operator after '\(text)'") }
        if opText.lowercased() == "pr" { return .present(ref) }
        guard let op = SCIMCompareOp(rawValue: opText.lowercased()) else {
            throw .invalidFilter("Unknown operator '\(opText)' in filter")
        }
        let operand: SCIMJSON
        switch next() {
        case .string(let value): operand = .string(value)
        case .word(let word):
            switch word.lowercased() {
            case "true": operand = .bool(true)
            case "false": operand = .bool(false)
            case "null": operand = .null
            default:
                if let int = Int(word) {
                    operand = .int(int)
                } else if let double = Double(word) {
                    operand = .double(double)
                } else {
                    throw .invalidFilter("Invalid comparison value '\(word)' in filter")
                }
            }
        default: throw .invalidFilter("Expected a comparison value after '\(opText)'")
        }
        return .compare(ref, op, operand)
    }
}
