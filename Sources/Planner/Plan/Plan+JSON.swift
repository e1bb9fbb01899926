import Foundation

/// The saved plan's JSON format: written by `plan --out` and `show --format json`, read back by `show` and `apply`.
/// The schema is documented in `docs/plan-format.md`.
public enum PlanFile {}

// MARK: - Writing

extension PlanFile {
    /// The saved-plan form (`plan --out`, `show --format json`): pretty-printed, keys sorted, snake_case,
    /// ISO-8601 instants to the second. The schema is documented in `docs/plan-format.md`.
    public static func json(_ plan: Plan) -> Data {
        var data = Data()
        writeJSON(plan) { data.append($0) }
        return data
    }

    /// The same bytes as `json(_:)`, handed to `write` in pieces of about one change each, so a plan of 170,000
    /// changes is never one encoder tree in memory (JSONEncoder held ~1 GB for it; this holds one change's worth).
    ///
    /// The plan is encoded once with every tenant's `changes` emptied; each empty array is then replaced by the
    /// tenant's changes, each encoded alone and indented to its depth. Strings in JSON never hold a raw newline, so
    /// indenting line by line is exact.
    public static func writeJSON(_ plan: Plan, to write: (Data) -> Void) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        func encode(_ value: some Encodable) -> Data {
            do {
                return try encoder.encode(value)
            } catch {
                // Every value in a plan is a string, number, boolean, array or object: encoding cannot fail.
                preconditionFailure("a plan failed to encode: \(error)")
            }
        }
        var skeleton = plan
        for index in skeleton.tenants.indices { skeleton.tenants[index].changes = [] }
        let outline = encode(skeleton)
        // Tenants are items of the top-level `tenants` array (indent 4); their keys sit at indent 6.
        let emptyChanges = Data("\n      \"changes\" : [\n\n      ]".utf8)
        var rest = outline[...]
        for tenant in plan.tenants {
            guard let range = rest.firstRange(of: emptyChanges) else {
                preconditionFailure("the encoded plan has no empty changes array for tenant \(tenant.tenant)")
            }
            write(Data(rest[..<range.lowerBound]))
            if tenant.changes.isEmpty {
                write(emptyChanges)
            } else {
                write(Data("\n      \"changes\" : [".utf8))
                for (index, change) in tenant.changes.enumerated() {
                    write(indented(encode(change), first: index == 0))
                }
                write(Data("\n      ]".utf8))
            }
            rest = rest[range.upperBound...]
        }
        write(Data(rest) + Data("\n".utf8))
    }

    /// One encoded change as an element of a tenant's `changes` array: after `\n` (or `,\n`), every line indented
    /// by eight spaces except the blank line inside an empty array, which JSONEncoder leaves blank.
    private static func indented(_ encoded: Data, first: Bool) -> Data {
        let newline = UInt8(ascii: "\n")
        let indent = [UInt8](repeating: UInt8(ascii: " "), count: 8)
        var bytes: [UInt8] = first ? [newline] : [UInt8(ascii: ","), newline]
        bytes.reserveCapacity(encoded.count * 2)
        bytes += indent
        encoded.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            for offset in raw.indices {
                bytes.append(raw[offset])
                if raw[offset] == newline, offset + 1 < raw.count, raw[offset + 1] != newline { bytes += indent }
            }
        }
        return Data(bytes)
    }
}

// MARK: - Reading

extension Plan {
    /// Reads a saved plan, checking `format_version` first so that a plan from a newer stoicprov is refused with a
    /// clear message rather than a confusing missing-field error.
    public static func decode(from data: Data) throws(PlanFormatError) -> Plan {
        var reader = PlanReader()
        reader.feed(data)
        return try reader.finish()
    }
}

extension PlanFormatError {
    /// Turns a decoding failure into a path and a short reason.
    init(_ error: DecodingError) {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            self = .invalid(path: path(context.codingPath), reason: "missing field '\(key.stringValue)'")
        case .typeMismatch(let type, let context):
            self = .invalid(path: path(context.codingPath), reason: "expected \(PlanFormatError.jsonName(of: type))")
        case .valueNotFound(let type, let context):
            self = .invalid(path: path(context.codingPath), reason: "expected \(PlanFormatError.jsonName(of: type)), found null")
        case .dataCorrupted(let context):
            self = .invalid(path: path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            self = .invalid(path: "", reason: "\(error)")
        }
    }

    private static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is Date.Type: "an ISO-8601 date-time"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}
