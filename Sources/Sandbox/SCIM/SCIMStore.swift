import Foundation

/// One app's Users and Groups. Not thread-safe by itself: `SCIMSurface` keeps each store behind a `Mutex`.
///
/// Stored objects hold the client's attributes plus `id` and `meta` (without `location`, which depends on the
/// host the client used), so filters run on them directly. `User.groups` is never stored: it is derived from the
/// membership index when a user is rendered.
struct SCIMStore: Sendable {
    static let maxResults = 1000

    /// The persisted part: everything else is an index rebuilt from it.
    struct State: Codable, Sendable {
        var users: [String: SCIMJSON] = [:]
        var groups: [String: SCIMJSON] = [:]
        var userOrder: [String] = []
        var groupOrder: [String] = []
        var version = 0
    }

    private(set) var state: State
    /// Lower-cased userName → user id.
    private var userNames: [String: String] = [:]
    /// externalId → user ids.
    private var externalIds: [String: Set<String>] = [:]
    /// Lower-cased email value → user ids.
    private var emails: [String: Set<String>] = [:]
    /// Member id → ids of the groups listing it.
    private(set) var memberships: [String: Set<String>] = [:]
    /// User id → creation rank, to return indexed matches in creation order.
    private var userRanks: [String: Int] = [:]
    private var nextRank = 0

    init(state: State = State()) {
        self.state = state
        for (id, user) in state.users { index(user: user, id: id) }
        for id in state.userOrder {
            userRanks[id] = nextRank
            nextRank += 1
        }
        for (id, group) in state.groups { indexMembers(of: group, groupID: id) }
    }

    // MARK: - Reading

    func object(_ type: SCIMResourceType, id: String) -> [String: SCIMJSON]? {
        (type == .user ? state.users[id] : state.groups[id])?.objectValue
    }

    /// The matches of a filter in creation order, paged; `count` is already capped.
    func list(
        _ type: SCIMResourceType, filter: SCIMFilter?, startIndex: Int, count: Int
    ) -> (
        total: Int, page: [[String: SCIMJSON]]
    ) {
        let table = type == .user ? state.users : state.groups
        let ids: [String]
        if let filter, type == .user, let candidates = candidates(for: filter) {
            ids = candidates.sorted { userRanks[$0, default: 0] < userRanks[$1, default: 0] }
        } else {
            ids = type == .user ? state.userOrder : state.groupOrder
        }
        var total = 0
        var page: [[String: SCIMJSON]] = []
        for id in ids {
            guard let object = table[id]?.objectValue, filter?.matches(object) ?? true else { continue }
            total += 1
            if total >= startIndex && page.count < count { page.append(object) }
        }
        return (total, page)
    }

    /// Candidate ids from an index when the filter pins an indexed attribute; `nil` means "scan everything".
    private func candidates(for filter: SCIMFilter) -> Set<String>? {
        switch filter {
        case .and(let left, let right):
            switch (candidates(for: left), candidates(for: right)) {
            case (let l?, let r?): return l.intersection(r)
            case (let l?, nil): return l
            case (nil, let r?): return r
            case (nil, nil): return nil
            }
        case .or(let left, let right):
            guard let l = candidates(for: left), let r = candidates(for: right) else { return nil }
            return l.union(r)
        case .compare(let ref, .eq, .string(let value)) where ref.container == nil:
            switch (ref.attribute.name, ref.sub?.name) {
            case ("userName", nil): return Set([userNames[value.lowercased()]].compactMap { $0 })
            case ("externalId", nil): return externalIds[value] ?? []
            case ("id", nil): return state.users[value] == nil ? [] : [value]
            case ("emails", "value"), ("emails", nil): return emails[value.lowercased()] ?? []
            default: return nil
            }
        case .valuePath(let ref, let inner) where ref.attribute.name == "emails":
            return emailCandidates(inner)
        default: return nil
        }
    }

    private func emailCandidates(_ inner: SCIMFilter) -> Set<String>? {
        switch inner {
        case .compare(let ref, .eq, .string(let value)) where ref.attribute.name == "value":
            return emails[value.lowercased()] ?? []
        case .and(let left, let right): return emailCandidates(left) ?? emailCandidates(right)
        default: return nil
        }
    }

    // MARK: - Writing

    mutating func create(
        _ type: SCIMResourceType, attributes: [String: SCIMJSON], now: String
    ) throws(SCIMFailure)
        -> [String: SCIMJSON]
    {
        try validate(type, attributes, id: nil)
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        state.version += 1
        var object = attributes
        object["id"] = .string(id)
        object["meta"] = .object([
            "resourceType": .string(type.rawValue), "created": .string(now), "lastModified": .string(now),
            "version": .string(Self.etag(state.version)),
        ])
        store(type, object, id: id, isNew: true)
        return object
    }

    /// Replaces every client-settable attribute (PUT).
    mutating func replace(
        _ type: SCIMResourceType, id: String, attributes: [String: SCIMJSON], now: String
    )
        throws(SCIMFailure) -> [String: SCIMJSON]
    {
        guard let old = object(type, id: id) else { throw .notFound("\(type.rawValue) '\(id)'") }
        var object = attributes
        object["id"] = old["id"]
        object["meta"] = old["meta"]
        return try update(type, id: id, object, now: now)
    }

    /// Stores an edited object after checking it; bumps `meta.version` and `meta.lastModified`.
    mutating func update(
        _ type: SCIMResourceType, id: String, _ edited: [String: SCIMJSON], now: String
    )
        throws(SCIMFailure) -> [String: SCIMJSON]
    {
        try validate(type, edited, id: id)
        state.version += 1
        var object = edited
        var meta = object["meta"]?.objectValue ?? [:]
        meta["lastModified"] = .string(now)
        meta["version"] = .string(Self.etag(state.version))
        object["meta"] = .object(meta)
        store(type, object, id: id, isNew: false)
        return object
    }

    mutating func delete(_ type: SCIMResourceType, id: String) throws(SCIMFailure) {
        guard let old = object(type, id: id) else { throw .notFound("\(type.rawValue) '\(id)'") }
        switch type {
        case .user:
            unindex(user: .object(old), id: id)
            state.users[id] = nil
            state.userOrder.removeAll { $0 == id }
            userRanks[id] = nil
        case .group:
            unindexMembers(of: .object(old), groupID: id)
            state.groups[id] = nil
            state.groupOrder.removeAll { $0 == id }
        }
        // Nobody stays a member of something that no longer exists.
        for groupID in memberships[id] ?? [] {
            guard var group = state.groups[groupID]?.objectValue else { continue }
            let members = group["members"]?.arrayValue?.filter { $0.objectValue?["value"]?.stringValue != id } ?? []
            group["members"] = members.isEmpty ? nil : .array(members)
            state.groups[groupID] = .object(group)
        }
        memberships[id] = nil
    }

    static func etag(_ version: Int) -> String { "W/\"\(version)\"" }

    private func validate(_ type: SCIMResourceType, _ object: [String: SCIMJSON], id: String?) throws(SCIMFailure) {
        switch type {
        case .user:
            guard let userName = object["userName"]?.stringValue, !userName.isEmpty else {
                throw .invalidValue("userName is required")
            }
            if let owner = userNames[userName.lowercased()], owner != id { throw .uniqueness("userName", userName) }
        case .group:
            guard let name = object["displayName"]?.stringValue, !name.isEmpty else {
                throw .invalidValue("displayName is required")
            }
        }
    }

    private mutating func store(_ type: SCIMResourceType, _ object: [String: SCIMJSON], id: String, isNew: Bool) {
        switch type {
        case .user:
            if let old = state.users[id] { unindex(user: old, id: id) }
            state.users[id] = .object(object)
            if isNew {
                state.userOrder.append(id)
                userRanks[id] = nextRank
                nextRank += 1
            }
            index(user: .object(object), id: id)
        case .group:
            if let old = state.groups[id] { unindexMembers(of: old, groupID: id) }
            state.groups[id] = .object(object)
            if isNew { state.groupOrder.append(id) }
            indexMembers(of: .object(object), groupID: id)
        }
    }

    // MARK: - Indexes

    private mutating func index(user: SCIMJSON, id: String) {
        guard let object = user.objectValue else { return }
        if let name = object["userName"]?.stringValue { userNames[name.lowercased()] = id }
        if let external = object["externalId"]?.stringValue { externalIds[external, default: []].insert(id) }
        for email in Self.emailValues(object) { emails[email, default: []].insert(id) }
    }

    private mutating func unindex(user: SCIMJSON, id: String) {
        guard let object = user.objectValue else { return }
        if let name = object["userName"]?.stringValue, userNames[name.lowercased()] == id {
            userNames[name.lowercased()] = nil
        }
        if let external = object["externalId"]?.stringValue { externalIds[external]?.remove(id) }
        for email in Self.emailValues(object) { emails[email]?.remove(id) }
    }

    private static func emailValues(_ object: [String: SCIMJSON]) -> [String] {
        (object["emails"]?.arrayValue ?? []).compactMap { $0.objectValue?["value"]?.stringValue?.lowercased() }
    }

    static func memberIDs(_ group: SCIMJSON) -> [String] {
        (group.objectValue?["members"]?.arrayValue ?? []).compactMap { $0.objectValue?["value"]?.stringValue }
    }

    private mutating func indexMembers(of group: SCIMJSON, groupID: String) {
        for member in Self.memberIDs(group) { memberships[member, default: []].insert(groupID) }
    }

    private mutating func unindexMembers(of group: SCIMJSON, groupID: String) {
        for member in Self.memberIDs(group) { memberships[member]?.remove(groupID) }
    }
}
