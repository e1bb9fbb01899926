import Foundation

/// A PATCH target (RFC 7644 §3.5.2): `attr`, `attr.sub`, `urn:…:attr`, `attr[filter]` or `attr[filter].sub`.
struct SCIMPatchPath: Sendable {
    var ref: SCIMFieldRef
    var filter: SCIMFilter?
    /// The sub-attribute after a value filter (`emails[type eq "work"].value`).
    var filteredSub: SCIMAttribute?

    static func parse(_ text: String, type: SCIMResourceType) throws(SCIMFailure) -> SCIMPatchPath {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.firstIndex(of: "[") else {
            guard let ref = SCIMScope.resource(type).resolve(SCIMAttrPath(parsing: trimmed)) else {
                throw .invalidPath(text)
            }
            return SCIMPatchPath(ref: ref)
        }
        guard let close = trimmed.lastIndex(of: "]"), close > open,
            let ref = SCIMScope.resource(type).resolve(SCIMAttrPath(parsing: String(trimmed[..<open]))),
            ref.sub == nil, ref.attribute.kind == .complex, ref.attribute.isMultiValued
        else { throw .invalidPath(text) }
        let filter: SCIMFilter
        do {
            filter = try SCIMFilter.parse(
                String(trimmed[trimmed.index(after: open)..<close]), scope: .complex(ref.attribute))
        } catch { throw .invalidPath(text) }
        var sub: SCIMAttribute?
        let rest = trimmed[trimmed.index(after: close)...]
        if !rest.isEmpty {
            guard rest.hasPrefix("."), let found = ref.attribute.subAttribute(String(rest.dropFirst())) else {
                throw .invalidPath(text)
            }
            sub = found
        }
        return SCIMPatchPath(ref: ref, filter: filter, filteredSub: sub)
    }
}

/// Applies PatchOp operations to a stored object.
enum SCIMPatch {
    enum Op: String { case add, replace, remove }

    static func apply(_ body: SCIMJSON, to object: inout [String: SCIMJSON], type: SCIMResourceType) throws(SCIMFailure) {
        guard let operations = body.objectValue?.value(named: "Operations")?.arrayValue else {
            throw .invalidSyntax("A PatchOp needs an 'Operations' list")
        }
        for operation in operations {
            guard let fields = operation.objectValue, let opText = fields.value(named: "op")?.stringValue else {
                throw .invalidSyntax("Each operation needs an 'op'")
            }
            guard let op = Op(rawValue: opText.lowercased()) else {
                throw .invalidValue("Unknown PATCH operation '\(opText)'")
            }
            let value = fields.value(named: "value")
            let pathText = fields.value(named: "path")?.stringValue ?? ""
            if let schema = type.extensions.first(where: { $0.id.caseInsensitiveCompare(pathText) == .orderedSame }) {
                // The path names a whole extension: its value is that extension's object.
                if op == .remove {
                    object[schema.id] = nil
                    continue
                }
                guard let inner = value?.objectValue else { throw .invalidValue("'\(pathText)' needs an object value") }
                for (innerKey, innerItem) in inner where innerKey.caseInsensitiveCompare("schemas") != .orderedSame {
                    let path = try SCIMPatchPath.parse("\(schema.id):\(innerKey)", type: type)
                    try apply(op, path: path, value: innerItem, to: &object)
                }
            } else if !pathText.isEmpty {
                try apply(op, path: try SCIMPatchPath.parse(pathText, type: type), value: value, to: &object)
            } else {
                guard op != .remove else { throw .noTarget("A remove operation needs a path") }
                guard let map = value?.objectValue else { throw .invalidValue("An operation without a path needs an object") }
                for (key, item) in map {
                    if key.caseInsensitiveCompare("schemas") == .orderedSame { continue }
                    if let schema = type.extensions.first(where: { $0.id.caseInsensitiveCompare(key) == .orderedSame }) {
                        guard let inner = item.objectValue else { throw .invalidValue("'\(key)' must be an object") }
                        for (innerKey, innerItem) in inner {
                            let path = try SCIMPatchPath.parse("\(schema.id):\(innerKey)", type: type)
                            try apply(op, path: path, value: innerItem, to: &object)
                        }
                    } else {
                        try apply(op, path: try SCIMPatchPath.parse(key, type: type), value: item, to: &object)
                    }
                }
            }
        }
    }

    private static func apply(
        _ op: Op, path: SCIMPatchPath, value: SCIMJSON?, to object: inout [String: SCIMJSON]
    )
        throws(SCIMFailure)
    {
        let attribute = path.ref.attribute
        let sub = path.ref.sub ?? path.filteredSub
        if attribute.mutability == .readOnly || sub?.mutability == .readOnly { throw .mutability(attribute.name) }
        if op != .remove && value == nil { throw .invalidValue("A \(op.rawValue) operation needs a value") }
        // Work on the object that holds the attribute (the resource or its extension object).
        var holder = path.ref.container.flatMap { object[$0]?.objectValue } ?? (path.ref.container == nil ? object : [:])
        let key = attribute.name
        let current = holder.value(named: key)
        if let existingKey = holder.key(matching: key), existingKey != key {
            holder[existingKey] = nil
        }
        holder[key] = try edit(op, attribute: attribute, path: path, sub: sub, current: current, value: value)
        if let container = path.ref.container {
            let cleaned = holder.filter { $0.value != .null }
            object[container] = cleaned.isEmpty ? nil : .object(cleaned)
        } else {
            object = holder
        }
    }

    /// The attribute's new value (`nil` to unassign it): through a value filter (`emails[type eq "work"]…`),
    /// at a sub-attribute (`name.givenName`, `emails.value`), or of the whole attribute.
    private static func edit(
        _ op: Op, attribute: SCIMAttribute, path: SCIMPatchPath, sub: SCIMAttribute?, current: SCIMJSON?, value: SCIMJSON?
    ) throws(SCIMFailure) -> SCIMJSON? {
        if let filter = path.filter {
            return try editMatching(filter, op, attribute: attribute, sub: sub, current: current, value: value)
        }
        if let sub { return try editSub(sub, op, attribute: attribute, current: current, value: value) }
        return try editWhole(op, attribute: attribute, current: current, value: value)
    }

    /// The value of an add or replace (`apply` has already refused one without).
    private static func required(_ value: SCIMJSON?, _ op: Op) throws(SCIMFailure) -> SCIMJSON {
        guard let value else { throw .invalidValue("A \(op.rawValue) operation needs a value") }
        return value
    }

    /// `attr[filter]` or `attr[filter].sub`: the elements the filter matches are removed or patched.
    private static func editMatching(
        _ filter: SCIMFilter, _ op: Op, attribute: SCIMAttribute, sub: SCIMAttribute?, current: SCIMJSON?, value: SCIMJSON?
    ) throws(SCIMFailure) -> SCIMJSON? {
        var items = current?.arrayValue ?? []
        let matched = items.indices.filter { items[$0].objectValue.map(filter.matches) ?? false }
        switch op {
        case .remove:
            if let sub {
                for i in matched { items[i] = removing(sub.name, from: items[i]) }
            } else {
                for i in matched.reversed() { items.remove(at: i) }
            }
        case .add, .replace:
            let patch = try elementPatch(attribute: attribute, sub: sub, value: try required(value, op))
            if matched.isEmpty {
                // Entra writes `emails[type eq "work"].value` before the user has a work email: create it.
                guard case .compare(let ref, .eq, let operand) = filter else {
                    throw .noTarget("No value matches the path filter")
                }
                items.append(.object(patch.merging([ref.attribute.name: operand]) { new, _ in new }))
            } else {
                for i in matched {
                    items[i] = .object((items[i].objectValue ?? [:]).merging(patch) { _, new in new })
                }
            }
        }
        let kept = items.filter { $0.objectValue?.isEmpty == false }
        return kept.isEmpty ? nil : .array(kept)
    }

    /// `name.givenName`, or `emails.value` on every element.
    private static func editSub(
        _ sub: SCIMAttribute, _ op: Op, attribute: SCIMAttribute, current: SCIMJSON?, value: SCIMJSON?
    ) throws(SCIMFailure) -> SCIMJSON? {
        if op == .remove {
            guard let current else { return nil }
            if attribute.isMultiValued {
                let items = (current.arrayValue ?? []).map { removing(sub.name, from: $0) }.filter {
                    $0.objectValue?.isEmpty == false
                }
                return items.isEmpty ? nil : .array(items)
            }
            let result = removing(sub.name, from: current)
            return result.objectValue?.isEmpty == false ? result : nil
        }
        let converted = try SCIMInput.canonical(sub, try required(value, op))
        if attribute.isMultiValued {
            let items = (current?.arrayValue ?? []).map { item in
                var object = item.objectValue ?? [:]
                object[sub.name] = converted
                return SCIMJSON.object(object)
            }
            return items.isEmpty ? nil : .array(items)
        }
        var object = current?.objectValue ?? [:]
        object[sub.name] = converted
        return object.isEmpty ? nil : .object(object)
    }

    /// The whole attribute: removed (or, for Entra's `remove members` with a value, the listed members dropped),
    /// replaced, or added to (multi-valued add skips values already there; complex add merges).
    private static func editWhole(
        _ op: Op, attribute: SCIMAttribute, current: SCIMJSON?, value: SCIMJSON?
    ) throws(SCIMFailure) -> SCIMJSON? {
        switch op {
        case .remove:
            if attribute.isMultiValued, let value, let drop = try SCIMInput.canonical(attribute, value)?.arrayValue {
                let dropped = Set(drop.compactMap { $0.objectValue?["value"] })
                let droppedItems = Set(drop)
                let kept = (current?.arrayValue ?? []).filter { item in
                    guard let id = item.objectValue?["value"] else { return !droppedItems.contains(item) }
                    return !dropped.contains(id)
                }
                return kept.isEmpty ? nil : .array(kept)
            }
            return nil
        case .add, .replace:
            let converted = try SCIMInput.canonical(attribute, try required(value, op))
            if attribute.isMultiValued {
                guard op == .add, let existing = current?.arrayValue else { return converted }
                var present = PresentValues(existing, attribute: attribute)
                var items = existing
                for item in converted?.arrayValue ?? [] where present.insert(item) { items.append(item) }
                return items.isEmpty ? nil : .array(items)
            }
            if attribute.kind == .complex, let existing = current?.objectValue, let new = converted?.objectValue {
                return .object(existing.merging(new) { _, new in new })
            }
            return converted
        }
    }

    /// The sub-attributes a filtered add or replace writes into the matching elements.
    private static func elementPatch(
        attribute: SCIMAttribute, sub: SCIMAttribute?, value: SCIMJSON
    )
        throws(SCIMFailure) -> [String: SCIMJSON]
    {
        if let sub {
            guard let converted = try SCIMInput.canonical(sub, value) else { return [:] }
            return [sub.name: converted]
        }
        let single = value.arrayValue?.first ?? value
        var element = attribute
        element.isMultiValued = false
        return try SCIMInput.canonical(element, single)?.objectValue ?? [:]
    }

    private static func removing(_ name: String, from item: SCIMJSON) -> SCIMJSON {
        guard var object = item.objectValue else { return item }
        if let key = object.key(matching: name) { object[key] = nil }
        return .object(object)
    }

    /// The values a multi-valued attribute already holds, for `add` to skip: group members count as equal when
    /// their `value` is, anything else when it is equal as a whole. Set lookups keep a large add linear.
    private struct PresentValues {
        private let byMemberID: Bool
        private var ids: Set<SCIMJSON> = []
        private var items: Set<SCIMJSON> = []

        init(_ existing: [SCIMJSON], attribute: SCIMAttribute) {
            byMemberID = attribute.name == "members"
            for item in existing { record(item) }
        }

        /// Records `item`; `false` when an equal value was already there (the item is then not added).
        mutating func insert(_ item: SCIMJSON) -> Bool {
            if byMemberID, let id = item.objectValue?["value"] {
                if ids.contains(id) { return false }
            } else if items.contains(item) {
                return false
            }
            record(item)
            return true
        }

        private mutating func record(_ item: SCIMJSON) {
            items.insert(item)
            if let id = item.objectValue?["value"] { ids.insert(id) }
        }
    }
}
