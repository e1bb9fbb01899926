import Foundation

/// The one home of the rule that keeps literal secrets out of snippets: a line holding a value that may be a secret
/// is shown cut off where the value starts, followed by `<redacted>`.
///
/// A parsed file reports exactly where such values start (`ShapeCheck`: every `.secret` value that is not a
/// reference, and every unknown key whose name suggests a credential). A file that did not parse has no node tree,
/// so its lines are scanned for the same keys instead (`unparsedRedactions`), block-scalar continuations included.
public enum SecretRedaction {
    static let marker = "<redacted>"

    /// A key name that suggests its value is a credential (`apikey`, `token`, `client_secret`, `password`).
    public static func mayHoldSecret(_ name: some StringProtocol) -> Bool {
        let name = name.lowercased()
        return ["key", "token", "secret", "password"].contains { name.contains($0) }
    }

    /// Whether a key's name may be shown: any name that does not suggest a credential, and a credential-like one only
    /// when it is plain (ASCII letters, `_`, `-`; at most 32 characters: `client_secret`), since a key with digits or
    /// punctuation may be a secret pasted where a key goes (`api_key:sk_live_…` is one plain-scalar key).
    public static func mayShowKey(_ name: some StringProtocol) -> Bool {
        guard mayHoldSecret(name) else { return true }
        let scalars = name.unicodeScalars
        return scalars.count <= 32
            && scalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// A key for a message: `'name'` (cut short, printable) when it may be shown, otherwise described.
    public static func quotedKey(_ name: some StringProtocol) -> String {
        mayShowKey(name)
            ? "'\(Excerpt.quote(name))'" : "of \(name.unicodeScalars.count) characters (not shown: it may hold a secret)"
    }

    /// `text` with every line that has a location in `locations` cut off at the location's column.
    static func redact(_ text: String, at locations: [SourceLocation]) -> String {
        guard !locations.isEmpty else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for location in locations where location.line >= 1 && location.line <= lines.count {
            let line = lines[location.line - 1].unicodeScalars
            let kept = line.prefix(max(0, location.column - 1))
            lines[location.line - 1] = String(String.UnicodeScalarView(kept)) + marker
        }
        return lines.joined(separator: "\n")
    }

    /// Where values that may be secrets start in YAML text that could not be parsed: after `key:` for every key
    /// that `mayHoldSecret`, unless the value is an `env:`/`file:` reference; and every more-indented line after
    /// such a key (a block scalar or nested value).
    static func unparsedRedactions(_ text: String, file: String) -> [SourceLocation] {
        var locations: [SourceLocation] = []
        var secretIndent: Int?
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let scalars = Array(line)
            let indent = scalars.prefix { $0 == " " || $0 == "\t" }.count
            let isBlank = indent == scalars.count
            if let open = secretIndent, isBlank || indent > open {
                locations.append(SourceLocation(file: file, line: index + 1, column: 1))
                continue
            }
            secretIndent = nil
            guard let column = secretValueColumn(scalars) else { continue }
            locations.append(SourceLocation(file: file, line: index + 1, column: column))
            secretIndent = indent
        }
        return locations
    }

    /// The 1-based column where the first secret-looking value on the line starts, if any.
    private static func secretValueColumn(_ line: [Unicode.Scalar]) -> Int? {
        var wordStart: Int?
        for (index, scalar) in line.enumerated() {
            let isWordScalar =
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-\"'".unicodeScalars.contains(scalar)
            if isWordScalar {
                if wordStart == nil { wordStart = index }
                continue
            }
            defer { wordStart = nil }
            guard scalar == ":", let start = wordStart else { continue }
            let key = String(String.UnicodeScalarView(line[start..<index])).trimmingCharacters(
                in: CharacterSet(charactersIn: "\"'"))
            // `api_key:sk_live_…` (no space) is one plain scalar: hide it from the key on.
            guard index + 1 == line.count || line[index + 1] == " " || line[index + 1] == "\t" else {
                if mayHoldSecret(key), !isReference(line[(index + 1)...]) { return start + 1 }
                continue
            }
            guard mayHoldSecret(key), !isReference(line[(index + 1)...]) else { continue }
            guard mayShowKey(key) else { return start + 1 }
            let spaces = line[(index + 1)...].prefix { $0 == " " || $0 == "\t" }.count
            return index + 2 + spaces
        }
        return nil
    }

    /// Whether a value (up to a flow delimiter or comment) is an `env:`/`file:` reference.
    private static func isReference(_ rest: ArraySlice<Unicode.Scalar>) -> Bool {
        let value = String(String.UnicodeScalarView(rest.prefix { $0 != "," && $0 != "}" && $0 != "#" }))
            .trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
        guard !value.isEmpty, case .reference = Format.secret(value) else { return false }
        return true
    }
}
