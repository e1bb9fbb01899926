import Foundation

/// A JSON value as SCIM resources hold it: attribute names keep their case, numbers keep integer-ness.
enum SCIMJSON: Codable, Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([SCIMJSON])
    case object([String: SCIMJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Most values are strings or objects: try those first, since every failed attempt throws.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: SCIMJSON].self) {
            self = .object(value)
        } else if let value = try? container.decode([SCIMJSON].self) {
            self = .array(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else {
            self = .double(try container.decode(Double.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses a request body; `nil` when it is not JSON.
    static func parse(_ data: Data) -> SCIMJSON? {
        try? JSONDecoder().decode(SCIMJSON.self, from: data)
    }

    /// The response bytes, through the sandbox's one JSON writer (keys sorted, so responses are deterministic).
    func encoded() -> Data {
        var writer = JSONWriter()
        write(into: &writer)
        return Data(writer.bytes)
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var objectValue: [String: SCIMJSON]? {
        if case .object(let value) = self { return value }
        return nil
    }

    var arrayValue: [SCIMJSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var numberValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}

extension SCIMJSON: JSONWritable {
    func write(into writer: inout JSONWriter) {
        switch self {
        case .null: writer.writeNull()
        case .bool(let value): writer.write(bool: value)
        case .int(let value): writer.write(int: value)
        case .double(let value): writer.write(double: value)
        case .string(let value): writer.write(string: value)
        case .array(let values): writer.writeArray(values) { writer, value in value.write(into: &writer) }
        case .object(let object):
            writer.writeObject(sortingKeysOf: object) { writer, item in item.write(into: &writer) }
        }
    }
}

extension Dictionary where Key == String, Value == SCIMJSON {
    /// The key of this object that names `name` case-insensitively (SCIM attribute names are case-insensitive).
    func key(matching name: String) -> String? {
        if self[name] != nil { return name }
        return keys.first { $0.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The value for an attribute name, matched case-insensitively.
    func value(named name: String) -> SCIMJSON? {
        key(matching: name).flatMap { self[$0] }
    }
}
