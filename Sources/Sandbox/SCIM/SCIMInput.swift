import Foundation

/// Turns what a client sent into stored attributes: names in their schema spelling, values of the declared type
/// (Entra's `"False"` becomes `false`), read-only and unknown attributes dropped.
enum SCIMInput {
    /// The attributes of a POST or PUT body, without `schemas`, `id` and `meta`.
    static func attributes(of body: SCIMJSON, type: SCIMResourceType) throws(SCIMFailure) -> [String: SCIMJSON] {
        guard let object = body.objectValue else { throw .invalidSyntax("The request body must be a JSON object") }
        var result: [String: SCIMJSON] = [:]
        for (key, value) in object {
            switch key.lowercased() {
            case "schemas", "id", "meta": continue
            case "externalid":
                if let text = try canonical(SCIMScope.common[1], value) { result["externalId"] = text }
                continue
            default: break
            }
            if let schema = type.extensions.first(where: { $0.id.caseInsensitiveCompare(key) == .orderedSame }) {
                guard let inner = value.objectValue else { throw .invalidValue("'\(key)' must be an object") }
                var extensionObject: [String: SCIMJSON] = [:]
                for (innerKey, innerValue) in inner {
                    guard let attribute = schema.attribute(innerKey), attribute.mutability != .readOnly else { continue }
                    if let converted = try canonical(attribute, innerValue) { extensionObject[attribute.name] = converted }
                }
                if !extensionObject.isEmpty { result[schema.id] = .object(extensionObject) }
            } else if let attribute = type.schema.attribute(key), attribute.mutability != .readOnly {
                if let converted = try canonical(attribute, value) { result[attribute.name] = converted }
            }
        }
        return result
    }

    /// A value converted to an attribute's declared shape; `nil` means "unassigned" (null or empty).
    static func canonical(_ attribute: SCIMAttribute, _ value: SCIMJSON) throws(SCIMFailure) -> SCIMJSON? {
        if value == .null { return nil }
        guard attribute.isMultiValued else { return try single(attribute, value) }
        var items: [SCIMJSON] = []
        for item in value.arrayValue ?? [value] {
            if let converted = try single(attribute, item) { items.append(converted) }
        }
        return items.isEmpty ? nil : .array(items)
    }

    private static func single(_ attribute: SCIMAttribute, _ value: SCIMJSON) throws(SCIMFailure) -> SCIMJSON? {
        switch (attribute.kind, value) {
        case (_, .null): return nil
        case (.complex, .object(let object)):
            var result: [String: SCIMJSON] = [:]
            for (key, item) in object {
                guard let sub = attribute.subAttribute(key), sub.mutability != .readOnly else { continue }
                if let converted = try canonical(sub, item) { result[sub.name] = converted }
            }
            return result.isEmpty ? nil : .object(result)
        case (.boolean, .bool): return value
        case (.boolean, .string(let text)):
            guard let flag = Bool(text.lowercased()) else { throw .invalidValue("'\(attribute.name)' must be a boolean") }
            return .bool(flag)
        case (.integer, .int): return value
        case (.integer, .double(let number)):
            // Integral and within Int (1e300 is integral too, and would trap `Int(_:)`).
            guard let whole = ClientInteger(number).value else {
                throw .invalidValue("'\(attribute.name)' has a value of the wrong type")
            }
            return .int(whole)
        case (.decimal, .int), (.decimal, .double): return value
        case (.string, .string), (.reference, .string), (.binary, .string), (.dateTime, .string): return value
        case (.string, .int(let number)): return .string(String(number))
        default: throw .invalidValue("'\(attribute.name)' has a value of the wrong type")
        }
    }
}
