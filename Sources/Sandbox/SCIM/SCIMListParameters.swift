import Foundation

/// `filter`, paging and attribute selection, from a query string or a `POST …/.search` body.
struct SCIMListParameters: Sendable {
    var filter: String?
    var startIndex: Int?
    var count: Int?
    var attributes: [String] = []
    var excludedAttributes: [String] = []

    /// Only `attributes` and `excludedAttributes` of a query, for answers about one resource (nothing to page).
    init(attributesOf request: HTTPRequest) {
        attributes = Self.split(request.queryValues("attributes"))
        excludedAttributes = Self.split(request.queryValues("excludedAttributes"))
    }

    /// A list query. `startIndex` and `count` that are not numbers are ignored (defaults apply); whole numbers
    /// beyond `Int` are refused with `invalidValue`.
    init(query request: HTTPRequest) throws(SCIMFailure) {
        self.init(attributesOf: request)
        filter = request.queryValue("filter")
        startIndex = try Self.integer(request.queryValue("startIndex").map(ClientInteger.init(parsing:)), "startIndex")
        count = try Self.integer(request.queryValue("count").map(ClientInteger.init(parsing:)), "count")
    }

    /// A search body. `startIndex` and `count` must be whole JSON numbers within `Int` (`invalidValue` otherwise);
    /// other JSON types are ignored, as before.
    init(body: SCIMJSON) throws(SCIMFailure) {
        guard let object = body.objectValue else { throw .invalidSyntax("A search request must be a JSON object") }
        filter = object.value(named: "filter")?.stringValue
        startIndex = try Self.integer(Self.number(object.value(named: "startIndex")), "startIndex", lenient: false)
        count = try Self.integer(Self.number(object.value(named: "count")), "count", lenient: false)
        attributes = Self.names(object.value(named: "attributes"))
        excludedAttributes = Self.names(object.value(named: "excludedAttributes"))
    }

    private static func number(_ value: SCIMJSON?) -> ClientInteger? {
        switch value {
        case .int(let number): .value(number)
        case .double(let number): ClientInteger(number)
        default: nil
        }
    }

    /// The value of a paging parameter: absent → `nil`; out of range → 400; not an integer → `nil` when `lenient`
    /// (query text, as before), else 400 (a JSON number with a fraction).
    private static func integer(
        _ parsed: ClientInteger?, _ name: String, lenient: Bool = true
    ) throws(SCIMFailure) -> Int? {
        switch parsed {
        case .value(let number): return number
        case .outOfRange: throw .invalidValue("'\(name)' is out of range")
        case .notAnInteger: if lenient { return nil } else { throw .invalidValue("'\(name)' must be an integer") }
        case nil: return nil
        }
    }

    private static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func names(_ value: SCIMJSON?) -> [String] {
        if let text = value?.stringValue { return split([text]) }
        return split((value?.arrayValue ?? []).compactMap(\.stringValue))
    }
}

/// `attributes` / `excludedAttributes` (RFC 7644 §3.9) applied to a rendered resource. `id` and `schemas` are
/// always returned; names that match no attribute are ignored.
struct SCIMProjection: Sendable {
    private var included: [SCIMFieldRef]
    private var excluded: [SCIMFieldRef]

    init(parameters: SCIMListParameters, type: SCIMResourceType) {
        let scope = SCIMScope.resource(type)
        included = parameters.attributes.compactMap { scope.resolve(SCIMAttrPath(parsing: $0)) }
        excluded = parameters.excludedAttributes.compactMap { scope.resolve(SCIMAttrPath(parsing: $0)) }
    }

    func apply(_ value: SCIMJSON) -> SCIMJSON {
        guard var object = value.objectValue else { return value }
        if !included.isEmpty {
            var result: [String: SCIMJSON] = ["id": object["id"] ?? .null, "schemas": object["schemas"] ?? .null]
            for ref in included { Self.copy(ref, from: object, into: &result) }
            object = result
        }
        for ref in excluded where ref.attribute.returned != .always {
            Self.remove(ref, from: &object)
        }
        return .object(object)
    }

    private static func copy(_ ref: SCIMFieldRef, from source: [String: SCIMJSON], into result: inout [String: SCIMJSON]) {
        let holder = ref.container.flatMap { source[$0]?.objectValue } ?? (ref.container == nil ? source : [:])
        guard let key = holder.key(matching: ref.attribute.name), var value = holder[key] else { return }
        if let sub = ref.sub {
            let keep: (SCIMJSON) -> SCIMJSON? = { item in
                guard let inner = item.objectValue, let subKey = inner.key(matching: sub.name), let kept = inner[subKey]
                else { return nil }
                return .object([subKey: kept])
            }
            let existing = ref.container.flatMap { result[$0]?.objectValue } ?? (ref.container == nil ? result : [:])
            if let items = value.arrayValue {
                value = .array(items.compactMap(keep))
            } else {
                guard let kept = keep(value)?.objectValue else { return }
                value = .object((existing[key]?.objectValue ?? [:]).merging(kept) { _, new in new })
            }
        }
        if let container = ref.container {
            var nested = result[container]?.objectValue ?? [:]
            nested[key] = value
            result[container] = .object(nested)
        } else {
            result[key] = value
        }
    }

    private static func remove(_ ref: SCIMFieldRef, from object: inout [String: SCIMJSON]) {
        var holder = ref.container.flatMap { object[$0]?.objectValue } ?? (ref.container == nil ? object : [:])
        guard let key = holder.key(matching: ref.attribute.name), let value = holder[key] else { return }
        if let sub = ref.sub {
            let strip: (SCIMJSON) -> SCIMJSON = { item in
                guard var inner = item.objectValue, let subKey = inner.key(matching: sub.name) else { return item }
                inner[subKey] = nil
                return .object(inner)
            }
            holder[key] = value.arrayValue.map { .array($0.map(strip)) } ?? strip(value)
        } else {
            holder[key] = nil
        }
        if let container = ref.container {
            object[container] = holder.isEmpty ? nil : .object(holder)
        } else {
            object = holder
        }
    }
}
