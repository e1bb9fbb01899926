/// Renders `SpecShape` as JSON Schema (draft 2020-12) for editors (yaml-language-server): the same keys, types,
/// formats and required lists the validator checks.
public enum JSONSchema {
    /// The spec files a schema can describe.
    public enum Kind: String, Sendable, CaseIterable {
        case tenant
        case config

        /// The committed file name under `schema/`.
        public var fileName: String {
            switch self {
            case .tenant: "tenant.schema.json"
            case .config: "stoicprov.schema.json"
            }
        }

        var shape: SpecShape {
            switch self {
            case .tenant: .tenant
            case .config: .config
            }
        }

        var title: String {
            switch self {
            case .tenant: "stoicprov tenant (tenants/<id>.yaml)"
            case .config: "stoicprov workspace configuration (stoicprov.yaml)"
            }
        }
    }

    /// The schema as pretty-printed JSON with keys in a stable order, ending in a newline.
    public static func text(for kind: Kind) -> String {
        var root: [(String, JSON)] = [
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://stoicprov.dev/schema/\(kind.fileName)")),
            ("title", .string(kind.title)),
        ]
        root += members(of: kind.shape)
        return JSON.object(root).rendered(indent: "") + "\n"
    }

    // MARK: - Shapes

    private static func schema(of shape: SpecShape, summary: String? = nil, defaultValue: String? = nil) -> JSON {
        var members: [(String, JSON)] = []
        if let summary { members.append(("description", .string(summary))) }
        members += self.members(of: shape)
        if let defaultValue { members.append(("default", defaultJSON(defaultValue))) }
        return .object(members)
    }

    private static func members(of shape: SpecShape) -> [(String, JSON)] {
        switch shape {
        case .value(let format):
            return members(of: format)
        case .list(let item, _, let isUnique, let minCount):
            var members: [(String, JSON)] = [("type", .string("array")), ("items", schema(of: item))]
            if minCount > 0 { members.append(("minItems", .int(minCount))) }
            if isUnique { members.append(("uniqueItems", .bool(true))) }
            return members
        case .object(let object):
            var members: [(String, JSON)] = [("type", .string("object"))]
            if !object.keys.isEmpty {
                members.append(
                    (
                        "properties",
                        .object(
                            object.keys.map {
                                ($0.name, schema(of: $0.shape, summary: $0.summary, defaultValue: $0.defaultValue))
                            })
                    ))
            }
            let required = object.keys.filter(\.isRequired).map { JSON.string($0.name) }
            if !required.isEmpty { members.append(("required", .array(required))) }
            if let entries = object.entries {
                members.append(("propertyNames", .object(Self.members(of: ValueFormat.identifier))))
                members.append(("additionalProperties", schema(of: entries.shape, summary: entries.summary)))
            } else {
                members.append(("additionalProperties", .bool(false)))
            }
            return members
        }
    }

    private static func members(of format: ValueFormat) -> [(String, JSON)] {
        switch format {
        case .text:
            return [("type", .string("string")), ("minLength", .int(1))]
        case .identifier:
            return [("type", .string("string")), ("pattern", .string("^[a-z][a-z0-9-]{1,62}$"))]
        case .slug:
            return [("type", .string("string")), ("pattern", .string("^[a-z0-9]+(-[a-z0-9]+)*$"))]
        case .domain:
            return [
                ("type", .string("string")),
                (
                    "pattern",
                    .string("^(?=.{3,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+([A-Za-z]{2,63}|xn--[A-Za-z0-9-]+)$")
                ),
            ]
        case .date:
            return [
                ("type", .string("string")), ("format", .string("date")), ("pattern", .string("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")),
            ]
        case .url:
            return [("type", .string("string")), ("format", .string("uri")), ("pattern", .string("^https?://[^/]+"))]
        case .secret:
            return [
                ("type", .string("string")),
                ("pattern", .string("^(env:[A-Z_][A-Z0-9_]*|file:.*\\S.*)$")),
            ]
        case .integer(let minimum):
            return [("type", .string("integer")), ("minimum", .int(minimum))]
        case .constant(let value):
            return [("const", .int(value))]
        case .boolean:
            return [("type", .string("boolean"))]
        case .choice(let words):
            return [("enum", .array(words.map(JSON.string)))]
        case .percentOrCount:
            return [
                (
                    "oneOf",
                    .array([
                        .object([
                            ("type", .string("string")),
                            ("pattern", .string("^(100(\\.0+)?|[0-9]{1,2}(\\.[0-9]+)?)%$")),
                        ]),
                        .object([("type", .string("integer")), ("minimum", .int(0))]),
                    ])
                )
            ]
        }
    }

    /// Defaults are written as YAML would read them: whole numbers as numbers, everything else as text.
    private static func defaultJSON(_ text: String) -> JSON {
        Int(text).map(JSON.int) ?? .string(text)
    }
}

/// A JSON value with object members in a chosen order, for readable, stable schema files.
private indirect enum JSON {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([JSON])
    case object([(String, JSON)])

    func rendered(indent: String) -> String {
        let inner = indent + "  "
        switch self {
        case .string(let text): return Self.quote(text)
        case .int(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .array(let items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy({ if case .string = $0 { true } else { false } }) {
                return "[" + items.map { $0.rendered(indent: inner) }.joined(separator: ", ") + "]"
            }
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n"
                + members.map { inner + Self.quote($0.0) + ": " + $0.1.rendered(indent: inner) }.joined(separator: ",\n")
                + "\n" + indent + "}"
        }
    }

    private static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
