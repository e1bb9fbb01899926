import Foundation

// MARK: - Writing

extension PlanRenderer {
    /// The saved-plan form (`plan --out`, `show --format json`): pretty-printed, keys sorted, snake_case,
    /// ISO-8601 instants to the second. The schema is documented in `docs/plan-format.md`.
    public static func json(_ plan: Plan) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            var data = try encoder.encode(plan)
            data.append(UInt8(ascii: "\n"))
            return data
        } catch {
            // Every value in a plan is a string, number, boolean, array or object: encoding cannot fail.
            preconditionFailure("a plan failed to encode: \(error)")
        }
    }
}

// MARK: - Reading

extension Plan {
    /// Reads a saved plan, checking `format_version` first so that a plan from a newer stoicprov is refused with a
    /// clear message rather than a confusing missing-field error.
    public static func decode(from data: Data) throws(PlanFormatError) -> Plan {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .notJSON
        }
        guard let fields = object as? [String: Any], let version = fields["format_version"] as? Int else {
            throw .missingFormatVersion
        }
        guard version == Plan.currentFormatVersion else {
            throw .unsupportedFormatVersion(found: version, supported: Plan.currentFormatVersion)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(Plan.self, from: data)
        } catch let error as DecodingError {
            throw PlanFormatError(error)
        } catch {
            throw .invalid(path: "", reason: "\(error)")
        }
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
