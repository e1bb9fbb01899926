/// Walks a node tree against a `SpecShape`: unknown keys (with "did you mean"), wrong types, missing keys and
/// values, duplicate list items, and every scalar format. Reports all problems; never stops early.
struct ShapeCheck {
    private(set) var diagnostics = Diagnostics()
    /// Where a value that may be a secret starts: snippets must not show the rest of that line.
    private(set) var redactions: [SourceLocation] = []

    mutating func check(_ node: Node, against shape: SpecShape, key: String) {
        switch shape {
        case .value(let format):
            checkValue(node, format: format, key: key)
        case .list(let item, let noun, let isUnique, let minCount):
            checkList(node, item: item, noun: noun, isUnique: isUnique, minCount: minCount, key: key)
        case .object(let object):
            checkObject(node, object, key: key)
        }
    }

    // MARK: - Mappings and lists

    private mutating func checkObject(_ node: Node, _ object: ObjectShape, key: String) {
        let pairs: [Pair]
        if node.isNull {
            pairs = []
        } else if let nodePairs = node.pairs {
            pairs = nodePairs
        } else {
            diagnostics.append(.wrongType(key: key, expected: "a mapping", found: node, at: node.location))
            return
        }
        let known = object.keys.map(\.name)
        for pair in pairs {
            let name = pair.key.string ?? pair.key.description
            if let keyShape = object.key(name) {
                check(pair.value, against: keyShape.shape, key: name)
            } else if let entries = object.entries, !looksLikeTypo(name, of: known, value: pair.value, entry: entries) {
                if !Format.isIdentifier(name) {
                    diagnostics.append(.invalidIdentifier(name, what: "\(entries.noun) name", at: pair.key.location))
                }
                check(pair.value, against: entries.shape, key: name)
            } else {
                if SecretRedaction.mayHoldSecret(name) {
                    redactions.append(SecretRedaction.mayShowKey(name) ? pair.value.location : pair.key.location)
                }
                let suggestion = Suggestion.closest(to: name, in: known)
                diagnostics.append(
                    .unknownKey(name, in: object.noun, suggestion: suggestion, known: known, at: pair.key.location))
            }
        }
        let present = Set(pairs.compactMap { $0.key.string })
        for keyShape in object.keys where keyShape.isRequired && !present.contains(keyShape.name) {
            diagnostics.append(.missingKey(keyShape.name, in: object.noun, at: node.location))
        }
    }

    /// A named entry whose name is a near miss of a known key and whose value does not fit an entry
    /// (`thinkfic: { courses: [...] }`) is a typo of that key, not an entry.
    private func looksLikeTypo(_ name: String, of known: [String], value: Node, entry: EntryShape) -> Bool {
        guard Suggestion.closest(to: name, in: known) != nil else { return false }
        guard case .object(let shape) = entry.shape, let pairs = value.pairs else { return true }
        let present = Set(pairs.compactMap { $0.key.string })
        return !shape.keys.filter(\.isRequired).allSatisfy { present.contains($0.name) }
            || !present.allSatisfy { shape.key($0) != nil }
    }

    private mutating func checkList(
        _ node: Node, item: SpecShape, noun: String, isUnique: Bool, minCount: Int, key: String
    ) {
        let items: [Node]
        if node.isNull {
            items = []
        } else if let nodeItems = node.items {
            items = nodeItems
        } else {
            diagnostics.append(.wrongType(key: key, expected: "a list of \(noun)s", found: node, at: node.location))
            return
        }
        if items.count < minCount {
            diagnostics.append(.tooFewItems(key: key, noun: noun, minimum: minCount, at: node.location))
        }
        var seen: [String: SourceLocation] = [:]
        for element in items {
            check(element, against: item, key: noun)
            guard isUnique, let text = element.string else { continue }
            let value = text.lowercased()
            if let first = seen[value] {
                diagnostics.append(.duplicateItem(text, noun: noun, key: key, first: first, at: element.location))
            } else {
                seen[value] = element.location
            }
        }
    }

    static func isReference(_ node: Node) -> Bool {
        guard let text = node.string, case .reference = Format.secret(text) else { return false }
        return true
    }

    // MARK: - Scalars

    private mutating func checkValue(_ node: Node, format: ValueFormat, key: String) {
        if case .secret = format, !Self.isReference(node) { redactions.append(node.location) }
        guard node.scalar != nil else {
            diagnostics.append(.wrongType(key: key, expected: format.expectation, found: node, at: node.location))
            return
        }
        guard let text = node.string, !text.isEmpty else {
            diagnostics.append(.missingValue(key: key, at: node.location))
            return
        }
        let location = node.location
        switch format {
        case .text:
            break
        case .identifier:
            if !Format.isIdentifier(text) { diagnostics.append(.invalidIdentifier(text, what: "'\(key)'", at: location)) }
        case .slug:
            if !Format.isSlug(text) { diagnostics.append(.invalidSlug(text, key: key, at: location)) }
        case .domain:
            if !Format.isDomain(text) { diagnostics.append(.invalidDomain(text, at: location)) }
        case .date:
            if CalendarDate(text) == nil { diagnostics.append(.invalidDate(text, key: key, at: location)) }
        case .url:
            if Format.url(text) == nil { diagnostics.append(.invalidURL(text, key: key, at: location)) }
        case .secret:
            switch Format.secret(text) {
            case .reference: break
            case .literal: diagnostics.append(.literalSecret(key: key, at: location))
            case .badEnvironmentName: diagnostics.append(.invalidEnvironmentName(key: key, at: location))
            case .emptyPath: diagnostics.append(.emptySecretPath(key: key, at: location))
            }
        case .integer(let minimum):
            if (node.int ?? .min) < minimum {
                diagnostics.append(.invalidInteger(text, key: key, expectation: format.expectation, at: location))
            }
        case .constant(let value):
            if node.int != value { diagnostics.append(.unsupportedVersion(text, supported: value, at: location)) }
        case .boolean:
            if node.bool == nil { diagnostics.append(.invalidBoolean(text, key: key, at: location)) }
        case .choice(let words):
            if !words.contains(text) { diagnostics.append(.invalidChoice(text, key: key, choices: words, at: location)) }
        case .percentOrCount:
            switch Format.removalLimit(node) {
            case .limit: break
            case .outOfRange: diagnostics.append(.invalidPercentage(text, key: key, isOutOfRange: true, at: location))
            case .invalid: diagnostics.append(.invalidPercentage(text, key: key, isOutOfRange: false, at: location))
            }
        }
    }
}

// MARK: - Diagnostics

extension Diagnostic {
    static func unknownKey(
        _ name: String, in noun: String, suggestion: String?, known: [String], at location: SourceLocation
    ) -> Diagnostic {
        let hint: String
        if let suggestion {
            hint = "; did you mean '\(suggestion)'?"
        } else if known.isEmpty {
            hint = ""
        } else {
            hint = " (expected one of: \(known.joined(separator: ", ")))"
        }
        return .error("unknown-key", "unknown key \(SecretRedaction.quotedKey(name)) in \(noun)\(hint)", at: location)
    }

    /// Describes what was found without echoing it: the value may be a secret.
    static func wrongType(key: String, expected: String, found node: Node, at location: SourceLocation) -> Diagnostic {
        let found: String
        switch node.kind {
        case .mapping: found = "a mapping"
        case .sequence: found = "a list"
        case .scalar: found = node.int != nil ? "a number" : node.bool != nil ? "a boolean" : "a string"
        }
        return .error("wrong-type", "'\(key)' must be \(expected), found \(found)", at: location)
    }

    static func missingKey(_ name: String, in noun: String, at location: SourceLocation) -> Diagnostic {
        .error("missing-key", "\(noun) is missing required key '\(name)'", at: location)
    }

    static func missingValue(key: String, at location: SourceLocation) -> Diagnostic {
        .error("missing-value", "'\(key)' needs a value", at: location)
    }

    static func tooFewItems(key: String, noun: String, minimum: Int, at location: SourceLocation) -> Diagnostic {
        .error("empty-list", "'\(key)' needs at least \(minimum) \(noun)\(minimum == 1 ? "" : "s")", at: location)
    }

    static func duplicateItem(
        _ value: String, noun: String, key: String, first: SourceLocation, at location: SourceLocation
    ) -> Diagnostic {
        .error("duplicate-item", "\(noun) '\(value)' is listed twice in '\(key)' (first on line \(first.line))", at: location)
    }
}

extension SpecShape {
    /// Every problem of `node` against this shape (keys, types, formats); `name` names the root in messages.
    public func diagnostics(for node: Node, name: String) -> [Diagnostic] {
        var check = ShapeCheck()
        check.check(node, against: self, key: name)
        return check.diagnostics.all
    }
}
