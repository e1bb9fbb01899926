import Foundation

/// Read access to a node tree without losing positions. Returns `nil` when the shape does not match;
/// validators turn that into a diagnostic at `location`.
extension Node {
    /// The value for `key` when this node is a mapping.
    public subscript(key: String) -> Node? {
        guard case .mapping(let pairs) = kind else { return nil }
        return pairs.first { $0.key.scalar?.value == key }?.value
    }

    public var scalar: Scalar? {
        if case .scalar(let scalar) = kind { return scalar }
        return nil
    }

    public var pairs: [Pair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    public var items: [Node]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// `true` for a plain `null`, `~` or empty scalar.
    public var isNull: Bool {
        guard let scalar, scalar.style == .plain, scalar.tag == nil else { return false }
        return scalar.value.isEmpty || scalar.value == "null" || scalar.value == "~"
    }

    /// The text of any non-null scalar (numbers and booleans included, as written).
    public var string: String? {
        guard let scalar, !isNull else { return nil }
        return scalar.value
    }

    /// A plain `true` or `false`; nothing else is a boolean (`yes`, `on` and `no` are strings).
    public var bool: Bool? {
        guard let scalar, scalar.style == .plain, scalar.tag == nil || scalar.tag == "tag:yaml.org,2002:bool" else { return nil }
        switch scalar.value {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// A plain decimal integer (optional leading `-`); `0123` is not an octal and is not an integer.
    public var int: Int? {
        guard let scalar, scalar.style == .plain, scalar.tag == nil || scalar.tag == "tag:yaml.org,2002:int" else {
            return nil
        }
        let text = scalar.value
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        guard digits.count == 1 || digits.first != "0" else { return nil }
        return Int(text)
    }

    /// A plain decimal number (integer or with a fraction).
    public var double: Double? {
        if let int { return Double(int) }
        guard let scalar, scalar.style == .plain, scalar.tag == nil || scalar.tag == "tag:yaml.org,2002:float" else {
            return nil
        }
        let text = scalar.value
        guard text.range(of: #"^-?(0|[1-9][0-9]*)\.[0-9]+$"#, options: .regularExpression) != nil else { return nil }
        return Double(text)
    }
}

// MARK: - Foundation JSON values

extension Node {
    /// The node as a Foundation JSON value (`[String: Any]`, `[Any]`, `Bool`, `Int`, `Double`, `NSNull` or `String`)
    /// using the same resolution as the accessors above, ready for `JSONSerialization` and then `JSONDecoder`.
    /// Mapping keys are the keys' text; a non-scalar key becomes its `description`.
    public var jsonValue: Any {
        switch kind {
        case .mapping(let pairs):
            var object: [String: Any] = [:]
            for pair in pairs {
                object[pair.key.scalar?.value ?? pair.key.description] = pair.value.jsonValue
            }
            return object
        case .sequence(let items):
            return items.map(\.jsonValue)
        case .scalar(let scalar):
            if isNull { return NSNull() }
            if let bool { return bool }
            if let int { return int }
            if let double { return double }
            return scalar.value
        }
    }
}
