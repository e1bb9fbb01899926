import Foundation

/// Recognisers for the scalar formats of `ValueFormat`, shared by the shape check and the model builder.
enum Format {
    /// `^[a-z][a-z0-9-]{1,62}$`.
    static func isIdentifier(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard (2...63).contains(scalars.count), let first = scalars.first, ("a"..."z").contains(first) else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Lower-case letters and digits in hyphen-separated words (`conscious-leadership-foundations`).
    static func isSlug(_ text: String) -> Bool {
        let words = text.split(separator: "-", omittingEmptySubsequences: false)
        return !text.isEmpty
            && words.allSatisfy { word in
                !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            }
    }

    /// A DNS name of at least two labels (letters, digits, inner hyphens), ending in an alphabetic or `xn--` TLD.
    /// Case-insensitive.
    static func isDomain(_ text: String) -> Bool {
        let text = text.lowercased()
        guard (3...253).contains(text.unicodeScalars.count) else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            let scalars = label.unicodeScalars
            guard (1...63).contains(scalars.count), scalars.first != "-", scalars.last != "-" else { return false }
            guard scalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
                return false
            }
        }
        guard let top = labels.last else { return false }
        return top.hasPrefix("xn--") || (top.count >= 2 && top.unicodeScalars.allSatisfy { ("a"..."z").contains($0) })
    }

    /// `local@domain` with a plain (unquoted) local part and a valid domain.
    static func isEmail(_ text: String) -> Bool {
        guard let at = text.lastIndex(of: "@") else { return false }
        let local = text[..<at]
        let domain = String(text[text.index(after: at)...])
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~.-".unicodeScalars)
        guard (1...64).contains(local.unicodeScalars.count), local.unicodeScalars.allSatisfy(allowed.contains),
            local.first != ".", local.last != ".", !local.contains("..")
        else { return false }
        return isDomain(domain)
    }

    /// An `http`/`https` URL with a host.
    static func url(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty
        else { return nil }
        return url
    }

    /// `^[A-Z_][A-Z0-9_]*$`.
    static func isEnvironmentName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("A"..."Z").contains(first) || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    enum SecretReading {
        case reference(SecretRef)
        case literal
        case badEnvironmentName
        case emptyPath
    }

    /// Reads a secret reference; anything else is a literal (which must never be echoed).
    static func secret(_ text: String) -> SecretReading {
        if text.hasPrefix("env:") {
            let name = String(text.dropFirst(4))
            return isEnvironmentName(name) ? .reference(.env(name)) : .badEnvironmentName
        }
        if text.hasPrefix("file:") {
            let path = String(text.dropFirst(5))
            return path.trimmingCharacters(in: .whitespaces).isEmpty ? .emptyPath : .reference(.file(path))
        }
        return .literal
    }

    enum LimitReading {
        case limit(RemovalLimit)
        case outOfRange
        case invalid
    }

    /// `10%` (0–100, decimals allowed) or a whole number ≥ 0.
    static func removalLimit(_ node: Node) -> LimitReading {
        if let count = node.int { return count >= 0 ? .limit(.count(count)) : .outOfRange }
        guard let text = node.string, text.hasSuffix("%") else { return .invalid }
        let number = text.dropLast()
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            parts.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }),
            let value = Double(number)
        else { return .invalid }
        return (0...100).contains(value) ? .limit(.percent(value)) : .outOfRange
    }
}

// MARK: - Diagnostics

extension Diagnostic {
    static func invalidIdentifier(_ value: String, what: String, at location: SourceLocation) -> Diagnostic {
        .error(
            "invalid-id",
            "\(what) '\(value)' is not a valid id: use 2–63 lower-case letters, digits and hyphens, starting with a letter",
            at: location)
    }

    static func invalidSlug(_ value: String, key: String, at location: SourceLocation) -> Diagnostic {
        .error(
            "invalid-slug", "'\(key)' value '\(value)' is not a slug: use lower-case letters and digits joined by hyphens",
            at: location)
    }

    static func invalidDomain(_ value: String, at location: SourceLocation) -> Diagnostic {
        .error("invalid-domain", "'\(value)' is not a valid domain (expected something like pg.com)", at: location)
    }

    static func invalidEmail(_ value: String, at location: SourceLocation) -> Diagnostic {
        .error("invalid-email", "'\(value)' is not a valid email address", at: location)
    }

    static func invalidDate(_ value: String, key: String, at location: SourceLocation) -> Diagnostic {
        if CalendarDate.hasDateShape(value) {
            return .error("invalid-date", "'\(key)' is \(value), a day that does not exist", at: location)
        }
        return .error("invalid-date", "'\(key)' must be a date written YYYY-MM-DD, found '\(value)'", at: location)
    }

    static func invalidURL(_ value: String, key: String, at location: SourceLocation) -> Diagnostic {
        .error("invalid-url", "'\(key)' must be an http or https URL with a host, found '\(value)'", at: location)
    }

    /// Never echoes the value: it may be a real credential.
    static func literalSecret(key: String, at location: SourceLocation) -> Diagnostic {
        .error(
            "literal-secret",
            "'\(key)' holds a literal value; secrets must be references: env:NAME or file:PATH (value not shown)",
            at: location)
    }

    /// Never echoes the name: a secret pasted after `env:` must not be printed either.
    static func invalidEnvironmentName(key: String, at location: SourceLocation) -> Diagnostic {
        .error(
            "invalid-env-name",
            "'\(key)': the name after env: must be upper-case letters, digits and underscores, not starting with a digit",
            at: location)
    }

    static func emptySecretPath(key: String, at location: SourceLocation) -> Diagnostic {
        .error("invalid-secret-path", "'\(key)': file: needs a path", at: location)
    }

    static func invalidInteger(
        _ value: String, key: String, expectation: String, at location: SourceLocation
    )
        -> Diagnostic
    {
        .error("invalid-number", "'\(key)' must be \(expectation), found '\(value)'", at: location)
    }

    static func unsupportedVersion(_ value: String, supported: Int, at location: SourceLocation) -> Diagnostic {
        .error("unsupported-version", "version must be \(supported), found '\(value)'", at: location)
    }

    static func invalidChoice(_ value: String, key: String, choices: [String], at location: SourceLocation) -> Diagnostic {
        let hint = Suggestion.closest(to: value, in: choices).map { "; did you mean '\($0)'?" } ?? ""
        return .error(
            "invalid-choice", "'\(key)' must be one of \(choices.joined(separator: ", ")), found '\(value)'\(hint)",
            at: location)
    }

    static func invalidBoolean(_ value: String, key: String, at location: SourceLocation) -> Diagnostic {
        .error("invalid-boolean", "'\(key)' must be true or false, found '\(value)'", at: location)
    }

    static func invalidPercentage(
        _ value: String, key: String, isOutOfRange: Bool, at location: SourceLocation
    )
        -> Diagnostic
    {
        if isOutOfRange {
            let rule = value.hasSuffix("%") ? "a percentage is 0–100%" : "a count is 0 or more"
            return .error("invalid-percentage", "'\(key)' is \(value): \(rule)", at: location)
        }
        return .error("invalid-percentage", "'\(key)' must be a percentage like 10% or a count, found '\(value)'", at: location)
    }
}

/// Email address validity as the spec checks it, for the stages after validation (the planner checks addresses
/// that come from the directory with the same rule as roster rows).
public enum EmailAddress {
    /// `local@domain` with a plain (unquoted) local part of at most 64 characters and a valid domain.
    public static func isValid(_ text: String) -> Bool { Format.isEmail(text) }
}
